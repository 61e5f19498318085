/**
 * The `getMany` skeleton every batching store shares: dedupe, validate, chunk to the store's
 * limit, settle what each chunk answers, read the rest one by one, and return the caller's order.
 */
import { type SecretError, toSecretError } from '../../src/core/errors.js';
import type { BatchEntry, SecretRecord } from '../../src/core/source.js';
import { type CallSite, readdressed } from './errors.js';

/** What a store supplies to {@link batchGet}. */
export interface BatchPlan {
  /** Where the reads go (`action` and `name` are filled in per name). */
  site: Omit<CallSite, 'action' | 'name'>;
  /** Throws a coded error for a name the store cannot hold. */
  validate(name: string): void;
  /** Names per batch call; `0` reads every name singly (e.g. versioned reads the batch API lacks). */
  chunkSize: number;
  /**
   * Reads one chunk and records the names it settles in `out`. Names left unsettled are read
   * singly. Throwing fails the chunk: each name gets the error, unless `fallBack(err)` says the
   * endpoint lacks the batch API, in which case each name is read singly.
   */
  readChunk(names: string[], out: Map<string, BatchEntry>): Promise<void>;
  /** Reads one name: the per-name fallback. */
  readOne(name: string): Promise<SecretRecord | undefined>;
  fallBack?(err: unknown): boolean;
}

/** Splits `items` into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Reads `names` per `plan`; every name gets an entry (record, absent, or its coded error), in the caller's order. */
export async function batchGet(names: readonly string[], plan: BatchPlan): Promise<Map<string, BatchEntry>> {
  const unique = [...new Set(names)];
  const out = new Map<string, BatchEntry>();
  const valid: string[] = [];
  for (const name of unique) {
    try {
      plan.validate(name);
      valid.push(name);
    } catch (err) {
      out.set(name, { ok: false, error: err as SecretError });
    }
  }
  const single = async (name: string) => {
    try {
      out.set(name, { ok: true, record: await plan.readOne(name) });
    } catch (err) {
      out.set(name, {
        ok: false,
        error: toSecretError(err, { ...plan.site, action: 'read', secretName: name }),
      });
    }
  };
  const readChunk = async (names: string[]) => {
    try {
      await plan.readChunk(names, out);
    } catch (err) {
      if (!plan.fallBack?.(err)) {
        const error = toSecretError(err, { ...plan.site, action: 'batch read' });
        for (const name of names) {
          if (!out.has(name))
            out.set(name, { ok: false, error: readdressed(error, { ...plan.site, action: 'read', name }) });
        }
        return;
      }
    }
    // Names the store answered for neither way are read singly rather than guessed absent.
    await Promise.all(names.filter((n) => !out.has(n)).map(single));
  };
  if (plan.chunkSize <= 0) await Promise.all(valid.map(single));
  else await Promise.all(chunk(valid, plan.chunkSize).map(readChunk));
  return new Map(unique.map((n) => [n, out.get(n)!]));
}
