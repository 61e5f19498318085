/**
 * SARIF output validates against the SARIF 2.1.0 JSON schema (vendored from npm, see
 * schema/README.md) and meets what GitHub code scanning needs on top: relative artifact URIs, a
 * rule for every result, a 1-based region, and stable keyed `partialFingerprints` that do not move
 * when the code does. A control proves the validator rejects a broken log.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv-draft-04';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, tree } from './helpers.js';

const schema = JSON.parse(
  readFileSync(join(import.meta.dirname, 'schema', 'sarif-2.1.0-rtm.5.json'), 'utf8'),
);
// The schema's `language` pattern has a stray `]` that only non-unicode regular expressions accept.
// ajv-draft-04 is CommonJS: under NodeNext its class is the default export's `default`.
const Ajv = (AjvModule as unknown as { default: typeof AjvModule.default }).default;
const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

interface Result {
  ruleId: string;
  ruleIndex: number;
  level: string;
  locations: Array<{
    physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
  }>;
  partialFingerprints: Record<string, string>;
}

async function sarif(dir: string, env: Record<string, string> = {}) {
  const r = await cli(dir, ['scan', '--format', 'sarif', '--workers', '0'], env);
  return { code: r.code, log: JSON.parse(r.stdout) };
}

describe('scan --format sarif', () => {
  it('validates against the SARIF 2.1.0 schema and has what GitHub code scanning reads', async () => {
    const t = tree(
      {
        'app/config.py': 'import os\nJWT_SECRET = os.getenv("JWT_SECRET", "dev-secret")\n',
        'web/server.js': "jwt.sign(payload, 'shhhhh');\n",
        'deploy/manifests/deployment.yml':
          'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          env:\n            - name: JWT_SECRET_KEY\n              value: "#{jwt-secret-key}#"\n',
        '.env': 'API_TOKEN=abc123abc\n',
        'with space/settings.py': 'SECRET_KEY = "a-weak-key"\n',
      },
      { git: true },
    );
    cleanups.push(t.cleanup);
    const { code, log } = await sarif(t.dir);
    expect(code).toBe(1);
    const ok = validate(log);
    expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 3))).toEqual([]);
    expect(ok).toBe(true);
    const run = log.runs[0];
    const rules = run.tool.driver.rules as Array<{ id: string }>;
    const results = run.results as Result[];
    expect(results.map((r) => r.ruleId).sort()).toEqual([
      'secretsource/committed-env',
      'secretsource/fallback',
      'secretsource/hardcoded',
      'secretsource/hardcoded',
      'secretsource/unrendered',
    ]);
    for (const r of results) {
      expect(rules[r.ruleIndex]!.id).toBe(r.ruleId);
      const loc = r.locations[0]!.physicalLocation;
      expect(loc.artifactLocation.uri).not.toMatch(/^(?:\/|file:|[A-Za-z]:)/);
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(Object.values(r.partialFingerprints)[0]).toMatch(/^fp_[0-9a-f]{16}$/);
    }
    expect(
      results.some(
        (r) => r.locations[0]!.physicalLocation.artifactLocation.uri === 'with%20space/settings.py',
      ),
    ).toBe(true);
  });

  it('partialFingerprints are stable across runs and code moves, and change with the value', async () => {
    const env = { SECRETSOURCE_FINGERPRINT_KEY: 'a-ci-secret' };
    const t = tree(
      { 'a.py': 'import os\nJWT_SECRET = os.getenv("JWT_SECRET", "dev-secret")\n' },
      { git: true },
    );
    cleanups.push(t.cleanup);
    const fp = async () =>
      ((await sarif(t.dir, env)).log.runs[0].results as Result[]).map(
        (r) => Object.values(r.partialFingerprints)[0],
      );
    const first = await fp();
    expect(await fp()).toEqual(first);
    t.write({ 'a.py': 'import os\n\n\n\nJWT_SECRET = os.getenv("JWT_SECRET", "dev-secret")\n' });
    expect(await fp()).toEqual(first);
    t.write({ 'a.py': 'import os\nJWT_SECRET = os.getenv("JWT_SECRET", "other-secret")\n' });
    expect(await fp()).not.toEqual(first);
    // Another key gives other fingerprints: they are keyed.
    const other = (
      (await sarif(t.dir, { SECRETSOURCE_FINGERPRINT_KEY: 'another-key' })).log.runs[0].results as Result[]
    ).map((r) => Object.values(r.partialFingerprints)[0]);
    expect(other).not.toEqual(await fp());
  });

  it('control: the validator rejects a log that breaks the schema', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
    expect(validate({ version: '2.0.0', runs: [] })).toBe(false);
  });
});
