/**
 * Strength checks: `evaluate` (the one policy every door applies: profile from the names, rules,
 * severity by environment), `checkStrength` for one value and profile, `pickProfile` and
 * `defaultProfileForName` for the name rule, and `checkDeployConfig` for the pre-deploy
 * configuration rules.
 */

export {
  type DeployIssueCode,
  type Finding,
  ISSUE_CODES,
  type IssueCode,
  type IssueDetails,
  type Severity,
  type ValueIssueCode,
} from '../core/issues.js';
export { checkStrength } from './check.js';
export type { SharedWith } from './context.js';
export { checkDeployConfig, type DeployCheckOptions, type DeployCheckResult } from './deploy.js';
export { type EvaluateInput, evaluate, type Verdict } from './engine.js';
export { defaultEnvironment, ENVIRONMENTS, SEVERITY, severityOf } from './environment.js';
export {
  type PolicyNames,
  type ProfileChoice,
  type ProfileOrNone,
  type ProfileRules,
  type ProfileSource,
  pickProfile,
  profileForName,
} from './names.js';
export { defaultProfileForName, PROFILE_NAMES, PROFILES, type ProfileSpec } from './profiles.js';
export type {
  Environment,
  StrengthIssue,
  StrengthOptions,
  StrengthProfile,
  StrengthResult,
} from './types.js';
export {
  compileKnownValues,
  type KnownValueList,
  registerKnownValues,
  type UserKnownValue,
} from './user-known.js';
