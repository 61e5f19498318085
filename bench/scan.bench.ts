/**
 * `scanTree` throughput (target: >= 25 MB/s on this machine), each beside its baseline in one run:
 * - a generated tree of 10,000 source files across the ecosystems (a few hundred with findings),
 *   scanned on the main thread alone and with worker threads (`workers: 'auto'` uses both cores);
 * - the project's own node_modules (real third-party code, .gitignore not applied);
 * - the baseline: listing the tree and reading the files the scanner reads, nothing else (the
 *   I/O floor);
 * - the built CLI in a fresh process (`secretsource scan --format json`), as a user runs it: cold
 *   code, data loaded, workers started (wall time only).
 * MB/s is given on wall time and on the process's CPU time, all threads (the machine is shared:
 * wall time includes waiting for a core; CPU time is the scanner's own cost). Uses the built package.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const { scanTree } = (await import(join(root, 'dist/src/scan.js'))) as typeof import('../src/scan.js');
const { listFiles } = await import('../src/scan/files.js');
const { isBinary, readLimited, selectJobs } = await import('../src/scan/runner.js');
const { DEFAULT_MAX_FILE_BYTES } = await import('../src/scan/index.js');
const bin = join(root, 'dist/src/cli/bin.js');

/** A small deterministic PRNG, so every run scans the same tree. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const FILLER: Record<string, (i: number) => string> = {
  py: (i) =>
    `def handler_${i}(request, session=None):\n    """Handle request ${i}."""\n    data = request.json or {}\n    items = [x for x in data.get("items", []) if x]\n    logger.info("handled %s items", len(items))\n    return {"ok": True, "count": len(items), "token_count": ${i}}\n\n`,
  ts: (i) =>
    `export async function handler${i}(req: Request): Promise<Response> {\n  const body = (await req.json()) as { items?: string[] };\n  const items = (body.items ?? []).filter(Boolean);\n  logger.info({ count: items.length, keyName: 'k${i}' }, 'handled');\n  return Response.json({ ok: true, count: items.length });\n}\n\n`,
  go: (i) =>
    `func Handler${i}(w http.ResponseWriter, r *http.Request) {\n\tvar body struct{ Items []string \`json:"items"\` }\n\tif err := json.NewDecoder(r.Body).Decode(&body); err != nil {\n\t\thttp.Error(w, err.Error(), http.StatusBadRequest)\n\t\treturn\n\t}\n\tlog.Printf("handled %d items", len(body.Items))\n}\n\n`,
  java: (i) =>
    `    public ResponseEntity<Map<String, Object>> handler${i}(@RequestBody Map<String, Object> body) {\n        List<Object> items = (List<Object>) body.getOrDefault("items", List.of());\n        log.info("handled {} items", items.size());\n        return ResponseEntity.ok(Map.of("ok", true, "count", items.size()));\n    }\n\n`,
  yaml: (i) =>
    `  service${i}:\n    replicas: 2\n    image: registry.example.com/app:${i}\n    env:\n      LOG_LEVEL: info\n      PORT: "80${i % 100}"\n`,
};

const SECRETS: Record<string, (i: number) => string> = {
  py: (i) => `JWT_SECRET_${i} = os.getenv("JWT_SECRET", "dev-secret-${i}")\n`,
  ts: (i) => `export const sessionSecret${i} = process.env.SESSION_SECRET || 'keyboard cat ${i}';\n`,
  go: (i) => `var jwtKey${i} = []byte("my_secret_key_${i}")\n`,
  java: (i) => `    @Value("\${jwt.secret:defaultSecret${i}}")\n    private String secret${i};\n`,
  yaml: () => `      ADMIN_PASSWORD: admin123\n`,
};

const EXT: Record<string, string> = { py: 'py', ts: 'ts', go: 'go', java: 'java', yaml: 'yaml' };

function generate(dir: string, count: number): void {
  const rand = rng(42);
  const kinds = Object.keys(FILLER);
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length]!;
    const blocks = 10 + Math.floor(rand() * 30);
    let text = kind === 'yaml' ? 'services:\n' : '';
    for (let b = 0; b < blocks; b++) text += FILLER[kind]!(b);
    if (rand() < 0.03) text += SECRETS[kind]!(i);
    const base = kind === 'yaml' ? `config/settings-${i}.yaml` : `src/mod${i % 97}/file${i}.${EXT[kind]}`;
    const path = join(dir, base);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
}

/** The I/O floor: list the tree, pick the files the scanner would read, read them. */
async function listAndRead(dir: string): Promise<{ files: number; bytes: number }> {
  const { jobs } = selectJobs((await listFiles(dir, ['.'], { gitignore: false })).files);
  let files = 0;
  let bytes = 0;
  for (const j of jobs) {
    // As the scanner: files over the size limit and binary files are not counted.
    const buf = readLimited(j.abs, DEFAULT_MAX_FILE_BYTES);
    if (!buf || isBinary(buf)) continue;
    files++;
    bytes += buf.length;
  }
  return { files, bytes };
}

