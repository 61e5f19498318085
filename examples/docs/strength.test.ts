// biome-ignore-all assist/source/organizeImports: the first imports are the page's, in its order
/** docs/strength.md's sample: a 16-byte key is too short for HS256. */
// #region check
import { checkStrength } from 'secretsource';
// #endregion check
import { randomBytes } from 'node:crypto';
import { expect, it, vi } from 'vitest';

it('reports a 128-bit key as too short for jwt-hs256, without the value', () => {
  const key = randomBytes(16).toString('hex');
  vi.stubEnv('JWT_SECRET_KEY', key);
  // #region check

  const r = checkStrength(process.env.JWT_SECRET_KEY ?? '', {
    profile: 'jwt-hs256',
    environment: 'production',
  });
  // r = { ok: false, estimatedBits: 128, issues: [{ code: 'WEAK_TOO_SHORT', severity: 'error', message: '…', requiredBits: 256, … }] }
  // #endregion check

  expect(r).toMatchObject({
    ok: false,
    estimatedBits: 128,
    issues: [{ code: 'WEAK_TOO_SHORT', severity: 'error', requiredBits: 256 }],
  });
  expect(JSON.stringify(r)).not.toContain(key);
});
