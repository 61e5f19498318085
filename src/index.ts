/**
 * secretsource: get secrets out of cloud secret managers safely.
 * Providers live in their own subpaths (`secretsource/providers/<id>`), so importing this entry
 * loads no store SDK.
 */
export { type AuditLog, type AuditLogOptions, type AuditRecord, auditLog } from './audit.js';
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
export { type DotenvParseResult, formatDotenvLine, parseDotenv } from './dotenv.js';
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
} from './errors.js';
export type { EventListener, EventType, SecretEvent } from './events.js';
export { type GenerateKeyOptions, generateKey, type KeyEncoding } from './keygen.js';
export type { KeyRing, KeyRingKey, KeyRingOptions } from './keyring.js';
export { copySecrets, createKeyRing, rotateSecret } from './lazy.js';
export type { LoadedConfig, LoadSpec, SecretSpec, StandardSchemaV1, ValueSpec } from './load.js';
export { validateName } from './names.js';
export {
  defaultEnvironment,
  type EnvironmentPeer,
  type PolicyOptions,
  type StrengthCheck,
} from './policy.js';
export { formatRef, parseRef, type SecretRef } from './ref.js';
export {
  type CacheOptions,
  createResolver,
  type ResolveOptions,
  type Resolver,
  type ResolverOptions,
  type Settled,
} from './resolver.js';
export type { RotateOptions, RotateResult } from './rotate.js';
export { isSecret, Secret, type SecretInit } from './secret.js';
export type {
  BatchEntry,
  Capabilities,
  DeleteOptions,
  GetOptions,
  ListOptions,
  NameRule,
  SecretMetadata,
  SecretRecord,
  SecretSource,
  SecretVersionInfo,
  SetOptions,
  SetResult,
} from './source.js';
export {
  checkDeployConfig,
  checkStrength,
  type DeployCheckOptions,
  type DeployCheckResult,
  defaultProfileForName,
  ISSUE_CODES,
  type IssueCode,
  PROFILE_NAMES,
} from './strength/index.js';
export type {
  Environment,
  StrengthIssue,
  StrengthOptions,
  StrengthProfile,
  StrengthResult,
} from './strength/types.js';
