// biome-ignore-all assist/source/organizeImports: the first imports are the page's, in its order
/** docs/copy-run-rotate.md's audit log sample: JSON lines, never a value. */
// #region audit
import { auditLog, createResolver } from 'secretsource';
// #endregion audit
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memorySource } from 'secretsource/testing';
import { expect, it } from 'vitest';

it('writes one JSON line per event, with the request context and no value', async () => {
  const key = randomBytes(48).toString('base64url');
  const sources = [memorySource({ id: 'aws-sm', initial: { 'prod/app': JSON.stringify({ jwt: key }) } })];
  const logPath = join(await mkdtemp(join(tmpdir(), 'ss-docs-audit-')), 'secrets.jsonl');
  const requestId = 'req-42';

  // #region audit

  const audit = auditLog({ path: logPath }); // e.g. /var/log/app/secrets.jsonl, created with mode 0600
  const resolver = createResolver({ sources, onEvent: audit });
  await resolver.get('aws-sm:prod/app#jwt', { context: { requestId } });
  await audit.close(); // flush at shutdown
  // #endregion audit

  const lines = (await readFile(logPath, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(lines.some((l) => l.context?.requestId === 'req-42' && l.source === 'aws-sm')).toBe(true);
  expect(JSON.stringify(lines)).not.toContain(key);
  expect((await stat(logPath)).mode & 0o777).toBe(0o600);
  await resolver.close();
});
