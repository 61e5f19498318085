/**
 * `scan --values`: the app's real secrets, resolved through the resolver, are found in the tree in
 * every form (plain, hex, base64 and base64url at any alignment, percent-encoded) and in git
 * history with the commit that added them; and the scan's canary: no output format ever holds any
 * form of a planted value, neither a real one nor a literal the recognisers found (checked with the
 * leak scan's own `sentinelForms`).
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { sentinelForms } from '../../scripts/leak-scan.js';
import { Secret } from '../../src/core/secret.js';
import { scanTree } from '../../src/scan/index.js';
import { valueForms } from '../../src/scan/values.js';
import { cli, tree } from './helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A fresh random value, so no test can pass by chance on a known string. */
const plant = () => randomBytes(18).toString('base64url');

function expectNoForm(text: string, value: string, where: string): void {
  for (const f of sentinelForms(value)) {
    expect(text.includes(f.bytes.toString('latin1')), `${where} holds the ${f.form} form`).toBe(false);
  }
}

describe('scan --values', () => {
  it('finds a real secret in every form in the tree, with file and line', async () => {
    const v = plant();
    const raw = Buffer.from(v);
    const t = tree(
      {
        'plain.txt': `line one\nkey=${v}\n`,
        'hex.txt': `x\ny\n${raw.toString('hex')}\n`,
        'b64.txt': Buffer.concat([Buffer.from('AB'), raw, Buffer.from('tail')]).toString('base64'),
        'b64url.txt': `pre ${raw.toString('base64url')} post\n`,
        'pct.txt': `url=https://x.example/?k=${encodeURIComponent(`p@ss/${v}+=`)}\n`,
        'tests/fixture.json': `{"k":"${v}"}`,
        'clean.txt': 'nothing here\n',
      },
      { git: true },
    );
    cleanups.push(t.cleanup);
    const r = await scanTree({
      root: t.dir,
      workers: 0,
      history: false,
      values: [
        { name: 'APP_SIGNING_SECRET', secret: new Secret(v) },
        { name: 'DB_PASSWORD', secret: new Secret(`p@ss/${v}+=`) },
      ],
    });
    const hits = r.findings
      .filter((f) => f.name === 'APP_SIGNING_SECRET')
      .map((f) => `${f.file}:${f.line} ${f.form}`);
    expect(hits).toEqual(
      expect.arrayContaining([
        'plain.txt:2 plain',
        'hex.txt:3 hex',
        'b64.txt:1 base64',
        'tests/fixture.json:1 plain',
      ]),
    );
    // base64url and base64 are the same text when the encoding has no + or /: either name is right.
    expect(hits).toContainEqual(expect.stringMatching(/^b64url\.txt:1 base64(?:url)?$/));
    expect(hits.some((h) => h.startsWith('clean.txt'))).toBe(false);
    const db = r.findings.filter((f) => f.name === 'DB_PASSWORD').map((f) => `${f.file}:${f.line} ${f.form}`);
    expect(db).toEqual(['pct.txt:1 percent-encoded']);
    for (const f of r.findings) {
      expect(f.kind).toBe('value');
      expect(f.fingerprint).toBe(new Secret(f.name === 'DB_PASSWORD' ? `p@ss/${v}+=` : v).fingerprint());
    }
  });

  it('finds a secret removed from the tree in git history, naming the commit that added it', async () => {
    const v = plant();
    const t = tree({ 'README.md': 'hello\n' }, { git: true });
    cleanups.push(t.cleanup);
    t.commit('first');
    t.write({ 'config/prod.env': `A=1\nTOKEN=${v}\n` });
    t.commit('add config');
    const added = t.git('rev-parse', 'HEAD').trim();
    t.write({ 'config/prod.env': 'A=1\n' });
    t.commit('remove it');
    const r = await scanTree({ root: t.dir, workers: 0, values: [{ name: 'TOKEN', secret: new Secret(v) }] });
    expect(r.findings.map((f) => ({ file: f.file, line: f.line, commit: f.commit, form: f.form }))).toEqual([
      { file: 'config/prod.env', line: 2, commit: added, form: 'plain' },
    ]);
    expect(r.stats.commits).toBe(3);
  });

  it('valueForms holds the forms, each at least 8 bytes, none repeated', () => {
    // `?>>` and `??~` encode to base64 with `/` and `+`, so base64url differs.
    const forms = valueForms('correct horse ?>> battery ??~ staple');
    expect(forms.map((f) => f.form)).toEqual(
      expect.arrayContaining(['plain', 'hex', 'base64', 'base64url', 'percent-encoded']),
    );
    expect(new Set(forms.map((f) => f.bytes.toString('latin1'))).size).toBe(forms.length);
    expect(forms.every((f) => f.bytes.length >= 8)).toBe(true);
  });
});

