/**
 * A small auth module that gets its JWT signing key from AWS Secrets Manager at boot, through
 * the resolver. Point it at LocalStack (or moto) with AWS_ENDPOINT_URL: no code changes.
 */
import { jwtVerify, SignJWT } from 'jose';
import { createResolver, keyIdOf, type Resolver } from 'secretsource';
import { awsSecretsManager } from 'secretsource/providers/aws-sm';

/** The app's auth surface. */
export interface AuthApp {
  /** Signs a short-lived token for `sub`. */
  issue(sub: string): Promise<string>;
  /** Returns the token's subject, or undefined when it does not verify. */
  verify(token: string): Promise<string | undefined>;
  /** Redacted description of the key, safe to log. */
  describeKey(): string;
}

/**
 * Resolves the signing key (`ref`, e.g. `aws-sm:prod/app#jwt`: the `jwt` field of a JSON secret)
 * and checks its strength; throws a coded SecretError when it is missing or weak.
 */
export async function createAuthApp(resolver: Resolver, ref: string): Promise<AuthApp> {
  const secret = await resolver.get(ref, { profile: 'jwt-hs256' });
  const key = secret.bytes();
  return {
    issue: (sub) =>
      new SignJWT({ sub })
        // A kid is published in every token: keyIdOf never derives it from the key itself.
        .setProtectedHeader({ alg: 'HS256', kid: keyIdOf(key, { name: ref }) })
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(key),
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
        return payload.sub;
      } catch {
        return undefined;
      }
    },
    describeKey: () => `${secret} (${secret.fingerprint()})`,
  };
}

/** The production wiring: Secrets Manager from the environment's region, endpoint and credentials. */
export function productionResolver(): Resolver {
  return createResolver({ sources: [awsSecretsManager()] });
}
