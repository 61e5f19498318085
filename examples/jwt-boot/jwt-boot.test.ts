import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

it('npm run demo: refuses without a key, then signs and verifies, printing no key', async () => {
  const root = join(import.meta.dirname, '..', '..');
  const env = { PATH: process.env.PATH, HOME: process.env.HOME };
  const { stdout } = await promisify(execFile)(
    join(root, 'node_modules/.bin/tsx'),
    ['examples/jwt-boot/main.ts'],
    { cwd: root, env },
  );
  expect(stdout).toContain('refused to start, as it should: ERR_CONFIG_INVALID');
  expect(stdout).toContain('JWT_SECRET_KEY: ERR_SECRET_NOT_FOUND');
  expect(stdout).toMatch(
    /started at http:\/\/127\.0\.0\.1:\d+ with JWT_SECRET_KEY=\[secret JWT_SECRET_KEY\] \(fpr_[0-9a-f]{16}\)/,
  );
  expect(stdout).toContain('verified: true (sub=demo-user)');
  expect(stdout).toContain('a tampered token verified: false');
  expect(stdout).not.toMatch(/[A-Za-z0-9_-]{80,}/);
}, 60_000);
