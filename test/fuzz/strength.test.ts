/**
 * Fuzzing checkStrength: generated values (weak patterns glued to random text, unicode, lone
 * surrogates, every profile and environment) never make it throw, its issues never carry a slice
 * of the value, and the work it does grows linearly up to 1 MB (counted, not timed).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/core/secret.js';
import { checkStrength } from '../../src/strength/index.js';
import type { Environment, StrengthProfile } from '../../src/strength/types.js';
import { LARGE_SHAPES } from '../strength/large-shapes.js';
import {
  countWork,
  MAX_WHOLE_CALLS,
  readBudget,
  WHOLE_VALUE_REGEXES,
  wholeCallCount,
} from '../strength/work.js';

const PROFILES: StrengthProfile[] = ['jwt-hs256', 'jwt-hs384', 'jwt-hs512', 'api-key', 'generic', 'password'];
const ENVS: Environment[] = ['production', 'staging', 'development', 'test'];

/**
 * Marked tokens: two lowercase consonants, a digit, an uppercase consonant. No message template
 * holds that shape, so any 4-character slice of the value that contains one is a leak if it shows.
 */
const marker = fc.stringMatching(/^[bcdfghjkmnpqrstvwxz]{2}[0-9][BCDFGHJKMNPQRSTVWXZ]$/);
const weak = fc.constantFrom(
  'password',
  'changeme',
  'secret',
  'qwertyuiop',
  'asdfghjkl',
  '12345678',
  'abcdefghijk',
  'zyxwvuts',
  'aaaaaaaaaaaa',
  'your-secret-key',
  `\${JWT_SECRET}`,
  '{{ secret }}',
  'process.env.JWT',
  'JWT_SECRET',
  '-prod',
  '2024',
);
const piece = fc.oneof(
  { weight: 3, arbitrary: marker },
  { weight: 3, arbitrary: weak },
  { weight: 2, arbitrary: fc.string({ maxLength: 12, unit: 'binary' }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12, unit: 'grapheme' }) },
  { weight: 1, arbitrary: fc.constantFrom('\u0000', '\ud800', '\uffff', ' ', '\n', '=', '==', '-', '_') },
);
const value = fc.array(piece, { maxLength: 10 }).map((p) => p.join(''));
const options = fc.record({
  profile: fc.constantFrom(...PROFILES),
  environment: fc.constantFrom(...ENVS),
  strict: fc.boolean(),
  name: fc.constantFrom('JWT_SECRET', 'API_KEY', 'DB_PASSWORD', 'X'),
});

/** Every 4-character slice of `v` that contains a marker shape, and every whole marker. */
function markedSlices(v: string): string[] {
  const out = new Set<string>();
  for (const m of v.matchAll(/[bcdfghjkmnpqrstvwxz]{2}[0-9][BCDFGHJKMNPQRSTVWXZ]/g)) {
    const at = m.index;
    // Every 4-window overlapping the marker.
    for (let i = Math.max(0, at - 3); i <= at + 3 && i + 4 <= v.length; i++) {
      const w = v.slice(i, i + 4);
      if (/[0-9][BCDFGHJKMNPQRSTVWXZ]|[a-z][0-9]/.test(w)) out.add(w);
    }
    out.add(m[0]);
  }
  return [...out];
}

describe('checkStrength under generated input', () => {
  it('never throws, and never returns a slice of the value (property)', () => {
    fc.assert(
      fc.property(value, options, fc.boolean(), (v, o, asSecret) => {
        const r = checkStrength(asSecret ? new Secret(v, { name: o.name }) : v, o);
        expect(typeof r.ok).toBe('boolean');
        expect(Number.isFinite(r.estimatedBits)).toBe(true);
        const shown = JSON.stringify(r);
        for (const s of markedSlices(v)) expect(shown, `slice ${JSON.stringify(s)}`).not.toContain(s);
        // Messages must also hold no lower-cased or upper-cased copy of a marker.
        for (const s of markedSlices(v)) {
          expect(shown.toLowerCase()).not.toContain(s.toLowerCase());
        }
      }),
      { numRuns: 600, seed: 61 },
    );
  });

  it('never throws on values the rules love to match, with the weak part dominating (property)', () => {
    fc.assert(
      fc.property(fc.array(weak, { minLength: 1, maxLength: 30 }), marker, options, (parts, m, o) => {
        const v = parts.join(m);
        const r = checkStrength(v, o);
        expect(JSON.stringify(r)).not.toContain(m);
      }),
      { numRuns: 300, seed: 62 },
    );
  });
});

describe('checkStrength does linear work up to 1 MB', () => {
  // Linear, counted rather than timed (test/strength/work.ts; bench/strength.bench.ts times ten
  // 100 KB checks beside one 1 MB check): each character past the analysis window is read a
  // bounded number of times at both sizes, the whole-value passes stay under one fixed bound at both,
  // and every regex the engine runs over the whole value is one reviewed as linear.
  it.each(LARGE_SHAPES)(
    '%s: the work past the analysis window grows linearly from 100 KB to 1 MB',
    (_kind, make) => {
      checkStrength(make(100)); // load the word lists and tables before counting
      const [small, large] = [100_000, 1_000_000].map((n) => {
        const value = make(n);
        const { result, work } = countWork(value.length, () =>
          checkStrength(value, { environment: 'production' }),
        );
        expect(typeof result.ok).toBe('boolean');
        expect(work.tailReads).toBeLessThanOrEqual(readBudget(value.length));
        for (const re of work.wholeRegexes) expect(WHOLE_VALUE_REGEXES).toContain(re);
        return work;
      });
      // The same fixed bound at both sizes: a loop calling a String method per character would
      // make about a million calls at 1 MB. (Not equal counts: which prefix checks apply depends on
      // the value's first characters, random for base64, so one slice more or less is content.)
      expect(wholeCallCount(small!)).toBeLessThanOrEqual(MAX_WHOLE_CALLS);
      expect(wholeCallCount(large!)).toBeLessThanOrEqual(MAX_WHOLE_CALLS);
    },
  );
});
