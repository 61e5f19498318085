import { readFileSync } from 'node:fs';
import jwt from 'jsonwebtoken';

const privateKey = readFileSync('private.key');

export function legacyToken(payload: object): string {
  return jwt.sign(payload, 'shhhhh');
}

export function issueToken(payload: object): string {
  return jwt.sign(payload, privateKey, { algorithm: 'RS256', expiresIn: '1h' });
}

export function verifyToken(token: string): unknown {
  return jwt.verify(token, process.env.JWT_SECRET!);
}
