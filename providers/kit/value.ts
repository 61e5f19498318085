/**
 * Value conversion at the store boundary, the same for every store: what a read returns becomes
 * a `Secret` (or a coded refusal when it is missing, of the wrong type, or over the store's
 * declared size), and what a write is given becomes text or bytes (binary and size refused up front).
 */
import { OperationUnsupportedError, type SecretError } from '../../src/core/errors.js';
import { isSecret, Secret } from '../../src/core/secret.js';
import type { Capabilities } from '../../src/core/source.js';
import { type CallSite, callError } from './errors.js';

function byteLength(value: string | Uint8Array): number {
  return typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.byteLength;
}

function tooLarge(site: CallSite, size: number, max: number, what: string): SecretError {
  return callError(
    'ERR_SECRET_MALFORMED',
    site,
    `${what} is ${size} bytes, over the store's ${max}-byte limit`,
    {
      hint: 'the store declares this limit in capabilities.maxValueBytes',
    },
  );
}

/**
 * The `Secret` for a value a store returned. Refuses a missing value, anything but text or bytes,
 * and a value over `maxBytes` (a store cannot hold more than it declares, so such an answer is
 * not the store's).
 */
export function readValue(site: CallSite, value: unknown, maxBytes: number | undefined): Secret {
  if (value === undefined || value === null) {
    throw callError('ERR_SECRET_MALFORMED', site, 'the answer holds no value');
  }
  if (typeof value !== 'string' && !(value instanceof Uint8Array)) {
    throw callError('ERR_SECRET_MALFORMED', site, `the answer's value is ${typeof value}, not text or bytes`);
  }
  const size = byteLength(value);
  if (maxBytes !== undefined && size > maxBytes) throw tooLarge(site, size, maxBytes, 'the value read');
  return new Secret(value, site.name === undefined ? {} : { name: site.name });
}

/** What a store declares about the values it accepts. */
export type WriteRules = Pick<Capabilities, 'binary' | 'maxValueBytes' | 'emptyValues'>;

/** The text or bytes to send for `value`, refused up front when the store's declaration says it could not take it. */
export function writeValue(site: CallSite, value: unknown, rules: WriteRules): string | Uint8Array {
  let raw: unknown = value;
  if (isSecret(value)) raw = value.isBinary ? value.bytes() : value.reveal();
  if (typeof raw !== 'string' && !(raw instanceof Uint8Array)) {
    throw callError('ERR_SECRET_MALFORMED', site, 'the value must be text, bytes or a Secret');
  }
  if (typeof raw !== 'string' && !rules.binary) {
    throw new OperationUnsupportedError(site.source, 'binary values', { secretName: site.name });
  }
  if (rules.emptyValues === false && raw.length === 0) {
    throw callError(
      'ERR_SECRET_MALFORMED',
      site,
      'refused: the value is empty, and this store keeps no empty value',
    );
  }
  const size = byteLength(raw);
  if (rules.maxValueBytes !== undefined && size > rules.maxValueBytes) {
    throw tooLarge(site, size, rules.maxValueBytes, 'the value');
  }
  return raw;
}
