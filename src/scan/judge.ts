/**
 * The one door from the scanner to the strength policy: every value a recogniser finds is judged
 * here by the engine's `evaluate`, exactly as the resolver, load, copy, check, get, run and rotate
 * judge a value, for the environment of the scan. Only the verdict, the issue codes and the profile
 * come back; the value goes no further.
 */
import { evaluate } from '../strength/engine.js';
import { profileForName } from '../strength/names.js';
import type { Environment, StrengthProfile } from '../strength/types.js';
import type { ScanVerdict } from './types.js';

/** What the engine says about one value. */
export interface Judgement {
  /** `weak` when the engine has any issue for the value (an error or a warning), else `strong`. */
  verdict: ScanVerdict;
  /** The engine's own verdict: false when any issue is an error for the environment. */
  ok: boolean;
  codes: string[];
  profile: StrengthProfile;
}

/**
 * The name the engine's name rule reads: the first of the setting and its aliases (env var, config
 * path, token) that implies a secret profile. The scanner has already decided the setting holds a
 * secret (its own name rule is wider: code identifiers, signing callees), so when the engine would
 * call every name not secret (`'none'`) or none implies a profile, the value is still judged, with
 * the engine's default profile.
 */
function policyKey(names: readonly string[]): string | undefined {
  for (const n of names) {
    const p = profileForName(n);
    if (p !== undefined && p !== 'none') return n;
  }
  return undefined;
}

/** Judges `value` as the secret called `names[0]` (further names are aliases: env var, config path). */
export function judge(value: string, names: readonly string[], environment: Environment): Judgement {
  const key = policyKey(names);
  // No name the engine reads as secret: its default profile, stated, so that a 'none' name cannot skip the check.
  const v = evaluate(value, {
    names: { key: key ?? names[0] },
    environment,
    ...(key === undefined ? { profile: 'generic' as const } : {}),
  });
  const profile: StrengthProfile = v.profile === 'none' ? 'generic' : v.profile;
  const codes = v.issues.map((i) => i.code);
  return { verdict: codes.length === 0 ? 'strong' : 'weak', ok: v.ok, codes, profile };
}
