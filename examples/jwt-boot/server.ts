/**
 * A small HTTP service that gets its JWT key from secretsource at boot and refuses to start
 * without a strong one. GET /token signs a token; GET /verify?token=… verifies it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify, SignJWT } from 'jose';
import { keyIdOf, type Resolver } from 'secretsource';
import { z } from 'zod';

/** A running service. */
export interface JwtService {
  url: string;
  /** Redacted view of the config, safe to print. */
  describe(): string;
  close(): Promise<void>;
}

/** Resolves the config (throws ERR_CONFIG_INVALID listing every problem) and starts listening. */
export async function bootJwtService(resolver: Resolver): Promise<JwtService> {
  const config = await resolver.load({
    JWT_SECRET_KEY: { ref: 'JWT_SECRET_KEY', profile: 'jwt-hs256' },
    PORT: { ref: 'PORT', schema: z.coerce.number().int().min(0).max(65535), default: 0 },
    JWT_ISSUER: { ref: 'JWT_ISSUER', schema: z.string().min(1), default: 'secretsource-demo' },
  });
  const key = config.JWT_SECRET_KEY.bytes();

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (url.pathname === '/token') {
        const token = await new SignJWT({ sub: 'demo-user' })
          // A kid is published in every token: keyIdOf never derives it from the key itself.
          .setProtectedHeader({
            alg: 'HS256',
            kid: keyIdOf(config.JWT_SECRET_KEY.bytes(), { name: 'JWT_SECRET_KEY' }),
          })
          .setIssuer(config.JWT_ISSUER)
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(key);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token }));
        return;
      }
      if (url.pathname === '/verify') {
        const { payload } = await jwtVerify(url.searchParams.get('token') ?? '', key, {
          issuer: config.JWT_ISSUER,
          algorithms: ['HS256'],
        });
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ valid: true, sub: payload.sub }));
        return;
      }
      res.writeHead(404).end();
    } catch {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ valid: false }));
    }
  });
  await new Promise<void>((resolve) => server.listen(config.PORT, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    describe: () =>
      `JWT_SECRET_KEY=${config.JWT_SECRET_KEY} (${config.JWT_SECRET_KEY.fingerprint()}), JWT_ISSUER=${config.JWT_ISSUER}, port ${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
