/**
 * AWS Secrets Manager as a SecretSource (id `aws-sm`). The SDK is an optional peer loaded on the
 * first call; importing this module loads nothing from it.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretError, SecretNotFoundError } from '../../src/core/errors.js';
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
  isUnsupportedOperation,
  mapAwsError,
  toDate,
} from './shared.js';

const ID = 'aws-sm';
const PEER = '@aws-sdk/client-secrets-manager';
type Sdk = typeof import('@aws-sdk/client-secrets-manager');

/** BatchGetSecretValue takes at most 20 ids per call. */
const BATCH_LIMIT = 20;
/** SecretString and SecretBinary hold at most 64 KB. */
const MAX_VALUE_BYTES = 65_536;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Options for {@link awsSecretsManager}. */
export interface AwsSecretsManagerOptions extends AwsConnectionOptions {
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
  versions(name: string, options?: { signal?: AbortSignal | undefined }): AsyncIterable<SecretVersionInfo>;
  close(): Promise<void>;
}

const CAPABILITIES: Capabilities = Object.freeze({
  read: true,
  write: true,
  delete: true,
  list: true,
  versions: true,
  batchGet: true,
  binary: true,
  tags: false,
  maxValueBytes: MAX_VALUE_BYTES,
  // An empty SecretString is taken as "no value": the secret would exist without a version.
  emptyValues: false,
  nameRule: Object.freeze({
    // A plain name, or a full ARN (reads accept both).
    pattern:
      /^(?:[A-Za-z0-9/_+=.@-]{1,512}|arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,519})$/,
    maxLength: 2048,
    description: 'up to 512 of A-Z a-z 0-9 / _ + = . @ - (or a full secret ARN)',
  }),
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

function sendOptions(signal: AbortSignal | undefined): { abortSignal?: AbortSignal } {
  return signal === undefined ? {} : { abortSignal: signal };
}

/** A value entry from GetSecretValue or BatchGetSecretValue. */
interface ValueEntry {
  SecretString?: string | undefined;
  SecretBinary?: Uint8Array | undefined;
  VersionId?: string | undefined;
  VersionStages?: string[] | undefined;
  CreatedDate?: Date | undefined;
}

function toRecord(name: string, out: ValueEntry): SecretRecord {
  let value: Secret;
  if (out.SecretString !== undefined) value = new Secret(out.SecretString, { name });
  else if (out.SecretBinary !== undefined) value = new Secret(out.SecretBinary, { name });
  else {
    throw new SecretError(
      'ERR_SECRET_MALFORMED',
      `read "${name}" in source "${ID}": the version holds no value`,
      {
        source: ID,
        secretName: name,
      },
    );
  }
  return {
    name,
    value,
    version: out.VersionId,
    stages: out.VersionStages,
    createdAt: toDate(out.CreatedDate),
  };
}

/**
 * A SecretSource backed by AWS Secrets Manager: text and binary values, versions by stage
 * (`AWSCURRENT`, `AWSPREVIOUS`, custom) or id, batched reads, paged listing, writes and deletes.
 * `AWS_ENDPOINT_URL` and `AWS_REGION` work unchanged, so LocalStack needs no code.
 * @example
 * import { awsSecretsManager } from 'secretsource/providers/aws-sm';
 * const sm = awsSecretsManager({ region: 'eu-west-1' });
 * const jwt = await sm.get('prod/app/jwt');               // latest (AWSCURRENT)
 * const old = await sm.get('prod/app/jwt', { version: 'AWSPREVIOUS' });
 */
export function awsSecretsManager(options: AwsSecretsManagerOptions = {}): AwsSecretsManagerSource {
  const batchSize = Math.min(Math.max(Math.trunc(options.batchSize ?? BATCH_LIMIT), 1), BATCH_LIMIT);
  const ownsClient = options.client === undefined;
  const sdk = once(() => loadPeer<Sdk>(ID, PEER, () => import('@aws-sdk/client-secrets-manager')));
  const client = once(async () => {
    if (options.client !== undefined) return options.client;
    const m = await sdk();
    return new m.SecretsManagerClient(awsClientConfig(options, 'SECRETS_MANAGER'));
  });
  let created: SecretsManagerClient | undefined;

  /** Runs one SDK call; anything it throws becomes a coded error naming the action and secret. */
  async function call<T>(
    action: string,
    secretName: string | undefined,
    run: (c: SecretsManagerClient, m: Sdk) => Promise<T>,
  ): Promise<T> {
    try {
      const [m, c] = await Promise.all([sdk(), client()]);
      if (ownsClient) created = c;
      return await run(c, m);
    } catch (err) {
      throw tagged(mapAwsError(err, { source: ID, action, secretName }), err);
    }
  }

  /** Keeps the SDK's error name reachable for branching here, without keeping the SDK error. */
  function tagged(mapped: SecretError, err: unknown): SecretError {
    Object.defineProperty(mapped, AWS_NAME, {
      value: awsErrorName(err),
      enumerable: false,
      configurable: true,
    });
    return mapped;
  }

  /**
   * Whether the secret is live, scheduled for deletion, or gone, per DescribeSecret. Asked only
   * after an ambiguous error: AWS answers InvalidRequest for a pending deletion and
   * ResourceNotFound for both a missing secret and a missing version.
   */
  async function lifecycle(name: string, signal?: AbortSignal): Promise<'active' | 'scheduled' | 'absent'> {
    try {
      const d = await call('describe', name, (c, m) =>
        c.send(new m.DescribeSecretCommand({ SecretId: name }), sendOptions(signal)),
      );
      return d.DeletedDate === undefined ? 'active' : 'scheduled';
    } catch (err) {
      if (nameOf(err) === 'ResourceNotFoundException') return 'absent';
      throw err;
    }
  }

  async function describe(name: string, signal?: AbortSignal): Promise<Partial<SecretMetadata>> {
    const d = await call('describe', name, (c, m) =>
      c.send(new m.DescribeSecretCommand({ SecretId: name }), sendOptions(signal)),
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
    validateName(ID, name, CAPABILITIES.nameRule);
    const input = { SecretId: name, ...versionInput(opts.version) };
    const read = call('read', name, (c, m) =>
      c.send(new m.GetSecretValueCommand(input), sendOptions(opts.signal)),
    );
    const meta = options.includeMetadata ? describe(name, opts.signal) : undefined;
    // Settled below only when the read succeeds; until then its failure must not go unhandled.
    meta?.catch(() => {});
    let out: ValueEntry;
    try {
      out = await read;
    } catch (err) {
      const n = nameOf(err);
      if (n === 'InvalidRequestException' && (await lifecycle(name, opts.signal)) !== 'active')
        return undefined;
      if (n !== 'ResourceNotFoundException') throw err;
      // The same error means "no such secret" and "no such version": tell them apart.
      if (opts.version !== undefined && (await lifecycle(name, opts.signal)) === 'active') {
        throw new SecretNotFoundError(
          `version "${opts.version}" of secret "${name}" was not found in source "${ID}"`,
          {
            source: ID,
            secretName: name,
            version: true,
          },
        );
      }
      return undefined;
    }
    const record = toRecord(name, out);
    const extra = meta === undefined ? undefined : await meta;
    return extra === undefined ? record : { ...record, ...extra };
  }

  async function entryFor(name: string, opts: GetOptions): Promise<BatchEntry> {
    try {
      return { ok: true, record: await get(name, opts) };
    } catch (err) {
      return { ok: false, error: mapAwsError(err, { source: ID, action: 'read', secretName: name }) };
    }
  }

  /** One BatchGetSecretValue chunk (following NextToken); names it could not settle are read one by one. */
  async function batchChunk(names: string[], opts: GetOptions, out: Map<string, BatchEntry>): Promise<void> {
    const pending = new Set(names);
    const retryOne: string[] = [];
    try {
      let token: string | undefined;
      do {
        const page = await call('batch read', undefined, (c, m) =>
          c.send(
            new m.BatchGetSecretValueCommand({ SecretIdList: names, ...(token ? { NextToken: token } : {}) }),
            sendOptions(opts.signal),
          ),
        );
        const settled = (page.SecretValues ?? []).map(async (v) => {
          const key = [v.Name, v.ARN].find((k) => k !== undefined && pending.has(k));
          if (key === undefined) return;
          pending.delete(key);
          try {
            out.set(key, { ok: true, record: await withMetadata(toRecord(key, v), opts.signal) });
          } catch (err) {
            out.set(key, {
              ok: false,
              error: mapAwsError(err, { source: ID, action: 'read', secretName: key }),
            });
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
          else if (e.ErrorCode === 'InvalidRequestException') retryOne.push(key);
          else {
            const error = mapAwsError(
              { name: e.ErrorCode ?? 'Error', $fault: 'client' },
              {
                source: ID,
                action: 'read',
                secretName: key,
              },
            );
            out.set(key, { ok: false, error });
          }
        }
        token = page.NextToken;
      } while (token && pending.size > 0);
    } catch (err) {
      if (isUnsupportedOperation(err)) {
        // An endpoint without BatchGetSecretValue (older LocalStack): read each name instead.
        retryOne.push(...pending);
        pending.clear();
      } else {
        const error = err as SecretError;
        for (const n of pending) out.set(n, { ok: false, error: perName(error, n) });
        return;
      }
    }
    // Names the store answered for neither way are re-read singly rather than guessed absent.
    retryOne.push(...pending);
    await Promise.all(retryOne.map(async (n) => out.set(n, await entryFor(n, opts))));
  }

  async function getMany(names: readonly string[], opts: GetOptions = {}): Promise<Map<string, BatchEntry>> {
    const out = new Map<string, BatchEntry>();
    const valid: string[] = [];
    for (const name of new Set(names)) {
      try {
        valid.push(validateName(ID, name, CAPABILITIES.nameRule));
      } catch (err) {
        out.set(name, { ok: false, error: err as SecretError });
      }
    }
    if (opts.version !== undefined) {
      // BatchGetSecretValue reads only AWSCURRENT: versioned reads go one by one, in parallel.
      await Promise.all(valid.map(async (n) => out.set(n, await entryFor(n, opts))));
    } else {
      await Promise.all(chunk(valid, batchSize).map((names) => batchChunk(names, opts, out)));
    }
    // Keep the caller's order.
    return new Map([...new Set(names)].map((n) => [n, out.get(n)!]));
  }

  async function* list(opts: ListOptions = {}): AsyncIterable<SecretMetadata> {
    const prefix = opts.prefix ?? '';
    const pageSize = Math.min(Math.max(opts.pageSize ?? 100, 1), 100);
    let token: string | undefined;
    do {
      const page = await call('list', undefined, (c, m) =>
        c.send(
          new m.ListSecretsCommand({
            MaxResults: pageSize,
            ...(prefix ? { Filters: [{ Key: 'name', Values: [prefix] }] } : {}),
            ...(token ? { NextToken: token } : {}),
          }),
          sendOptions(opts.signal),
        ),
      );
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
      token = page.NextToken;
    } while (token);
  }

  async function set(
    name: string,
    value: string | Uint8Array | Secret,
    opts: AwsSecretsManagerSetOptions = {},
  ): Promise<SetResult> {
    validateName(ID, name, CAPABILITIES.nameRule);
    const payload = toPayload(value);
    const size =
      'SecretString' in payload
        ? Buffer.byteLength(payload.SecretString, 'utf8')
        : payload.SecretBinary.byteLength;
    if (size === 0) {
      throw new SecretError(
        'ERR_SECRET_MALFORMED',
        `write "${name}" in source "${ID}" refused: Secrets Manager keeps an empty value as no value at all`,
        { source: ID, secretName: name },
      );
    }
    if (size > MAX_VALUE_BYTES) {
      throw new SecretError(
        'ERR_SECRET_MALFORMED',
        `write "${name}" in source "${ID}": the value is ${size} bytes, over the ${MAX_VALUE_BYTES}-byte limit`,
        { source: ID, secretName: name },
      );
    }
    const send = sendOptions(opts.signal);
    const stages = opts.stages === undefined ? {} : { VersionStages: [...opts.stages] };
    const tags =
      opts.tags === undefined ? undefined : Object.entries(opts.tags).map(([Key, Value]) => ({ Key, Value }));
    const put = () =>
      call('write', name, (c, m) =>
        c.send(new m.PutSecretValueCommand({ SecretId: name, ...payload, ...stages }), send),
      );
    const updateMeta = async () => {
      if (tags !== undefined && tags.length > 0) {
        await call('tag', name, (c, m) =>
          c.send(new m.TagResourceCommand({ SecretId: name, Tags: tags }), send),
        );
      }
      if (opts.description !== undefined) {
        await call('describe', name, (c, m) =>
          c.send(new m.UpdateSecretCommand({ SecretId: name, Description: opts.description }), send),
        );
      }
    };
    const restoreAndPut = async (): Promise<SetResult> => {
      // The name belongs to a secret scheduled for deletion: to a reader it is absent, so restore
      // it and write the new version on top (its older versions come back with it).
      await call('restore', name, (c, m) => c.send(new m.RestoreSecretCommand({ SecretId: name }), send));
      const out = await put();
      await updateMeta();
      return { created: true, version: out.VersionId };
    };
    if (opts.stages !== undefined) {
      if (opts.ifAbsent) {
        // Custom stages go on a version of an existing secret; ifAbsent asks for a new one.
        throw new SecretError(
          'ERR_SECRET_CONFLICT',
          `write "${name}" in source "${ID}": stages need an existing secret, not ifAbsent`,
          {
            source: ID,
            secretName: name,
          },
        );
      }
      try {
        const out = await put();
        await updateMeta();
        return { created: false, version: out.VersionId };
      } catch (err) {
        if (nameOf(err) !== 'InvalidRequestException' || (await lifecycle(name, opts.signal)) !== 'scheduled')
          throw err;
        return restoreAndPut();
      }
    }
    let conflict: unknown;
    try {
      const out = await call('create', name, (c, m) =>
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
      const n = nameOf(err);
      // AWS answers InvalidRequest when the name is held by a secret scheduled for deletion.
      if (n !== 'ResourceExistsException' && n !== 'InvalidRequestException') throw err;
      conflict = err;
    }
    // Ask before putting: a put on a secret scheduled for deletion must restore it first.
    if ((await lifecycle(name, opts.signal)) === 'scheduled') return restoreAndPut();
    if (opts.ifAbsent) {
      if (nameOf(conflict) === 'ResourceExistsException') throw conflict;
      throw new SecretError(
        'ERR_SECRET_CONFLICT',
        `write "${name}" in source "${ID}" refused: the name already exists`,
        {
          source: ID,
          secretName: name,
        },
      );
    }
    const out = await put();
    await updateMeta();
    return { created: false, version: out.VersionId };
  }

  async function remove(name: string, opts: DeleteOptions = {}): Promise<boolean> {
    validateName(ID, name, CAPABILITIES.nameRule);
    const send = sendOptions(opts.signal);
    let existed = true;
    if (opts.force) {
      // A forced delete of an unknown name succeeds in AWS, so ask first to answer honestly.
      try {
        const d = await call('describe', name, (c, m) =>
          c.send(new m.DescribeSecretCommand({ SecretId: name }), send),
        );
        existed = d.DeletedDate === undefined;
      } catch (err) {
        if (nameOf(err) === 'ResourceNotFoundException') return false;
        throw err;
      }
    }
    const window =
      opts.force || options.recoveryWindowDays === undefined
        ? {}
        : { RecoveryWindowInDays: options.recoveryWindowDays };
    try {
      await call('delete', name, (c, m) =>
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
      const n = nameOf(err);
      if (n === 'ResourceNotFoundException') return false;
      if (n === 'InvalidRequestException' && (await lifecycle(name, opts.signal)) !== 'active') return false;
      throw err;
    }
  }

  async function* versions(
    name: string,
    opts: { signal?: AbortSignal | undefined } = {},
  ): AsyncIterable<SecretVersionInfo> {
    validateName(ID, name, CAPABILITIES.nameRule);
    const all: SecretVersionInfo[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await call('list versions', name, (c, m) =>
          c.send(
            new m.ListSecretVersionIdsCommand({
              SecretId: name,
              IncludeDeprecated: true,
              MaxResults: 100,
              ...(token ? { NextToken: token } : {}),
            }),
            sendOptions(opts.signal),
          ),
        );
        for (const v of page.Versions ?? []) {
          if (v.VersionId === undefined) continue;
          const stages = v.VersionStages ?? [];
          all.push({
            version: v.VersionId,
            createdAt: toDate(v.CreatedDate),
            stages,
            current: stages.includes('AWSCURRENT'),
            enabled: true,
          });
        }
        token = page.NextToken;
      } while (token);
    } catch (err) {
      if (nameOf(err) === 'ResourceNotFoundException') return;
      throw err;
    }
    // Newest first; timestamps tie within a second, so stage order breaks ties.
    const rank = (v: SecretVersionInfo) =>
      v.stages?.includes('AWSPENDING') ? 0 : v.current ? 1 : v.stages?.includes('AWSPREVIOUS') ? 2 : 3;
    all.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0) || rank(a) - rank(b));
    yield* all;
  }

  return {
    id: ID,
    // Reads return tags only when they also describe the secret; list() returns them either way.
    capabilities: Object.freeze({ ...CAPABILITIES, tags: options.includeMetadata === true }),
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

const AWS_NAME = Symbol('aws-error-name');

/** The SDK error name recorded on a mapped error (see `tagged`). */
function nameOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null ? (err as Record<symbol, string>)[AWS_NAME] : undefined;
}

/** A batch-wide failure, re-addressed to one name. */
function perName(error: SecretError, name: string): SecretError {
  return new SecretError(
    error.code,
    `read "${name}" in source "${ID}" failed: the batch read failed (${error.code})`,
    {
      source: ID,
      secretName: name,
      retryable: error.retryable,
      hint: error.hint,
      cause: error.cause,
    },
  );
}

function toPayload(
  value: string | Uint8Array | Secret,
): { SecretString: string } | { SecretBinary: Uint8Array } {
  if (isSecret(value))
    return value.isBinary ? { SecretBinary: value.bytes() } : { SecretString: value.reveal() };
  if (typeof value === 'string') return { SecretString: value };
  if (value instanceof Uint8Array) return { SecretBinary: value };
  throw new SecretError(
    'ERR_SECRET_MALFORMED',
    `write in source "${ID}": the value must be text, bytes or a Secret`,
    {
      source: ID,
    },
  );
}
