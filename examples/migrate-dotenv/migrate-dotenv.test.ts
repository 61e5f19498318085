/** The migration example on moto: a .env generated here (no committed values) goes into SSM once. */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateKey } from 'secretsource';
import { awsSsm } from 'secretsource/providers/aws-ssm';
import { expect, it } from 'vitest';

it('plans, applies, and a re-run writes nothing; no value printed', async () => {
  const root = join(import.meta.dirname, '..', '..');
  const dir = await mkdtemp(join(tmpdir(), 'ss-migrate-'));
  const values = { JWT_SECRET_KEY: generateKey(), STRIPE_API_KEY: generateKey({ bytes: 32 }), PORT: '8080' };
  await writeFile(
    join(dir, '.env'),
    Object.entries(values)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  const prefix = `/example/${randomBytes(4).toString('hex')}/`;
  const { stdout } = await promisify(execFile)(
    join(root, 'node_modules/.bin/tsx'),
    [join(root, 'examples/migrate-dotenv/main.ts'), join(dir, '.env'), prefix],
    { cwd: root, env: { ...process.env } },
  );
  expect(stdout).toContain('plan: dotenv: -> aws-ssm:');
  expect(stdout).toMatch(
    /plan: [^\n]*\n(?: {2}create {4}\S+ -> \S+ fpr_[0-9a-f]{16}\n){3} {2}3 create, 0 update, 0 unchanged, 0 refused; 0 written/,
  );
  expect(stdout).toContain('  3 create, 0 update, 0 unchanged, 0 refused; 3 written');
  expect(stdout).toContain('  0 create, 0 update, 3 unchanged, 0 refused; 0 written');
  for (const v of Object.values(values)) if (v.length > 8) expect(stdout).not.toContain(v);
  const ssm = awsSsm();
  expect((await ssm.get(`${prefix}JWT_SECRET_KEY`))?.value.reveal()).toBe(values.JWT_SECRET_KEY);
}, 60_000);
