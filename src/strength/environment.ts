/**
 * Environments and the one severity table: what a finding weighs in each environment. Every door
 * (resolver, copy, check, run, get, rotate, scan) takes its severities from here.
 */
import { ConfigError } from '../core/errors.js';
import type { IssueCode, Severity } from '../core/issues.js';
import type { Environment } from './types.js';

/** The environments, for help texts and validation. */
export const ENVIRONMENTS: readonly Environment[] = ['production', 'staging', 'development', 'test'];

/**
 * Severity of every finding per environment. Production and staging refuse (RFC 8725 §3.5: a weak
 * or public HMAC key is forgeable wherever tokens are accepted); development and test report the
 * same findings as warnings so local work and test suites keep running. `strict` turns warnings
 * into errors. A code may override its environment's default here; none does today.
 */
export const SEVERITY: Readonly<
  Record<Environment, { default: Severity; codes?: Partial<Record<IssueCode, Severity>> }>
> = {
  production: { default: 'error' },
  staging: { default: 'error' },
  development: { default: 'warning' },
  test: { default: 'warning' },
};

/** The severity of `code` in `environment`; `strict` makes every finding an error. */
export function severityOf(code: string, environment: Environment, strict = false): Severity {
  if (strict) return 'error';
  const row = SEVERITY[environment];
  return row.codes?.[code as IssueCode] ?? row.default;
}

/**
 * The environment when none is given: production when `NODE_ENV` says so, else development.
 * @example defaultEnvironment({ NODE_ENV: 'production' }) // 'production'
 */
export function defaultEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Environment {
  return env.NODE_ENV === 'production' ? 'production' : 'development';
}

/** Validates an environment name; throws `ERR_CONFIG_INVALID` for an unknown one. */
export function checkEnvironment(environment: unknown): Environment {
  if (typeof environment === 'string' && (ENVIRONMENTS as readonly string[]).includes(environment)) {
    return environment as Environment;
  }
  const shown =
    typeof environment === 'string' ? JSON.stringify(environment.slice(0, 40)) : typeof environment;
  throw new ConfigError(`unknown environment ${shown}; expected one of ${ENVIRONMENTS.join(', ')}`, [
    {
      code: 'invalid_environment',
      message: `expected one of ${ENVIRONMENTS.join(', ')}`,
      path: ['environment'],
    },
  ]);
}
