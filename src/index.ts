/**
 * secretsource: get secrets out of cloud secret managers safely.
 * Providers live in their own subpaths (`secretsource/providers/<id>`), so importing this entry
 * loads no store SDK.
 */
import type { CopyOptions, CopyReport } from './copy/index.js';
import type { SecretRef } from './core/ref.js';
import type { SecretSource } from './core/source.js';
import type { KeyRing, KeyRingOptions } from './keys/keyring.js';
import type { RotateOptions, RotateResult } from './keys/rotate.js';
import type { Resolver } from './resolver/resolver.js';
import type { ScanOptions, ScanReport } from './scan/types.js';

export type {
  ConflictPolicy,
  CopyAction,
  CopyCounts,
  CopyItem,
  CopyOptions,
  CopyReport,
  CopyStatus,
  Location,
  RetryOptions,
} from './copy/index.js';
export { parseLocation } from './copy/location.js';
export {
  ConfigError,
  DependencyMissingError,
  type ErrorCode,
  ErrorCodes,
  type Issue,
  isSecretError,
  OperationUnsupportedError,
  type SanitizedCause,
  SecretError,
  type SecretErrorOptions,
  SecretNotFoundError,
  SourceError,
  WeakSecretError,
} from './core/errors.js';
export type { EventListener, EventType, SecretEvent } from './core/events.js';
export {
  type FingerprintScope,
  fingerprintScope,
  type KeyIdInput,
  keyIdOf,
} from './core/fingerprint.js';
export { validateName } from './core/names.js';
export { formatRef, parseRef, type SecretRef } from './core/ref.js';
export { isSecret, Secret, type SecretInit } from './core/secret.js';
export type {
  BatchEntry,
  Capabilities,
  DeleteOptions,
  GetOptions,
  ListOptions,
  NameRule,
  OptionalMethod,
  RevokeOptions,
  SecretMetadata,
  SecretRecord,
  SecretSource,
  SecretVersionInfo,
  SetOptions,
  SetResult,
  VersionsOptions,
} from './core/source.js';
export { supports } from './core/source.js';
export { type DotenvParseResult, formatDotenvLine, parseDotenv } from './dotenv/parse.js';
export { type GenerateKeyOptions, generateKey, type KeyEncoding } from './keys/keygen.js';
export type { KeyRing, KeyRingKey, KeyRingOptions } from './keys/keyring.js';
export type { LiveKeyRing, LiveKeyRingOptions } from './keys/live-ring.js';
export type { RotateOptions, RotateResult } from './keys/rotate.js';
export { type AuditLog, type AuditLogOptions, type AuditRecord, auditLog } from './resolver/audit.js';
export type { LoadedConfig, LoadSpec, SecretSpec, StandardSchemaV1, ValueSpec } from './resolver/load.js';
export {
  defaultEnvironment,
  type EnvironmentPeer,
  type PolicyOptions,
  type StrengthCheck,
} from './resolver/policy.js';
export {
  type CacheOptions,
  createResolver,
  type ResolveOptions,
  type Resolver,
  type ResolverOptions,
  type Settled,
} from './resolver/resolver.js';
export type {
  FindingKind,
  ScanFinding,
  ScanNote,
  ScanOptions,
  ScanReport,
  ScanStats,
  ScanValue,
  ScanVerdict,
} from './scan/types.js';
export {
  checkDeployConfig,
  checkStrength,
  type DeployCheckOptions,
  type DeployCheckResult,
  defaultProfileForName,
  type EvaluateInput,
  evaluate,
  ISSUE_CODES,
  type IssueCode,
  type IssueDetails,
  type PolicyNames,
  PROFILE_NAMES,
  type ProfileOrNone,
  pickProfile,
  profileForName,
  SEVERITY,
  type Severity,
  type SharedWith,
  type Verdict,
} from './strength/index.js';
export type {
  Environment,
  StrengthIssue,
  StrengthOptions,
  StrengthProfile,
  StrengthResult,
} from './strength/types.js';
export {
  compileKnownValues,
  type KnownValueList,
  registerKnownValues,
  type UserKnownValue,
} from './strength/user-known.js';

// copy, rotate, key rings and the scanner: most apps never call them at boot, so their code loads on the first
// call and `import('secretsource')` stays within its boot budget (the wrappers below).

/**
 * Copies secrets between stores: plans first, writes only with `apply`, never overwrites unless
 * asked, refuses weak values, reads every write back. See `src/copy/index.ts`.
 * @example
 * const report = await copySecrets({ from: dotenvSource({ path: '.env' }), to: awsSsm(), toPrefix: '/myapp/prod/', apply: true });
 */
export async function copySecrets(options: CopyOptions): Promise<CopyReport> {
  return (await import('./copy/index.js')).copySecrets(options);
}

/**
 * Writes a newly generated key as a new version of `ref`, keeping the previous one (or, with
 * `revokePrevious`, revoking every previous one). See `src/keys/rotate.ts`.
 * @example
 * const { version, previousVersion, previousKept } = await rotateSecret(resolver, 'aws-sm:prod/app#jwt');
 */
export async function rotateSecret(
  target: Resolver | SecretSource,
  ref: string | SecretRef,
  options?: RotateOptions,
): Promise<RotateResult> {
  return (await import('./keys/rotate.js')).rotateSecret(target, ref, options);
}

/**
 * The current key for signing and the previous versions inside the grace window for verifying, read
 * once (a snapshot, for scripts; apps use the live `resolver.keyRing`). See `src/keys/keyring.ts`.
 * @example
 * const ring = await createKeyRing(resolver, 'aws-sm:prod/app#jwt', { graceMs: 86_400_000 });
 */
export async function createKeyRing(
  resolver: Resolver,
  ref: string | SecretRef,
  options?: KeyRingOptions,
): Promise<KeyRing> {
  return (await import('./keys/keyring.js')).createKeyRing(resolver, ref, options);
}

/**
 * Scans a source tree for insecure fallbacks, hard-coded secrets, committed .env secrets and
 * unrendered tokens (and, with `values`, for real secrets in the tree and git history). Findings
 * never hold a value. Baseline and SARIF helpers are in `secretsource/scan`.
 * @example
 * const { findings } = await scanTree({ root: '.' });
 */
export async function scanTree(options?: ScanOptions): Promise<ScanReport> {
  return (await import('./scan/index.js')).scanTree(options);
}
