/** A planted sentinel value never appears in results, messages or JSON, whatever rule fires. */
import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/core/secret.js';
import { checkDeployConfig, checkStrength } from '../../src/strength/index.js';
import { PROD } from './helpers.js';

const SENTINEL = 'SENTINELzq9VALUE';
const lower = SENTINEL.toLowerCase();

/** Values that make each rule fire while containing the sentinel. */
const PLANTED = [
  SENTINEL,
  `${SENTINEL}${SENTINEL}${SENTINEL}${SENTINEL}`,
  `abcdefghijklmnop${SENTINEL}`,
  `qwertyuiop${SENTINEL}`,
  `password-${SENTINEL}-secret`,
  `\${${SENTINEL}}`,
  `{{ ${SENTINEL} }}`,
  `arn:aws:secretsmanager:us-east-1:1:secret:${SENTINEL}`,
  `process.env.${SENTINEL}`,
  `JWT_SECRET=${SENTINEL}`,
  `${SENTINEL}-prod`,
  Buffer.from(SENTINEL).toString('base64'),
  Buffer.from(SENTINEL).toString('hex'),
  // A token whose header and payload name the sentinel: the issue says "token", never its contents.
  [{ alg: 'HS256', kid: SENTINEL }, { sub: SENTINEL }, { s: SENTINEL }]
    .map((o) => Buffer.from(JSON.stringify(o)).toString('base64url'))
    .join('.'),
];

function assertClean(text: string): void {
  expect(text).not.toContain(SENTINEL);
  expect(text.toLowerCase()).not.toContain(lower);
  // No slice of it either: any 6-character piece.
  for (let i = 0; i + 6 <= SENTINEL.length; i++) expect(text).not.toContain(SENTINEL.slice(i, i + 6));
}

describe('sentinel', () => {
  it.each(PLANTED.map((v, i) => [i, v] as const))('value #%i never leaks into the result', (_i, value) => {
    for (const profile of ['jwt-hs256', 'password', 'api-key'] as const) {
      const r = checkStrength(value, { ...PROD, profile, name: 'JWT_SECRET' });
      assertClean(JSON.stringify(r));
      for (const issue of r.issues) assertClean(issue.message);
      const s = checkStrength(new Secret(value, { name: 'JWT_SECRET' }), PROD);
      assertClean(JSON.stringify(s));
    }
  });

  it('deploy issues never carry the value either', () => {
    const r = checkDeployConfig({
      NODE_ENV: SENTINEL,
      DATABASE_URL: `postgres://app:${SENTINEL}@db.example.com/app`,
      CORS_ORIGIN: `http://${SENTINEL}.example.com`,
      ADMIN_PASSWORD: `{{ ${SENTINEL} }}`,
      DEBUG: SENTINEL,
    });
    expect(r.issues.length).toBeGreaterThan(0);
    assertClean(JSON.stringify(r));
  });
});
