/**
 * Fingerprints and key ids: what may be printed about a value without letting anyone test guesses
 * of it offline. The design and its limits are in docs/fingerprints.md; in short:
 *
 * - A display fingerprint (`Secret.fingerprint()`) is an HMAC-SHA256 under a key the reader does
 *   not have: `SECRETSOURCE_FINGERPRINT_KEY` (one random key per installation, shared by the
 *   processes whose fingerprints should compare: `fp_…`), or else a random key made once per
 *   process (`fpr_…`: compares only within this run). The old fixed public key made every printed
 *   fingerprint an offline oracle: `Summer2024!` fell out of `get`'s output in a millisecond.
 * - A key-ring `kid` is published in every token, so it is not derived from the value at all when
 *   the store has versions (a digest of the name and version id), and otherwise only under the
 *   installation key. Without either, a ring of one key has a constant `kid`.
 */
import { nodeCrypto } from './builtins.js';
import { SecretError } from './errors.js';

/** The environment variable holding the installation's fingerprint key. */
export const FINGERPRINT_KEY_ENV = 'SECRETSOURCE_FINGERPRINT_KEY';

/** Shortest accepted installation key: 32 characters, e.g. `secretsource generate --bytes 32`. */
export const MIN_FINGERPRINT_KEY_LENGTH = 32;

const FP_DOMAIN = 'secretsource/fingerprint/v2\0';
const KID_DOMAIN = 'secretsource/kid/v1\0';

let processKey: Buffer | undefined;

/** Where a fingerprint made now can be compared. */
export type FingerprintScope = 'installation' | 'process';

/**
 * `'installation'` when `SECRETSOURCE_FINGERPRINT_KEY` is set (fingerprints compare across every
 * process that shares it), else `'process'` (a random key of this process: they compare only here).
 */
export function fingerprintScope(): FingerprintScope {
  return installationKey() === undefined ? 'process' : 'installation';
}

/** The installation key, or undefined; a key too short to resist guessing is a configuration error. */
function installationKey(): string | undefined {
  const key = process.env[FINGERPRINT_KEY_ENV];
  if (key === undefined || key === '') return undefined;
  if (key.length < MIN_FINGERPRINT_KEY_LENGTH) {
    throw new SecretError(
      'ERR_CONFIG_INVALID',
      `${FINGERPRINT_KEY_ENV} is shorter than ${MIN_FINGERPRINT_KEY_LENGTH} characters, so fingerprints made with it could be guessed`,
      { hint: 'set it to a random key: secretsource generate --bytes 32 --quiet' },
    );
  }
  return key;
}

function hmac16(key: string | Uint8Array, domain: string, bytes: Uint8Array): string {
  return nodeCrypto().createHmac('sha256', key).update(domain).update(bytes).digest('hex').slice(0, 16);
}

/**
 * The display fingerprint of `bytes`: `fp_` + 16 hex under `key` or the installation key, `fpr_` +
 * 16 hex under this process's random key.
 */
export function fingerprintOf(bytes: Uint8Array, key?: string | Uint8Array): string {
  const k = key ?? installationKey();
  if (k !== undefined) return `fp_${hmac16(k, FP_DOMAIN, bytes)}`;
  processKey ??= nodeCrypto().randomBytes(32);
  return `fpr_${hmac16(processKey, FP_DOMAIN, bytes)}`;
}

/** Where a key lives, for {@link keyIdOf}. */
export interface KeyIdInput {
  /** The secret's name in its store, with `#field` when the key is a field. */
  name: string;
  /** The store's version id; undefined for stores without versions. */
  version?: string | undefined;
}

/**
 * The `kid` of a key: `k_` + 16 hex. From the name and the store's version id when there is one
 * (nothing of the value), else from the value under the installation key, else from the name only
 * (a ring of one key: every instance agrees, and nothing about the value is published).
 */
export function keyIdOf(bytes: Uint8Array, at: KeyIdInput): string {
  if (at.version !== undefined) {
    return `k_${nodeCrypto().createHash('sha256').update(KID_DOMAIN).update(`${at.name}\0${at.version}`).digest('hex').slice(0, 16)}`;
  }
  const key = installationKey();
  if (key !== undefined) return `k_${hmac16(key, KID_DOMAIN, bytes)}`;
  return `k_${nodeCrypto().createHash('sha256').update(KID_DOMAIN).update(`${at.name}\0`).digest('hex').slice(0, 16)}`;
}
