// biome-ignore-all assist/source/organizeImports: the first imports are the page's, in its order
/** docs/scan.md's scanTree() sample: a fallback default found and judged, without its value. */
// #region scan-tree
import { scanTree } from 'secretsource';
// #endregion scan-tree
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('reports a secret setting with a literal default, judged by the strength engine', async () => {
  const appDir = await mkdtemp(join(tmpdir(), 'ss-docs-scan-'));
  await mkdir(join(appDir, 'app'));
  await writeFile(
    join(appDir, 'app', 'config.py'),
    'import os\nJWT_SECRET_KEY = os.getenv("JWT_SECRET_KEY", "dev-secret-key-change-in-production")\n',
  );
  // #region scan-tree

  const report = await scanTree({ root: appDir, environment: 'production' });
  const lines = report.findings.map((f) => `${f.file}:${f.line} ${f.kind} ${f.name}: ${f.message}`);
  // ['app/config.py:2 fallback JWT_SECRET_KEY: JWT_SECRET_KEY falls back to a literal default when it is unset; the default is weak (…)']
  // #endregion scan-tree

  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^app\/config\.py:2 fallback JWT_SECRET_KEY: .* the default is weak \(WEAK_/);
  expect(report.findings[0]).toMatchObject({ verdict: 'weak', ok: false });
  expect(JSON.stringify(report)).not.toContain('dev-secret-key-change-in-production');
});
