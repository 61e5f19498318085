// `secretsource check --deploy` with a `%` typo in a database URL's user name: "unexpected URIError" (exit 3)?
import { randomBytes } from 'node:crypto';
import { brief, fail, packageRoot, pass, runCli } from '../lib/common.mjs';

const ID = 'check-deploy-url-percent';
const root = packageRoot();
const password = randomBytes(18).toString('base64url');
const r = await runCli(root, ['check', '--deploy'], {
  env: {
    NODE_ENV: 'production',
    DATABASE_URL: `postgres://app%zzuser:${password}@db.internal.example:5432/app`,
  },
  timeoutMs: 8000,
});
const out = r.stdout + r.stderr;
if (out.includes(password)) fail(ID, `printed the database password (exit ${r.code})`);
else if (r.killed || r.code === 3 || /URIError|unexpected/.test(out))
  fail(ID, `exit ${r.killed ?? r.code}: ${brief(r)}`);
else pass(ID, `(exit ${r.code}: ${brief(r)})`);
