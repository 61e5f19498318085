/**
 * A token service over a live key ring, with jose: signs with the ring's signing key (its `kid` in the
 * header) and verifies with `jwtVerify(token, ring.getKey)`, which picks the key the token names.
 */
import { jwtVerify, SignJWT } from 'jose';
import type { LiveKeyRing } from 'secretsource';

/** Issues and checks HS256 tokens with the keys of one ring. */
export interface TokenService {
  issue(subject: string): Promise<string>;
  /** The subject, or undefined for a bad signature, an unknown kid or a retired or revoked key. */
  verify(token: string): Promise<string | undefined>;
}

/** Creates the service. Nothing to reload: the ring follows the store on its own. */
export function createTokenService(ring: LiveKeyRing): TokenService {
  return {
    async issue(subject) {
      const { kid, key } = ring.signingKey();
      return new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', kid })
        .setSubject(subject)
        .setIssuedAt()
        .setExpirationTime('2h')
        .sign(key);
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, ring.getKey, { algorithms: ['HS256'] });
        return payload.sub;
      } catch {
        return undefined;
      }
    },
  };
}
