/** Key generation from the operating system's CSPRNG. */
import { nodeCrypto } from '../core/builtins.js';
import { SecretError } from '../core/errors.js';

/** Encodings `generateKey` can write. */
export type KeyEncoding = 'base64url' | 'hex' | 'base64';

/** The encodings, for help texts and validation. */
export const KEY_ENCODINGS: readonly KeyEncoding[] = ['base64url', 'hex', 'base64'];

/** Fewest bytes accepted: 32 bytes (256 bits) is the HS256 minimum (RFC 7518 §3.2). */
export const MIN_KEY_BYTES = 32;
/**
 * Most bytes accepted: 1024 bytes (8192 bits) is 16 times the HS512 requirement; anything larger
 * is a typo (`--bytes 10000000`), not a key anyone needs.
 */
export const MAX_KEY_BYTES = 1024;

/** Options for {@link generateKey}. */
export interface GenerateKeyOptions {
  /** Random bytes in the key. @default 64 */
  bytes?: number | undefined;
  /** How the bytes are written. @default 'base64url' */
  encoding?: KeyEncoding | undefined;
}

/**
 * Returns a new random key: `bytes` bytes from `crypto.randomBytes`, encoded (base64url without
 * padding, lower-case hex, or padded base64). Throws `ERR_USAGE` for fewer than 32 or more than 1024
 * bytes, a non-integer count, or an unknown encoding. The default (64 bytes) passes `jwt-hs512`.
 * @example generateKey() // 86 base64url characters, 512 bits
 * @example generateKey({ bytes: 32, encoding: 'hex' }) // 64 hex digits
 */
export function generateKey(options: GenerateKeyOptions = {}): string {
  const bytes = options.bytes ?? 64;
  const encoding = options.encoding ?? 'base64url';
  if (typeof bytes !== 'number' || !Number.isInteger(bytes)) {
    throw new SecretError('ERR_USAGE', 'key size must be a whole number of bytes', {
      hint: `use --bytes ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES}`,
    });
  }
  if (bytes < MIN_KEY_BYTES) {
    throw new SecretError(
      'ERR_USAGE',
      `a key of ${bytes} bytes is too short: at least ${MIN_KEY_BYTES} bytes (256 bits) are needed for HS256`,
      { hint: 'use the default of 64 bytes, or --bytes 32 at the least' },
    );
  }
  if (bytes > MAX_KEY_BYTES) {
    throw new SecretError(
      'ERR_USAGE',
      `a key of ${bytes} bytes is larger than the ${MAX_KEY_BYTES}-byte maximum`,
      {
        hint: 'HS512 needs 64 bytes; more adds nothing',
      },
    );
  }
  if (!KEY_ENCODINGS.includes(encoding)) {
    throw new SecretError('ERR_USAGE', `unknown key encoding; expected one of ${KEY_ENCODINGS.join(', ')}`);
  }
  return nodeCrypto().randomBytes(bytes).toString(encoding);
}
