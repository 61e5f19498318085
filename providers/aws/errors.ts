/**
 * The one mapping from AWS SDK errors to secretsource codes, shared by Secrets Manager and SSM.
 * Imports nothing from the SDK at runtime.
 */
import { isSecretError, type SecretError, sanitizeCause } from '../../src/core/errors.js';
import { type CallSite, callError } from '../kit/errors.js';
import { isRedirect, redirectRefused } from '../kit/http.js';

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

/**
 * Maps anything an AWS call threw to a SecretError. The SDK's message is never copied (it may
 * echo input); the SDK error survives only as a sanitised cause (name, code, status).
 */
export function mapAwsError(err: unknown, site: CallSite): SecretError {
  if (isSecretError(err)) return err;
  const name = awsErrorName(err);
  const status = awsStatus(err);
  const fault = (err as AwsErrorShape | null)?.$fault;
  const cause = sanitizeCause(err, false);
  if (ACCESS_DENIED.has(name) || status === 403) {
    const kms = name === 'DecryptionFailure' || name === 'InvalidKeyId' || name.startsWith('KMS');
    return callError('ERR_SOURCE_ACCESS_DENIED', site, `denied (${name})`, {
      cause,
      hint: kms
        ? 'the caller needs kms:Decrypt on the key that encrypts this secret'
        : 'check the IAM policy of the caller; docs/providers/aws-sm.md and aws-ssm.md list the permission each operation needs',
    });
  }
  if (name === 'CredentialsProviderError') {
    return callError('ERR_SOURCE_MISCONFIGURED', site, 'no AWS credentials were found', {
      cause,
      hint: 'set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or pass `credentials`',
    });
  }
  if (
    name === 'Error' &&
    status === undefined &&
    /^region (is missing|not accepted)/i.test(String((err as AwsErrorShape).message))
  ) {
    return callError('ERR_SOURCE_MISCONFIGURED', site, 'no AWS region is configured', {
      cause,
      hint: 'set AWS_REGION or pass `region`',
    });
  }
  if (name === 'AbortError') return callError('ERR_ABORTED', site, 'aborted before it completed', { cause });
  // The SDK follows no redirect; the answer is refused as such, never read as the store's.
  if (isRedirect(status)) return redirectRefused(site, status);
  if (UNSUPPORTED.has(name) || status === 501) {
    return callError('ERR_SOURCE_MISCONFIGURED', site, 'the endpoint does not implement it', {
      cause,
      hint: 'the endpoint (an emulator?) lacks this API',
    });
  }
  if (THROTTLED.has(name) || status === 429) {
    return callError('ERR_SOURCE_UNAVAILABLE', site, `throttled (${name})`, { cause, retryable: true });
  }
  if (
    UNAVAILABLE.has(name) ||
    NETWORK.has(name) ||
    fault === 'server' ||
    (status !== undefined && status >= 500)
  ) {
    return callError('ERR_SOURCE_UNAVAILABLE', site, `the service is unavailable (${name})`, {
      cause,
      retryable: true,
    });
  }
  // A 2xx the SDK could not parse (cut, non-JSON, a proxy's page): a bad answer, not a refusal.
  if (name === 'SyntaxError' || (status !== undefined && status >= 200 && status < 300)) {
    return callError('ERR_SOURCE_UNAVAILABLE', site, `the answer could not be read (${name})`, {
      cause,
      retryable: true,
    });
  }
  if (name === 'ResourceExistsException' || name === 'ParameterAlreadyExists') {
    return callError('ERR_SECRET_CONFLICT', site, 'refused: the name already exists', { cause });
  }
  if (INVALID_INPUT.has(name) && mentionsName(err)) {
    return callError('ERR_SECRET_NAME_INVALID', site, 'refused: the store rejected the name', { cause });
  }
  return callError('ERR_SOURCE_MISCONFIGURED', site, `refused by the store (${name})`, {
    cause,
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
