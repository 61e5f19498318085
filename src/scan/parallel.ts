/**
 * Spreads a large scan over worker threads: the files are dealt out in turn, the main thread takes
 * one share and each worker another, and the findings are merged. A worker loads this very module
 * (`import.meta.url`) and answers one message; values never enter a worker, only paths do.
 */
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { EngineSettings } from './engine.js';
import { type Job, type JobResult, runJobs } from './runner.js';

const MARK = 'secretsource-scan-worker';

/** Below this, a worker's start-up costs more than it saves. */
const PARALLEL_MIN_FILES = 2000;

/** How many worker threads to use for `jobs` (0: the main thread alone). */
export function workerCount(jobs: readonly Job[], requested: number | 'auto'): number {
  if (requested !== 'auto') return Math.max(0, Math.floor(requested));
  if (jobs.length < PARALLEL_MIN_FILES) return 0;
  return Math.max(0, Math.min(availableParallelism(), 4) - 1);
}

/** Deals jobs into `n` shares in turn (file sizes are not known before reading; many files even out). */
export function deal(jobs: readonly Job[], n: number): Job[][] {
  const shares: Job[][] = Array.from({ length: n }, () => []);
  jobs.forEach((job, i) => {
    shares[i % n]!.push(job);
  });
  return shares;
}

const TSX_LOADER = 'tsx/esm/api';

/** Runs `jobs` on the main thread and `workers` worker threads. */
export async function runParallel(
  jobs: readonly Job[],
  settings: EngineSettings,
  maxBytes: number,
  workers: number,
): Promise<JobResult> {
  if (workers <= 0) return runJobs(jobs, settings, maxBytes);
  const [mine, ...theirs] = deal(jobs, workers + 1);
  const url = new URL(import.meta.url);
  // Under tsx or vitest this module is TypeScript: the worker registers tsx first (development only).
  // (The loader's name is data here, not an import of the package: tsx is a dev dependency.)
  const entry = url.pathname.endsWith('.ts')
    ? `import(${JSON.stringify(TSX_LOADER)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`
    : url;
  const pending = theirs.map(
    (share) =>
      new Promise<JobResult>((resolve, reject) => {
        const w = new Worker(entry, {
          workerData: { [MARK]: true, jobs: share, settings, maxBytes },
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
  const results = [runJobs(mine!, settings, maxBytes), ...(await Promise.all(pending))];
  return results.reduce((a, b) => ({
    findings: a.findings.concat(b.findings),
    notes: a.notes.concat(b.notes),
    files: a.files + b.files,
    bytes: a.bytes + b.bytes,
    binary: a.binary + b.binary,
    huge: a.huge + b.huge,
    ignored: a.ignored + b.ignored,
  }));
}

if (!isMainThread && parentPort && (workerData as Record<string, unknown> | undefined)?.[MARK] === true) {
  const data = workerData as { jobs: Job[]; settings: EngineSettings; maxBytes: number };
  parentPort.postMessage(runJobs(data.jobs, data.settings, data.maxBytes));
}
