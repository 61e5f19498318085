/** Runs the recognisers over a list of files, synchronously (the same code on the main thread and in workers). */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type EngineSettings, recognizersFor, scanText } from './engine.js';
import type { FileInfo } from './recognizer.js';
import type { ScanFinding, ScanNote } from './types.js';

/** One file to scan. */
export interface Job {
  abs: string;
  path: string;
  tracked: boolean;
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

/**
 * Reads a file unless it is larger than `maxBytes` (one open, one fstat, one read: no separate
 * stat pass over the tree). Undefined for a file over the limit.
 */
export function readLimited(abs: string, maxBytes: number): Buffer | undefined {
  const fd = openSync(abs, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) return undefined;
    const buf = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    return off === size ? buf : buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

/** A FileInfo for a path. */
export function fileInfo(path: string, tracked: boolean): FileInfo {
  return { path, base: path.slice(path.lastIndexOf('/') + 1), tracked };
}

/** Reads and scans each job; unreadable files become notes. */
export function runJobs(jobs: readonly Job[], settings: EngineSettings, maxBytes: number): JobResult {
  const out: JobResult = { findings: [], notes: [], files: 0, bytes: 0, binary: 0, huge: 0, ignored: 0 };
  for (const job of jobs) {
    let buf: Buffer | undefined;
    try {
      buf = readLimited(job.abs, maxBytes);
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
    const r = scanText(buf.toString('utf8'), info, settings, recognizersFor(info));
    out.findings.push(...r.findings);
    out.notes.push(...r.notes);
    out.ignored += r.ignored;
  }
  return out;
}
