/** Strength profiles: what a secret is for decides how many bits it needs. */
import { ConfigError } from '../core/errors.js';
import { profileForName } from './names.js';
import type { StrengthProfile } from './types.js';

/** What a profile requires. */
export interface ProfileSpec {
  name: StrengthProfile;
  /** Minimum estimated bits (RFC 7518 §3.2: an HMAC key at least the hash output size). */
  minBits: number;
  /** Count hex and base64 values on their decoded bytes (keys), not on their characters. */
  decode: boolean;
}

/** Every profile and its requirement. */
export const PROFILES: Readonly<Record<StrengthProfile, ProfileSpec>> = {
  'jwt-hs256': { name: 'jwt-hs256', minBits: 256, decode: true },
  'jwt-hs384': { name: 'jwt-hs384', minBits: 384, decode: true },
  'jwt-hs512': { name: 'jwt-hs512', minBits: 512, decode: true },
  // API keys and generic secrets: 128 bits is beyond any online or offline guessing.
  'api-key': { name: 'api-key', minBits: 128, decode: true },
  generic: { name: 'generic', minBits: 128, decode: true },
  // Human passwords behind rate-limited, salted-hash logins: 64 bits resists offline cracking of a slow hash.
  password: { name: 'password', minBits: 64, decode: false },
};

/** The profile names, for help texts and validation. */
export const PROFILE_NAMES = Object.keys(PROFILES) as StrengthProfile[];

/**
 * The profile a variable's name implies, or undefined when it implies none or is not a secret name:
 * `jwt-hs256` for `JWT` and `SECRET_KEY` names (`jwt-hs384`/`jwt-hs512` with `HS384`/`HS512`),
 * `password` for password names, `api-key` for API keys and tokens, `generic` for other secret
 * names. The same rule every door uses (see `pickProfile`).
 * @example defaultProfileForName('JWT_SECRET') // 'jwt-hs256'
 */
export function defaultProfileForName(name: string): StrengthProfile | undefined {
  const p = profileForName(name);
  return p === 'none' ? undefined : p;
}

/** Returns the profile's spec; throws `ERR_CONFIG_INVALID` for an unknown name. */
export function profileSpec(profile: unknown): ProfileSpec {
  if (typeof profile === 'string' && Object.hasOwn(PROFILES, profile))
    return PROFILES[profile as StrengthProfile];
  const shown = typeof profile === 'string' ? JSON.stringify(profile.slice(0, 40)) : typeof profile;
  throw new ConfigError(`unknown strength profile ${shown}; expected one of ${PROFILE_NAMES.join(', ')}`, [
    { code: 'invalid_profile', message: `expected one of ${PROFILE_NAMES.join(', ')}`, path: ['profile'] },
  ]);
}
