/** Assertions shared by the store suites. */
import { inspect } from 'node:util';
import { expect } from 'vitest';
import { isSecretError, type SecretError } from '../../src/core/errors.js';

/** Drains an async iterable (list, versions) into an array. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Awaits a promise that must reject with a SecretError, and returns that error. */
export async function codeOf(p: Promise<unknown>): Promise<SecretError> {
  const err = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(isSecretError(err), `expected a SecretError, got ${inspect(err)}`).toBe(true);
  return err as SecretError;
}

/** Asserts that nothing reachable from `thing` (inspected, stringified, its message and stack) shows `value`. */
export function expectNoValue(thing: unknown, value: string): void {
  expect(inspect(thing, { depth: 8, showHidden: true })).not.toContain(value);
  if (thing instanceof Error) {
    expect(thing.message).not.toContain(value);
    expect(JSON.stringify(thing)).not.toContain(value);
    expect(String(thing.stack)).not.toContain(value);
  }
}

/** Awaits a promise that must reject with a SecretError showing nothing of `value`, and returns that error. */
export async function codeWithoutValue(p: Promise<unknown>, value: string): Promise<SecretError> {
  const err = await codeOf(p);
  expectNoValue(err, value);
  return err;
}
