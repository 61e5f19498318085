/**
 * AWS Secrets Manager as a SecretSource (id `aws-sm`). The SDK is an optional peer loaded on the
 * first call; importing this module loads nothing from it. What every store needs (the call
 * guard, paging, batches, values, messages) comes from the kit and the shared AWS caller; this
 * file keeps only what is Secrets Manager's own.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
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
import { isUnsupportedOperation, mapAwsError } from './errors.js';
import { applyRevocationLine, REVOKED, revocationPlan } from './revocation.js';

export type { CallLimits } from '../kit/guard.js';
export type { AwsConnectionOptions, AwsCredentials } from './config.js';

type Sdk = typeof import('@aws-sdk/client-secrets-manager');

/** BatchGetSecretValue takes at most 20 ids per call. */
const BATCH_LIMIT = 20;
/** SecretString and SecretBinary hold at most 64 KB. */
const MAX_VALUE_BYTES = 65_536;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Options for {@link awsSecretsManager}. */
export interface AwsSecretsManagerOptions extends AwsConnectionOptions, CallLimits {
  /** Source id, for more than one Secrets Manager source (two regions) in a resolver. @default 'aws-sm' */
  id?: string | undefined;
  /** A prebuilt client (custom middleware, tests); region/endpoint/credentials are then ignored. */
  client?: SecretsManagerClient | undefined;
  /** KMS key id or alias used when `set` creates a secret. @default the account's `aws/secretsmanager` key */
  kmsKeyId?: string | undefined;
  /** Days a deleted secret stays recoverable (7 to 30). Ignored with `delete(name, { force: true })`. @default 30 */
  recoveryWindowDays?: number | undefined;
  /**
   * Also call DescribeSecret on every read to return tags and the last-changed and last-rotated
   * dates (one more API call per secret, made in parallel). `list()` always returns them.
   * @default false
   */
  includeMetadata?: boolean | undefined;
  /** Names per BatchGetSecretValue call in `getMany` (1 to 20). @default 20 */
  batchSize?: number | undefined;
}

/** `set` options for Secrets Manager. */
export interface AwsSecretsManagerSetOptions extends SetOptions {
  /**
   * Staging labels for the new version. Without `AWSCURRENT` the new version does not become the
   * one plain reads return. @default ['AWSCURRENT']
   */
  stages?: readonly string[] | undefined;
}

/** A Secrets Manager source: every optional method of the contract is present. */
export interface AwsSecretsManagerSource extends SecretSource {
  getMany(names: readonly string[], options?: GetOptions): Promise<Map<string, BatchEntry>>;
  list(options?: ListOptions): AsyncIterable<SecretMetadata>;
  set(
    name: string,
    value: string | Uint8Array | Secret,
    options?: AwsSecretsManagerSetOptions,
  ): Promise<SetResult>;
  delete(name: string, options?: DeleteOptions): Promise<boolean>;
  versions(name: string, options?: VersionsOptions): AsyncIterable<SecretVersionInfo>;
  revokeVersions(name: string, keep: string, options?: RevokeOptions): Promise<string[]>;
  close(): Promise<void>;
}

const CAPABILITIES = capabilities({
  write: true,
  delete: true,
  list: true,
  versions: true,
  revoke: true,
  batchGet: true,
  binary: true,
  maxValueBytes: MAX_VALUE_BYTES,
  // An empty SecretString is taken as "no value": the secret would exist without a version.
  emptyValues: false,
  nameRule: {
    // A plain name, or a full ARN (reads accept both).
    pattern:
      /^(?:[A-Za-z0-9/_+=.@-]{1,512}|arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,519})$/,
    maxLength: 2048,
    description: 'up to 512 of A-Z a-z 0-9 / _ + = . @ - (or a full secret ARN)',
  },
});

/** `{ VersionId }` or `{ VersionStage }` for a caller's version: `id:`/`stage:` prefixes, else UUIDs are ids. */
function versionInput(version: string | undefined): { VersionId?: string; VersionStage?: string } {
  if (version === undefined) return {};
  if (version.startsWith('id:')) return { VersionId: version.slice(3) };
  if (version.startsWith('stage:')) return { VersionStage: version.slice(6) };
  return UUID.test(version) ? { VersionId: version } : { VersionStage: version };
}

