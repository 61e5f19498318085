/**
 * The call guard every store call of every network provider goes through: a per-call deadline,
 * the caller's abort, and the signal handed down to the SDK so the real request is cancelled
 * (its socket closed), not abandoned. Copy, rotate, key rings and the resolver are bounded by it
 * without wrapping anything themselves.
 */
import { isSecretError, SecretError } from '../../src/core/errors.js';
import { timeoutSetting } from '../../src/internal/env-config.js';
import { guard } from '../../src/internal/guard.js';
import { type CallSite, callError } from './errors.js';

/** Bounds every network provider accepts. */
export interface CallLimits {
  /**
   * Longest one store call may take, the SDK's own retries included; past it the request is
   * cancelled and the call fails with `ERR_SOURCE_TIMEOUT`.
   * @default 10000, or `SECRETSOURCE_TIMEOUT_MS`
   */
  timeoutMs?: number | undefined;
  /** Most pages one listing (`list`, `versions`) reads before it fails. @default 1000 */
  maxPages?: number | undefined;
  /** Longest one listing may wait on the store, all its pages together. @default 120000 */
  listTimeoutMs?: number | undefined;
  /**
   * Largest answer read for one call, in bytes; past it the connection is closed and the call
   * fails. Far above what the store itself sends. @default per store (see docs/reliability.md)
   */
  maxResponseBytes?: number | undefined;
}

/** {@link CallLimits} with every default applied. */
export interface Limits {
  timeoutMs: number;
  maxPages: number;
  listTimeoutMs: number;
  maxResponseBytes: number;
}

/** Resolves the limits from options and `SECRETSOURCE_TIMEOUT_MS`; throws `ERR_CONFIG_INVALID` for bad ones. */
export function callLimits(options: CallLimits, maxResponseBytes = 4 * 1024 * 1024): Limits {
  const maxPages = options.maxPages ?? 1000;
  const maxBytes = options.maxResponseBytes ?? maxResponseBytes;
  if (!Number.isInteger(maxBytes) || maxBytes < 1) {
    throw new SecretError('ERR_CONFIG_INVALID', 'maxResponseBytes must be a whole number above 0');
  }
  if (!Number.isInteger(maxPages) || maxPages < 1) {
    throw new SecretError('ERR_CONFIG_INVALID', 'maxPages must be a whole number above 0');
  }
  return {
    timeoutMs: timeoutSetting(options.timeoutMs, 'SECRETSOURCE_TIMEOUT_MS', 10_000),
    maxPages,
    listTimeoutMs: timeoutSetting(options.listTimeoutMs, 'SECRETSOURCE_LIST_TIMEOUT_MS', 120_000),
    maxResponseBytes: maxBytes,
  };
}

/**
 * The error for a caller's abort: the signal's reason when it is already a coded error (a
 * resolver's own deadline), `ERR_SOURCE_TIMEOUT` for `AbortSignal.timeout()`, else `ERR_ABORTED`.
 */
export function abortError(site: CallSite, reason: unknown): SecretError {
  if (isSecretError(reason)) return reason;
  if ((reason as { name?: unknown } | null)?.name === 'TimeoutError') {
    return callError('ERR_SOURCE_TIMEOUT', site, "the caller's deadline passed", { retryable: true });
  }
  return callError('ERR_ABORTED', site, 'aborted by the caller');
}

/** `ERR_SOURCE_TIMEOUT` for a call that outlived `ms`. */
export function timeoutError(site: CallSite, ms: number, what = 'no answer'): SecretError {
  return callError('ERR_SOURCE_TIMEOUT', site, `${what} within ${ms} ms`, {
    retryable: true,
    hint: 'raise timeoutMs, or check the store and the network path to it',
  });
}

/**
 * Runs one store call under the deadline and the caller's signal. `call` gets the signal to hand
 * to the SDK; whatever it throws is passed through `mapError` (the store's mapping to our codes).
 */
export function guarded<T>(
  site: CallSite,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  return guard(call, {
    timeoutMs,
    signal,
    timeoutError: () => timeoutError(site, timeoutMs),
    abortError: (reason) => abortError(site, reason),
  });
}
