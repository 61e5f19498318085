/**
 * The run's last check (called by .ci/run after the tests): one sentinel value was planted in every
 * store and source kind the canary knows (test/emulators/sentinel.start.ts plants the cloud stores,
 * test/faults/leak-canary.test.ts the local kinds and drives it through every door), so no piece of
 * it may appear in anything the run wrote: the test output .ci/run tees to `reports/`, the vitest
 * JSON report, `reports/captured/**` (CLI output, errors, events saved by tests), `reports/tmp/**`
 * (the run's TMPDIR: audit logs, .env files, copies) and any other file the run left in the
 * repository (untracked or ignored, outside node_modules).
 *
 * It looks for every 8-character piece of the sentinel, case-folded, raw and JSON-escaped (also as
 * `\uXXXX`), URL-encoded, base64 and base64url at each alignment, hex, and UTF-16 (LE and BE), in
 * every file, and in the content of gzip files. The forms come from `valueForms()`
 * (src/core/redact.ts), the same list the library uses to decide that a message may quote a value.
 * Excluded: `reports/leak-scan/`, where the canary keeps the sentinel's legitimate written copies
 * (the plant record and the planted .env and NAME_FILE files).
 * Prints paths, offsets and the form only, never the value or what surrounds it. Exit 1 on any hit,
 * or when the sentinel was not planted everywhere the canary promises (a scan for a value nobody
 * held proves nothing).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { valueForms } from '../src/core/redact.js';

/** One occurrence of a piece of the sentinel. */
export interface LeakHit {
  file: string;
  offset: number;
  form: string;
}

/** What the scan looked at and found. */
export interface LeakScanResult {
  files: number;
  bytes: number;
  hits: LeakHit[];
}

/** The length of the pieces looked for: shorter pieces of a random value would match by chance. */
export const PIECE = 8;

/** The stores the global setup must have planted the sentinel in, or the scan fails. */
export const STORES = ['aws-sm', 'aws-ssm', 'vault', 'azure-kv', 'k8s', 'gcp-sm'];

/** The byte patterns of every `PIECE`-character piece of `sentinel` in every form, case-folded. */
export function sentinelForms(sentinel: string): Array<{ form: string; bytes: Buffer }> {
  let forms = FORMS.get(sentinel);
  if (!forms) {
    forms = valueForms(sentinel, PIECE).map((f) => ({
      form: f.form,
      bytes: Buffer.from(f.text, f.form.startsWith('utf16') ? 'latin1' : 'utf8'),
    }));
    FORMS.set(sentinel, forms);
  }
  return forms;
}
const FORMS = new Map<string, Array<{ form: string; bytes: Buffer }>>();

/** ASCII A-Z to a-z, byte by byte: the patterns are folded the same way. */
function foldBytes(data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(data.length);
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    out[i] = b >= 0x41 && b <= 0x5a ? b + 0x20 : b;
  }
  return out;
}

/**
 * A matcher for many patterns in one pass: patterns are indexed by their first four bytes, so each
 * position of the data costs one map lookup. Hand-written: a few hundred patterns of 8+ bytes over a
 * few megabytes do not need an Aho-Corasick package, and `indexOf` per pattern would read the data
 * hundreds of times.
 */
function matcher(patterns: Array<{ form: string; bytes: Buffer }>) {
  const index = new Map<number, Array<{ form: string; bytes: Buffer }>>();
  for (const p of patterns) {
    const key = p.bytes.readUInt32BE(0);
    index.set(key, [...(index.get(key) ?? []), p]);
  }
  return (data: Buffer, found: (offset: number, form: string) => void) => {
    for (let i = 0; i + 4 <= data.length; i++) {
      const candidates = index.get(data.readUInt32BE(i));
      if (!candidates) continue;
      for (const p of candidates) {
        if (
          i + p.bytes.length <= data.length &&
          data.compare(p.bytes, 0, p.bytes.length, i, i + p.bytes.length) === 0
        ) {
          found(i, p.form);
          i += p.bytes.length - 1; // one hit per occurrence, not one per overlapping piece
          break;
        }
      }
    }
  };
}

/** Every occurrence of a piece of `sentinel` in `data` (text or bytes), with its form. */
export function findSentinel(
  sentinel: string,
  data: string | Buffer,
): Array<{ offset: number; form: string }> {
  const hits: Array<{ offset: number; form: string }> = [];
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  matcher(sentinelForms(sentinel))(foldBytes(bytes), (offset, form) => hits.push({ offset, form }));
  return hits;
}

