/**
 * `#field` returns a string field decoded, and any other field as the exact text stored for it.
 * Issue 14: `{"big": 12345678901234567890, "f": 1.10, "e": 1e21}` gave `12345678901234567000`,
 * `1.1` and `1e+21` (numbers parsed as doubles and written again).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../providers/memory.js';
import { Secret } from '../../src/core/secret.js';
import { selectField } from '../../src/resolver/field.js';
import { createResolver } from '../../src/resolver/resolver.js';

const where = { source: 'memory', name: 'app' };
const pick = (json: string, field: string) =>
  selectField(new Secret(json, { name: 'app' }), field, where).reveal();

describe('selectField returns the stored text', () => {
  const stored = '{"big": 12345678901234567890, "f": 1.10, "e": 1e21, "neg": -0, "tiny": 5e-324}';
  it.each([
    ['big', '12345678901234567890'],
    ['f', '1.10'],
    ['e', '1e21'],
    ['neg', '-0'],
    ['tiny', '5e-324'],
  ])('#%s is %s', (field, text) => {
    expect(pick(stored, field)).toBe(text);
  });

  it('objects, arrays and booleans as written, spacing included; strings decoded', () => {
    const json = '{ "o" : { "a" :[1, 2.50 ,"x"] },\n "t": true, "s": "a\\"b\\u00e9", "arr":[ ] }';
    expect(pick(json, 'o')).toBe('{ "a" :[1, 2.50 ,"x"] }');
    expect(pick(json, 't')).toBe('true');
    expect(pick(json, 's')).toBe('a"bé');
    expect(pick(json, 'arr')).toBe('[ ]');
  });

  it('a duplicated name gives the last one, as JSON.parse does; escaped and unusual names match', () => {
    expect(pick('{"n": 1.0, "n": 2.00}', 'n')).toBe('2.00');
    expect(pick('{"k\\u0065y": 1.50}', 'key')).toBe('1.50');
    expect(pick('{"__proto__": 7.0, "constructor": 8.0}', '__proto__')).toBe('7.0');
    expect(pick('{"a": {"x": 1}, "x": 3.0}', 'x')).toBe('3.0');
  });

  it('refuses what is not a JSON object, a missing field and null, never quoting the value', () => {
    for (const [json, field] of [
      ['not json s3cr3t', 'x'],
      ['[1, 2]', '0'],
      ['{"a": 1} // s3cr3t', 'a'],
      ['{"a": 1,}', 'a'],
      ['{"a": null}', 'a'],
      ['{"a": 1}', 'b'],
    ] as const) {
      const err = (() => {
        try {
          pick(json, field);
        } catch (e) {
          return e as Error & { code: string };
        }
        throw new Error(`no error for ${json}`);
      })();
      expect(err.code).toBe('ERR_SECRET_MALFORMED');
      expect(err.message).not.toContain('s3cr3t');
    }
  });

  it('any field of any JSON object, however it is spaced, reads back to the same value (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 5 }),
        fc.constantFrom(undefined, 1, '\t', ' \n '),
        (obj, space) => {
          const json = JSON.stringify(obj, null, space);
          for (const [k, v] of Object.entries(obj)) {
            if (v === null) continue;
            const got = pick(json, k);
            if (typeof v === 'string') expect(got).toBe(v);
            else {
              expect(JSON.parse(got)).toEqual(JSON.parse(JSON.stringify(v)));
              expect(json).toContain(got);
            }
          }
        },
      ),
      { numRuns: 300, seed: 1401 },
    );
  });

  it('through the resolver: memory:app#big returns the digits stored', async () => {
    const resolver = createResolver({
      sources: [memorySource({ initial: { app: '{"big": 12345678901234567890, "f": 1.10}' } })],
    });
    const opts = { profile: 'none' } as const;
    expect((await resolver.get('memory:app#big', opts)).reveal()).toBe('12345678901234567890');
    expect((await resolver.get('memory:app#f', opts)).reveal()).toBe('1.10');
    await resolver.close();
  });
});
