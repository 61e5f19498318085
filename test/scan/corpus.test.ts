/**
 * The corpus: files across eleven ecosystems, written before the recognisers, each positive beside
 * negatives (non-secret settings, fail-fast defaults, references, test fixtures, example files).
 * `expected.json` lists every finding the corpus must produce. The corpus is copied into a fresh
 * git repository (so its .env files are tracked, as committed files are) and scanned as a user
 * would; precision and recall are computed per kind and printed, and each must be at least 95%.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScanFinding, type ScanReport, STATIC_KINDS, scanTree } from '../../src/scan/index.js';

const corpus = join(import.meta.dirname, 'corpus');
const expected = JSON.parse(readFileSync(join(import.meta.dirname, 'expected.json'), 'utf8')) as Record<
  string,
  string[]
>;
delete expected['//'];

let dir: string;
let report: ScanReport;

function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(root, p).split('\\').join('/'));
    }
  };
  walk(root);
  return out.sort();
}

const norm = (s: string): string => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

function matches(spec: string, f: ScanFinding): boolean {
  const [line, kind, names] = spec.split(' ');
  return (
    Number(line) === f.line &&
    kind === f.kind &&
    (names === '*' || names!.split('|').some((n) => norm(n) === norm(f.name)))
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ss-corpus-'));
  cpSync(corpus, dir, { recursive: true });
  execFileSync('git', ['init', '-q'], { cwd: dir });
  execFileSync('git', ['add', '-A'], { cwd: dir });
  report = await scanTree({ root: dir, workers: 0 });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scan corpus', () => {
  it('has at least 60 files across the ecosystems, and expected.json names only real files', () => {
    const files = filesUnder(corpus);
    expect(files.length).toBeGreaterThanOrEqual(60);
    for (const f of Object.keys(expected)) expect(files, f).toContain(f);
    for (const eco of [
      'python',
      'js',
      'go',
      'java',
      'dotnet',
      'php',
      'ruby',
      'shell',
      'docker',
      'ci',
      'k8s',
      'helm',
      'dotenv',
    ]) {
      expect(
        files.some((f) => f.startsWith(`${eco}/`)),
        eco,
      ).toBe(true);
    }
  });

  it('finds what expected.json lists and nothing else: precision and recall >= 95% per kind', () => {
    const tp = new Map<string, number>();
    const fp = new Map<string, number>();
    const fn = new Map<string, number>();
    const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    const misses: string[] = [];
    const byFile = new Map<string, ScanFinding[]>();
    for (const f of report.all) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    for (const file of new Set([...Object.keys(expected), ...byFile.keys()])) {
      const left = [...(expected[file] ?? [])];
      for (const f of byFile.get(file) ?? []) {
        const i = left.findIndex((spec) => matches(spec, f));
        if (i >= 0) {
          left.splice(i, 1);
          bump(tp, f.kind);
        } else {
          bump(fp, f.kind);
          misses.push(`unexpected ${file}:${f.line} ${f.kind} ${f.name} (${f.rule})`);
        }
      }
      for (const spec of left) {
        bump(fn, spec.split(' ')[1]!);
        misses.push(`missed ${file}: ${spec}`);
      }
    }
    const rows = STATIC_KINDS.map((kind) => {
      const t = tp.get(kind) ?? 0;
      const p = t / Math.max(1, t + (fp.get(kind) ?? 0));
      const r = t / Math.max(1, t + (fn.get(kind) ?? 0));
      return {
        kind,
        expected: t + (fn.get(kind) ?? 0),
        found: t + (fp.get(kind) ?? 0),
        tp: t,
        precision: p,
        recall: r,
      };
    });
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const table = [
      'kind           expected  found  true+  precision  recall',
      ...rows.map(
        (r) =>
          `${r.kind.padEnd(14)} ${String(r.expected).padStart(8)} ${String(r.found).padStart(6)} ${String(r.tp).padStart(6)} ${pct(r.precision).padStart(10)} ${pct(r.recall).padStart(7)}`,
      ),
    ].join('\n');
    console.log(`\nscan corpus (${filesUnder(corpus).length} files)\n${table}\n${misses.join('\n')}`);
    for (const r of rows) {
      expect(r.expected, `${r.kind} has positives`).toBeGreaterThan(0);
      expect(r.precision, `${r.kind} precision`).toBeGreaterThanOrEqual(0.95);
      expect(r.recall, `${r.kind} recall`).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('reads no test fixture or example file, and says how many it skipped', () => {
    expect(
      report.all.some((f) =>
        /(?:^|\/)(?:tests?|__tests__|spec)\/|\.env\.(?:example|sample|template|test)$/.test(f.file),
      ),
    ).toBe(false);
    expect(report.stats.skipped.fixtures).toBeGreaterThanOrEqual(8);
  });

  it('judges every finding with the engine: weak values carry codes, and no finding carries a value', () => {
    const weak = report.all.filter((f) => f.verdict === 'weak');
    expect(weak.length).toBeGreaterThan(report.all.length * 0.8);
    for (const f of weak) expect(f.codes.length).toBeGreaterThan(0);
    const text = JSON.stringify(report);
    for (const planted of [
      'dev-secret-key-change-in-production',
      'keyboard cat',
      'shhhhh',
      'changeme',
      'Y2hhbmdlbWU=',
    ]) {
      expect(text).not.toContain(planted);
    }
  });

  it('a committed .env is reported only while git tracks it', async () => {
    execFileSync('git', ['rm', '-q', '--cached', 'dotenv/.env'], { cwd: dir });
    const after = await scanTree({ root: dir, paths: ['dotenv'], workers: 0 });
    execFileSync('git', ['add', 'dotenv/.env'], { cwd: dir });
    expect(after.all.filter((f) => f.file === 'dotenv/.env')).toEqual([]);
    expect(report.all.filter((f) => f.file === 'dotenv/.env').map((f) => f.kind)).toEqual(['committed-env']);
  });
});