/** Scans every regular file under `roots` (recursively), skipping the `exclude` paths. */
export function scanForSentinel(
  sentinel: string,
  roots: readonly string[],
  exclude: readonly string[] = [],
): LeakScanResult {
  if (sentinel.length < 16) throw new Error('the sentinel is too short to scan for');
  const match = matcher(sentinelForms(sentinel));
  const skip = new Set(exclude.map((p) => resolve(p)));
  const result: LeakScanResult = { files: 0, bytes: 0, hits: [] };
  const seen = new Set<string>();
  const scanBytes = (file: string, data: Buffer, form = '') => {
    match(foldBytes(data), (offset, f) => result.hits.push({ file, offset, form: `${form}${f}` }));
    if (data[0] === 0x1f && data[1] === 0x8b) {
      try {
        scanBytes(file, gunzipSync(data, { maxOutputLength: 256 * 2 ** 20 }), `gzip:${form}`);
      } catch {
        // not gzip after all, or too large: the raw bytes were scanned
      }
    }
  };
  const visit = (path: string) => {
    const full = resolve(path);
    if (skip.has(full) || seen.has(full)) return;
    seen.add(full);
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(path);
    } catch {
      return; // removed while scanning
    }
    if (st.isSymbolicLink()) return;
    if (st.isDirectory()) {
      for (const name of readdirSync(path).sort()) visit(join(path, name));
      return;
    }
    if (!st.isFile()) return;
    let data: Buffer;
    try {
      data = readFileSync(path);
    } catch {
      return;
    }
    result.files++;
    result.bytes += data.length;
    scanBytes(path, data);
  };
  for (const root of roots) if (existsSync(root)) visit(root);
  return result;
}

/** Files in `repo` that git does not track (new or ignored), outside `.git`, `node_modules` and `skip`. */
export function untrackedFiles(repo: string, skip: readonly string[] = []): string[] {
  let tracked: Set<string>;
  try {
    const out = execFileSync('git', ['-C', repo, 'ls-files', '-z'], { maxBuffer: 64 * 2 ** 20 });
    tracked = new Set(out.toString('utf8').split('\0').filter(Boolean));
  } catch {
    return []; // not a git checkout: reports/ is still scanned
  }
  const skipped = new Set(skip.map((p) => resolve(p)));
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (name === '.git' || name === 'node_modules' || skipped.has(resolve(full))) continue;
      const st = lstatSync(full);
      if (st.isSymbolicLink()) continue;
      if (st.isDirectory()) walk(full);
      else if (st.isFile() && !tracked.has(relative(repo, full))) found.push(full);
    }
  };
  walk(repo);
  return found;
}

/** What the canary recorded: the sentinel, where it was planted, what drove it. */
interface Planted {
  sentinel?: string;
  stores?: string[];
  error?: string;
}

/** The whole check over a repository after a run; returns the exit code and prints one line a finding. */
export function leakScan(repo: string, write: (line: string) => void): number {
  const reports = join(repo, 'reports');
  const keep = join(reports, 'leak-scan');
  const plantedFile = join(keep, 'planted.json');
  if (!existsSync(plantedFile)) {
    write('leak scan: FAILED, no sentinel was planted (reports/leak-scan/planted.json is missing)');
    return 1;
  }
  const planted = JSON.parse(readFileSync(plantedFile, 'utf8')) as Planted;
  const missing = STORES.filter((s) => !planted.stores?.includes(s));
  if (!planted.sentinel || missing.length > 0) {
    write(
      `leak scan: FAILED, the sentinel was not planted in ${missing.join(', ') || 'any store'}${planted.error ? `: ${planted.error}` : ''}`,
    );
    return 1;
  }
  const canaryFile = join(keep, 'canary.json');
  if (!existsSync(canaryFile)) {
    write('leak scan: FAILED, the canary did not run (reports/leak-scan/canary.json is missing)');
    return 1;
  }
  const canary = JSON.parse(readFileSync(canaryFile, 'utf8')) as {
    kinds?: string[];
    doors?: string[];
    runs?: number;
  };
  const roots = [reports, ...untrackedFiles(repo, [reports])];
  const { files, bytes, hits } = scanForSentinel(planted.sentinel, roots, [keep]);
  for (const h of hits)
    write(`leak scan: sentinel (${h.form}) in ${relative(repo, h.file)} at byte ${h.offset}`);
  write(
    `leak scan: ${files} files, ${(bytes / 1024 / 1024).toFixed(1)} MB scanned, ${hits.length} hit${hits.length === 1 ? '' : 's'} (sentinel planted in ${STORES.join(', ')}; canary: ${canary.kinds?.length ?? 0} source kinds, ${canary.doors?.length ?? 0} doors, ${canary.runs ?? 0} runs)`,
  );
  return hits.length === 0 ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = leakScan(fileURLToPath(new URL('..', import.meta.url)), (line) =>
    process.stdout.write(`${line}\n`),
  );
}
