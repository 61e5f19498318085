/** Runs the recognisers over a list of files, synchronously (the same code on the main thread and in workers). */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type EngineSettings, recognizerIndices, recognizersAt, scanText } from './engine.js';
import { isExampleFile, isTestFixture, type ListedFile } from './files.js';
import type { FileInfo } from './recognizer.js';
import type { ScanFinding, ScanNote } from './types.js';

/** One file to scan. */
export interface Job {
  abs: string;
  path: string;
  tracked: boolean;
  /** The recognisers that read it, as `recognizerIndices` gives them. */
  use: number[];
}

/** What a run over some jobs produced. */
export interface JobResult {
  findings: ScanFinding[];
  notes: ScanNote[];
  files: number;
  bytes: number;
  binary: number;
  /** Files over the size limit, not read. */
  huge: number;
  /** Findings hidden by a reasoned ignore comment. */
  ignored: number;
}

/** True when the first 8,000 bytes hold a NUL byte (git's own test for binary content). */
export function isBinary(buf: Uint8Array): boolean {
  return buf.subarray(0, 8000).includes(0);
}

/** The scan's read buffer, reused from file to file (a fresh buffer per file kept the GC busy). */
let scratch = Buffer.allocUnsafe(0);
const SCRATCH_MAX = 4 * 1024 * 1024;

/**
 * Reads a file unless it is larger than `maxBytes` (one open, one fstat, one read: no separate
 * stat pass over the tree). Undefined for a file over the limit. With `reuse`, the bytes are a view
 * of a buffer that the next call overwrites (read them before reading another file).
 */
export function readLimited(abs: string, maxBytes: number, reuse = false): Buffer | undefined {
  const fd = openSync(abs, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) return undefined;
    // Kept for the next file only up to SCRATCH_MAX, so one huge file does not pin its size in memory.
    const shared = reuse && size <= SCRATCH_MAX;
    if (shared && scratch.length < size)
      scratch = Buffer.allocUnsafe(Math.min(SCRATCH_MAX, Math.max(size, 2 * scratch.length, 64 * 1024)));
    const buf = shared ? scratch : Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    return off === buf.length ? buf : buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

/** A FileInfo for a path. */
export function fileInfo(path: string, tracked: boolean): FileInfo {
  return { path, base: path.slice(path.lastIndexOf('/') + 1), tracked };
}

/** The listed files a scan reads: those some recogniser reads, minus test fixtures and example files (counted). */
export function selectJobs(files: readonly ListedFile[]): { jobs: Job[]; fixtures: number } {
  const jobs: Job[] = [];
  let fixtures = 0;
  for (const f of files) {
    const use = recognizerIndices(fileInfo(f.path, f.tracked));
    if (use.length === 0) continue;
    if (isTestFixture(f.path) || isExampleFile(f.path)) fixtures++;
    else jobs.push({ abs: f.abs, path: f.path, tracked: f.tracked, use });
  }
  return { jobs, fixtures };
}

/** Reads and scans each job; unreadable files become notes. */
export function runJobs(jobs: readonly Job[], settings: EngineSettings, maxBytes: number): JobResult {
  const out: JobResult = { findings: [], notes: [], files: 0, bytes: 0, binary: 0, huge: 0, ignored: 0 };
  for (const job of jobs) {
    let buf: Buffer | undefined;
    try {
      buf = readLimited(job.abs, maxBytes, true);
    } catch (err) {
      const code = (err as { code?: string }).code;
      // Gone since it was listed (a deleted tracked file): nothing to scan.
      if (code !== 'ENOENT' && code !== 'EISDIR')
        out.notes.push({ file: job.path, message: `not read (${code ?? 'error'})` });
      continue;
    }
    if (!buf) {
      out.huge++;
      continue;
    }
    if (isBinary(buf)) {
      out.binary++;
      continue;
    }
    out.files++;
    out.bytes += buf.length;
    const info = fileInfo(job.path, job.tracked);
    const r = scanText(buf.toString('utf8'), info, settings, recognizersAt(job.use));
    out.findings.push(...r.findings);
    out.notes.push(...r.notes);
    out.ignored += r.ignored;
  }
  return out;
}
