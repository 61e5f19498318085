/**
 * The SecretError hierarchy. Every failure the library raises carries a stable `code`;
 * messages name the source, the action and the secret name, never a value.
 */
import { HIDDEN, looksLikeValue, maskValueLike, VALUE_AS_NAME_HINT } from './redact.js';

/** Every stable error code secretsource raises. */
export const ErrorCodes = [
  'ERR_SECRET_NOT_FOUND',
  'ERR_SECRET_VERSION_NOT_FOUND',
  'ERR_SOURCE_ACCESS_DENIED',
  'ERR_SOURCE_UNAVAILABLE',
  'ERR_SOURCE_TIMEOUT',
  'ERR_SOURCE_MISCONFIGURED',
  'ERR_ABORTED',
  'ERR_RESOLVER_CLOSED',
  'ERR_PROVIDER_DEPENDENCY_MISSING',
  'ERR_OPERATION_UNSUPPORTED',
  'ERR_SECRET_NAME_INVALID',
  'ERR_SECRET_CONFLICT',
  'ERR_SECRET_MALFORMED',
  'ERR_SECRET_EXPIRED',
  'ERR_SECRET_NOT_YET_VALID',
  'ERR_SECRET_DISABLED',
  'ERR_SECRET_IMMUTABLE',
  'ERR_SECRET_WEAK',
  'ERR_REF_INVALID',
  'ERR_CONFIG_INVALID',
  'ERR_USAGE',
] as const;

/** A stable error code. */
export type ErrorCode = (typeof ErrorCodes)[number];

const BRAND = Symbol.for('secretsource.SecretError');

/** A sanitised view of an SDK or transport error: no request object, no headers, no body. */
export interface SanitizedCause {
  name: string;
  message?: string;
  code?: string;
  status?: number;
}

/** Options accepted by every SecretError constructor. */
export interface SecretErrorOptions {
  /** Source id, e.g. `aws-sm`. */
  source?: string | undefined;
  /** Secret name the failure concerns. */
  secretName?: string | undefined;
  /** Whether trying again may succeed. @default false */
  retryable?: boolean | undefined;
  /** What the user can do about it. */
  hint?: string | undefined;
  /** The underlying error; kept only in sanitised form. */
  cause?: unknown;
}

/** Base class of every error secretsource throws. Check with {@link isSecretError}. */
export class SecretError extends Error {
  readonly code: ErrorCode;
  readonly source: string | undefined;
  readonly secretName: string | undefined;
  readonly retryable: boolean;
  readonly hint: string | undefined;
  declare readonly cause: SanitizedCause | undefined;

  constructor(code: ErrorCode, message: string, options: SecretErrorOptions = {}) {
    // Names and refs are echoed in messages; one that looks like a value (a value passed where a
    // ref belongs) is hidden here, once for every error path.
    const valueLikeName = options.secretName !== undefined && looksLikeValue(options.secretName);
    super(scrubMessage(message, valueLikeName ? options.secretName : undefined));
    this.name = 'SecretError';
    this.code = code;
    this.source = options.source;
    this.secretName = valueLikeName ? HIDDEN : options.secretName;
    this.retryable = options.retryable ?? false;
    this.hint =
      options.hint === undefined
        ? valueLikeName
          ? VALUE_AS_NAME_HINT
          : undefined
        : maskValueLike(options.hint);
    const cause = options.cause === undefined ? undefined : sanitizeCause(options.cause);
    Object.defineProperty(this, 'cause', { value: cause, enumerable: false, writable: false });
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }

