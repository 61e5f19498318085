/**
 * A token service over a key ring: signs with the current key (its `kid` in the header) and
 * verifies with whichever key the token names, as long as that key's grace window is open.
 */
import { jwtVerify, SignJWT } from 'jose';
import type { KeyRing, Resolver } from 'secretsource';

/** Issues and checks HS256 tokens with the keys of one ref. */
export interface TokenService {
  issue(subject: string): Promise<string>;
  /** The subject, or undefined for a bad signature, an unknown kid or a key past its grace window. */
  verify(token: string): Promise<string | undefined>;
  /** Reads the ring again (after a rotation, or on a timer). */
  reload(): Promise<void>;
  /** Key ids that verify now. */
  kids(): string[];
}

/** Creates the service; `graceMs` is how long a replaced key still verifies. */
export async function createTokenService(
  resolver: Resolver,
  ref: string,
  graceMs: number,
): Promise<TokenService> {
  let ring: KeyRing = await resolver.keyRing(ref, { graceMs });
  return {
    async issue(subject) {
      const key = ring.current;
      return new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', kid: key.kid })
        .setSubject(subject)
        .setIssuedAt()
        .setExpirationTime('2h')
        .sign(key.secret.bytes());
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, (header) => {
          const key = header.kid === undefined ? undefined : ring.find(header.kid);
          if (!key) throw new Error('unknown or retired key');
          return key.secret.bytes();
        });
        return payload.sub;
      } catch {
        return undefined;
      }
    },
    async reload() {
      ring = await resolver.keyRing(ref, { graceMs });
    },
    kids: () => ring.verificationKeys().map((k) => k.kid),
  };
}
