/**
 * Values holding `${VAR}`/`$VAR` (or a `\$` escape) from a .env file: dotenv-expand would change
 * them, so `copy` plans them as `reference` and writes none unless told: `expand` (dotenv-expand's
 * own result, as `expand(dotenv.config())` gives it with nothing else in the environment) or
 * `literal` (dotenv's text). Issue 14: main copied `${APP_NAME}` into the store as a silent create.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dotenv from 'dotenv';
import { expand } from 'dotenv-expand';
import { describe, expect, it } from 'vitest';
import { dotenvSource } from '../../providers/dotenv.js';
import { memorySource } from '../../providers/memory.js';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { copySecrets, type ReferencePolicy } from '../../src/copy/index.js';
import type { SecretSource } from '../../src/core/source.js';

const FILE = `FORWARD=\${LATER}/x
APP_NAME=Laravel
MAIL_FROM_NAME="\${APP_NAME}"
SHORT=$APP_NAME-mail
PASSWORD=pa$$wordHidden
ESCAPED=\\$HOME
DEFAULTED=\${APP_NAME:-none}
SINGLE='\${APP_NAME}'
FROM_ENV=\${SOME_HOST_VAR}/path
LATER=later-value
PLAIN=no-references-here
NO_SUBSTITUTION=$(touch ss-command-ran)`;

async function envFile(): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ss-refs-'));
  await writeFile(join(dir, '.env'), `${FILE}\n`);
  return { dir, path: join(dir, '.env') };
}

/** Copies the fixture's .env into `to` with the given reference policy (strength checks off). */
function copyFile(path: string, to: SecretSource, references?: ReferencePolicy, apply = true) {
  return copySecrets({ from: dotenvSource({ path }), to, apply, references, policy: { check: false } });
}

/** What an app gets: dotenv.config() fills the environment, then dotenv-expand runs over it. */
function appSees(): Record<string, string> {
  const parsed = dotenv.parse(FILE);
  return expand({ parsed: { ...parsed }, processEnv: { ...parsed } }).parsed!;
}

const REFERENCES = [
  'FORWARD',
  'MAIL_FROM_NAME',
  'SHORT',
  'PASSWORD',
  'ESCAPED',
  'DEFAULTED',
  'SINGLE',
  'FROM_ENV',
];

describe('copy: values with variable references', () => {
  it('are planned as `reference`, written by no one, and the plan names no value', async () => {
    const { path } = await envFile();
    const to = memorySource();
    const report = await copyFile(path, to);
    const held = report.items.filter((i) => i.action === 'reference').map((i) => i.name);
    expect(held.sort()).toEqual([...REFERENCES].sort());
    expect(report.counts.reference).toBe(REFERENCES.length);
    expect(report.ok).toBe(false);
    for (const name of REFERENCES) expect(await to.get(name)).toBeUndefined();
    expect((await to.get('APP_NAME'))?.value.reveal()).toBe('Laravel');
    const text = JSON.stringify(report);
    for (const bit of ['Hidden', 'HOME', 'SOME_HOST_VAR', 'Laravel', 'later-value'])
      expect(text).not.toContain(bit);
  });

  it('--expand writes what the app gets from dotenv-expand, and refuses a variable the file does not define', async () => {
    const { path } = await envFile();
    const to = memorySource();
    const report = await copyFile(path, to, 'expand');
    const app = appSees();
    const by = Object.fromEntries(report.items.map((i) => [i.name, i]));
    // $wordHidden and ${SOME_HOST_VAR} are not in the file: the app's environment decides them.
    const unresolved = ['FROM_ENV', 'PASSWORD'];
    for (const name of unresolved) {
      expect(by[name]).toMatchObject({ action: 'refused', code: 'ERR_SECRET_MALFORMED' });
      expect(await to.get(name)).toBeUndefined();
    }
    for (const name of REFERENCES.filter((n) => !unresolved.includes(n))) {
      expect(by[name]).toMatchObject({ action: 'create', status: 'done', expanded: true });
      expect((await to.get(name))?.value.reveal()).toBe(app[name]);
    }
    expect(app).toMatchObject({
      MAIL_FROM_NAME: 'Laravel',
      FORWARD: 'later-value/x',
      PASSWORD: 'pa$',
      ESCAPED: '$HOME',
    });
    const again = await copyFile(path, to, 'expand', false);
    expect(again.counts).toMatchObject({ unchanged: 10, refused: 2, create: 0 });
  });

  it('--literal writes the text as dotenv reads it', async () => {
    const { path } = await envFile();
    const to = memorySource();
    const report = await copyFile(path, to, 'literal');
    expect(report.ok).toBe(true);
    for (const [name, value] of Object.entries(dotenv.parse(FILE)))
      expect((await to.get(name))?.value.reveal()).toBe(value);
  });

  it('a value that fails the strength policy as read is refused, as `check` says; --expand judges the expanded value', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ss-refs-'));
    const path = join(dir, '.env');
    await writeFile(path, `APP_KEY=${randomBytes(32).toString('base64url')}\nSESSION_SECRET=\${APP_KEY}\n`);
    const plan = await copySecrets({ from: dotenvSource({ path }), to: memorySource() });
    const held = plan.items.find((i) => i.name === 'SESSION_SECRET');
    expect(held).toMatchObject({ action: 'refused', code: 'ERR_SECRET_WEAK' });
    expect(held?.issues?.map((i) => i.code)).toContain('WEAK_PLACEHOLDER');
    expect(held?.reason).toMatch(/--expand judges the expanded value/);
    const expanded = await copySecrets({
      from: dotenvSource({ path }),
      to: memorySource(),
      references: 'expand',
    });
    expect(expanded.items.find((i) => i.name === 'SESSION_SECRET')).toMatchObject({
      action: 'create',
      expanded: true,
    });
  });

  it('never runs a command: $(...) is text (dotenv-expand 1000+ would run it; this copy pins ^13)', async () => {
    const { dir, path } = await envFile();
    await copyFile(path, memorySource(), 'expand');
    expect(existsSync(join(dir, 'ss-command-ran'))).toBe(false);
    expect(existsSync(join(process.cwd(), 'ss-command-ran'))).toBe(false);
  });

  it('the CLI: `reference` lines and exit 1 by default; --expand and --literal; both at once is a usage error', async () => {
    const { dir } = await envFile();
    const io = () => memoryIo({ env: {}, cwd: dir });
    const plan = io();
    expect(await runCli(['copy', 'dotenv:.env', 'memory:', '--allow-weak'], plan)).toBe(1);
    expect(plan.stdoutText).toMatch(
      /reference MAIL_FROM_NAME {2}fpr?_[0-9a-f]{16} {2}dotenv-expand would change this value/,
    );
    expect(plan.stdoutText).toContain(
      `1 refused, ${REFERENCES.length} reference`.replace('1 refused', '0 refused'),
    );
    const expanded = io();
    await runCli(['copy', 'dotenv:.env', 'memory:', '--allow-weak', '--expand'], expanded);
    expect(expanded.stdoutText).toMatch(/create {4}MAIL_FROM_NAME {2}fpr?_[0-9a-f]{16} {2}\(expanded\)/);
    const both = io();
    expect(await runCli(['copy', 'dotenv:.env', 'memory:', '--expand', '--literal'], both)).toBe(2);
    for (const out of [plan, expanded]) expect(out.stdoutText + out.stderrText).not.toContain('Hidden');
  });
});
