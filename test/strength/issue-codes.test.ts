/** Every code the checks emit is declared in ISSUE_CODES and documented in the README. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/internal/package-root.js';
import { checkDeployConfig, checkStrength, ISSUE_CODES } from '../../src/strength/index.js';
import { PROD } from './helpers.js';
import { WEAK_CORPUS } from './weak-corpus.js';

describe('issue codes', () => {
  it('every code raised by the weak corpus and the deploy rules is declared', () => {
    const seen = new Set<string>();
    for (const values of Object.values(WEAK_CORPUS)) {
      for (const v of values) for (const i of checkStrength(v, PROD).issues) seen.add(i.code);
    }
    const deploy = checkDeployConfig({
      NODE_ENV: 'development',
      DEBUG: 'true',
      CORS_ORIGIN: '*, http://a.example.com',
      DATABASE_URL: 'postgres://postgres:postgres@db.example.com/app',
      ADMIN_PASSWORD: 'admin123',
    });
    for (const i of deploy.issues) seen.add(i.code);
    expect(checkDeployConfig({}).issues.map((i) => i.code)).toContain('DEPLOY_ENV_MARKER_MISSING');
    const declared = Object.keys(ISSUE_CODES);
    expect([...seen].filter((c) => !declared.includes(c))).toEqual([]);
    // Every declared code but the CLI's WEAK_SHARED and the missing-marker rule is exercised above.
    expect(declared.filter((c) => !seen.has(c)).sort()).toEqual(['DEPLOY_ENV_MARKER_MISSING', 'WEAK_SHARED']);
  });

  it('the README documents every declared code', () => {
    const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
    for (const code of Object.keys(ISSUE_CODES)) expect(readme).toContain(`\`${code}\``);
  });
});
