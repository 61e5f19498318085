/**
 * AWS Systems Manager Parameter Store as a SecretSource (id `aws-ssm`). The SDK is an optional
 * peer loaded on the first call; importing this module loads nothing from it. What every store
 * needs comes from the kit and the shared AWS caller; this file keeps only what is Parameter
 * Store's own.
 */
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { SecretError } from '../../src/core/errors.js';
import type { Secret } from '../../src/core/secret.js';
import type {
  BatchEntry,
  DeleteOptions,
  GetOptions,
  ListOptions,
  RevokeOptions,
  SecretMetadata,
  SecretRecord,
  SecretSource,
  SecretVersionInfo,
  SetOptions,
  SetResult,
  VersionsOptions,
} from '../../src/core/source.js';
import { batchGet } from '../kit/batch.js';
import { capabilities } from '../kit/capabilities.js';
import { type CallSite, callError, versionNotFound } from '../kit/errors.js';
import type { CallLimits } from '../kit/guard.js';
import { readValue, writeValue } from '../kit/value.js';
import { awsCaller, awsNameOf, toDate } from './caller.js';
import type { AwsConnectionOptions } from './config.js';
import { applyRevocationLine, REVOKED, revocationPlan } from './revocation.js';

export type { CallLimits } from '../kit/guard.js';
export type { AwsConnectionOptions, AwsCredentials } from './config.js';

type Sdk = typeof import('@aws-sdk/client-ssm');

/** GetParameters takes at most 10 names per call. */
const BATCH_LIMIT = 10;
/** Standard-tier parameters hold up to 4 KB; Advanced up to 8 KB. */
const STANDARD_MAX = 4096;
const ADVANCED_MAX = 8192;

/** A parameter type. */
export type SsmParameterType = 'String' | 'SecureString' | 'StringList';
/** A parameter tier. */
export type SsmTier = 'Standard' | 'Advanced' | 'Intelligent-Tiering';

/** Write settings shared by the factory (defaults) and each `set` call (overrides). */
export interface SsmWriteOptions {
  /** Type of a parameter `set` creates. @default 'SecureString' */
  type?: SsmParameterType | undefined;
  /** KMS key id, ARN or alias for SecureString parameters. @default the account's `aws/ssm` key */
  kmsKeyId?: string | undefined;
  /**
   * Whether a plain `set` on an existing name adds a version (the SecretSource contract: the call
   * itself is the request to overwrite; `ifAbsent: true` refuses). Set `false` to make every write
   * create-only, as Parameter Store's own PutParameter is by default. @default true
   */
  overwrite?: boolean | undefined;
  /** Tier. @default Standard, or Advanced when the value is over 4 KB */
  tier?: SsmTier | undefined;
}

/** Options for {@link awsSsm}. */
export interface AwsSsmOptions extends AwsConnectionOptions, SsmWriteOptions, CallLimits {
  /** Source id, for more than one Parameter Store source (two regions) in a resolver. @default 'aws-ssm' */
  id?: string | undefined;
  /** A prebuilt client (custom middleware, tests); region/endpoint/credentials are then ignored. */
  client?: SSMClient | undefined;
  /** Decrypt SecureString values on read. @default true */
  withDecryption?: boolean | undefined;
}

/** `set` options for Parameter Store. Tags are stored on the parameter but not returned by reads. */
export interface AwsSsmSetOptions extends SetOptions, SsmWriteOptions {}

/** A Parameter Store source: every optional method of the contract is present. */
export interface AwsSsmSource extends SecretSource {
  getMany(names: readonly string[], options?: GetOptions): Promise<Map<string, BatchEntry>>;
  list(options?: ListOptions): AsyncIterable<SecretMetadata>;
  set(name: string, value: string | Uint8Array | Secret, options?: AwsSsmSetOptions): Promise<SetResult>;
  delete(name: string, options?: DeleteOptions): Promise<boolean>;
  versions(name: string, options?: VersionsOptions): AsyncIterable<SecretVersionInfo>;
  revokeVersions(name: string, keep: string, options?: RevokeOptions): Promise<string[]>;
  close(): Promise<void>;
}

