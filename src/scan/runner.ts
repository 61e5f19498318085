/** Runs the recognisers over a list of files, synchronously (the same code on the main thread and in workers). */
import { readFileSync } from 'node:fs';
import { type EngineSettings, recognizersFor, scanText } from './engine.js';
import type { FileInfo } from './recognizer.js';
import type { ScanFinding, ScanNote } from './types.js';

/** One file to scan. */
export interface Job {
  abs: string;
  path: string;
  tracked: boolean;
  size: number;
}

/** What a run over some jobs produced. */
export interface JobResult {
  findings: ScanFinding[];
  notes: ScanNote[];
  files: number;
  bytes: number;
  binary: number;
  /** Findings hidden by a reasoned ignore comment. */
  ignored: number;
}

/** True when the first 8,000 bytes hold a NUL byte (git's own test for binary content). */
export function isBinary(buf: Uint8Array): boolean {
  return buf.subarray(0, 8000).includes(0);
}

/** A FileInfo for a path. */
export function fileInfo(path: string, tracked: boolean): FileInfo {
  return { path, base: path.slice(path.lastIndexOf('/') + 1), tracked };
}

/** Reads and scans each job; unreadable files become notes. */
export function runJobs(jobs: readonly Job[], settings: EngineSettings): JobResult {
  const out: JobResult = { findings: [], notes: [], files: 0, bytes: 0, binary: 0, ignored: 0 };
  for (const job of jobs) {
    let buf: Buffer;
    try {
      buf = readFileSync(job.abs);
    } catch (err) {
      out.notes.push({ file: job.path, message: `not read (${(err as { code?: string }).code ?? 'error'})` });
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
