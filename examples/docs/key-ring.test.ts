/** docs/copy-run-rotate.md's key ring sample, on a memory source standing in for Secrets Manager. */
import { randomBytes } from 'node:crypto';
import { createResolver, keyIdOf } from 'secretsource';
import { memorySource } from 'secretsource/testing';
import { expect, it } from 'vitest';

it('signs with the current key and finds the previous one by kid inside the grace window', async () => {
  const sm = memorySource({ id: 'aws-sm' });
  const [older, newer] = [1, 2].map(() => randomBytes(48).toString('base64url'));
  await sm.set!('prod/app', JSON.stringify({ jwt: older }));
  await sm.set!('prod/app', JSON.stringify({ jwt: newer }));
  const resolver = createResolver({ sources: [sm] });
  const previous = await resolver.get('aws-sm:prod/app#jwt', { version: '1' });
  // The kid a ring gives version 1 of this key: from its name and version, never its value.
  const previousKid = keyIdOf(previous.bytes(), { name: 'prod/app#jwt', version: '1' });
  const header = { alg: 'HS256', kid: previousKid }; // a token signed before the rotation

  // #region key-ring
  const ring = await resolver.keyRing('aws-sm:prod/app#jwt', { graceMs: 60 * 60_000 });
  ring.current; // { kid, version, secret, … }: sign with this one
  ring.verificationKeys(); // current + previous versions whose grace window is still open
  ring.find(header.kid); // the key a token names, or undefined once its window has closed
  // #endregion key-ring

  expect(ring.current.secret.reveal()).toBe(newer);
  expect(ring.verificationKeys().map((k) => k.secret.reveal())).toEqual([newer, older]);
  expect(ring.find(header.kid)?.secret.reveal()).toBe(older);
  expect(ring.find(header.kid, Date.now() + 2 * 60 * 60_000)).toBeUndefined();
  await resolver.close();
});
