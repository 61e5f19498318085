/**
 * AWS Systems Manager Parameter Store as a SecretSource (id `aws-ssm`). The SDK is an optional
 * peer loaded on the first call; importing this module loads nothing from it.
 */
import type { SSMClient } from '@aws-sdk/client-ssm';
import {
  OperationUnsupportedError,
  SecretError,
  SecretNotFoundError,
  SourceError,
} from '../../src/core/errors.js';
import { validateName } from '../../src/core/names.js';
import { isSecret, Secret } from '../../src/core/secret.js';
import type {
  BatchEntry,
  Capabilities,
  DeleteOptions,
  GetOptions,
  ListOptions,
  SecretMetadata,
  SecretRecord,
  SecretSource,
  SecretVersionInfo,
  SetOptions,
  SetResult,
} from '../../src/core/source.js';
import { loadPeer, once } from '../../src/internal/peer.js';
import {
  type AwsConnectionOptions,
  awsClientConfig,
  awsErrorName,
  chunk,
  mapAwsError,
  toDate,
} from './shared.js';

const ID = 'aws-ssm';
const PEER = '@aws-sdk/client-ssm';
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
export interface AwsSsmOptions extends AwsConnectionOptions, SsmWriteOptions {
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
  versions(name: string, options?: { signal?: AbortSignal | undefined }): AsyncIterable<SecretVersionInfo>;
  close(): Promise<void>;
}

const NAME_RULE = Object.freeze({
  // A plain name, or a path whose every segment is non-empty: /app/prod/jwt.
  pattern: /^(?:[A-Za-z0-9_.-]+|(?:\/[A-Za-z0-9_.-]+)+)$/,
  maxLength: 1011,
  description:
    'A-Z a-z 0-9 _ . - in one segment, or a path starting with / (e.g. /app/prod/jwt), up to 1011 characters',
});

function sendOptions(signal: AbortSignal | undefined): { abortSignal?: AbortSignal } {
  return signal === undefined ? {} : { abortSignal: signal };
}

/** A Parameter as GetParameter and GetParameters return it. */
interface ParameterEntry {
  Name?: string | undefined;
  Value?: string | undefined;
  Version?: number | undefined;
  LastModifiedDate?: Date | undefined;
}

const AWS_NAME = Symbol('aws-error-name');
function nameOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null ? (err as Record<symbol, string>)[AWS_NAME] : undefined;
}

/**
 * A SecretSource backed by SSM Parameter Store: String, SecureString (decrypted by default) and
 * StringList; versions and labels through `version` (`3` reads `name:3`, `prod` reads `name:prod`);
 * batched reads, listing by path, writes that add a version (or, with `ifAbsent`, create only).
 * @example
 * import { awsSsm } from 'secretsource/providers/aws-ssm';
 * const ssm = awsSsm({ region: 'eu-west-1' });
 * const jwt = await ssm.get('/app/prod/jwt');
 * const v3 = await ssm.get('/app/prod/jwt', { version: '3' });
 * await ssm.set('/app/prod/jwt', 'new-value', { overwrite: true });
 */