const NAME_RULE = {
  // A plain name, or a path whose every segment is non-empty: /app/prod/jwt.
  pattern: /^(?:[A-Za-z0-9_.-]+|(?:\/[A-Za-z0-9_.-]+)+)$/,
  maxLength: 1011,
  description:
    'A-Z a-z 0-9 _ . - in one segment, or a path starting with / (e.g. /app/prod/jwt), up to 1011 characters',
};

/** A Parameter as GetParameter and GetParameters return it. */
interface ParameterEntry {
  Name?: string | undefined;
  Value?: string | undefined;
  Version?: number | undefined;
  LastModifiedDate?: Date | undefined;
}

function toRecord(site: CallSite & { name: string }, p: ParameterEntry): SecretRecord {
  return {
    name: site.name,
    // No tier holds more than 8 KB, whatever this source writes.
    value: readValue(site, p.Value, ADVANCED_MAX),
    version: p.Version === undefined ? undefined : String(p.Version),
    updatedAt: toDate(p.LastModifiedDate),
  };
}

/**
 * A SecretSource backed by SSM Parameter Store: String, SecureString (decrypted by default) and
 * StringList; versions and labels through `version` (`3` reads `name:3`, `prod` reads `name:prod`);
 * batched reads, listing by path, writes that add a version (or, with `ifAbsent`, create only).
 * Every call is bounded by `timeoutMs` and cancelled on the caller's abort.
 * @example
 * import { awsSsm } from 'secretsource/providers/aws-ssm';
 * const ssm = awsSsm({ region: 'eu-west-1' });
 * const jwt = await ssm.get('/app/prod/jwt');
 * const v3 = await ssm.get('/app/prod/jwt', { version: '3' });
 * await ssm.set('/app/prod/jwt', 'new-value', { overwrite: true });
 */
