/**
 * Long values of five shapes, made at any length: the fuzz test counts the engine's work on them
 * at 100 KB and 1 MB, and bench/strength.bench.ts times the same shapes side by side.
 */
import { randomBytes } from 'node:crypto';

/** `[name, make(length)]` for each shape. */
export const LARGE_SHAPES: ReadonlyArray<readonly [string, (n: number) => string]> = [
  [
    'random base64',
    (n) =>
      randomBytes(Math.ceil((n * 3) / 4))
        .toString('base64')
        .slice(0, n),
  ],
  ['one repeated character', (n) => 'a'.repeat(n)],
  ['a repeated word', (n) => 'password'.repeat(Math.ceil(n / 8)).slice(0, n)],
  ['a keyboard walk', (n) => 'qwertyuiopasdfghjkl'.repeat(Math.ceil(n / 19)).slice(0, n)],
  ['unicode', (n) => 'é😀ж'.repeat(Math.ceil(n / 4)).slice(0, n)],
];