function tagsOf(tags: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined) {
  if (tags === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const t of tags) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

/** A value entry from GetSecretValue or BatchGetSecretValue. */
interface ValueEntry {
  SecretString?: string | undefined;
  SecretBinary?: Uint8Array | undefined;
  VersionId?: string | undefined;
  VersionStages?: string[] | undefined;
  CreatedDate?: Date | undefined;
}

function toRecord(site: CallSite & { name: string }, out: ValueEntry): SecretRecord {
  return {
    name: site.name,
    value: readValue(site, out.SecretString ?? out.SecretBinary, MAX_VALUE_BYTES),
    version: out.VersionId,
    stages: out.VersionStages,
    createdAt: toDate(out.CreatedDate),
  };
}

/**
 * A SecretSource backed by AWS Secrets Manager: text and binary values, versions by stage
 * (`AWSCURRENT`, `AWSPREVIOUS`, custom) or id, batched reads, paged listing, writes and deletes.
 * `AWS_ENDPOINT_URL` and `AWS_REGION` work unchanged, so LocalStack needs no code. Every call is
 * bounded by `timeoutMs` and cancelled on the caller's abort.
 * @example
 * import { awsSecretsManager } from 'secretsource/providers/aws-sm';
 * const sm = awsSecretsManager({ region: 'eu-west-1' });
 * const jwt = await sm.get('prod/app/jwt');               // latest (AWSCURRENT)
 * const old = await sm.get('prod/app/jwt', { version: 'AWSPREVIOUS' });
 */
export function awsSecretsManager(options: AwsSecretsManagerOptions = {}): AwsSecretsManagerSource {
  const aws = awsCaller<SecretsManagerClient, Sdk>(options, 'SECRETS_MANAGER', CAPABILITIES.nameRule, {
    load: () => import('@aws-sdk/client-secrets-manager'),
    create: (m, config) => new m.SecretsManagerClient(config),
  });
  const { id, call, check, at } = aws;
  const batchSize = Math.min(Math.max(Math.trunc(options.batchSize ?? BATCH_LIMIT), 1), BATCH_LIMIT);

  /**
   * Whether the secret is live, scheduled for deletion, or gone, per DescribeSecret. Asked only
   * after an ambiguous error: AWS answers InvalidRequest for a pending deletion and
   * ResourceNotFound for both a missing secret and a missing version.
   */
  async function lifecycle(name: string, signal?: AbortSignal): Promise<'active' | 'scheduled' | 'absent'> {
    try {
      const d = await call('describe', name, signal, (c, m, send) =>
        c.send(new m.DescribeSecretCommand({ SecretId: name }), send),
      );
      return d.DeletedDate === undefined ? 'active' : 'scheduled';
    } catch (err) {
      if (awsNameOf(err) === 'ResourceNotFoundException') return 'absent';
      throw err;
    }
  }

  async function describe(name: string, signal?: AbortSignal): Promise<Partial<SecretMetadata>> {
    const d = await call('describe', name, signal, (c, m, send) =>
      c.send(new m.DescribeSecretCommand({ SecretId: name }), send),
    );
    return {
      tags: tagsOf(d.Tags) ?? {},
      updatedAt: toDate(d.LastChangedDate),
      rotatedAt: toDate(d.LastRotatedDate),
    };
  }

  async function withMetadata(record: SecretRecord, signal?: AbortSignal): Promise<SecretRecord> {
    if (!options.includeMetadata) return record;
    return { ...record, ...(await describe(record.name, signal)) };
  }

  async function get(name: string, opts: GetOptions = {}): Promise<SecretRecord | undefined> {
    check(name);
    const input = { SecretId: name, ...versionInput(opts.version) };
    const read = call('read', name, opts.signal, (c, m, send) =>
      c.send(new m.GetSecretValueCommand(input), send),
    );
    const meta = options.includeMetadata ? describe(name, opts.signal) : undefined;
    // Settled below only when the read succeeds; until then its failure must not go unhandled.
    meta?.catch(() => {});
    let out: ValueEntry;
    try {
      out = await read;
    } catch (err) {
      const n = awsNameOf(err);
      if (n === 'InvalidRequestException' && (await lifecycle(name, opts.signal)) !== 'active')
        return undefined;
      if (n !== 'ResourceNotFoundException') throw err;
      // The same error means "no such secret" and "no such version": tell them apart.
      if (opts.version !== undefined && (await lifecycle(name, opts.signal)) === 'active') {
        throw versionNotFound(at('read', name), opts.version);
      }
      return undefined;
    }
    const record = toRecord(at('read', name), out);
    const extra = meta === undefined ? undefined : await meta;
    return extra === undefined ? record : { ...record, ...extra };
  }

  /** One BatchGetSecretValue chunk, following NextToken; InvalidRequest names are left for single reads. */
  async function readChunk(
    names: string[],
    out: Map<string, BatchEntry>,
    signal?: AbortSignal,
  ): Promise<void> {
    const pending = new Set(names);
    const pages = aws.pages('batch read', undefined, signal, (c, m, token, send) =>
      c.send(new m.BatchGetSecretValueCommand({ SecretIdList: names, ...token }), send),
    );
    for await (const page of pages) {
      const settled = (page.SecretValues ?? []).map(async (v) => {
        const key = [v.Name, v.ARN].find((k) => k !== undefined && pending.has(k));
        if (key === undefined) return;
        pending.delete(key);
        try {
          out.set(key, { ok: true, record: await withMetadata(toRecord(at('read', key), v), signal) });
        } catch (err) {
          out.set(key, { ok: false, error: mapAwsError(err, at('read', key)) });
        }
      });
      // With includeMetadata each record waits on its own DescribeSecret: run those in parallel.
      await Promise.all(settled);
      for (const e of page.Errors ?? []) {
        const key = e.SecretId;
        if (key === undefined || !pending.has(key)) continue;
        pending.delete(key);
        if (e.ErrorCode === 'ResourceNotFoundException') out.set(key, { ok: true, record: undefined });
        // Scheduled for deletion, or something else: a single read settles which, honestly.
        else if (e.ErrorCode !== 'InvalidRequestException') {
          const error = mapAwsError({ name: e.ErrorCode ?? 'Error', $fault: 'client' }, at('read', key));
          out.set(key, { ok: false, error });
        }
      }
      if (pending.size === 0) return;
    }
  }

  function getMany(names: readonly string[], opts: GetOptions = {}): Promise<Map<string, BatchEntry>> {
    return batchGet(names, {
      site: { source: id },
      validate: check,
      // BatchGetSecretValue reads only AWSCURRENT: versioned reads go one by one, in parallel.
      chunkSize: opts.version === undefined ? batchSize : 0,
      readChunk: (chunk, out) => readChunk(chunk, out, opts.signal),
      readOne: (name) => get(name, opts),
      // An endpoint without BatchGetSecretValue (older LocalStack): read each name instead.
      fallBack: isUnsupportedOperation,
    });
  }

  async function* list(opts: ListOptions = {}): AsyncIterable<SecretMetadata> {
    const prefix = opts.prefix ?? '';
    const pageSize = Math.min(Math.max(opts.pageSize ?? 100, 1), 100);
    const pages = aws.pages('list', undefined, opts.signal, (c, m, token, send) =>
      c.send(
        new m.ListSecretsCommand({
          MaxResults: pageSize,
          ...(prefix ? { Filters: [{ Key: 'name', Values: [prefix] }] } : {}),
          ...token,
        }),
        send,
      ),
    );
    for await (const page of pages) {
      for (const s of page.SecretList ?? []) {
        // The store's name filter is a case-insensitive prefix match; the contract's is exact.
        if (s.Name === undefined || !s.Name.startsWith(prefix) || s.DeletedDate !== undefined) continue;
        const current = Object.entries(s.SecretVersionsToStages ?? {}).find(([, st]) =>
          st.includes('AWSCURRENT'),
        );
        yield {
          name: s.Name,
          version: current?.[0],
          createdAt: toDate(s.CreatedDate),
          updatedAt: toDate(s.LastChangedDate),
          rotatedAt: toDate(s.LastRotatedDate),
          tags: tagsOf(s.Tags) ?? {},
        };
      }
    }
  }

  async function set(
    name: string,
    value: string | Uint8Array | Secret,
    opts: AwsSecretsManagerSetOptions = {},
  ): Promise<SetResult> {
    check(name);
    const raw = writeValue(at('write', name), value, CAPABILITIES);
    const payload = typeof raw === 'string' ? { SecretString: raw } : { SecretBinary: raw };
    const signal = opts.signal;
    const stages = opts.stages === undefined ? {} : { VersionStages: [...opts.stages] };
    const tags =
      opts.tags === undefined ? undefined : Object.entries(opts.tags).map(([Key, Value]) => ({ Key, Value }));
    const put = () =>
      call('write', name, signal, (c, m, send) =>
        c.send(new m.PutSecretValueCommand({ SecretId: name, ...payload, ...stages }), send),
      );
    const updateMeta = async () => {
      if (tags !== undefined && tags.length > 0) {
        await call('tag', name, signal, (c, m, send) =>
          c.send(new m.TagResourceCommand({ SecretId: name, Tags: tags }), send),
        );
      }
      if (opts.description !== undefined) {
        await call('describe', name, signal, (c, m, send) =>
          c.send(new m.UpdateSecretCommand({ SecretId: name, Description: opts.description }), send),
        );
      }
    };
    const restoreAndPut = async (): Promise<SetResult> => {
      // The name belongs to a secret scheduled for deletion: to a reader it is absent, so restore
      // it and write the new version on top (its older versions come back with it).
      await call('restore', name, signal, (c, m, send) =>
        c.send(new m.RestoreSecretCommand({ SecretId: name }), send),
      );
      const out = await put();
      await updateMeta();
      return { created: true, version: out.VersionId };
    };
    if (opts.stages !== undefined) {
      if (opts.ifAbsent) {
        // Custom stages go on a version of an existing secret; ifAbsent asks for a new one.
        throw callError(
          'ERR_SECRET_CONFLICT',
          at('write', name),
          'stages need an existing secret, not ifAbsent',
        );
      }
      try {
        const out = await put();
        await updateMeta();
        return { created: false, version: out.VersionId };
      } catch (err) {
        if (awsNameOf(err) !== 'InvalidRequestException' || (await lifecycle(name, signal)) !== 'scheduled')
          throw err;
        return restoreAndPut();
      }
    }
    let conflict: unknown;
    try {
      const out = await call('create', name, signal, (c, m, send) =>
        c.send(
          new m.CreateSecretCommand({
            Name: name,
            ...payload,
            ...(tags === undefined ? {} : { Tags: tags }),
            ...(opts.description === undefined ? {} : { Description: opts.description }),
            ...(options.kmsKeyId === undefined ? {} : { KmsKeyId: options.kmsKeyId }),
          }),
          send,
        ),
      );
      return { created: true, version: out.VersionId };
    } catch (err) {
      const n = awsNameOf(err);
      // AWS answers InvalidRequest when the name is held by a secret scheduled for deletion.
      if (n !== 'ResourceExistsException' && n !== 'InvalidRequestException') throw err;
      conflict = err;
    }
    // Ask before putting: a put on a secret scheduled for deletion must restore it first.
    if ((await lifecycle(name, signal)) === 'scheduled') return restoreAndPut();
    if (opts.ifAbsent) {
      if (awsNameOf(conflict) === 'ResourceExistsException') throw conflict;
      throw callError('ERR_SECRET_CONFLICT', at('write', name), 'refused: the name already exists');
    }
    const out = await put();
    await updateMeta();
    return { created: false, version: out.VersionId };
  }

  async function remove(name: string, opts: DeleteOptions = {}): Promise<boolean> {
    check(name);
    const signal = opts.signal;
    let existed = true;
    if (opts.force) {
      // A forced delete of an unknown name succeeds in AWS, so ask first to answer honestly.
      try {
        const d = await call('describe', name, signal, (c, m, send) =>
          c.send(new m.DescribeSecretCommand({ SecretId: name }), send),
        );
        existed = d.DeletedDate === undefined;
      } catch (err) {
        if (awsNameOf(err) === 'ResourceNotFoundException') return false;
        throw err;
      }
    }
    const window =
      opts.force || options.recoveryWindowDays === undefined
        ? {}
        : { RecoveryWindowInDays: options.recoveryWindowDays };
    try {
      await call('delete', name, signal, (c, m, send) =>
        c.send(
          new m.DeleteSecretCommand({
            SecretId: name,
            ...(opts.force ? { ForceDeleteWithoutRecovery: true } : window),
          }),
          send,
        ),
      );
      return existed;
    } catch (err) {
      const n = awsNameOf(err);
      if (n === 'ResourceNotFoundException') return false;
      if (n === 'InvalidRequestException' && (await lifecycle(name, signal)) !== 'active') return false;
      throw err;
    }
  }

  async function* versions(name: string, opts: VersionsOptions = {}): AsyncIterable<SecretVersionInfo> {
    check(name);
    const all = await aws.all(
      'list versions of',
      name,
      opts.signal,
      (c, m, token, send) =>
        c.send(
          new m.ListSecretVersionIdsCommand({
            SecretId: name,
            IncludeDeprecated: true,
            MaxResults: 100,
            ...token,
          }),
          send,
        ),
      (page): SecretVersionInfo[] =>
        (page.Versions ?? []).flatMap((v) => {
          const stages = v.VersionStages ?? [];
          return v.VersionId === undefined
            ? []
            : [
                {
                  version: v.VersionId,
                  createdAt: toDate(v.CreatedDate),
                  stages,
                  current: stages.includes('AWSCURRENT'),
                  enabled: true,
                },
              ];
        }),
      'ResourceNotFoundException',
    );
    // Newest first; timestamps tie within a second, so stage order breaks ties.
    const rank = (v: SecretVersionInfo) =>
      v.stages?.includes('AWSPENDING')
        ? 0
        : v.current
          ? 1
          : v.stages?.includes('AWSPREVIOUS')
            ? 2
            : v.stages?.includes(REVOKED)
              ? 3
              : 4;
    all.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0) || rank(a) - rank(b));
    applyRevocationLine(all);
    yield* all;
  }

  /**
   * Revokes in Secrets Manager's terms: the staging label {@link REVOKED} moves onto the version
   * right below `keep` (so `versions()` lists it and every older one disabled) and AWSPREVIOUS
   * comes off the revoked versions, so no reader of that stage gets a revoked key.
   */
  async function revokeVersions(name: string, keep: string, opts: RevokeOptions = {}): Promise<string[]> {
    check(name);
    // Asked first: a revocation is rare, and "no such secret" must not read as "no such version".
    if ((await lifecycle(name, opts.signal)) !== 'active') {
      throw callError('ERR_SECRET_NOT_FOUND', at('revoke versions of', name), 'no such secret');
    }
    const all: SecretVersionInfo[] = [];
    for await (const v of versions(name, opts)) all.push(v);
    const plan = revocationPlan(all, keep);
    if (plan.at < 0) throw versionNotFound(at('revoke versions of', name), keep);
    if (plan.target === undefined) return [];
    const stage = (VersionStage: string, move: { MoveToVersionId?: string; RemoveFromVersionId?: string }) =>
      call('revoke versions of', name, opts.signal, (c, m, send) =>
        c.send(new m.UpdateSecretVersionStageCommand({ SecretId: name, VersionStage, ...move }), send),
      );
    await stage(REVOKED, {
      MoveToVersionId: plan.target,
      ...(plan.holder === undefined ? {} : { RemoveFromVersionId: plan.holder }),
    });
    for (const v of all.slice(plan.at + 1)) {
      if (v.stages?.includes('AWSPREVIOUS')) await stage('AWSPREVIOUS', { RemoveFromVersionId: v.version });
    }
    return plan.newly;
  }

  return {
    id,
    location: aws.location,
    // Reads return tags only when they also describe the secret; list() returns them either way.
    capabilities: Object.freeze({ ...CAPABILITIES, tags: options.includeMetadata === true }),
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
