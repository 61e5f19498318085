/** Reads many names from one source in bounded, retried batches (the source's `getMany` when it has one). */
import { isSecretError, toSecretError } from '../core/errors.js';
import { type SecretRecord, type SecretSource, supports } from '../core/source.js';
import { mapPool, withRetry } from './retry.js';
import type { RetryOptions } from './types.js';

/** Names per `getMany` call from copy; the provider splits further to its own batch limit. */
const CHUNK = 20;

/** Options for {@link readMany}. */
export interface ReadManyOptions {
  concurrency: number;
  retry?: RetryOptions | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Reads `names`; a name maps to its record or `undefined` (definitely absent). A failure that
 * outlives its retries throws, since a copy must not guess what a store it cannot read holds.
 */
export async function readMany(
  source: SecretSource,
  names: readonly string[],
  o: ReadManyOptions,
): Promise<Map<string, SecretRecord | undefined>> {
  const out = new Map<string, SecretRecord | undefined>();
  const retry = { ...o.retry, signal: o.signal };
  if (supports(source, 'getMany')) {
    const chunks: string[][] = [];
    for (let i = 0; i < names.length; i += CHUNK) chunks.push(names.slice(i, i + CHUNK));
    await mapPool(chunks, o.concurrency, async (chunk) => {
      let pending = chunk;
      await withRetry(async () => {
        const got = await source.getMany(pending, { signal: o.signal });
        const again: string[] = [];
        let lastError: unknown;
        for (const name of pending) {
          const entry = got.get(name);
          if (entry?.ok) out.set(name, entry.record);
          else if (entry && !entry.error.retryable) throw entry.error;
          else {
            again.push(name);
            lastError = entry?.error;
          }
        }
        pending = again;
        // Only the names that failed with a retryable error are asked for again.
        if (again.length > 0) {
          throw isSecretError(lastError)
            ? lastError
            : toSecretError(lastError, { source: source.id, action: `reading ${again.length} secrets` });
        }
      }, retry);
    });
    return out;
  }
  await mapPool(names, o.concurrency, async (name) => {
    out.set(name, await withRetry(() => source.get(name, { signal: o.signal }), retry));
  });
  return out;
}
