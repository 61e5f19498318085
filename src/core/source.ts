/**
 * The SecretSource contract: a thin translator between secretsource's types and one store.
 * A source does no caching, no strength checks, no JSON field selection and no logging.
 */
import type { SecretError } from './errors.js';
import type { Secret } from './secret.js';

/** What names a store accepts, declared so callers can validate and map up front. */
export interface NameRule {
  /** A regular expression the whole (store-side) name must match. */
  pattern: RegExp;
  /** Longest name the store accepts, in characters. */
  maxLength: number;
  /** One line for humans, used in `ERR_SECRET_NAME_INVALID` messages. */
  description: string;
}

/** Honest declaration of what a source can do. Optional methods exist exactly when their flag is true. */
export interface Capabilities {
  /** Every source can read. */
  read: true;
  /** `set()` exists. */
  write: boolean;
  /** `delete()` exists. */
  delete: boolean;
  /** `list()` exists. */
  list: boolean;
  /** The store keeps versions: `versions()` exists and `get(name, { version })` works. */
  versions: boolean;
  /**
   * `revokeVersions()` exists: older versions can be marked revoked in the store's own terms, and
   * `versions()` then reports them `enabled: false`. Absent means false, so sources written before
   * it need no change.
   * @default false
   */
  revoke?: boolean | undefined;
  /** `getMany()` exists and batches in the store (fewer calls than names). */
  batchGet: boolean;
  /** Values may be bytes, not only text. */
  binary: boolean;
  /** Tags (key/value metadata) are stored and returned. */
  tags: boolean;
  /** Largest value the store accepts, in bytes; undefined when unbounded. */
  maxValueBytes: number | undefined;
  /**
   * The store keeps an empty value as a value. False where it refuses one or keeps "no value"
   * (Secrets Manager, Parameter Store): `set(name, '')` then throws `ERR_SECRET_MALFORMED` and
   * writes nothing, and `copy` refuses empty values for it in the plan.
   * @default true
   */
  emptyValues?: boolean | undefined;
  /**
   * Values may hold variable references (`${NAME}`, `$NAME`) that some readers expand by
   * dotenv-expand's rules (.env files), and `list()` yields names in the order they are defined.
   * `copy` shows such values as their own plan state. @default false
   */
  references?: boolean | undefined;
  /**
   * Names are paths whose segments this joins (Kubernetes: `namespace/secret/key`). A copy location
   * whose prefix does not end with it names a container: `k8s:prod/app` copies into the keys of
   * Secret `prod/app` (`prod/app/KEY`), not into names that merely start with `prod/app`.
   * @default undefined (a copy prefix is prepended as written)
   */
  prefixSeparator?: string | undefined;
  /** Names the store accepts (after `toStoreName`). */
  nameRule: NameRule;
}

/** Metadata about one secret, as `list()` yields it: never a value. */
export interface SecretMetadata {
  /** The name as the caller uses it (the store's name mapped back, where the store maps names). */
  name: string;
  /** The current version id, when the store has one. */
  version?: string | undefined;
  createdAt?: Date | undefined;
  updatedAt?: Date | undefined;
  /** When the store last rotated the value (AWS Secrets Manager). */
  rotatedAt?: Date | undefined;
  tags?: Readonly<Record<string, string>> | undefined;
  contentType?: string | undefined;
}

/** One secret read from a store. */
export interface SecretRecord extends SecretMetadata {
  /** The value, redacted until revealed. */
  value: Secret;
  /** Labels or stages attached to this version (AWSCURRENT, SSM labels). */
  stages?: readonly string[] | undefined;
}

/** One version of a secret, as `versions()` yields it: never a value. */
export interface SecretVersionInfo {
  version: string;
  createdAt?: Date | undefined;
  /** Stages or labels on this version; `current` marks the version a plain read returns. */
  stages?: readonly string[] | undefined;
  current: boolean;
  /** False when the store reports the version disabled, deleted or destroyed. */
  enabled: boolean;
}

