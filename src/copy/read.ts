/**
 * Reads many names from one source for a copy: in bounded, retried batches where the store has
 * `getMany`, and name by name for whatever a batch could not settle, so one bad item never fails
 * the others and each error names the item that caused it.
 */
import { type ErrorCode, isSecretError, type SecretError, toSecretError } from '../core/errors.js';
import { type SecretRecord, type SecretSource, supports } from '../core/source.js';
import { mapPool, withRetry } from './retry.js';
import type { RetryOptions } from './types.js';

/** Names per `getMany` call from copy; the provider splits further to its own batch limit. */
const CHUNK = 20;

/** Errors that mean the store itself cannot be read (denied, unreachable, misconfigured, no SDK), not one item in it. */
function storeWide(code: ErrorCode): boolean {
  return (
    code.startsWith('ERR_SOURCE_') ||
    code === 'ERR_PROVIDER_DEPENDENCY_MISSING' ||
    code === 'ERR_OPERATION_UNSUPPORTED'
  );
}

/** Options for {@link readMany}. */
export interface ReadManyOptions {
  concurrency: number;
  retry?: RetryOptions | undefined;
  signal?: AbortSignal | undefined;
}

/** One name's outcome: its record, `undefined` (definitely absent), or its own coded error. */
export type ReadResult = { ok: true; record: SecretRecord | undefined } | { ok: false; error: SecretError };

/**
 * Reads `names`. A name a batch could not settle (the whole call failed, or its own entry failed
 * after the retries) is read again on its own and keeps its own error. Throws only when every name
 * failed with a store-wide error (denied, unreachable, misconfigured): then no item can be planned.
 */
export async function readMany(
  source: SecretSource,
  names: readonly string[],
  o: ReadManyOptions,
): Promise<Map<string, ReadResult>> {
  const out = new Map<string, ReadResult>();
  const retry = { ...o.retry, signal: o.signal };
  const single = async (name: string) => {
    try {
      out.set(name, {
        ok: true,
        record: await withRetry(() => source.get(name, { signal: o.signal }), retry),
      });
    } catch (err) {
      out.set(name, { ok: false, error: asError(err, source, name) });
    }
  };
  if (supports(source, 'getMany')) {
    const chunks: string[][] = [];
    for (let i = 0; i < names.length; i += CHUNK) chunks.push(names.slice(i, i + CHUNK));
    const unsettled: string[] = [];
    await mapPool(chunks, o.concurrency, async (chunk) => {
      let pending = chunk;
      try {
        await withRetry(async () => {
          const got = await source.getMany(pending, { signal: o.signal });
          const again: string[] = [];
          let lastError: unknown;
          for (const name of pending) {
            const entry = got.get(name);
            if (entry?.ok) out.set(name, { ok: true, record: entry.record });
            else if (entry && !entry.error.retryable) unsettled.push(name);
            else {
              again.push(name);
              lastError = entry?.error;
            }
          }
          pending = again;
          // Only the names that failed with a retryable error are asked for again.
          if (again.length > 0) throw asError(lastError, source, undefined, again.length);
        }, retry);
      } catch {
        // The batch call itself failed, or retries ran out: each name left is read on its own.
        unsettled.push(...pending);
      }
    });
    await mapPool(unsettled, o.concurrency, single);
  } else {
    await mapPool(names, o.concurrency, single);
  }
  const results = [...out.values()];
  if (results.length > 0 && results.every((r) => !r.ok && storeWide(r.error.code))) {
    throw (results[0] as { error: SecretError }).error;
  }
  return out;
}

function asError(err: unknown, source: SecretSource, name?: string, count?: number): SecretError {
  if (isSecretError(err)) return err;
  return toSecretError(err, {
    source: source.id,
    ...(name === undefined ? {} : { secretName: name }),
    action: name === undefined ? `reading ${count ?? 'several'} secrets` : 'reading',
  });
}
