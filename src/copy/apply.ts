/**
 * Executes a copy plan: bounded concurrency, backoff on retryable failures, a read-back compared by
 * fingerprint after the writes, and no second write when an earlier attempt already landed.
 */
import { isSecretError, SecretError } from '../core/errors.js';
import { emitSafely } from '../core/events.js';
import type { Secret } from '../core/secret.js';
import type { SetOptions } from '../core/source.js';
import { type CopyPlan, decide, WRITING } from './plan.js';
import { readMany } from './read.js';
import { mapPool, withRetry } from './retry.js';
import type { CopyItem, CopyOptions } from './types.js';

/**
 * Writes what the plan says, then reads every write back (in batches where the store has them)
 * and compares fingerprints. Updates each item's status, version and write count in place.
 */
export async function applyPlan(plan: CopyPlan, o: CopyOptions): Promise<void> {
  const todo = plan.items.filter((i) => WRITING.has(i.action));
  for (const item of plan.items) {
    if (item.action === 'unchanged' || item.action === 'skip') item.status = 'done';
    else item.status = 'not-run';
  }
  let done = plan.items.length - todo.length;
  const total = plan.items.length;
  const concurrency = o.concurrency ?? 8;
  await mapPool(todo, concurrency, async (item) => {
    if (o.signal?.aborted) return;
    try {
      await writeOne(item, plan.values.get(item.name)!, o);
      // A name created by someone else since the plan may now be a conflict, a skip or unchanged.
      item.status = item.action === 'conflict' ? 'failed' : WRITING.has(item.action) ? 'planned' : 'done';
    } catch (err) {
      fail(item, err);
    }
    done++;
    if (o.onProgress) o.onProgress({ done, total, item });
  });
  const written = todo.filter((i) => i.status === 'planned');
  if (written.length === 0) return;
  try {
    const back = await readMany(
      o.to,
      written.map((i) => i.target),
      { concurrency, retry: o.retry, signal: o.signal },
    );
    for (const item of written) {
      const got = back.get(item.target);
      if (got && !got.ok) {
        fail(item, got.error);
        continue;
      }
      const fp = got?.record?.value.fingerprint();
      if (fp === item.fingerprint) item.status = 'done';
      else {
        item.targetFingerprint = fp;
        fail(
          item,
          new SecretError(
            'ERR_SECRET_CONFLICT',
            `reading "${item.target}" back from source "${o.to.id}" gave ${fp ?? 'nothing'}, not the value written`,
            { source: o.to.id, secretName: item.target },
          ),
        );
      }
    }
  } catch (err) {
    // Written but not verified: report them failed, so a re-run checks them again.
    for (const item of written) fail(item, err);
  }
}

function fail(item: CopyItem, err: unknown): void {
  item.status = 'failed';
  item.code = isSecretError(err) ? err.code : 'ERR_SOURCE_UNAVAILABLE';
  // Our messages never hold a value; anything else is described by its code only.
  item.reason = isSecretError(err) ? err.message : 'the write failed with an unexpected error';
}

async function writeOne(item: CopyItem, value: Secret, o: CopyOptions): Promise<void> {
  const to = o.to;
  item.writes = 0;
  await withRetry(
    async (attempt) => {
      if (attempt > 0) {
        // The last attempt may have landed before its answer was lost: never write the same value twice.
        const now = await to.get(item.target, { signal: o.signal });
        if (now?.value.fingerprint() === item.fingerprint) return;
        if (now && item.action === 'create') return decideAgain(item, now.value, value, o);
      }
      await write(item, value, o);
    },
    { ...o.retry, signal: o.signal },
  );
}

/** Someone else created the name between plan and apply: the conflict policy decides again. */
async function decideAgain(item: CopyItem, current: Secret, value: Secret, o: CopyOptions): Promise<void> {
  decide(item, current, o);
  if (item.action === 'update') await write(item, value, o);
}

async function write(item: CopyItem, value: Secret, o: CopyOptions): Promise<void> {
  const started = Date.now();
  // A create must not clobber a name that appeared since the plan; an update is a plain write (a new version).
  const options: SetOptions =
    item.action === 'create' ? { ifAbsent: true, signal: o.signal } : { signal: o.signal };
  try {
    const result = await o.to.set!(item.target, value, options);
    item.writes = (item.writes ?? 0) + 1;
    if (result.version !== undefined) item.version = result.version;
    event(item, o, 'ok', Date.now() - started);
  } catch (err) {
    const code = isSecretError(err) ? err.code : undefined;
    event(item, o, 'error', Date.now() - started, code);
    if (code === 'ERR_SECRET_CONFLICT' && item.action === 'create') {
      const now = await o.to.get(item.target, { signal: o.signal });
      if (now?.value.fingerprint() === item.fingerprint) return;
      if (now) return decideAgain(item, now.value, value, o);
    }
    throw err;
  }
}

function event(
  item: CopyItem,
  o: CopyOptions,
  outcome: 'ok' | 'error',
  durationMs: number,
  code?: string,
): void {
  emitSafely(o.onEvent, {
    type: 'write',
    time: new Date().toISOString(),
    source: o.to.id,
    name: item.target,
    version: item.version,
    outcome,
    durationMs,
    fingerprint: item.fingerprint,
    ...(code ? { code } : {}),
    ...(o.context ? { context: o.context } : {}),
  });
}