/** Options for `get`. */
export interface GetOptions {
  /** A store-specific version id, stage or label; latest when absent. */
  version?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** One name's outcome in `getMany`: a record, definitely absent (`undefined`), or a coded error. */
export type BatchEntry = { ok: true; record: SecretRecord | undefined } | { ok: false; error: SecretError };

/** Options for `list`. */
export interface ListOptions {
  /** Only names starting with this (caller-side) prefix. */
  prefix?: string | undefined;
  /** A hint for the store's page size. */
  pageSize?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** Options for `set`. */
export interface SetOptions {
  /** Refuse with `ERR_SECRET_CONFLICT` when the name already exists. @default false */
  ifAbsent?: boolean | undefined;
  tags?: Readonly<Record<string, string>> | undefined;
  contentType?: string | undefined;
  /** A store-specific description. */
  description?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** What a write did. */
export interface SetResult {
  /** The version the write created, when the store has versions. */
  version?: string | undefined;
  /** True when the write created the name, false when it added a version or overwrote. */
  created: boolean;
}

/** Options for `revokeVersions`. */
export interface RevokeOptions {
  signal?: AbortSignal | undefined;
}

/** Options for `versions`. */
export interface VersionsOptions {
  signal?: AbortSignal | undefined;
}

/** Options for `delete`. */
export interface DeleteOptions {
  /** Skip recovery windows and destroy for good, where the store distinguishes. @default false */
  force?: boolean | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * A secret store. `get` returns `undefined` only when the store says the secret is definitely
 * absent; every other failure throws a SecretError with a stable code.
 */
export interface SecretSource {
  /** Source id, the prefix used in refs (`aws-sm`, `env`). */
  readonly id: string;
  readonly capabilities: Capabilities;
  /**
   * Where this source reads, for messages: `region eu-west-1`, a Vault or Key Vault URL, a
   * directory. Not-found errors name it, so a secret read in the wrong region says so. Never a
   * credential or a query string.
   */
  readonly location?: string | undefined;
  /** Reads the latest (or the requested) version. */
  get(name: string, options?: GetOptions): Promise<SecretRecord | undefined>;
  /** Reads many names with as few store calls as the store allows. Present when `capabilities.batchGet`. */
  getMany?(names: readonly string[], options?: GetOptions): Promise<Map<string, BatchEntry>>;
  /** Lists metadata, paging through the store. Present when `capabilities.list`. */
  list?(options?: ListOptions): AsyncIterable<SecretMetadata>;
  /** Creates the name or adds a version. Present when `capabilities.write`. */
  set?(name: string, value: string | Uint8Array | Secret, options?: SetOptions): Promise<SetResult>;
  /** Deletes the name; resolves to false when it was already absent. Present when `capabilities.delete`. */
  delete?(name: string, options?: DeleteOptions): Promise<boolean>;
  /** Lists versions, newest first. Present when `capabilities.versions`. */
  versions?(name: string, options?: VersionsOptions): AsyncIterable<SecretVersionInfo>;
  /**
   * Marks every version older than `keep` revoked, in the store's own terms (a disabled version, a
   * deleted version, or a label fencing off the older ones), so `versions()` reports them
   * `enabled: false` and key rings stop verifying with them. Resolves to the versions newly marked;
   * throws `ERR_SECRET_NOT_FOUND` / `ERR_SECRET_VERSION_NOT_FOUND` when `name` or `keep` is absent.
   * Present when `capabilities.revoke`.
   */
  revokeVersions?(name: string, keep: string, options?: RevokeOptions): Promise<string[]>;
  /**
   * Maps a caller-side name to the store's name (Azure: `JWT_SECRET_KEY` → `JWT-SECRET-KEY`), so
   * callers can check names against `capabilities.nameRule` up front. `list()` yields caller-side names.
   */
  toStoreName?(name: string): string;
  /** Releases clients and timers. */
  close?(): Promise<void>;
}

/** Each optional method, and the capability flag that declares it. */
const DECLARED_BY = {
  getMany: 'batchGet',
  list: 'list',
  set: 'write',
  delete: 'delete',
  versions: 'versions',
  revokeVersions: 'revoke',
} as const satisfies Record<string, keyof Capabilities>;

/** The optional methods of {@link SecretSource} that a capability declares. */
export type OptionalMethod = keyof typeof DECLARED_BY;

/**
 * True when `source` declares the capability for `method` and has the method; narrows the type so
 * the method can be called without a second check. Callers throw `ERR_OPERATION_UNSUPPORTED` otherwise.
 * @example
 * if (!supports(target, 'set')) throw new OperationUnsupportedError(target.id, 'writing (set)');
 * await target.set('app/jwt', key);
 */
export function supports<S extends SecretSource, M extends OptionalMethod>(
  source: S,
  method: M,
): source is S & Required<Pick<SecretSource, M>> {
  return source.capabilities[DECLARED_BY[method]] === true && typeof source[method] === 'function';
}
