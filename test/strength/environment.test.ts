/** Severity by environment: production and staging fail, development and test warn unless strict. */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkStrength, defaultProfileForName } from '../../src/strength/index.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('environments', () => {
  it.each(['production', 'staging'] as const)('%s: findings are errors and ok is false', (environment) => {
    const r = checkStrength('changeme', { environment });
    expect(r.ok).toBe(false);
    expect(r.issues.every((i) => i.severity === 'error')).toBe(true);
  });

  it.each(['development', 'test'] as const)(
    '%s: the same findings are warnings and ok is true',
    (environment) => {
      const prod = checkStrength('changeme', { environment: 'production' });
      const r = checkStrength('changeme', { environment });
      expect(r.ok).toBe(true);
      expect(r.issues.map((i) => i.code)).toEqual(prod.issues.map((i) => i.code));
      expect(r.issues.every((i) => i.severity === 'warning')).toBe(true);
    },
  );

  it.each(['development', 'test'] as const)('%s with strict: warnings fail', (environment) => {
    const r = checkStrength('changeme', { environment, strict: true });
    expect(r.ok).toBe(false);
    expect(r.issues.every((i) => i.severity === 'error')).toBe(true);
  });

  it('defaults to production when NODE_ENV=production, else development', () => {
    vi.stubEnv('NODE_ENV', 'production');
    expect(checkStrength('changeme').ok).toBe(false);
    vi.stubEnv('NODE_ENV', 'development');
    expect(checkStrength('changeme').ok).toBe(true);
  });

  it('a strong key is ok everywhere, strict or not', () => {
    const key = randomBytes(32).toString('base64url');
    for (const environment of ['production', 'staging', 'development', 'test'] as const) {
      expect(checkStrength(key, { environment, strict: true })).toMatchObject({ ok: true, issues: [] });
    }
  });
});

describe('defaultProfileForName', () => {
  it.each([
    ['JWT_SECRET', 'jwt-hs256'],
    ['jwt_signing_key', 'jwt-hs256'],
    ['SECRET_KEY', 'jwt-hs256'],
    ['DJANGO_SECRET_KEY', 'jwt-hs256'],
    ['prod/app/JWT', 'jwt-hs256'],
    ['DATABASE_URL', undefined],
    ['API_TOKEN', 'api-key'],
    ['ADMIN_PASSWORD', 'password'],
    ['SESSION_SECRET', 'generic'],
    ['jwtSecret', 'jwt-hs256'],
    ['JWT_HS512_SECRET', 'jwt-hs512'],
    ['JWT_ALGORITHM', undefined],
    ['JWT_PUBLIC_KEY', undefined],
    ['AWS_ACCESS_KEY_ID', undefined],
    ['PORT', undefined],
    // PASS followed by words that say which one is still a password; any other word is not.
    ['DB_PASS_PROD', 'password'],
    ['ADMIN_PASS_DEFAULT', 'password'],
    ['dbPassProd', 'password'],
    ['SMTP_PASS_2', 'password'],
    ['RABBITMQ_DEFAULT_PASS', 'password'],
    ['TEST_PASS_RATE', undefined],
    ['BYPASS_CACHE', undefined],
    ['DB_PASS_PROD_FILE', undefined],
  ])('%s -> %s', (name, profile) => {
    expect(defaultProfileForName(name)).toBe(profile);
  });
});
