import { nodeCrypto } from './builtins.js';
import { fingerprintOf } from './fingerprint.js';

const BRAND = Symbol.for('secretsource.Secret');
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
/** Values live here, keyed by the Secret, so they are never an own property of the object. */
const VALUES = new WeakMap<Secret, string | Uint8Array>();

/** Options for a new {@link Secret}. */
export interface SecretInit {
  /** Name shown in the redacted form. @default 'value' */
  name?: string | undefined;
}

/**
 * A secret value that never prints itself. `String()`, template strings, `JSON.stringify`,
 * `util.inspect` and `console.log` show `[secret NAME]`; {@link Secret.reveal} is the one way out.
 * @example
 * const s = new Secret('hunter2', { name: 'DB_PASSWORD' });
 * `${s}` // '[secret DB_PASSWORD]'
 * s.reveal() // 'hunter2'
 */
export class Secret {
  /** Name shown in the redacted form. */
  readonly name: string;

  constructor(value: string | Uint8Array, init: SecretInit = {}) {
    if (typeof value !== 'string' && !(value instanceof Uint8Array)) {
      throw new TypeError('Secret value must be a string or a Uint8Array');
    }
    this.name = init.name ?? 'value';
    VALUES.set(this, typeof value === 'string' ? value : Uint8Array.from(value));
    Object.defineProperty(this, BRAND, { value: true });
    Object.freeze(this);
  }

  /** True when the value was stored as bytes rather than text. */
  get isBinary(): boolean {
    return typeof VALUES.get(this) !== 'string';
  }

  /** Byte length of the value (UTF-8 for text). */
  get byteLength(): number {
    const v = VALUES.get(this)!;
    return typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : v.byteLength;
  }

  /** Returns the value as text (bytes are decoded as UTF-8). The only way to read a text value. */
  reveal(): string {
    const v = VALUES.get(this)!;
    return typeof v === 'string' ? v : Buffer.from(v).toString('utf8');
  }

  /** Returns a fresh copy of the value as bytes (text is encoded as UTF-8). */
  bytes(): Uint8Array {
    const v = VALUES.get(this)!;
    return typeof v === 'string' ? new Uint8Array(Buffer.from(v, 'utf8')) : Uint8Array.from(v);
  }

  /** Compares with another secret, string or byte array in constant time for equal lengths. */
  equals(other: Secret | string | Uint8Array): boolean {
    const a = Buffer.from(this.bytes());
    const b = Buffer.from(
      isSecret(other) ? other.bytes() : typeof other === 'string' ? Buffer.from(other) : other,
    );
    // timingSafeEqual needs equal lengths; compare against self so the time does not depend on b.
    if (a.length !== b.length) {
      nodeCrypto().timingSafeEqual(a, a);
      return false;
    }
    return nodeCrypto().timingSafeEqual(a, b);
  }

  /**
   * A short keyed digest (HMAC-SHA256, 64 bits, hex) that is safe to print: nobody without the key
   * can test guesses of the value against it (docs/fingerprints.md). `fp_…` under `key` or the
   * installation's `SECRETSOURCE_FINGERPRINT_KEY` (compares wherever that key is set); without
   * either, `fpr_…` under a random key of this process (compares within this run only).
   * Throws `ERR_CONFIG_INVALID` when `SECRETSOURCE_FINGERPRINT_KEY` is shorter than 32 characters.
   */
  fingerprint(key?: string | Uint8Array): string {
    return fingerprintOf(this.bytes(), key);
  }

  /** A copy under another display name. */
  withName(name: string): Secret {
    return new Secret(VALUES.get(this)!, { name });
  }

  /** Redacted form. */
  toString(): string {
    return `[secret ${this.name}]`;
  }

  /** Redacted form for `JSON.stringify`. */
  toJSON(): string {
    return this.toString();
  }

  [Symbol.toPrimitive](): string {
    return this.toString();
  }

  [INSPECT](): string {
    return this.toString();
  }
}

/** True for a Secret from any copy of secretsource. */
export function isSecret(value: unknown): value is Secret {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