export function awsSsm(options: AwsSsmOptions = {}): AwsSsmSource {
  const aws = awsCaller<SSMClient, Sdk>(options, 'SSM', NAME_RULE, {
    load: () => import('@aws-sdk/client-ssm'),
    create: (m, config) => new m.SSMClient(config),
  });
  const { id, call, check, at } = aws;
  const withDecryption = options.withDecryption ?? true;
  const caps = capabilities({
    write: true,
    delete: true,
    list: true,
    versions: true,
    revoke: true,
    batchGet: true,
    // Tags can be written but no read returns them (that takes one ListTagsForResource per name).
    maxValueBytes: options.tier === 'Standard' ? STANDARD_MAX : ADVANCED_MAX,
    // PutParameter requires a value of at least one character.
    emptyValues: false,
    nameRule: NAME_RULE,
  });

  /** Whether a parameter exists, asked through DescribeParameters so no value crosses the wire. */
  async function exists(name: string, signal?: AbortSignal): Promise<boolean> {
    const out = await call('describe', name, signal, (c, m, send) =>
      c.send(
        new m.DescribeParametersCommand({
          ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }],
        }),
        send,
      ),
    );
    return (out.Parameters ?? []).some((p) => p.Name === name);
  }

  async function get(name: string, opts: GetOptions = {}): Promise<SecretRecord | undefined> {
    check(name);
    const selector = opts.version === undefined ? name : `${name}:${opts.version}`;
    try {
      const out = await call('read', name, opts.signal, (c, m, send) =>
        c.send(new m.GetParameterCommand({ Name: selector, WithDecryption: withDecryption }), send),
      );
      // Absent is ParameterNotFound; a 200 without a parameter is a bad answer, never "absent".
      if (out?.Parameter === undefined || out.Parameter === null) {
        throw callError('ERR_SOURCE_UNAVAILABLE', at('read', name), 'the answer holds no parameter', {
          retryable: true,
        });
      }
      return toRecord(at('read', name), out.Parameter);
    } catch (err) {
      const n = awsNameOf(err);
      if (n === 'ParameterVersionNotFound' && opts.version !== undefined)
        throw versionNotFound(at('read', name), opts.version);
      if (n !== 'ParameterNotFound') throw err;
      // A missing label reads as ParameterNotFound: tell "no such version" from "no such name".
      if (opts.version !== undefined && (await exists(name, opts.signal)))
        throw versionNotFound(at('read', name), opts.version);
      return undefined;
    }
  }

  async function readChunk(names: string[], out: Map<string, BatchEntry>, opts: GetOptions): Promise<void> {
    const suffix = opts.version === undefined ? '' : `:${opts.version}`;
    const res = await call('batch read', undefined, opts.signal, (c, m, send) =>
      c.send(
        new m.GetParametersCommand({ Names: names.map((n) => n + suffix), WithDecryption: withDecryption }),
        send,
      ),
    );
    const found = new Map<string, ParameterEntry>();
    for (const p of res.Parameters ?? []) if (p.Name !== undefined) found.set(p.Name, p);
    for (const n of names) {
      const p = found.get(n);
      if (p !== undefined) {
        try {
          out.set(n, { ok: true, record: toRecord(at('read', n), p) });
        } catch (err) {
          out.set(n, { ok: false, error: err as SecretError });
        }
      } else if (!suffix) {
        out.set(n, { ok: true, record: undefined });
      }
      // With a version, "invalid" may mean "no such version": the single read tells which.
    }
  }

  function getMany(names: readonly string[], opts: GetOptions = {}): Promise<Map<string, BatchEntry>> {
    return batchGet(names, {
      site: { source: id },
      validate: check,
      chunkSize: BATCH_LIMIT,
      readChunk: (chunk, out) => readChunk(chunk, out, opts),
      readOne: (name) => get(name, opts),
    });
  }

  async function* list(opts: ListOptions = {}): AsyncIterable<SecretMetadata> {
    const prefix = opts.prefix ?? '';
    // A prefix ending in "/" is a path: list it recursively. Otherwise match the name's start.
    const filters =
      prefix === ''
        ? []
        : prefix.startsWith('/') && prefix.endsWith('/')
          ? [{ Key: 'Path', Option: 'Recursive', Values: [prefix.replace(/\/+$/, '') || '/'] }]
          : [{ Key: 'Name', Option: 'BeginsWith', Values: [prefix] }];
    const pageSize = Math.min(Math.max(opts.pageSize ?? 50, 1), 50);
    // DescribeParameters returns metadata only, so listing never moves a value over the wire.
    const pages = aws.pages('list', undefined, opts.signal, (c, m, token, send) =>
      c.send(
        new m.DescribeParametersCommand({
          MaxResults: pageSize,
          ...(filters.length > 0 ? { ParameterFilters: filters } : {}),
          ...token,
        }),
        send,
      ),
    );
    for await (const page of pages) {
      for (const p of page.Parameters ?? []) {
        if (p.Name === undefined || !p.Name.startsWith(prefix)) continue;
        yield {
          name: p.Name,
          version: p.Version === undefined ? undefined : String(p.Version),
          updatedAt: toDate(p.LastModifiedDate),
        };
      }
    }
  }

  async function set(
    name: string,
    value: string | Uint8Array | Secret,
    opts: AwsSsmSetOptions = {},
  ): Promise<SetResult> {
    check(name);
    const explicitTier = opts.tier ?? options.tier;
    const limit = explicitTier === 'Standard' ? STANDARD_MAX : ADVANCED_MAX;
    const text = writeValue(at('write', name), value, { ...caps, maxValueBytes: limit }) as string;
    const size = Buffer.byteLength(text, 'utf8');
    const tier = explicitTier ?? (size > STANDARD_MAX ? 'Advanced' : undefined);
    const explicitType = opts.type ?? options.type;
    const type = explicitType ?? 'SecureString';
    const keyId = opts.kmsKeyId ?? options.kmsKeyId;
    const overwrite = !opts.ifAbsent && (opts.overwrite ?? options.overwrite ?? true);
    const signal = opts.signal;
    const common = {
      Name: name,
      Value: text,
      ...(tier === undefined ? {} : { Tier: tier }),
      ...(opts.description === undefined ? {} : { Description: opts.description }),
    };
    const tags =
      opts.tags === undefined ? [] : Object.entries(opts.tags).map(([Key, Value]) => ({ Key, Value }));
    try {
      const out = await call('write', name, signal, (c, m, send) =>
        c.send(
          new m.PutParameterCommand({
            ...common,
            Type: type,
            ...(keyId !== undefined && type === 'SecureString' ? { KeyId: keyId } : {}),
            ...(tags.length > 0 ? { Tags: tags } : {}),
          }),
          send,
        ),
      );
      return { created: true, version: out.Version === undefined ? undefined : String(out.Version) };
    } catch (err) {
      if (awsNameOf(err) !== 'ParameterAlreadyExists') throw err;
      if (!overwrite) {
        throw callError('ERR_SECRET_CONFLICT', at('write', name), 'refused: the name already exists', {
          hint: opts.ifAbsent
            ? undefined
            : 'pass { overwrite: true } to awsSsm() or to set() to replace the value',
        });
      }
    }
    // Overwrite keeps the parameter's type unless one was asked for (a StringList stays one).
    const out = await call('write', name, signal, (c, m, send) =>
      c.send(
        new m.PutParameterCommand({
          ...common,
          Overwrite: true,
          ...(explicitType === undefined ? {} : { Type: explicitType }),
          ...(keyId !== undefined && (explicitType ?? 'SecureString') === 'SecureString'
            ? { KeyId: keyId }
            : {}),
        }),
        send,
      ),
    );
    if (tags.length > 0) {
      // PutParameter refuses Tags together with Overwrite.
      await call('tag', name, signal, (c, m, send) =>
        c.send(
          new m.AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: name, Tags: tags }),
          send,
        ),
      );
    }
    return { created: false, version: out.Version === undefined ? undefined : String(out.Version) };
  }

  async function remove(name: string, opts: DeleteOptions = {}): Promise<boolean> {
    check(name);
    try {
      // Parameter Store has no recovery window: every delete is final, so `force` changes nothing.
      await call('delete', name, opts.signal, (c, m, send) =>
        c.send(new m.DeleteParameterCommand({ Name: name }), send),
      );
      return true;
    } catch (err) {
      if (awsNameOf(err) === 'ParameterNotFound') return false;
      throw err;
    }
  }

  async function* versions(name: string, opts: VersionsOptions = {}): AsyncIterable<SecretVersionInfo> {
    check(name);
    // History carries values too (String types in clear); only the metadata is kept.
    const all = await aws.all(
      'list versions of',
      name,
      opts.signal,
      (c, m, token, send) =>
        c.send(
          new m.GetParameterHistoryCommand({ Name: name, WithDecryption: false, MaxResults: 50, ...token }),
          send,
        ),
      (page): SecretVersionInfo[] =>
        (page.Parameters ?? []).flatMap((h) =>
          h.Version === undefined
            ? []
            : [
                {
                  version: String(h.Version),
                  createdAt: toDate(h.LastModifiedDate),
                  stages: [...(h.Labels ?? [])],
                  current: false,
                  enabled: true,
                },
              ],
        ),
      'ParameterNotFound',
    );
    all.sort((a, b) => Number(b.version) - Number(a.version));
    if (all[0]) all[0].current = true;
    applyRevocationLine(all);
    yield* all;
  }

  /**
   * Revokes in Parameter Store's terms: the label {@link REVOKED} moves onto the version right
   * below `keep`, so `versions()` lists it and every older one disabled.
   */
  async function revokeVersions(name: string, keep: string, opts: RevokeOptions = {}): Promise<string[]> {
    check(name);
    const all: SecretVersionInfo[] = [];
    for await (const v of versions(name, opts)) all.push(v);
    const site = at('revoke versions of', name);
    if (all.length === 0) throw callError('ERR_SECRET_NOT_FOUND', site, 'no such parameter');
    const plan = revocationPlan(all, keep);
    if (plan.at < 0) throw versionNotFound(site, keep);
    if (plan.target === undefined) return [];
    const out = await call('revoke versions of', name, opts.signal, (c, m, send) =>
      c.send(
        new m.LabelParameterVersionCommand({
          Name: name,
          ParameterVersion: Number(plan.target),
          Labels: [REVOKED],
        }),
        send,
      ),
    );
    if ((out.InvalidLabels ?? []).length > 0) {
      throw callError('ERR_SOURCE_MISCONFIGURED', site, `the store refused the label "${REVOKED}"`);
    }
    return plan.newly;
  }

  return {
    id,
    location: aws.location,
    capabilities: caps,
    get,
    getMany,
    list,
    set,
    delete: remove,
    versions,
    revokeVersions,
    close: aws.close,
  };
}
