import * as jose from 'jose';

const secret = new TextEncoder().encode('cc7e0d44fd473002f1c42167459001140ec6389b7353f8088f4d9a95f2f596f2');
const alg = 'HS256';

export async function sign(claims: jose.JWTPayload): Promise<string> {
  return new jose.SignJWT(claims)
    .setProtectedHeader({ alg })
    .setIssuedAt()
    .setIssuer('urn:example:issuer')
    .setExpirationTime('2h')
    .sign(secret);
}

export async function verifyWithEnv(token: string): Promise<jose.JWTVerifyResult> {
  const key = new TextEncoder().encode(process.env.JOSE_SECRET);
  return jose.jwtVerify(token, key);
}
