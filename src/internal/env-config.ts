/** Environment-overridable defaults, read once per call site, validated. */
import { SecretError } from '../core/errors.js';
import { MAX_TIMER_MS } from './guard.js';

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

/**
 * A timeout in ms from an option, else `process.env[envName]`, else `fallback`. Refuses anything
 * but a whole number from 1 to 2^31−1: Node's timers turn larger delays into 1 ms, which would
 * make every call time out at once.
 */
export function timeoutSetting(option: number | undefined, envName: string, fallback: number): number {
  const fromEnv = option === undefined;
  const ms = fromEnv ? envNumber(envName, fallback) : option;
  if (!Number.isInteger(ms) || ms < 1 || ms > MAX_TIMER_MS) {
    const what = fromEnv ? envName : 'timeoutMs';
    throw new SecretError(
      'ERR_CONFIG_INVALID',
      `${what} must be a whole number of milliseconds from 1 to ${MAX_TIMER_MS} (about 24.8 days)`,
      { hint: `e.g. ${fallback}` },
    );
  }
  return ms;
}
