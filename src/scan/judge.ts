/**
 * The one door from the scanner to the strength engine: every value a recogniser finds is judged
 * here, with the profile its names imply, for the environment of the scan. Only the verdict, the
 * issue codes and the profile come back; the value goes no further.
 */
import { checkStrength } from '../strength/check.js';
import { defaultProfileForName } from '../strength/profiles.js';
import type { Environment, StrengthProfile } from '../strength/types.js';
import { isPasswordName } from './names.js';
import type { ScanVerdict } from './types.js';

/** What the engine says about one value. */
export interface Judgement {
  verdict: ScanVerdict;
  codes: string[];
  profile: StrengthProfile;
}

/** Profile the names imply: a JWT or framework key, a password, else a generic secret. */
export function profileFor(names: readonly string[]): StrengthProfile {
  for (const n of names) {
    const p = defaultProfileForName(n);
    if (p) return p;
  }
  return names.some(isPasswordName) ? 'password' : 'generic';
}

/** Judges `value` as the secret called `names[0]` (further names are aliases: env var, config path). */
export function judge(value: string, names: readonly string[], environment: Environment): Judgement {
  const profile = profileFor(names);
  const r = checkStrength(value, { profile, environment, name: names[0] });
  const codes = r.issues.map((i) => i.code);
  return { verdict: r.ok && codes.length === 0 ? 'strong' : 'weak', codes, profile };
}
