// `secretsource generate --write` to an existing 0644 .env file: is it left world-readable?
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brief, fail, packageRoot, pass, runCli, tempDir } from '../lib/common.mjs';

const ID = 'generate-write-0644';
const root = packageRoot();
const file = join(tempDir(), '.env');
writeFileSync(file, 'EXISTING=1\n');
chmodSync(file, 0o644);
const r = await runCli(root, ['generate', '--write', file, '--name', 'JWT_SECRET', '--quiet'], {
  timeoutMs: 8000,
});
const mode = statSync(file).mode & 0o777;
const written = /^JWT_SECRET=/m.test(readFileSync(file, 'utf8'));
if (r.code !== 0 || !written)
  fail(ID, `cannot judge: exit ${r.killed ?? r.code}, key written: ${written} (${brief(r)})`);
else if ((mode & 0o077) !== 0)
  fail(ID, `the file holding the key is mode 0${mode.toString(8)} after --write (help says 0600)`);
else pass(ID, `(mode 0${mode.toString(8)})`);
