/**
 * Spreads a large scan over worker threads. Every thread (the main one and each worker) takes the
 * next batch of files from one shared counter until none are left, so a worker that starts late or
 * gets less CPU simply takes fewer batches (a fixed split made the main thread wait for a cold
 * worker: slower than no worker at all on a busy machine). A worker loads this very module
 * (`import.meta.url`) and answers one message; values never enter a worker, only paths do.
 */
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { EngineSettings } from './engine.js';
import { type Job, type JobResult, runJobs } from './runner.js';

const MARK = 'secretsource-scan-worker';

/** Below this, a worker's start-up costs more than it saves. */
const PARALLEL_MIN_FILES = 2000;

/** Files per batch: small enough to even out the threads' ends, large enough to keep the counter cold. */
const BATCH = 32;

/** How many worker threads to use for `jobs` (0: the main thread alone). */
export function workerCount(jobs: readonly Job[], requested: number | 'auto'): number {
  if (requested !== 'auto') return Math.max(0, Math.floor(requested));
  if (jobs.length < PARALLEL_MIN_FILES) return 0;
  return Math.max(0, Math.min(availableParallelism(), 4) - 1);
}

/** Adds two results (order is restored by the caller's sort). */
function merge(a: JobResult, b: JobResult): JobResult {
  return {
    findings: a.findings.concat(b.findings),
    notes: a.notes.concat(b.notes),
    files: a.files + b.files,
    bytes: a.bytes + b.bytes,
    binary: a.binary + b.binary,
    huge: a.huge + b.huge,
    ignored: a.ignored + b.ignored,
  };
}

/** Scans batches taken from the shared `next` counter until the jobs run out. */
export function drain(
  jobs: readonly Job[],
  next: Int32Array,
  settings: EngineSettings,
  maxBytes: number,
): JobResult {
  let out: JobResult = { findings: [], notes: [], files: 0, bytes: 0, binary: 0, huge: 0, ignored: 0 };
  for (;;) {
    const start = Atomics.add(next, 0, BATCH);
    if (start >= jobs.length) return out;
    out = merge(out, runJobs(jobs.slice(start, start + BATCH), settings, maxBytes));
  }
}

const TSX_LOADER = 'tsx/esm/api';

/** Runs `jobs` on the main thread and `workers` worker threads, all taking batches from one counter. */
export async function runParallel(
  jobs: readonly Job[],
  settings: EngineSettings,
  maxBytes: number,
  workers: number,
): Promise<JobResult> {
  if (workers <= 0) return runJobs(jobs, settings, maxBytes);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const url = new URL(import.meta.url);
  // Under tsx or vitest this module is TypeScript: the worker registers tsx first (development only).
  // (The loader's name is data here, not an import of the package: tsx is a dev dependency.)
  const entry = url.pathname.endsWith('.ts')
    ? `import(${JSON.stringify(TSX_LOADER)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`
    : url;
  const pending = Array.from(
    { length: workers },
    () =>
      new Promise<JobResult>((resolve, reject) => {
        const w = new Worker(entry, {
          workerData: { [MARK]: true, jobs, next, settings, maxBytes },
          eval: typeof entry === 'string',
        });
        w.once('message', (r: JobResult) => {
          resolve(r);
          void w.terminate();
        });
        w.once('error', reject);
        w.once('exit', (code) => {
          if (code !== 0 && code !== 1) reject(new Error(`scan worker exited with ${code}`));
        });
      }),
  );
  // Every worker is waited for, even one that found the queue empty: a worker that fails to load is an error.
  const mine = drain(jobs, next, settings, maxBytes);
  return (await Promise.all(pending)).reduce(merge, mine);
}

if (!isMainThread && parentPort && (workerData as Record<string, unknown> | undefined)?.[MARK] === true) {
  const data = workerData as { jobs: Job[]; next: Int32Array; settings: EngineSettings; maxBytes: number };
  parentPort.postMessage(drain(data.jobs, data.next, data.settings, data.maxBytes));
}
