// biome-ignore-all assist/source/organizeImports: the first imports are the page's, in its order
/** docs/copy-run-rotate.md's copySecrets() sample: a .env file into SSM on moto or LocalStack. */
// #region copy
import { copySecrets } from 'secretsource';
import { awsSsm } from 'secretsource/providers/aws-ssm';
import { dotenvSource } from 'secretsource/providers/dotenv';
// #endregion copy
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecretEvent } from 'secretsource';
import { expect, it, vi } from 'vitest';

it('copies a .env file into Parameter Store, then reads each value back', async () => {
  vi.stubEnv('AWS_REGION', 'eu-west-3');
  const configDir = await mkdtemp(join(tmpdir(), 'ss-docs-copy-'));
  const values = {
    JWT_SECRET_KEY: randomBytes(48).toString('base64url'),
    API_TOKEN: randomBytes(24).toString('hex'),
  };
  await writeFile(
    join(configDir, '.env'),
    Object.entries(values)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  const events: SecretEvent[] = [];
  const audit = (e: SecretEvent) => events.push(e);
  const ssm = awsSsm();
  for (const name of Object.keys(values)) await ssm.delete(`/myapp/prod/${name}`);

  // #region copy

  const report = await copySecrets({
    from: dotenvSource({ cwd: configDir, path: '.env' }),
    to: awsSsm(),
    toPrefix: '/myapp/prod/',
    apply: true,
    onConflict: 'fail',
    concurrency: 8,
    onEvent: audit,
  });
  report.ok; // false when anything was refused, in conflict or failed
  // #endregion copy

  expect(report.ok).toBe(true);
  for (const [name, value] of Object.entries(values)) {
    expect((await ssm.get(`/myapp/prod/${name}`))?.value.reveal()).toBe(value);
  }
  expect(events.length).toBeGreaterThan(0);
  expect(JSON.stringify(events)).not.toContain(values.JWT_SECRET_KEY);
});
