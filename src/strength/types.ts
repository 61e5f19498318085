/** Types of the strength checks, shared by the checker, the resolver and the CLI. */
import type { StrengthIssue } from '../core/issues.js';

export type { Finding, IssueCode, Severity, StrengthIssue } from '../core/issues.js';

/** What a secret is for; decides the minimum bits and which rules apply. */
export type StrengthProfile = 'jwt-hs256' | 'jwt-hs384' | 'jwt-hs512' | 'api-key' | 'generic' | 'password';

/** Deployment environment; production and staging fail on errors, the others warn unless strict. */
export type Environment = 'production' | 'staging' | 'development' | 'test';

/** What `checkStrength` returns. */
export interface StrengthResult {
  /** False when any issue is an error for the environment. */
  ok: boolean;
  issues: StrengthIssue[];
  /** Estimated entropy in bits, counted on the decoded alphabet. */
  estimatedBits: number;
}

/** Options for `checkStrength`. */
export interface StrengthOptions {
  /** @default 'jwt-hs256' */
  profile?: StrengthProfile | undefined;
  /** @default 'production' when NODE_ENV=production, else 'development' */
  environment?: Environment | undefined;
  /** Treat warnings as failures. @default false */
  strict?: boolean | undefined;
  /** The variable's name, so a value equal to its own name is caught. */
  name?: string | undefined;
}
