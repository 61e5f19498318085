/**
 * Strength checks: `checkStrength` for one value, `defaultProfileForName` for the name rule and
 * `checkDeployConfig` for the pre-deploy configuration rules.
 */
export { checkStrength } from './check.js';
export { checkDeployConfig, type DeployCheckOptions, type DeployCheckResult } from './deploy.js';
export { ISSUE_CODES, type IssueCode } from './issue-codes.js';
export {
  defaultProfileForName,
  ENVIRONMENTS,
  PROFILE_NAMES,
  PROFILES,
  type ProfileSpec,
} from './profiles.js';
export type {
  Environment,
  StrengthIssue,
  StrengthOptions,
  StrengthProfile,
  StrengthResult,
} from './types.js';
