/**
 * `scan` is one more door of the strength policy (issue 13): a value it finds in the code gets the
 * verdict and codes the engine's `evaluate` gives the same (name, value, environment), as the
 * resolver, load, copy, check, get, run and rotate do (test/strength/doors.test.ts). The cases are
 * the door matrix's, written as literal defaults, hard-coded settings and committed .env lines.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { scanTree } from '../../src/scan/index.js';
import type { ScanFinding } from '../../src/scan/types.js';
import { evaluate } from '../../src/strength/engine.js';
import type { Environment } from '../../src/strength/types.js';
import { tree } from './helpers.js';

interface Case {
  key: string;
  value: string;
}

const CASES: Case[] = [
  { key: 'ADMIN_PASSWORD', value: 'admin' },
  { key: 'API_TOKEN', value: 'secret123' },
  { key: 'AWS_SECRET_ACCESS_KEY', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  { key: 'SESSION_SECRET', value: 'keyboard cat' },
  { key: 'JWT_SECRET_KEY', value: 'dev-secret-key-change-in-production' },
  { key: 'JWT_SECRET_KEY', value: randomBytes(32).toString('base64url') },
  { key: 'JWT_HS512_SECRET', value: randomBytes(32).toString('base64url') },
  { key: 'SIGNING_KEY', value: 'x'.repeat(64) },
  // The scanner once had its own password rule; now the engine's decides (PASS and a word saying
  // which one is a password name, for every door: see the check test below).
  { key: 'ADMIN_PASS_DEFAULT', value: 'Tr0ub4dor&3x' },
];

/** One file per shape the scanner reads: a Python fallback, a JS hard-coded setting, a committed .env. */
function files(): Record<string, string> {
  const py = ['import os'];
  const js: string[] = [];
  const env: string[] = [];
  CASES.forEach((c, i) => {
    py.push(`${c.key}_${i} = os.getenv("${c.key}", "${c.value}")`);
    js.push(`export const config${i} = { ${c.key}: '${c.value}' };`);
    env.push(`${c.key}='${c.value}'`);
  });
  return {
    'app/settings.py': `${py.join('\n')}\n`,
    'web/config.js': `${js.join('\n')}\n`,
    ...Object.fromEntries(env.map((line, i) => [`deploy${i}/.env`, `${line}\n`])),
  };
}

const t = tree(files(), { git: true });
afterAll(() => t.cleanup());

/** The engine's answer, for the name the code reads the value by. */
function engine(c: Case, environment: Environment) {
  const v = evaluate(c.value, { names: { key: c.key }, environment });
  return { ok: v.ok, codes: v.issues.map((i) => i.code) };
}

describe('scan gives the strength engine verdict (one policy, every door)', () => {
  for (const environment of ['production', 'development'] as const) {
    it(`fallback, hard-coded and committed .env findings carry evaluate()'s verdict and codes (${environment})`, async () => {
      const report = await scanTree({ root: t.dir, environment, workers: 0, fingerprintKey: null });
      const at = (file: string, line: number): ScanFinding | undefined =>
        report.findings.find((f) => f.file === file && f.line === line);
      let compared = 0;
      CASES.forEach((c, i) => {
        const want = engine(c, environment);
        for (const f of [
          at('app/settings.py', i + 2),
          at('web/config.js', i + 1),
          at(`deploy${i}/.env`, 1),
        ]) {
          expect(f, `${c.key} #${i}`).toBeDefined();
          expect({ key: c.key, i, ok: f!.ok, codes: f!.codes }).toEqual({ key: c.key, i, ...want });
          expect(f!.verdict).toBe(want.codes.length === 0 ? 'strong' : 'weak');
          compared++;
        }
      });
      expect(compared).toBe(CASES.length * 3);
      // The matrix means something: production refuses the weak cases, development only warns.
      const oks = CASES.map((c) => engine(c, environment).ok);
      if (environment === 'production') expect(oks.filter((ok) => !ok).length).toBeGreaterThanOrEqual(6);
      else expect(oks.every(Boolean)).toBe(true);
    });
  }
});

describe('scan and check read a name the same way', () => {
  it('DB_PASS_PROD is a password for both: check judges it (it said "not judged") with the codes scan gives', async () => {
    const value = 'changeme';
    const t2 = tree({ 'app/db.py': `import os\nDB_PASS_PROD = os.getenv("DB_PASS_PROD", "${value}")\n` });
    try {
      const scanned = await scanTree({ root: t2.dir, workers: 0, fingerprintKey: null });
      expect(scanned.findings.map((f) => [f.name, f.kind, f.profile])).toEqual([
        ['DB_PASS_PROD', 'fallback', 'password'],
      ]);
      const io = memoryIo({ env: { DB_PASS_PROD: value } });
      expect(await runCli(['check', 'DB_PASS_PROD', '--format', 'json'], io)).toBe(1);
      const checked = JSON.parse(io.stdoutText) as { findings: Array<{ code: string; profile: string }> };
      expect(checked.findings.map((f) => f.code)).toEqual(scanned.findings[0]!.codes);
      expect(new Set(checked.findings.map((f) => f.profile))).toEqual(new Set(['password']));
    } finally {
      t2.cleanup();
    }
  });
});
