/**
 * What the AWS providers share: client options from options and the environment, and the one
 * mapping from AWS SDK errors to secretsource codes. Imports nothing from the SDK at runtime.
 */
import { isSecretError, SecretError, SourceError, sanitizeCause } from '../../src/core/errors.js';

/** Static or provider-chain credentials, in the AWS SDK's own shape. */
export type AwsCredentials =
  | { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  | (() => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>);

/** Connection options every AWS provider accepts. */
export interface AwsConnectionOptions {
  /** AWS region. @default `AWS_REGION`, `AWS_DEFAULT_REGION`, then the SDK's own chain (profile). */
  region?: string | undefined;
  /**
   * Endpoint URL, e.g. LocalStack's `http://localhost:4566`.
   * @default `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`, then AWS's public endpoint.
   */
  endpoint?: string | undefined;
  /** Credentials. @default the SDK's normal chain (env, profile, SSO, container, instance role). */
  credentials?: AwsCredentials | undefined;
}

/** The subset of an SDK client config the providers build. */
export interface AwsClientConfig {
  region?: string;
  endpoint?: string;
  credentials?: AwsCredentials;
}

/**
 * Builds a client config from options and the environment. Only set keys are included, so the
 * SDK's own defaults (profile region, credential chain) still apply to everything left out.
 */
export function awsClientConfig(options: AwsConnectionOptions, serviceEnvSuffix: string): AwsClientConfig {
  const env = process.env;
  const config: AwsClientConfig = {};
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (region) config.region = region;
  // The SDK's own switch for ignoring endpoint variables is honoured here too.
  const fromEnv =
    env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true'
      ? undefined
      : (env[`AWS_ENDPOINT_URL_${serviceEnvSuffix}`] ?? env.AWS_ENDPOINT_URL);
  const endpoint = options.endpoint ?? fromEnv;
  if (endpoint) config.endpoint = endpoint;
  if (options.credentials !== undefined) config.credentials = options.credentials;
  return config;
}

/** The shape of an AWS SDK v3 service error we read (never its request or response). */
interface AwsErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidClientTokenId',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'DecryptionFailure',
  'InvalidKeyId',
  'KMSAccessDeniedException',
]);
const THROTTLED = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
]);
const UNAVAILABLE = new Set([
  'InternalServiceError',
  'InternalServiceErrorException',
  'InternalFailure',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH']);
const UNSUPPORTED = new Set(['UnknownOperationException', 'NotImplemented', 'NotImplementedException']);
const INVALID_INPUT = new Set(['ValidationException', 'InvalidParameterException', 'InvalidParameterValue']);

/** The error's AWS name (`AccessDeniedException`), or its Node code for network errors. */
export function awsErrorName(err: unknown): string {
  if (typeof err !== 'object' || err === null) return typeof err;
  const e = err as AwsErrorShape;
  if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
  if (typeof e.code === 'string') return e.code;
  return 'Error';
}

/** HTTP status of an SDK error, when it reached the service. */
function awsStatus(err: unknown): number | undefined {
  const s = (err as AwsErrorShape | null)?.$metadata?.httpStatusCode;
  return typeof s === 'number' ? s : undefined;
}

/** True when the SDK message (read here, never copied out) is about the request's name field. */
function mentionsName(err: unknown): boolean {
  const m = (err as AwsErrorShape | null)?.message;
  if (typeof m !== 'string') return false;
  // Quoted parts may echo input (a value could contain "name"), so look only outside quotes.
  return /\bname\b/i.test(m.replace(/'[^']*'|"[^"]*"/g, ''));
}

/** Context for a mapped error: which source, which action, which secret. */
export interface AwsErrorContext {
  source: string;
  action: string;
  secretName?: string | undefined;
}

/**
 * Maps anything an AWS call threw to a SecretError. The SDK's message is never copied (it may
 * echo input); the SDK error survives only as a sanitised cause (name, code, status).
 */
export function mapAwsError(err: unknown, ctx: AwsErrorContext): SecretError {
  if (isSecretError(err)) return err;
  const name = awsErrorName(err);
  const status = awsStatus(err);
  const fault = (err as AwsErrorShape | null)?.$fault;
  const what = `${ctx.action}${ctx.secretName === undefined ? '' : ` "${ctx.secretName}"`} in source "${ctx.source}"`;
  const base = { source: ctx.source, secretName: ctx.secretName, cause: sanitizeCause(err, false) };
  if (ACCESS_DENIED.has(name) || status === 403) {
    const kms = name === 'DecryptionFailure' || name === 'InvalidKeyId' || name.startsWith('KMS');
    return new SourceError('ERR_SOURCE_ACCESS_DENIED', `${what} was denied (${name})`, {
      ...base,
      hint: kms
        ? 'the caller needs kms:Decrypt on the key that encrypts this secret'
        : 'check the IAM policy of the caller; the README lists the permission each operation needs',
    });
  }
  if (name === 'CredentialsProviderError') {
    return new SourceError('ERR_SOURCE_MISCONFIGURED', `${what} failed: no AWS credentials were found`, {
      ...base,
      hint: 'set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or pass `credentials`',
    });
  }
  if (
    name === 'Error' &&
    status === undefined &&
    /^region (is missing|not accepted)/i.test(String((err as AwsErrorShape).message))
  ) {
    return new SourceError('ERR_SOURCE_MISCONFIGURED', `${what} failed: no AWS region is configured`, {
      ...base,
      hint: 'set AWS_REGION or pass `region`',
    });
  }
  if (name === 'AbortError') {
    return new SourceError('ERR_SOURCE_TIMEOUT', `${what} was aborted before it completed`, base);
  }
  if (UNSUPPORTED.has(name) || status === 501) {
    return new SourceError('ERR_SOURCE_MISCONFIGURED', `${what} failed: the endpoint does not implement it`, {
      ...base,
      hint: 'the endpoint (an emulator?) lacks this API',
    });
  }
  if (THROTTLED.has(name) || status === 429) {
    return new SourceError('ERR_SOURCE_UNAVAILABLE', `${what} was throttled (${name})`, {
      ...base,
      retryable: true,
    });
  }
  if (
    UNAVAILABLE.has(name) ||
    NETWORK.has(name) ||
    fault === 'server' ||
    (status !== undefined && status >= 500)
  ) {
    return new SourceError('ERR_SOURCE_UNAVAILABLE', `${what} failed: the service is unavailable (${name})`, {
      ...base,
      retryable: true,
    });
  }
  // A 2xx the SDK could not parse (cut, non-JSON, a proxy's page): a bad answer, not a refusal.
  if (name === 'SyntaxError' || (status !== undefined && status >= 200 && status < 300)) {
    return new SourceError(
      'ERR_SOURCE_UNAVAILABLE',
      `${what} failed: the answer could not be read (${name})`,
      {
        ...base,
        retryable: true,
      },
    );
  }
  if (name === 'ResourceExistsException' || name === 'ParameterAlreadyExists') {
    return new SecretError('ERR_SECRET_CONFLICT', `${what} refused: the name already exists`, base);
  }
  if (INVALID_INPUT.has(name) && mentionsName(err)) {
    return new SecretError('ERR_SECRET_NAME_INVALID', `${what} refused: the store rejected the name`, base);
  }
  return new SourceError('ERR_SOURCE_MISCONFIGURED', `${what} was refused by the store (${name})`, {
    ...base,
    // A client fault will fail the same way again; anything else might not.
    retryable: fault !== 'client' && !(status !== undefined && status >= 400 && status < 500),
  });
}

/** True when an SDK error means the endpoint lacks the operation (older LocalStack for batch reads). */
export function isUnsupportedOperation(err: unknown): boolean {
  // A mapped error keeps the SDK's name and status in its sanitised cause.
  const cause = isSecretError(err) ? err.cause : undefined;
  const name = cause?.name ?? awsErrorName(err);
  const status = cause === undefined ? awsStatus(err) : cause.status;
  return UNSUPPORTED.has(name) || status === 501;
}

/** Splits `items` into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A Date from what the SDK returns (a Date; numbers or strings from hand-built clients). */
export function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'string') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}
