/**
 * docs/fleet-rotation.md's samples, run against Secrets Manager on moto: an app instance with a live
 * key ring signing and verifying with jose and with createHmac, and the rotation calls a scheduler or
 * an incident runbook makes.
 */
// #region app
import { createHmac } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { createResolver, rotateSecret } from 'secretsource';
import { awsSecretsManager } from 'secretsource/providers/aws-sm';
// #endregion app
import { expect, it } from 'vitest';

it('signs and verifies with a live ring, follows a rotation and a revocation', async () => {
  const first = await rotateSecret(awsSecretsManager(), 'aws-sm:prod/app#jwt', { create: true });
  // #region app

  const resolver = createResolver({ sources: [awsSecretsManager()] });
  const ring = await resolver.keyRing('aws-sm:prod/app#jwt', {
    graceMs: 24 * 60 * 60_000, // old tokens verify for a day after a rotation: at least their lifetime
    refreshMs: 60_000, // every instance sees a rotation or a revocation within a minute
  });

  // Sign with the ring's signing key; its kid goes in the header.
  const { kid, key } = ring.signingKey();
  const token = await new SignJWT({ sub: 'alice' })
    .setProtectedHeader({ alg: 'HS256', kid })
    .setExpirationTime('2h')
    .sign(key);

  // Verify with whichever key the token names (an unknown kid makes the ring read the store once).
  const { payload } = await jwtVerify(token, ring.getKey, { algorithms: ['HS256'] });
  // #endregion app
  expect(payload.sub).toBe('alice');
  expect(kid).toBe(first.kid);

  // #region hmac
  const signing = ring.signingKey();
  const mac = createHmac('sha256', signing.key).update('order=42').digest('base64url');
  // send `${signing.kid}.${mac}` along with the message; on receipt:
  const verifying = await ring.verifyingKey(signing.kid); // undefined: unknown, retired or revoked
  const ok =
    verifying !== undefined && createHmac('sha256', verifying).update('order=42').digest('base64url') === mac;
  // #endregion hmac
  expect(ok).toBe(true);

  // #region rotate
  // The 90-day rotation, from a scheduled job (what `rotate --if-older-than 90d` runs):
  const scheduled = await rotateSecret(resolver, 'aws-sm:prod/app#jwt', { ifOlderThanMs: 90 * 86_400_000 });
  scheduled.rotated; // false: the current key is younger than 90 days, nothing written

  // The emergency (what `rotate --revoke-previous` runs): a new key, every older one revoked.
  const emergency = await rotateSecret(resolver, 'aws-sm:prod/app#jwt', { revokePrevious: true });
  emergency.revoked; // the previous versions: live rings drop them at their next read, within refreshMs
  // #endregion rotate
  expect(scheduled.rotated).toBe(false);
  expect(emergency.revoked).toEqual([first.version]);
  await ring.refresh(); // what the ring's own timer does within refreshMs
  await expect(jwtVerify(token, ring.getKey)).rejects.toMatchObject({ code: 'ERR_SECRET_VERSION_NOT_FOUND' });
  expect(ring.signingKey().kid).toBe(emergency.kid);
  await resolver.close();
});
