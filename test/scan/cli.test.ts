/**
 * `secretsource scan` as a user runs it: exit codes, the three formats, baselines that survive
 * code moves without hiding a new secret, reasoned ignore comments, .gitignore, binary and huge
 * files, and worker threads giving the same answer as the main thread.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scanTree } from '../../src/scan/index.js';
import { cli, tree } from './helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
function repo(files: Record<string, string | Buffer>, git = true) {
  const t = tree(files, { git });
  cleanups.push(t.cleanup);
  return t;
}

const APP = {
  'app/config.py':
    'import os\nJWT_SECRET = os.getenv("JWT_SECRET", "dev-secret-change-me")\nPORT = os.getenv("PORT", "8000")\n',
  'app/server.js': "const s = require('express-session');\napp.use(s({ secret: 'keyboard cat' }));\n",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own ${K:?} syntax, not a JS template
  'deploy/compose.yaml': 'services:\n  api:\n    environment:\n      - API_KEY=${API_KEY:?set API_KEY}\n',
};

describe('scan CLI', () => {
  it('exit 1 with findings, 0 on a clean tree; text names file, line, kind and setting, never the value', async () => {
    const t = repo(APP);
    const r = await cli(t.dir, ['scan', '--workers', '0']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('app/config.py:2:');
    expect(r.stdout).toContain('fallback  JWT_SECRET');
    expect(r.stdout).toContain('app/server.js:2:');
    expect(r.stdout).toMatch(/2 findings \(1 fallback, 1 hardcoded\)/);
    expect(r.stdout).not.toContain('dev-secret-change-me');
    expect(r.stdout).not.toContain('keyboard cat');
    const clean = repo({ 'app/config.py': 'import os\nJWT_SECRET = os.environ["JWT_SECRET"]\n' });
    const c = await cli(clean.dir, ['scan']);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('0 findings');
  });

  it('scans only the paths given', async () => {
    const t = repo(APP);
    const r = await cli(t.dir, ['scan', 'app/server.js', '--format', 'json']);
    const json = JSON.parse(r.stdout) as { findings: Array<{ file: string }> };
    expect(json.findings.map((f) => f.file)).toEqual(['app/server.js']);
  });

  it('usage errors exit 2: an unknown format, a missing path, a malformed baseline', async () => {
    const t = repo(APP);
    expect((await cli(t.dir, ['scan', '--format', 'xml'])).code).toBe(2);
    const missing = repo({ 'a.py': '' }, false);
    const m = await cli(missing.dir, ['scan', 'nope']);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('ERR_USAGE');
    t.write({ 'bad.json': '{"version":2}' });
    const b = await cli(t.dir, ['scan', '--baseline', 'bad.json']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('is not a secretsource baseline');
  });

  it('json carries kind, rule, verdict, codes and a fingerprint per finding', async () => {
    const t = repo(APP);
    const r = await cli(t.dir, ['scan', '--format', 'json']);
    const json = JSON.parse(r.stdout) as { ok: boolean; findings: Array<Record<string, unknown>> };
    expect(json.ok).toBe(false);
    const f = json.findings.find((x) => x.name === 'JWT_SECRET')!;
    expect(f).toMatchObject({ kind: 'fallback', rule: 'python/getenv-default', verdict: 'weak', line: 2 });
    expect((f.codes as string[]).length).toBeGreaterThan(0);
    expect(f.fingerprint).toMatch(/^fp_[0-9a-f]{16}$/);
  });
});

describe('baseline', () => {
  it('an unchanged tree reports nothing; one new fallback reports exactly that one', async () => {
    const t = repo(APP);
    const w = await cli(t.dir, ['scan', '--write-baseline', '.secretsource-baseline.json']);
    expect(w.code).toBe(0);
    expect(w.stdout).toContain('wrote 2 accepted findings');
    const again = await cli(t.dir, ['scan', '--baseline', '.secretsource-baseline.json', '--format', 'json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).findings).toEqual([]);
    t.write({ 'app/mail.py': 'import os\nSMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "mailpass")\n' });
    const added = await cli(t.dir, ['scan', '--baseline', '.secretsource-baseline.json', '--format', 'json']);
    expect(added.code).toBe(1);
    const found = JSON.parse(added.stdout).findings as Array<{ file: string; name: string }>;
    expect(found.map((f) => `${f.file} ${f.name}`)).toEqual(['app/mail.py SMTP_PASSWORD']);
  });

  it('survives code moves (other lines, another file) but reports a changed value, a copy, and a new setting on a baselined line', async () => {
    const t = repo(APP);
    await cli(t.dir, ['scan', '--write-baseline', 'b.json']);
    const scan = async () =>
      (
        JSON.parse((await cli(t.dir, ['scan', '--baseline', 'b.json', '--format', 'json'])).stdout)
          .findings as Array<{ file: string; name: string }>
      ).map((f) => `${f.file} ${f.name}`);
    // Moved down and into another file: nothing new.
    t.write({ 'app/config.py': 'import os\n\n\n# settings\nPORT = os.getenv("PORT", "8000")\n' });
    t.write({
      'app/settings/jwt.py': 'import os\n\nJWT_SECRET = os.getenv("JWT_SECRET", "dev-secret-change-me")\n',
    });
    expect(await scan()).toEqual([]);
    // The same line with another value: reported.
    t.write({
      'app/settings/jwt.py': 'import os\n\nJWT_SECRET = os.getenv("JWT_SECRET", "another-weak-one")\n',
    });
    expect(await scan()).toEqual(['app/settings/jwt.py JWT_SECRET']);
    // Back to the accepted value, plus a second copy elsewhere: the copy is reported.
    t.write({
      'app/settings/jwt.py': 'import os\n\nJWT_SECRET = os.getenv("JWT_SECRET", "dev-secret-change-me")\n',
    });
    t.write({ 'worker/jwt.py': 'import os\nJWT_SECRET = os.getenv("JWT_SECRET", "dev-secret-change-me")\n' });
    expect(await scan()).toEqual(['worker/jwt.py JWT_SECRET']);
    // A second secret on an accepted line: reported.
    t.write({
      'worker/jwt.py':
        'import os\nJWT_SECRET = os.getenv("JWT_SECRET", "dev-secret-change-me"); API_TOKEN = os.getenv("API_TOKEN", "tok")\n',
    });
    expect((await scan()).sort()).toEqual(['worker/jwt.py API_TOKEN', 'worker/jwt.py JWT_SECRET']);
  });

  it('rewriting a baseline keeps its key, so fingerprints stay the same', async () => {
    const t = repo(APP);
    await cli(t.dir, ['scan', '--write-baseline', 'b.json']);
    const first = JSON.parse((await cli(t.dir, ['scan', '--baseline', 'b.json', '--format', 'json'])).stdout);
    await cli(t.dir, ['scan', '--write-baseline', 'b.json']);
    const second = JSON.parse(
      (await cli(t.dir, ['scan', '--baseline', 'b.json', '--format', 'json'])).stdout,
    );
    expect(second.suppressed).toEqual(first.suppressed);
    expect(first.suppressed.baseline).toBe(2);
  });

  it('with SECRETSOURCE_FINGERPRINT_KEY the baseline holds no key, and needs the variable to be read', async () => {
    const t = repo(APP);
    const env = { SECRETSOURCE_FINGERPRINT_KEY: 'ci-secret-key' };
    await cli(t.dir, ['scan', '--write-baseline', 'b.json'], env);
    const b = JSON.parse((await import('node:fs')).readFileSync(`${t.dir}/b.json`, 'utf8'));
    expect(b.key).toBe('env:SECRETSOURCE_FINGERPRINT_KEY');
    expect((await cli(t.dir, ['scan', '--baseline', 'b.json'], env)).code).toBe(0);
    const without = await cli(t.dir, ['scan', '--baseline', 'b.json']);
    expect(without.code).toBe(2);
    expect(without.stderr).toContain('SECRETSOURCE_FINGERPRINT_KEY');
  });
});

describe('ignore comments', () => {
  it('a reasoned ignore hides the finding on its line or the next; one without a reason does not, and says so', async () => {
    const t = repo({
      'a.py': [
        'import os',
        'A_SECRET = os.getenv("A_SECRET", "aaaa-weak")  # secretsource-ignore: local demo only, never deployed',
        '# secretsource-ignore: the CI runner sets B_SECRET',
        'B_SECRET = os.getenv("B_SECRET", "bbbb-weak")',
        'C_SECRET = os.getenv("C_SECRET", "cccc-weak")  # secretsource-ignore',
        '',
      ].join('\n'),
    });
    const r = await cli(t.dir, ['scan', '--format', 'json']);
    const json = JSON.parse(r.stdout);
    expect(json.findings.map((f: { name: string }) => f.name)).toEqual(['C_SECRET']);
    expect(json.suppressed).toEqual({ baseline: 0, inline: 2 });
    expect(r.stderr).toContain('a.py:5: secretsource-ignore needs a reason');
  });
});

describe('files', () => {
  it('respects .gitignore in a repository and outside one, unless --no-gitignore', async () => {
    for (const git of [true, false]) {
      const t = repo(
        {
          '.gitignore': 'generated/\n*.local.py\n',
          'generated/settings.py': 'SECRET_KEY = "generated-weak-secret"\n',
          'app/dev.local.py': 'SECRET_KEY = "local-weak-secret"\n',
          'app/settings.py': 'SECRET_KEY = "kept-weak-secret"\n',
        },
        git,
      );
      const files = (await scanTree({ root: t.dir, workers: 0 })).all.map((f) => f.file);
      expect(files, `git: ${git}`).toEqual(['app/settings.py']);
      const all = (await scanTree({ root: t.dir, workers: 0, gitignore: false })).all
        .map((f) => f.file)
        .sort();
      expect(all, `git: ${git}`).toEqual(['app/dev.local.py', 'app/settings.py', 'generated/settings.py']);
    }
  });

  it('a root its repository ignores is scanned when named (a build or temp folder), as a tree of its own', async () => {
    const t = repo({
      '.gitignore': 'build/\n',
      'build/out/settings.py': 'SECRET_KEY = "ignored-weak-secret"\n',
      'build/out/.gitignore': '*.local.py\n',
      'build/out/dev.local.py': 'SECRET_KEY = "local-weak-secret"\n',
    });
    expect((await scanTree({ root: t.dir, workers: 0 })).all).toEqual([]);
    const named = await scanTree({ root: join(t.dir, 'build', 'out'), workers: 0 });
    expect(named.all.map((f) => f.file)).toEqual(['settings.py']);
  });

  it('skips binary files and files over the size limit, and counts them', async () => {
    const big = `SECRET_KEY = "big-weak-secret"\n${'# padding\n'.repeat(2000)}`;
    const t = repo({
      'bin/blob.py': Buffer.concat([Buffer.from('SECRET_KEY = "binary-weak"\n'), Buffer.from([0, 1, 2, 3])]),
      'big.py': big,
      'small.py': 'SECRET_KEY = "small-weak-secret"\n',
    });
    const r = await scanTree({ root: t.dir, workers: 0, maxFileBytes: 4096 });
    expect(r.all.map((f) => f.file)).toEqual(['small.py']);
    expect(r.stats.skipped).toMatchObject({ huge: 1, binary: 1 });
  });

  it('the built CLI splits a scan over a worker thread (the bundled chunk loads as the worker)', async () => {
    const bin = join(import.meta.dirname, '..', '..', 'dist', 'src', 'cli', 'bin.js');
    expect(existsSync(bin), 'run `npm run build` first').toBe(true);
    const files: Record<string, string> = { ...APP };
    for (let i = 0; i < 40; i++)
      files[`svc${i}/config.py`] = `import os\nSVC${i}_API_KEY = os.getenv("SVC${i}_API_KEY", "weak-${i}")\n`;
    const t = repo(files);
    const run = (workers: string) =>
      JSON.parse(
        execFileSync(process.execPath, [bin, 'scan', '--format', 'json', '--workers', workers], {
          cwd: t.dir,
          encoding: 'utf8',
          env: { PATH: process.env.PATH },
        }).toString(),
      ) as { findings: unknown[]; stats: { workers: number } };
    let parallel: ReturnType<typeof run> | undefined;
    try {
      run('1');
    } catch (err) {
      // Findings exit 1: the JSON is on stdout all the same.
      parallel = JSON.parse((err as { stdout: string }).stdout);
    }
    let single: ReturnType<typeof run> | undefined;
    try {
      run('0');
    } catch (err) {
      single = JSON.parse((err as { stdout: string }).stdout);
    }
    expect(parallel!.stats.workers).toBe(1);
    expect(parallel!.findings).toEqual(single!.findings);
    expect(single!.findings).toHaveLength(42);
  });
});