describe('scan canary: no format ever holds a planted value', () => {
  it('text, json and sarif, for real values (--values through the resolver) and for literals in the code', async () => {
    const real = plant();
    const literal = plant();
    const token = plant();
    const t = tree(
      {
        'app/config.py': `import os\nJWT_SECRET = os.getenv("JWT_SECRET", "${literal}")\n`,
        'app/leak.txt': `copied by mistake: ${real}\n${Buffer.from(real).toString('base64')}\n`,
        'k8s/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  api-token: ${Buffer.from(token).toString('base64')}\n`,
        'refs.env': 'APP_SIGNING_SECRET=env:APP_SIGNING_SECRET\n',
      },
      { git: true },
    );
    cleanups.push(t.cleanup);
    t.commit('planted');
    const env = { APP_SIGNING_SECRET: real };
    for (const format of ['text', 'json', 'sarif']) {
      const r = await cli(t.dir, ['scan', '--format', format, '--values', 'refs.env', '--workers', '0'], env);
      expect(r.code, format).toBe(1);
      expect(r.stdout).toContain('APP_SIGNING_SECRET');
      expect(r.stdout).toContain('JWT_SECRET');
      expect(r.stdout).toContain('api-token');
      for (const [name, value] of [
        ['real', real],
        ['literal', literal],
        ['token', token],
      ] as const) {
        expectNoForm(r.stdout, value, `${format} stdout (${name})`);
        expectNoForm(r.stderr, value, `${format} stderr (${name})`);
      }
    }
    // The writer of baselines too.
    const w = await cli(t.dir, ['scan', '--write-baseline', 'b.json'], env);
    expect(w.code).toBe(0);
    const { readFileSync } = await import('node:fs');
    const baseline = readFileSync(`${t.dir}/b.json`, 'utf8');
    for (const value of [real, literal, token]) expectNoForm(baseline, value, 'baseline');
  });

  it('--values reads dotenv refs from the files --dotenv names (--env-file is its other spelling)', async () => {
    const real = plant();
    const store = tree({ 'secrets.env': `APP_KEY=${real}\n` });
    cleanups.push(store.cleanup);
    const t = tree({ 'app/leak.txt': `copied: ${real}\n` }, { git: true });
    cleanups.push(t.cleanup);
    t.commit('planted');
    for (const flag of ['--dotenv', '--env-file']) {
      const r = await cli(t.dir, [
        'scan',
        '--format',
        'json',
        '--values',
        'dotenv:APP_KEY',
        flag,
        `${store.dir}/secrets.env`,
        '--workers',
        '0',
      ]);
      expect(r.stderr, flag).toBe('');
      expect(r.code, flag).toBe(1);
      const found = (JSON.parse(r.stdout) as { findings: Array<{ kind: string; file: string }> }).findings;
      expect(new Set(found.filter((f) => f.kind === 'value').map((f) => f.file))).toEqual(
        new Set(['app/leak.txt']),
      );
      expectNoForm(r.stdout, real, `${flag} stdout`);
    }
  });

  it('a real secret that cannot be resolved is a usage error (2), a source failure exits 3', async () => {
    const t = tree({ 'a.txt': 'x\n', 'refs.env': 'X=env:NOT_SET_ANYWHERE\n' }, { git: true });
    cleanups.push(t.cleanup);
    const r = await cli(t.dir, ['scan', '--values', 'refs.env']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('X (env:NOT_SET_ANYWHERE) was not found');
    const unknown = await cli(t.dir, ['scan', '--values', 'nosuchsource:x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown source');
    // X_FILE names a file that cannot be read: the env source fails (not "not found").
    const failed = await cli(t.dir, ['scan', '--values', 'env:X'], {
      X_FILE: '/nonexistent/secretsource-scan/x',
    });
    expect(failed.code).toBe(3);
    expect(failed.stderr).toMatch(/^error ERR_SOURCE_/m);
  });
});
