/**
 * The run's last check (called by .ci/run after the tests): every emulator held a sentinel value
 * during the run (test/emulators/sentinel.start.ts), so it must appear nowhere in what the run left
 * behind: the test output .ci/run tees to `reports/test-output.log`, the vitest JSON report,
 * `reports/captured/**` (CLI output, error texts, event logs saved by tests), and `reports/tmp/**`
 * (the run's TMPDIR: audit logs, .env files, copies). It looks for the raw value and its hex and
 * base64 forms. Excluded: `reports/leak-scan/planted.json`, the sentinel's one legitimate written
 * copy (the emulators keep theirs in memory, never on disk; the env var lives in no file).
 * Prints paths and offsets only, never the value or what surrounds it. Exit 1 on any hit, or when
 * the sentinel was not planted in every store (a scan for a value nobody held proves nothing).
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** One occurrence of the sentinel. */
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

const STORES = ['aws-sm', 'aws-ssm', 'vault', 'azure-kv'];

/** The byte patterns of `sentinel` as it could appear: raw, hex, and base64 at each alignment. */
export function sentinelForms(sentinel: string): Array<{ form: string; bytes: Buffer }> {
  const raw = Buffer.from(sentinel, 'utf8');
  const forms = [
    { form: 'raw', bytes: raw },
    { form: 'hex', bytes: Buffer.from(raw.toString('hex')) },
    { form: 'HEX', bytes: Buffer.from(raw.toString('hex').toUpperCase()) },
  ];
  for (let pad = 0; pad < 3; pad++) {
    // Base64 of the sentinel after `pad` other bytes: drop the characters those bytes or the end touch.
    for (const enc of ['base64', 'base64url'] as const) {
      const text = Buffer.concat([Buffer.alloc(pad, 0x41), raw])
        .toString(enc)
        .replace(/=+$/, '');
      const start = pad === 0 ? 0 : Math.ceil((pad * 4) / 3);
      const core = text.slice(start, text.length - 2);
      if (core.length >= 12) forms.push({ form: `${enc}+${pad}`, bytes: Buffer.from(core) });
    }
  }
  return forms;
}

/** Scans every regular file under `roots` (recursively), skipping the `exclude` paths. */
export function scanForSentinel(
  sentinel: string,
  roots: readonly string[],
  exclude: readonly string[] = [],
): LeakScanResult {
  if (sentinel.length < 12) throw new Error('the sentinel is too short to scan for');
  const forms = sentinelForms(sentinel);
  const skip = new Set(exclude.map((p) => resolve(p)));
  const result: LeakScanResult = { files: 0, bytes: 0, hits: [] };
  const visit = (path: string) => {
    if (skip.has(resolve(path))) return;
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
    for (const { form, bytes } of forms) {
      let at = data.indexOf(bytes);
      while (at >= 0) {
        result.hits.push({ file: path, offset: at, form });
        at = data.indexOf(bytes, at + 1);
      }
    }
  };
  for (const root of roots) if (existsSync(root)) visit(root);
  return result;
}

function main(): number {
  const repo = fileURLToPath(new URL('..', import.meta.url));
  const reports = join(repo, 'reports');
  const plantedFile = join(reports, 'leak-scan', 'planted.json');
  if (!existsSync(plantedFile)) {
    process.stdout.write(
      'leak scan: FAILED, no sentinel was planted (reports/leak-scan/planted.json is missing)\n',
    );
    return 1;
  }
  const planted = JSON.parse(readFileSync(plantedFile, 'utf8')) as {
    sentinel?: string;
    stores?: string[];
    error?: string;
  };
  const missing = STORES.filter((s) => !planted.stores?.includes(s));
  if (!planted.sentinel || missing.length > 0) {
    process.stdout.write(
      `leak scan: FAILED, the sentinel was not planted in ${missing.join(', ') || 'any store'}${planted.error ? `: ${planted.error}` : ''}\n`,
    );
    return 1;
  }
  const { files, bytes, hits } = scanForSentinel(planted.sentinel, [reports], [plantedFile]);
  for (const h of hits)
    process.stdout.write(
      `leak scan: sentinel (${h.form}) in ${relative(repo, h.file)} at byte ${h.offset}\n`,
    );
  process.stdout.write(
    `leak scan: ${files} files, ${(bytes / 1024 / 1024).toFixed(1)} MB scanned, ${hits.length} hit${hits.length === 1 ? '' : 's'} (sentinel planted in ${STORES.join(', ')})\n`,
  );
  return hits.length === 0 ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main();
}
