/** Shared generators and helpers for the strength tests. Random keys come from the OS CSPRNG at test time. */
import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/internal/package-root.js';
import { checkStrength } from '../../src/strength/index.js';
import type { StrengthOptions } from '../../src/strength/types.js';

export const PROD: StrengthOptions = { environment: 'production', profile: 'jwt-hs256' };

/** Issue codes for a value under production jwt-hs256 (or the given options). */
export function codes(value: string, options: StrengthOptions = PROD): string[] {
  return checkStrength(value, options).issues.map((i) => i.code);
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const PRINTABLE = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).join('');

/** `n` characters drawn uniformly from `alphabet` with crypto.randomInt. */
export function randomString(alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

let words: string[] | undefined;
/** The shipped large word list. */
export function wordList(): string[] {
  words ??= readFileSync(join(packageRoot(), 'data', 'words.txt'), 'utf8')
    .split('\n')
    .filter(Boolean);
  return words;
}

/** Words needed for `bits` from the shipped list (log2(list size) bits per word), plus a margin word. */
export function wordsFor(bits: number): number {
  return Math.ceil(bits / Math.log2(wordList().length)) + 1;
}

/** A random passphrase of `n` words from the shipped list. */
export function passphrase(n: number, sep: string, capitalise = false): string {
  const list = wordList();
  return Array.from({ length: n }, () => {
    const w = list[randomInt(list.length)]!;
    return capitalise ? w[0]!.toUpperCase() + w.slice(1) : w;
  }).join(sep);
}

/** Every CSPRNG encoding the corpus covers: each generator makes one key with at least 256 bits. */
export const STRONG_GENERATORS: Record<string, () => string> = {
  'hex lower (32 bytes)': () => randomBytes(32).toString('hex'),
  'hex upper (32 bytes)': () => randomBytes(32).toString('hex').toUpperCase(),
  'hex 0x-prefixed (32 bytes)': () => `0x${randomBytes(32).toString('hex')}`,
  'hex hex:-prefixed (32 bytes)': () => `hex:${randomBytes(32).toString('hex')}`,
  'hex lower (64 bytes)': () => randomBytes(64).toString('hex'),
  'base64 padded (32 bytes)': () => randomBytes(32).toString('base64'),
  'base64 unpadded (32 bytes)': () => randomBytes(32).toString('base64').replace(/=+$/, ''),
  'base64 padded (48 bytes)': () => randomBytes(48).toString('base64'),
  'base64 base64:-prefixed (32 bytes)': () => `base64:${randomBytes(32).toString('base64')}`,
  'base64url unpadded (32 bytes)': () => randomBytes(32).toString('base64url'),
  'base64url padded (32 bytes)': () => {
    const s = randomBytes(32).toString('base64url');
    return s + '='.repeat((4 - (s.length % 4)) % 4);
  },
  'base64url unpadded (64 bytes)': () => randomBytes(64).toString('base64url'),
  'alphanumeric 43 chars': () => randomString(ALNUM, 43),
  'alphanumeric 64 chars': () => randomString(ALNUM, 64),
  'printable ASCII 40 chars': () => randomString(PRINTABLE, 40),
  'passphrase, dashes': () => passphrase(wordsFor(256), '-'),
  'passphrase, spaces': () => passphrase(wordsFor(256), ' '),
  'passphrase, CamelCase': () => passphrase(wordsFor(256), '', true),
  'passphrase, run together': () => passphrase(wordsFor(256), ''),
  'passphrase, dots': () => passphrase(wordsFor(256), '.'),
  'passphrase, underscores, Capitalised': () => passphrase(wordsFor(256), '_', true),
  'passphrase, 20 words': () => passphrase(20, ' '),
};