  /** A plain, value-free object for logs and JSON output. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      source: this.source,
      secretName: this.secretName,
      retryable: this.retryable,
      hint: this.hint,
      cause: this.cause,
    };
  }
}

/** The secret (or the requested version of it) does not exist in any source tried. */
export class SecretNotFoundError extends SecretError {
  /** Source ids that were asked. */
  readonly sourcesTried: readonly string[];
  constructor(
    message: string,
    options: SecretErrorOptions & { sourcesTried?: readonly string[]; version?: boolean } = {},
  ) {
    super(options.version ? 'ERR_SECRET_VERSION_NOT_FOUND' : 'ERR_SECRET_NOT_FOUND', message, options);
    this.name = 'SecretNotFoundError';
    this.sourcesTried = options.sourcesTried ?? [];
  }
}

/** A store call failed: denied, unavailable, timed out or misconfigured. */
export class SourceError extends SecretError {
  constructor(
    code:
      | 'ERR_SOURCE_ACCESS_DENIED'
      | 'ERR_SOURCE_UNAVAILABLE'
      | 'ERR_SOURCE_TIMEOUT'
      | 'ERR_SOURCE_MISCONFIGURED',
    message: string,
    options: SecretErrorOptions = {},
  ) {
    super(code, message, {
      ...options,
      retryable: options.retryable ?? (code === 'ERR_SOURCE_UNAVAILABLE' || code === 'ERR_SOURCE_TIMEOUT'),
    });
    this.name = 'SourceError';
  }
}

/** The source does not declare the capability the caller needs. */
export class OperationUnsupportedError extends SecretError {
  constructor(source: string, operation: string, options: SecretErrorOptions = {}) {
    super('ERR_OPERATION_UNSUPPORTED', `source "${source}" does not support ${operation}`, {
      ...options,
      source,
    });
    this.name = 'OperationUnsupportedError';
  }
}

/** An optional peer dependency (a store SDK) is not installed. */
export class DependencyMissingError extends SecretError {
  readonly packages: readonly string[];
  constructor(source: string, packages: readonly string[], cause?: unknown) {
    super(
      'ERR_PROVIDER_DEPENDENCY_MISSING',
      `source "${source}" needs ${packages.join(' and ')}, which is not installed`,
      { source, cause, hint: `npm i ${packages.join(' ')}` },
    );
    this.name = 'DependencyMissingError';
    this.packages = packages;
  }
}

/** One problem found by a check: data, never a value or a slice of one. */
export interface Issue {
  code: string;
  message: string;
  /** Where the problem is: a config key, a secret name, a file line. */
  path?: readonly (string | number)[];
  severity?: 'error' | 'warning';
  [detail: string]: unknown;
}

/** A secret failed the strength policy; `issues` lists every problem found. */
export class WeakSecretError extends SecretError {
  readonly issues: readonly Issue[];
  constructor(message: string, issues: readonly Issue[], options: SecretErrorOptions = {}) {
    super('ERR_SECRET_WEAK', message, options);
    this.name = 'WeakSecretError';
    this.issues = scrubIssues(issues);
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** `load()` or option validation failed; `issues` lists every failing key, not just the first. */
export class ConfigError extends SecretError {
  readonly issues: readonly Issue[];
  constructor(message: string, issues: readonly Issue[], options: SecretErrorOptions = {}) {
    super('ERR_CONFIG_INVALID', message, options);
    this.name = 'ConfigError';
    this.issues = scrubIssues(issues);
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** `message` with `name` (in the forms messages print it) and every value-like word hidden. */
function scrubMessage(message: string, name: string | undefined): string {
  let out = String(message);
  if (name !== undefined) {
    for (const form of [name, JSON.stringify(name).slice(1, -1), printable(name)]) {
      if (form.length > 0) out = out.split(form).join(HIDDEN);
    }
  }
  return maskValueLike(out);
}

/** The shortened form `printableName()` (names.ts) gives long names. */
function printable(name: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > 80 ? clean.slice(0, 77) : clean;
}

/** Issues with value-like words hidden in their message and path. */
function scrubIssues(issues: readonly Issue[]): readonly Issue[] {
  return issues.map((i) => ({
    ...i,
    message: maskValueLike(String(i.message)),
    ...(i.path ? { path: i.path.map((p) => (typeof p === 'string' && looksLikeValue(p) ? HIDDEN : p)) } : {}),
  }));
}

/** True for any error raised by any copy of secretsource (checked by brand, not `instanceof`). */
export function isSecretError(value: unknown): value is SecretError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * Keeps only an error's name, status and code, and its message when that cannot hold a value
 * (SDK messages may echo request input, so callers pass `keepMessage: false` for those).
 */
export function sanitizeCause(cause: unknown, keepMessage = false): SanitizedCause {
  if (isSecretError(cause)) {
    return { name: cause.name, code: cause.code, message: cause.message };
  }
  if (typeof cause !== 'object' || cause === null) {
    return { name: typeof cause };
  }
  const c = cause as Record<string, unknown> & { $metadata?: { httpStatusCode?: unknown } };
  const out: SanitizedCause = { name: typeof c.name === 'string' ? c.name : 'Error' };
  const code = c.code ?? c.Code ?? c.__type;
  if (typeof code === 'string' && code.length < 100) out.code = code;
  const status =
    c.statusCode ??
    c.status ??
    c.$metadata?.httpStatusCode ??
    (c.response as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number') out.status = status;
  if (keepMessage && typeof c.message === 'string') out.message = maskValueLike(c.message.slice(0, 200));
  return out;
}

/** Turns anything thrown (including non-Errors) into a SecretError with the given context. */
export function toSecretError(
  thrown: unknown,
  context: { source?: string; secretName?: string; action: string },
): SecretError {
  if (isSecretError(thrown)) return thrown;
  const name = context.secretName === undefined ? '' : ` "${context.secretName}"`;
  return new SourceError(
    'ERR_SOURCE_UNAVAILABLE',
    `${context.action}${name} failed in source "${context.source ?? '?'}": ${describeThrown(thrown)}`,
    { source: context.source, secretName: context.secretName, cause: thrown, retryable: true },
  );
}

/** A value-free description of something thrown: its class name and code, never its message. */
function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) {
    const code = (thrown as { code?: unknown }).code;
    return typeof code === 'string' ? `${thrown.name} (${code})` : thrown.name;
  }
  return `a non-Error value of type ${thrown === null ? 'null' : typeof thrown} was thrown`;
}
