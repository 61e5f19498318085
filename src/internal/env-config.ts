/** Environment-overridable defaults, read once per call site, validated. */
import { SecretError } from '../core/errors.js';

/** Reads a non-negative integer from `process.env[name]`, or returns `fallback` when unset. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new SecretError(
      'ERR_CONFIG_INVALID',
      `${name} must be a non-negative integer number of milliseconds`,
      {
        hint: `unset ${name} or set it to e.g. 300000`,
      },
    );
  }
  return n;
}