export function awsSsm(options: AwsSsmOptions = {}): AwsSsmSource {
  const withDecryption = options.withDecryption ?? true;
  const ownsClient = options.client === undefined;
  const sdk = once(() => loadPeer<Sdk>(ID, PEER, () => import('@aws-sdk/client-ssm')));
  const client = once(async () => {
    if (options.client !== undefined) return options.client;
    const m = await sdk();
    return new m.SSMClient(awsClientConfig(options, 'SSM'));
  });
  let created: SSMClient | undefined;
  const capabilities: Capabilities = Object.freeze({
    read: true,
    write: true,
    delete: true,
    list: true,
    versions: true,
    batchGet: true,
    binary: false,
    // Tags can be written but no read returns them (that takes one ListTagsForResource per name).
    tags: false,
    maxValueBytes: options.tier === 'Standard' ? STANDARD_MAX : ADVANCED_MAX,
    // PutParameter requires a value of at least one character.
    emptyValues: false,
    nameRule: NAME_RULE,
  });
  const check = (name: string) => validateName(ID, name, NAME_RULE);

  async function call<T>(
    action: string,
    secretName: string | undefined,
    run: (c: SSMClient, m: Sdk) => Promise<T>,
  ) {
    try {
      const [m, c] = await Promise.all([sdk(), client()]);
      if (ownsClient) created = c;
      return await run(c, m);
    } catch (err) {
      const mapped = mapAwsError(err, { source: ID, action, secretName });
      Object.defineProperty(mapped, AWS_NAME, {
        value: awsErrorName(err),
        enumerable: false,
        configurable: true,
      });
      throw mapped;
    }
  }

  function versionNotFound(name: string, version: string): SecretNotFoundError {
    return new SecretNotFoundError(
      `version "${version}" of secret "${name}" was not found in source "${ID}"`,
      {
        source: ID,
        secretName: name,
        version: true,
      },
    );
  }

  /** Whether a parameter exists, asked through DescribeParameters so no value crosses the wire. */
  async function exists(name: string, signal?: AbortSignal): Promise<boolean> {
    const out = await call('describe', name, (c, m) =>
      c.send(
        new m.DescribeParametersCommand({
          ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }],
        }),
        sendOptions(signal),
      ),
    );
    return (out.Parameters ?? []).some((p) => p.Name === name);
  }

  function badAnswer(name: string): SourceError {
    return new SourceError(
      'ERR_SOURCE_UNAVAILABLE',
      `read "${name}" in source "${ID}" got an answer without the parameter`,
      {
        source: ID,
        secretName: name,
        retryable: true,
      },
    );
  }

  function toRecord(name: string, p: ParameterEntry): SecretRecord {
    if (p.Value === undefined) {
      throw new SecretError(
        'ERR_SECRET_MALFORMED',
        `read "${name}" in source "${ID}": the parameter holds no value`,
        {
          source: ID,
          secretName: name,
        },
      );
    }
    return {
      name,
      value: new Secret(p.Value, { name }),
      version: p.Version === undefined ? undefined : String(p.Version),
      updatedAt: toDate(p.LastModifiedDate),
    };
  }

  async function get(name: string, opts: GetOptions = {}): Promise<SecretRecord | undefined> {
    check(name);
    const selector = opts.version === undefined ? name : `${name}:${opts.version}`;
    try {
      const out = await call('read', name, (c, m) =>
        c.send(
          new m.GetParameterCommand({ Name: selector, WithDecryption: withDecryption }),
          sendOptions(opts.signal),
        ),
      );
      // Absent is ParameterNotFound; a 200 without a parameter is a bad answer, never "absent".
      if (out?.Parameter === undefined || out.Parameter === null) throw badAnswer(name);
      return toRecord(name, out.Parameter);
    } catch (err) {
      const n = nameOf(err);
      if (n === 'ParameterVersionNotFound' && opts.version !== undefined)
        throw versionNotFound(name, opts.version);
      if (n !== 'ParameterNotFound') throw err;
      // A missing label reads as ParameterNotFound: tell "no such version" from "no such name".
      if (opts.version !== undefined && (await exists(name, opts.signal)))
        throw versionNotFound(name, opts.version);
      return undefined;
    }
  }

  async function entryFor(name: string, opts: GetOptions): Promise<BatchEntry> {
    try {
      return { ok: true, record: await get(name, opts) };
    } catch (err) {
      return { ok: false, error: mapAwsError(err, { source: ID, action: 'read', secretName: name }) };
    }
  }

  async function batchChunk(names: string[], opts: GetOptions, out: Map<string, BatchEntry>): Promise<void> {
    const suffix = opts.version === undefined ? '' : `:${opts.version}`;
    let res: { Parameters?: ParameterEntry[] | undefined; InvalidParameters?: string[] | undefined };
    try {
      res = await call('batch read', undefined, (c, m) =>
        c.send(
          new m.GetParametersCommand({ Names: names.map((n) => n + suffix), WithDecryption: withDecryption }),
          sendOptions(opts.signal),
        ),
      );
    } catch (err) {
      const e = err as SecretError;
      for (const n of names) {
        out.set(n, {
          ok: false,
          error: new SecretError(
            e.code,
            `read "${n}" in source "${ID}" failed: the batch read failed (${e.code})`,
            {
              source: ID,
              secretName: n,
              retryable: e.retryable,
              hint: e.hint,
              cause: e.cause,
            },
          ),
        });
      }
      return;
    }
    const found = new Map<string, ParameterEntry>();
    for (const p of res.Parameters ?? []) if (p.Name !== undefined) found.set(p.Name, p);
    const retryOne: string[] = [];
    for (const n of names) {
      const p = found.get(n);
      if (p !== undefined) {
        try {
          out.set(n, { ok: true, record: toRecord(n, p) });
        } catch (err) {
          out.set(n, { ok: false, error: err as SecretError });
        }
      } else if (suffix) {
        // With a version, "invalid" may mean "no such version": one read tells which.
        retryOne.push(n);
      } else {
        out.set(n, { ok: true, record: undefined });
      }
    }
    await Promise.all(retryOne.map(async (n) => out.set(n, await entryFor(n, opts))));
  }

  async function getMany(names: readonly string[], opts: GetOptions = {}): Promise<Map<string, BatchEntry>> {
    const out = new Map<string, BatchEntry>();
    const valid: string[] = [];
    for (const name of new Set(names)) {
      try {
        valid.push(check(name));
      } catch (err) {
        out.set(name, { ok: false, error: err as SecretError });
      }
    }
    await Promise.all(chunk(valid, BATCH_LIMIT).map((c) => batchChunk(c, opts, out)));
    return new Map([...new Set(names)].map((n) => [n, out.get(n)!]));
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
    let token: string | undefined;
    do {
      // DescribeParameters returns metadata only, so listing never moves a value over the wire.
      const page = await call('list', undefined, (c, m) =>
        c.send(
          new m.DescribeParametersCommand({
            MaxResults: pageSize,
            ...(filters.length > 0 ? { ParameterFilters: filters } : {}),
            ...(token ? { NextToken: token } : {}),
          }),
          sendOptions(opts.signal),
        ),
      );
      for (const p of page.Parameters ?? []) {
        if (p.Name === undefined || !p.Name.startsWith(prefix)) continue;
        yield {
          name: p.Name,
          version: p.Version === undefined ? undefined : String(p.Version),
          updatedAt: toDate(p.LastModifiedDate),
        };
      }
      token = page.NextToken;
    } while (token);
  }

  async function set(
    name: string,
    value: string | Uint8Array | Secret,
    opts: AwsSsmSetOptions = {},
  ): Promise<SetResult> {
    check(name);
    if (value instanceof Uint8Array || (isSecret(value) && value.isBinary)) {
      throw new OperationUnsupportedError(ID, 'binary values', { secretName: name });
    }
    const text = isSecret(value) ? value.reveal() : value;
    if (typeof text !== 'string' || text.length === 0) {
      throw new SecretError(
        'ERR_SECRET_MALFORMED',
        `write "${name}" in source "${ID}": the value must be non-empty text`,
        {
          source: ID,
          secretName: name,
        },
      );
    }
    const size = Buffer.byteLength(text, 'utf8');
    const explicitTier = opts.tier ?? options.tier;
    const limit = explicitTier === 'Standard' ? STANDARD_MAX : ADVANCED_MAX;
    if (size > limit) {
      throw new SecretError(
        'ERR_SECRET_MALFORMED',
        `write "${name}" in source "${ID}": the value is ${size} bytes, over the ${limit}-byte limit`,
        { source: ID, secretName: name },
      );
    }
    const tier = explicitTier ?? (size > STANDARD_MAX ? 'Advanced' : undefined);
    const explicitType = opts.type ?? options.type;
    const type = explicitType ?? 'SecureString';
    const keyId = opts.kmsKeyId ?? options.kmsKeyId;
    const overwrite = !opts.ifAbsent && (opts.overwrite ?? options.overwrite ?? true);
    const send = sendOptions(opts.signal);
    const common = {
      Name: name,
      Value: text,
      ...(tier === undefined ? {} : { Tier: tier }),
      ...(opts.description === undefined ? {} : { Description: opts.description }),
    };
    const tags =
      opts.tags === undefined ? [] : Object.entries(opts.tags).map(([Key, Value]) => ({ Key, Value }));
    try {
      const out = await call('write', name, (c, m) =>
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
      if (nameOf(err) !== 'ParameterAlreadyExists') throw err;
      if (!overwrite) {
        throw new SecretError(
          'ERR_SECRET_CONFLICT',
          `write "${name}" in source "${ID}" refused: the name already exists`,
          {
            source: ID,
            secretName: name,
            hint: opts.ifAbsent
              ? undefined
              : 'pass { overwrite: true } to awsSsm() or to set() to replace the value',
          },
        );
      }
    }
    // Overwrite keeps the parameter's type unless one was asked for (a StringList stays one).
    const out = await call('write', name, (c, m) =>
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
      await call('tag', name, (c, m) =>
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
      await call('delete', name, (c, m) =>
        c.send(new m.DeleteParameterCommand({ Name: name }), sendOptions(opts.signal)),
      );
      return true;
    } catch (err) {
      if (nameOf(err) === 'ParameterNotFound') return false;
      throw err;
    }
  }

  async function* versions(
    name: string,
    opts: { signal?: AbortSignal | undefined } = {},
  ): AsyncIterable<SecretVersionInfo> {
    check(name);
    const all: SecretVersionInfo[] = [];
    let token: string | undefined;
    try {
      do {
        // History carries values too (String types in clear); only the metadata is kept.
        const page = await call('list versions', name, (c, m) =>
          c.send(
            new m.GetParameterHistoryCommand({
              Name: name,
              WithDecryption: false,
              MaxResults: 50,
              ...(token ? { NextToken: token } : {}),
            }),
            sendOptions(opts.signal),
          ),
        );
        for (const h of page.Parameters ?? []) {
          if (h.Version === undefined) continue;
          all.push({
            version: String(h.Version),
            createdAt: toDate(h.LastModifiedDate),
            stages: [...(h.Labels ?? [])],
            current: false,
            enabled: true,
          });
        }
        token = page.NextToken;
      } while (token);
    } catch (err) {
      if (nameOf(err) === 'ParameterNotFound') return;
      throw err;
    }
    all.sort((a, b) => Number(b.version) - Number(a.version));
    if (all[0]) all[0].current = true;
    yield* all;
  }

  return {
    id: ID,
    capabilities,
    get,
    getMany,
    list,
    set,
    delete: remove,
    versions,
    async close() {
      created?.destroy();
      created = undefined;
    },
  };
}
