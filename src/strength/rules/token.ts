/**
 * WEAK_TOKEN: a compact JWS (`header.payload.signature`) or JWE (five parts) pasted where the key
 * belongs. A token is what the key signs or encrypts, not a key: however long and random it looks,
 * its header and payload are readable by anyone who holds it, and its signature is public wherever
 * the token travelled.
 */
import { defineRule } from '../context.js';

/** Registered JOSE algorithm names (RFC 7518 §3.1, §4.1, §5.1): safe to echo, unlike the rest of a header. */
const JOSE_ALGS = new Set([
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
  'none',
  'RSA1_5',
  'RSA-OAEP',
  'RSA-OAEP-256',
  'A128KW',
  'A192KW',
  'A256KW',
  'dir',
  'ECDH-ES',
  'ECDH-ES+A128KW',
  'ECDH-ES+A192KW',
  'ECDH-ES+A256KW',
  'A128GCMKW',
  'A192GCMKW',
  'A256GCMKW',
  'PBES2-HS256+A128KW',
  'PBES2-HS384+A192KW',
  'PBES2-HS512+A256KW',
]);

/** A protected header longer than this is not looked at (headers are tens of characters). */
const MAX_HEADER = 4096;
const SEGMENT = /^[A-Za-z0-9_-]*$/;

/** Raises WEAK_TOKEN for a compact JWS or JWE used as the value. */
export const tokenRule = defineRule({
  id: 'token',
  codes: ['WEAK_TOKEN'],
  check(ctx) {
    if (ctx.binary) return [];
    const token = tokenKind(ctx.text);
    if (!token) return [];
    const what = token.format === 'jws' ? 'a signed JWT (JWS)' : 'an encrypted JWT (JWE)';
    return [
      {
        code: 'WEAK_TOKEN',
        message: `the value is ${what}, a token, not a key: tokens are made with the key and readable by whoever holds them; put the signing key here`,
        format: token.format,
        ...(token.alg === undefined ? {} : { alg: token.alg }),
      },
    ];
  },
});

/** The compact serialization `text` is, or undefined. Exported for the scan of source code. */
export function tokenKind(text: string): { format: 'jws' | 'jwe'; alg: string | undefined } | undefined {
  let t = text;
  if (t.length > 7 && t.slice(0, 7).toLowerCase() === 'bearer ') t = t.slice(7).trim();
  const dot = t.indexOf('.');
  if (dot <= 0 || dot > MAX_HEADER) return undefined;
  const parts = t.split('.');
  if (parts.length !== 3 && parts.length !== 5) return undefined;
  if (!parts.every((p) => SEGMENT.test(p))) return undefined;
  const header = decodeHeader(parts[0]!);
  if (!header || typeof header.alg !== 'string') return undefined;
  const jwe = parts.length === 5;
  // A JWE names its content encryption; a JWS has a payload (detached payloads are empty).
  if (jwe && typeof header.enc !== 'string') return undefined;
  return { format: jwe ? 'jwe' : 'jws', alg: JOSE_ALGS.has(header.alg) ? header.alg : undefined };
}

function decodeHeader(segment: string): Record<string, unknown> | undefined {
  if (segment.length < 8) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : undefined;
}
