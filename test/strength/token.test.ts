/** WEAK_TOKEN: a compact JWS or JWE pasted where the key belongs is refused as a token, not a key. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkStrength, evaluate } from '../../src/strength/index.js';
import { tokenKind } from '../../src/strength/rules/token.js';
import { PROD } from './helpers.js';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const sig = () => randomBytes(32).toString('base64url');

describe('tokens used as keys', () => {
  it('a JWS is refused in every door, saying it is a token, not a key', () => {
    const token = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'SENTINELtoken' })}.${sig()}`;
    const v = evaluate(token, { names: { key: 'JWT_SECRET_KEY' }, environment: 'production' });
    expect(v.ok).toBe(false);
    const issue = v.issues.find((i) => i.code === 'WEAK_TOKEN')!;
    expect(issue).toMatchObject({ format: 'jws', alg: 'HS256', severity: 'error' });
    expect(issue.message).toMatch(/a token, not a key/);
    expect(JSON.stringify(v)).not.toContain('SENTINEL');
  });

  it('a JWE, a JWS with its Bearer scheme, and a detached-payload JWS are tokens too', () => {
    const jwe = [
      b64({ alg: 'RSA-OAEP', enc: 'A256GCM' }),
      sig(),
      sig().slice(0, 16),
      sig(),
      sig().slice(0, 22),
    ].join('.');
    expect(tokenKind(jwe)).toEqual({ format: 'jwe', alg: 'RSA-OAEP' });
    expect(tokenKind(`Bearer ${b64({ alg: 'ES256' })}.${b64({})}.${sig()}`)).toEqual({
      format: 'jws',
      alg: 'ES256',
    });
    expect(tokenKind(`${b64({ alg: 'HS256', b64: false, crit: ['b64'] })}..${sig()}`)?.format).toBe('jws');
  });

  it('an unregistered algorithm name is not echoed (the header is the value)', () => {
    const token = `${b64({ alg: 'SENTINELalg' })}.${b64({})}.${sig()}`;
    expect(tokenKind(token)).toEqual({ format: 'jws', alg: undefined });
    expect(JSON.stringify(checkStrength(token, PROD))).not.toContain('SENTINEL');
  });

  it('three dotted parts that are not a JOSE header are not tokens', () => {
    expect(tokenKind(`${sig()}.${sig()}.${sig()}`)).toBeUndefined();
    expect(tokenKind(`${b64({ typ: 'JWT' })}.${b64({})}.${sig()}`)).toBeUndefined();
    expect(tokenKind(`${b64({ alg: 'dir' })}.a.b.c.d`)).toBeUndefined();
    expect(tokenKind('a.b.c')).toBeUndefined();
    expect(tokenKind('example.com.au')).toBeUndefined();
  });
});
