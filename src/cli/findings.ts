/**
 * The one way the CLI prints strength findings: `check`, `copy`, `get` and `run` show the same
 * words for the same finding (`NAME  CODE  severity: message`) and carry the same fields in JSON.
 * Never a value: issues are data without it.
 */
import { isSecretError } from '../core/errors.js';

/** One finding as the CLI prints it: what it concerns, never the value. */
export interface CliFinding {
  /** The variable, config key or ref the finding concerns. */
  name: string;
  code: string;
  severity: 'error' | 'warning';
  message: string;
  /** The strength profile the value was judged with, when one was. */
  profile?: string | undefined;
  [detail: string]: unknown;
}

/** Findings for `name` from a verdict's issues (an `ERR_SECRET_WEAK` error's `path` is dropped). */
export function findingsOf(
  name: string,
  issues: readonly { code: string; severity?: string | undefined; message: string }[],
  profile?: string,
): CliFinding[] {
  return issues.map((issue) => {
    const {
      path: _path,
      code,
      severity,
      message,
      ...details
    } = issue as {
      path?: unknown;
      code: string;
      severity?: string;
      message: string;
    };
    return {
      name,
      code,
      severity: severity === 'warning' ? 'warning' : 'error',
      message,
      ...details,
      ...(profile === undefined ? {} : { profile }),
    };
  });
}

/** `NAME  CODE  severity: message`, one line. */
export function formatFinding(f: CliFinding): string {
  return `${f.name}  ${f.code}  ${f.severity}: ${f.message}\n`;
}

/** The strength findings inside an `ERR_SECRET_WEAK` error, for `name`; empty for other errors. */
export function findingsOfError(name: string, err: unknown): CliFinding[] {
  if (!isSecretError(err) || err.code !== 'ERR_SECRET_WEAK' || !('issues' in err)) return [];
  return findingsOf(name, err.issues as readonly { code: string; message: string }[]);
}
