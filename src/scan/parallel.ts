/**
 * Spreads a large scan over worker threads: the files are dealt out by size, the main thread takes
 * one share and each worker another, and the findings are merged. A worker loads this very module
 * (`import.meta.url`) and answers one message; values never enter a worker, only paths do.
 */
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { EngineSettings } from './engine.js';
import { type Job, type JobResult, runJobs } from './runner.js';

const MARK = 'secretsource-scan-worker';

/** Below these, a worker's start-up costs more than it saves. */
const PARALLEL_MIN_FILES = 2000;
const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;

/** How many worker threads to use for `jobs` (0: the main thread alone). */
export function workerCount(jobs: readonly Job[], requested: number | 'auto'): number {
  if (requested !== 'auto') return Math.max(0, Math.floor(requested));
  const bytes = jobs.reduce((n, j) => n + j.size, 0);
  if (jobs.length < PARALLEL_MIN_FILES && bytes < PARALLEL_MIN_BYTES) return 0;
  return Math.max(0, Math.min(availableParallelism(), 4) - 1);
}

/** Deals jobs into `n` shares of about equal bytes (largest first, each to the lightest share). */
export function deal(jobs: readonly Job[], n: number): Job[][] {
  const shares: Job[][] = Array.from({ length: n }, () => []);
  const load = new Array<number>(n).fill(0);
  for (const job of [...jobs].sort((a, b) => b.size - a.size)) {
    let k = 0;
    for (let i = 1; i < n; i++) if (load[i]! < load[k]!) k = i;
    shares[k]!.push(job);
    load[k]! += job.size + 512;
  }
  return shares;
}

/** Runs `jobs` on the main thread and `workers` worker threads. */
export async function runParallel(
  jobs: readonly Job[],
  settings: EngineSettings,
  workers: number,
): Promise<JobResult> {
  if (workers <= 0) return runJobs(jobs, settings);
  const [mine, ...theirs] = deal(jobs, workers + 1);
  const url = new URL(import.meta.url);
  // Under tsx or vitest this module is TypeScript: the worker registers tsx first (development only).
  const entry = url.pathname.endsWith('.ts')
    ? `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`
    : url;
  const pending = theirs.map(
    (share) =>
      new Promise<JobResult>((resolve, reject) => {
        const w = new Worker(entry, {
          workerData: { [MARK]: true, jobs: share, settings },
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
  const results = [runJobs(mine!, settings), ...(await Promise.all(pending))];
  return results.reduce((a, b) => ({
    findings: a.findings.concat(b.findings),
    notes: a.notes.concat(b.notes),
    files: a.files + b.files,
    bytes: a.bytes + b.bytes,
    binary: a.binary + b.binary,
    ignored: a.ignored + b.ignored,
  }));
}

if (!isMainThread && parentPort && (workerData as Record<string, unknown> | undefined)?.[MARK] === true) {
  const data = workerData as { jobs: Job[]; settings: EngineSettings };
  parentPort.postMessage(runJobs(data.jobs, data.settings));
}
