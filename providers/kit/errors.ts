/**
 * One message shape for every store error: `<action> "<name>" in source "<id>" (<where>): <detail>`.
 * The name is printed in a safe form; the detail never quotes a value or the store's own message.
 */
import {
  type ErrorCode,
  SecretError,
  type SecretErrorOptions,
  SecretNotFoundError,
  SourceError,
} from '../../src/core/errors.js';
import { printableName } from '../../src/core/names.js';

/** What one store call is about: the source, the action, and the secret when there is one. */
export interface CallSite {
  /** Source id (`aws-sm`, or the `id` option). */
  source: string;
  /** What was being done, as a verb phrase: `read`, `write`, `list`, `list versions of`. */
  action: string;
  /** The caller-side secret name, when the call is about one secret. */
  name?: string | undefined;
  /** Where the store is, when it helps: a region, a vault URL, an endpoint. */
  where?: string | undefined;
}

const SOURCE_CODES = new Set<ErrorCode>([
  'ERR_SOURCE_ACCESS_DENIED',
  'ERR_SOURCE_UNAVAILABLE',
  'ERR_SOURCE_TIMEOUT',
  'ERR_SOURCE_MISCONFIGURED',
]);

/** `read "app/jwt" in source "aws-sm"` (with ` (region eu-west-1)` when the site says where). */
export function describeCall(site: CallSite): string {
  const name = site.name === undefined ? '' : ` "${printableName(site.name)}"`;
  const where = site.where === undefined ? '' : ` (${site.where})`;
  return `${site.action}${name} in source "${site.source}"${where}`;
}

/**
 * The error for `site`: a SourceError for the `ERR_SOURCE_*` codes (retryable by default for
 * unavailable and timeout), a SecretError otherwise. `detail` follows the colon.
 */
export function callError(
  code: ErrorCode,
  site: CallSite,
  detail: string,
  options: Omit<SecretErrorOptions, 'source' | 'secretName'> = {},
): SecretError {
  // Where the store is (region, endpoint, vault URL) helps with a failure of the store, the usual
  // cause being the wrong one; a secret error (not found, weak, conflict) is about the secret.
  const source = SOURCE_CODES.has(code);
  const message = `${describeCall(source ? site : { ...site, where: undefined })}: ${detail}`;
  const o = { ...options, source: site.source, secretName: site.name };
  if (source) {
    return new SourceError(code as ConstructorParameters<typeof SourceError>[0], message, o);
  }
  if (code === 'ERR_SECRET_NOT_FOUND' || code === 'ERR_SECRET_VERSION_NOT_FOUND') {
    return new SecretNotFoundError(message, { ...o, version: code === 'ERR_SECRET_VERSION_NOT_FOUND' });
  }
  return new SecretError(code, message, o);
}

/** A failure of a whole batch, re-addressed to one of its names. */
export function readdressed(error: SecretError, site: CallSite): SecretError {
  return callError(error.code, site, `the batch read failed (${error.code})`, {
    retryable: error.retryable,
    hint: error.hint,
    cause: error.cause,
  });
}

/** `ERR_SECRET_VERSION_NOT_FOUND` for `version` of the site's secret. */
export function versionNotFound(site: CallSite, version: string, why = 'was not found'): SecretError {
  return callError('ERR_SECRET_VERSION_NOT_FOUND', site, `version "${printableName(version)}" ${why}`);
}
