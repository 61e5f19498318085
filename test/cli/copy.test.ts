/** `secretsource copy` end to end: a generated .env in a temp dir into SSM on moto. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsSsm } from '../../providers/aws/ssm.js';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { generateKey } from '../../src/keys/keygen.js';

const SENTINEL = 'SENTINEL-cli-copy-91c4-never-print';

async function fixture(lines: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), 'ss-copy-'));
  await writeFile(
    join(dir, 'app.env'),
    Object.entries(lines)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  const prefix = `/clicopy/${randomBytes(5).toString('hex')}/`;
  const io = () => memoryIo({ env: { ...process.env }, cwd: dir });
  return { dir, prefix, io };
}

describe('secretsource copy', () => {
  it('plans (masked, nothing written), applies, and a re-run changes nothing', async () => {
    const jwt = generateKey();
    const f = await fixture({ JWT_SECRET_KEY: jwt, DB_PASSWORD: SENTINEL, PORT: '3000' });
    const ssm = awsSsm();
    const plan = f.io();
    expect(await runCli(['copy', 'dotenv:app.env', `aws-ssm:${f.prefix}`], plan)).toBe(0);
    expect(plan.stdoutText).toContain(`copy plan dotenv:app.env -> aws-ssm:${f.prefix} (nothing written`);
    expect(plan.stdoutText).toMatch(
      new RegExp(`create {4}JWT_SECRET_KEY -> ${f.prefix}JWT_SECRET_KEY {2}fpr_[0-9a-f]{16}`),
    );
    expect(plan.stdoutText).toContain(
      '3 create, 0 update, 0 unchanged, 0 skip, 0 conflict, 0 refused, 0 reference\n',
    );
    expect(await ssm.get(`${f.prefix}JWT_SECRET_KEY`)).toBeUndefined();

    const apply = f.io();
    expect(await runCli(['copy', 'dotenv:app.env', `aws-ssm:${f.prefix}`, '--apply'], apply)).toBe(0);
    expect(apply.stdoutText).toContain('; 3 written, 0 failed\n');
    expect((await ssm.get(`${f.prefix}JWT_SECRET_KEY`))?.value.reveal()).toBe(jwt);

    const again = f.io();
    expect(
      await runCli(['copy', 'dotenv:app.env', `aws-ssm:${f.prefix}`, '--apply', '--format', 'json'], again),
    ).toBe(0);
    const report = JSON.parse(again.stdoutText);
    expect(report).toMatchObject({ mode: 'apply', ok: true, writes: 0, counts: { unchanged: 3 } });
    for (const io of [plan, apply, again]) expect(io.stdoutText + io.stderrText).not.toContain(SENTINEL);
    expect(apply.stdoutText + again.stdoutText).not.toContain(jwt);
  });

  it('exits 1 listing weak values by name and code; --allow-weak copies them', async () => {
    const f = await fixture({
      JWT_SECRET_KEY: 'changeme',
      SESSION_SECRET_KEY: 'password123',
      OK_TOKEN: generateKey(),
    });
    const io = f.io();
    expect(await runCli(['copy', 'dotenv:app.env', `aws-ssm:${f.prefix}`, '--apply'], io)).toBe(1);
    expect(io.stdoutText).toMatch(
      /refused {3}JWT_SECRET_KEY -> \S+ {2}fpr_\w+ \[not-run\] {2}ERR_SECRET_WEAK: fails the jwt-hs256 policy/,
    );
    expect(io.stdoutText).toMatch(/refused {3}SESSION_SECRET_KEY .*ERR_SECRET_WEAK/);
    expect(io.stdoutText).toContain('1 create, 0 update, 0 unchanged, 0 skip, 0 conflict, 2 refused');
    expect(io.stdoutText).not.toContain('changeme');
    const allowed = f.io();
    expect(
      await runCli(['copy', 'dotenv:app.env', `aws-ssm:${f.prefix}`, '--apply', '--allow-weak'], allowed),
    ).toBe(0);
    expect(allowed.stdoutText).toMatch(/create {4}JWT_SECRET_KEY .*\(weak, allowed: /);
  });

  it('a different value in the target: exit 1 by default, overwritten with --on-conflict overwrite', async () => {
    const f = await fixture({ API_TOKEN: generateKey() });
    await awsSsm().set(`${f.prefix}API_TOKEN`, generateKey());
    const io = f.io();
    expect(await runCli(['copy', 'dotenv:app.env', `aws-ssm:${f.prefix}`, '--apply'], io)).toBe(1);
    expect(io.stdoutText).toContain('ERR_SECRET_CONFLICT');
    const skip = f.io();
    expect(
      await runCli(
        ['copy', 'dotenv:app.env', `aws-ssm:${f.prefix}`, '--apply', '--on-conflict', 'skip'],
        skip,
      ),
    ).toBe(0);
    const over = f.io();
    expect(
      await runCli(
        ['copy', 'dotenv:app.env', `aws-ssm:${f.prefix}`, '--apply', '--on-conflict', 'overwrite'],
        over,
      ),
    ).toBe(0);
    expect(over.stdoutText).toContain('0 create, 1 update');
  });

  it('draws a progress bar on a TTY (stderr) and none otherwise', async () => {
    const f = await fixture({ A_TOKEN: generateKey(), B_TOKEN: generateKey() });
    const tty = Object.assign(f.io(), { isTTY: true });
    expect(await runCli(['copy', 'dotenv:app.env', `aws-ssm:${f.prefix}`, '--apply'], tty)).toBe(0);
    expect(tty.stderrText).toContain('2/2');
    const quiet = f.io();
    expect(await runCli(['copy', 'dotenv:app.env', `aws-ssm:${f.prefix}b/`, '--apply'], quiet)).toBe(0);
    expect(quiet.stderrText).toBe('');
  });

  it('never prints a value: stdout, stderr, the JSON report and the audit log (sentinel)', async () => {
    const f = await fixture({
      DB_PASSWORD: SENTINEL,
      JWT_SECRET_KEY: `${SENTINEL}x`,
      OTHER_TOKEN: `${SENTINEL}y`,
    });
    await awsSsm().set(`${f.prefix}OTHER_TOKEN`, `${SENTINEL}-theirs`);
    const outputs: string[] = [];
    const base = ['copy', 'dotenv:app.env', `aws-ssm:${f.prefix}`, '--audit-log', 'audit.jsonl'];
    for (const extra of [
      [],
      ['--format', 'json'],
      ['--apply'],
      ['--apply', '--allow-weak', '--format', 'json'],
      // Names now judged by the one policy (password, token): weak values need --allow-weak to land.
      ['--apply', '--on-conflict', 'overwrite', '--allow-weak'],
    ]) {
      const io = Object.assign(f.io(), { isTTY: true });
      await runCli([...base, ...extra], io);
      outputs.push(io.stdoutText, io.stderrText);
    }
    const audit = await readFile(join(f.dir, 'audit.jsonl'), 'utf8');
    expect(audit.trim().split('\n').length).toBeGreaterThanOrEqual(3);
    expect(JSON.parse(audit.split('\n')[0]!)).toMatchObject({
      action: 'write',
      source: 'aws-ssm',
      context: { command: 'copy' },
    });
    for (const text of [...outputs, audit]) expect(text).not.toContain(SENTINEL);
  });

  it('exits 2 on usage errors', async () => {
    const f = await fixture({ A: 'x' });
    for (const argv of [
      ['copy', 'dotenv:app.env'],
      ['copy', 'dotenv:app.env', 'nosuch:x/'],
      ['copy', 'dotenv:app.env', 'memory:', '--on-conflict', 'merge'],
      ['copy', 'dotenv:app.env', 'memory:', '--concurrency', '0'],
      ['copy', 'dotenv:app.env', 'memory:x#field'],
      ['copy', 'dotenv:app.env', 'env:'],
    ]) {
      const io = f.io();
      expect(await runCli(argv, io), argv.join(' ')).toBe(argv[2] === 'env:' ? 1 : 2);
    }
  });

  it('exits 3 when the target cannot be reached', async () => {
    const f = await fixture({ A_TOKEN: generateKey() });
    const io = memoryIo({ env: { VAULT_ADDR: 'http://127.0.0.1:9', VAULT_TOKEN: 'unused' }, cwd: f.dir });
    expect(await runCli(['copy', 'dotenv:app.env', 'vault:app/'], io)).toBe(3);
    expect(io.stderrText).toMatch(/^error ERR_SOURCE_UNAVAILABLE: /);
  });
});