/** The built CLI in a fresh process; files and bytes come from its JSON stats. */
function cli(dir: string, workers: string): { files: number; bytes: number; findings: string } {
  const r = spawnSync(
    process.execPath,
    [bin, 'scan', '--no-gitignore', '--format', 'json', '--workers', workers],
    { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  if (r.status !== 0 && r.status !== 1) throw new Error(`scan exited with ${r.status}: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as {
    findings: unknown[];
    stats: { files: number; bytes: number; workers: number };
  };
  return {
    files: out.stats.files,
    bytes: out.stats.bytes,
    findings: `${out.findings.length} (${out.stats.workers} workers)`,
  };
}

interface Row {
  what: string;
  files: number;
  bytes: number;
  wallMs: number;
  cpuMs: number;
  findings: number | string;
}

async function measure(
  what: string,
  fn: () => Promise<{ files: number; bytes: number; findings: number | string }>,
): Promise<Row> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await fn();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { what, ...r, wallMs, cpuMs: (c.user + c.system) / 1000 };
}

const dir = mkdtempSync(join(tmpdir(), 'ss-scan-bench-'));
try {
  generate(dir, 10_000);
  const nm = join(root, 'node_modules');
  const rows: Row[] = [];
  for (const [label, tree] of [
    ['generated', dir],
    ['node_modules', nm],
  ] as const) {
    // Warm the file cache and the modules once, so every in-process row reads from memory.
    await listAndRead(tree);
    await scanTree({ root: tree, workers: 0, gitignore: false });
    rows.push(
      await measure(`${label}: list + read only (baseline)`, async () => ({
        ...(await listAndRead(tree)),
        findings: '-',
      })),
    );
    for (const workers of [0, 'auto'] as const) {
      rows.push(
        await measure(`${label}: scanTree workers=${workers}`, async () => {
          const r = await scanTree({ root: tree, workers, gitignore: false });
          return {
            files: r.stats.files,
            bytes: r.stats.bytes,
            findings: `${r.all.length} (${r.stats.workers} workers)`,
          };
        }),
      );
    }
    for (const workers of ['0', 'auto']) {
      const row = await measure(`${label}: CLI, fresh process, --workers ${workers}`, async () =>
        cli(tree, workers),
      );
      rows.push({ ...row, cpuMs: Number.NaN });
    }
  }
  const mb = (b: number) => b / 1e6;
  console.log(
    '| run | files | MB | wall ms | MB/s (wall) | files/s (wall) | MB/s (process CPU) | findings |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.what} | ${r.files} | ${mb(r.bytes).toFixed(1)} | ${r.wallMs.toFixed(0)} | ${(mb(r.bytes) / (r.wallMs / 1000)).toFixed(1)} | ${Math.round(r.files / (r.wallMs / 1000))} | ${Number.isNaN(r.cpuMs) ? '-' : (mb(r.bytes) / (r.cpuMs / 1000)).toFixed(1)} | ${r.findings} |`,
    );
  }
  console.log(
    `\nTarget: >= 25 MB/s. Process CPU counts every thread (workers included); a fresh process's CPU is not measured. Load average during the run: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}.`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
