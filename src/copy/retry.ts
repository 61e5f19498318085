/** Bounded concurrency and exponential backoff for store calls, shared by copy and rotate. */
import { isSecretError, SourceError } from '../core/errors.js';
import type { RetryOptions } from './types.js';

/** True when trying again may succeed (throttled, 5xx, network, timeout). */
export function isRetryable(err: unknown): boolean {
  return isSecretError(err) && err.retryable;
}

/**
 * Runs `fn`, retrying retryable failures with full-jitter exponential backoff. `fn` receives the
 * attempt number, so a write can check whether an earlier attempt already landed.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions & { signal?: AbortSignal | undefined } = {},
): Promise<T> {
  const retries = options.retries ?? 6;
  const base = options.baseMs ?? 100;
  const max = options.maxMs ?? 5000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!isRetryable(err) || attempt >= retries || options.signal?.aborted) throw err;
      // Full jitter spreads retries of many workers hit by the same throttle.
      await sleep(Math.random() * Math.min(max, base * 2 ** attempt), options.signal);
    }
  }
}

/** Maps `items` through `fn` with at most `concurrency` calls in flight; results keep their order. */
export async function mapPool<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  const n = Math.max(1, Math.min(Math.floor(concurrency) || 1, items.length));
  await Promise.all(Array.from({ length: n }, worker));
  return out;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(aborted());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function aborted(): SourceError {
  return new SourceError('ERR_SOURCE_TIMEOUT', 'the copy was aborted by the caller', { retryable: false });
}
