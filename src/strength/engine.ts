/**
 * `evaluate`: the one strength policy every door applies (resolver get, getMany, getManySettled,
 * load and key rings; CLI run, get, check and copy; the key rotate writes; scan). It picks the
 * profile from the value's names, runs the registered rules and weighs each finding with the
 * environment's severity table. It returns a verdict and never throws for any value: each door
 * decides what a failing verdict means for it (throw `ERR_SECRET_WEAK`, refuse a copy, exit 1).
 */

import type { StrengthIssue } from '../core/issues.js';
import type { Secret } from '../core/secret.js';
import { analyse, withSeverity } from './check.js';
import type { Rule, SharedWith } from './context.js';
import { checkEnvironment, defaultEnvironment, severityOf } from './environment.js';
import {
  type PolicyNames,
  type ProfileOrNone,
  type ProfileRules,
  type ProfileSource,
  pickProfile,
} from './names.js';
import { profileSpec } from './profiles.js';
import type { Environment, StrengthOptions, StrengthResult } from './types.js';
import type { KnownValueList } from './user-known.js';

/** What `evaluate` needs besides the value. Plain data, so any door can build it. */
export interface EvaluateInput {
  /** The names the value is known by: config key or variable name, JSON field, store name. */
  names?: PolicyNames | undefined;
  /** @default 'production' when NODE_ENV=production, else 'development' */
  environment?: Environment | undefined;
  /** Explicit profile; wins over every name. `'none'` skips the check. */
  profile?: ProfileOrNone | undefined;
  /** Caller name rules (exact names or `/regex/` strings), tried on every name before the built-in rule. */
  profiles?: ProfileRules | undefined;
  /** Profile when no name implies one. @default 'generic' */
  defaultProfile?: ProfileOrNone | undefined;
  /** Warnings fail too. @default false */
  strict?: boolean | undefined;
  /** Other environments the door found the same value in (by fingerprint). */
  sharedWith?: readonly SharedWith[] | undefined;
  /** The caller's own known values, from `compileKnownValues` (a policy's `knownValues`). */
  knownValues?: KnownValueList | undefined;
}

/** The policy's answer for one value. */
export interface Verdict {
  /** False when any issue is an error for the environment. */
  ok: boolean;
  /** The profile applied; `'none'` when the value was not judged. */
  profile: ProfileOrNone;
  /** Which input decided the profile. */
  profileFrom: ProfileSource;
  environment: Environment;
  /** Findings with their severity; never the value or any part of it. */
  issues: StrengthIssue[];
  /** Estimated entropy in bits; undefined when the value was not judged. */
  estimatedBits: number | undefined;
}

/** A replacement for the rule analysis, e.g. the resolver's `policy.check`. */
export type StrengthCheck = (value: string | Secret, options: StrengthOptions) => StrengthResult;

/** Hooks for the resolver's `policy.check` option and for benchmarks. */
export interface EvaluateHooks {
  /** Replaces the rule analysis; its issues are still weighed by the severity table. */
  check?: StrengthCheck | undefined;
  /** The rules to run. @default RULES */
  rules?: readonly Rule[] | undefined;
}

/**
 * Judges `value` for the environment, with the profile its names imply.
 * @example
 * const v = evaluate('secret', { names: { key: 'JWT_SECRET_KEY' }, environment: 'production' });
 * // v.ok === false, v.profile === 'jwt-hs256', v.issues[0].code === 'WEAK_KNOWN_LEAKED'
 */
export function evaluate(
  value: string | Secret,
  input: EvaluateInput = {},
  hooks: EvaluateHooks = {},
): Verdict {
  const environment = checkEnvironment(input.environment ?? defaultEnvironment());
  const names = input.names ?? {};
  const choice = pickProfile(names, {
    profile: input.profile,
    rules: input.profiles,
    defaultProfile: input.defaultProfile,
  });
  if (choice.profile === 'none') {
    return {
      ok: true,
      profile: 'none',
      profileFrom: choice.from,
      environment,
      issues: [],
      estimatedBits: undefined,
    };
  }
  const strict = input.strict === true;
  const all = [names.key, names.field, names.store].filter((n): n is string => n !== undefined);
  let issues: StrengthIssue[];
  let estimatedBits: number | undefined;
  if (hooks.check) {
    const r = hooks.check(value, { profile: choice.profile, environment, strict, name: all[0] });
    issues = r.issues.map(
      (i) => ({ ...i, severity: severityOf(i.code, environment, strict) }) as StrengthIssue,
    );
    estimatedBits = r.estimatedBits;
  } else {
    const analysis = analyse(value, {
      profile: profileSpec(choice.profile),
      names: all,
      sharedWith: input.sharedWith,
      rules: hooks.rules,
      knownValues: input.knownValues,
    });
    issues = withSeverity(analysis.findings, environment, strict);
    estimatedBits = analysis.estimatedBits;
  }
  return {
    ok: !issues.some((i) => i.severity === 'error'),
    profile: choice.profile,
    profileFrom: choice.from,
    environment,
    issues,
    estimatedBits,
  };
}
