/**
 * Fuzzing the ref grammar beyond test/unit/ref.test.ts (which round-trips well-formed refs and
 * throws random strings at the parser): inputs built from the grammar's own tokens, so the
 * escapes, separators and version rules are hit deep, mutations of valid refs, lone surrogates,
 * over-long and non-string input. Only ERR_REF_INVALID may come out, and never the input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSecretError } from '../../src/core/errors.js';
import { formatRef, parseRef, type SecretRef } from '../../src/core/ref.js';

const MARK = 'QZ7xMARK';

/** Runs `f`; returns its result or the ERR_REF_INVALID error, and fails on anything else. */
function refOrInvalid<T>(f: () => T): T | Error {
  try {
    return f();
  } catch (e) {
    expect(isSecretError(e), String(e)).toBe(true);
    expect((e as { code: string }).code).toBe('ERR_REF_INVALID');
    return e as Error;
  }
}

/** Tokens of the grammar, half-made escapes, and characters that must be encoded. */
const token = fc.oneof(
  fc.constantFrom(':', '#', '?', '?version=', 'version=', '%', '%2', '%23', '%3F', '%25', '%3A', '%20'),
  fc.constantFrom('%E2%82', '%E2%82%AC', '%C3', '%FF', '%00', '%7F', '%0A', '%zz'),
  fc.constantFrom('aws-sm:', 'vault:', 'env:', 'a:', '9x:', 'A:', '-:', 'arn:aws:secretsmanager:'),
  fc.constantFrom(' ', '\t', '\n', '\u0000', '\u0085', '\u00a0', '\u2028', '\ud800', '\udfff', '😀', 'é'),
  fc.stringMatching(/^[A-Za-z0-9._\-/]{1,6}$/),
  fc.constant(MARK),
);
const refish = fc.array(token, { maxLength: 12 }).map((t) => t.join(''));

describe('parseRef on grammar-shaped input', () => {
  it('throws only ERR_REF_INVALID, and what parses is canonical after one format (property)', () => {
    fc.assert(
      fc.property(refish, (s) => {
        const r = refOrInvalid(() => parseRef(s));
        if (r instanceof Error) {
          // The message gives a position, never the input (a mistyped ref may be a pasted value).
          if (s.includes(MARK)) expect(r.message).not.toContain(MARK);
          return;
        }
        const canonical = formatRef(r);
        expect(parseRef(canonical)).toEqual(r);
        expect(formatRef(parseRef(canonical))).toBe(canonical);
      }),
      { numRuns: 1500, seed: 41 },
    );
  });

  it('mutations of a valid ref (insert, delete, replace) are refs or ERR_REF_INVALID (property)', () => {
    const valid = fc
      .record(
        {
          source: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/),
          name: fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }),
          field: fc.string({ minLength: 1, maxLength: 8, unit: 'grapheme' }),
          version: fc.stringMatching(/^[A-Za-z0-9._:-]{1,12}$/),
        },
        { requiredKeys: ['name'] },
      )
      .filter((r) => !/[\u0000-\u001f\u007f]/.test(r.name + (r.field ?? '')))
      .map((r) => formatRef(r as SecretRef));
    const edit = fc.record({
      at: fc.nat(),
      op: fc.constantFrom('insert', 'delete', 'replace'),
      ch: fc.oneof(
        fc.constantFrom('#', '?', '%', ':', ' ', '=', '\u0000'),
        fc.string({ minLength: 1, maxLength: 1 }),
      ),
    });
    fc.assert(
      fc.property(valid, fc.array(edit, { minLength: 1, maxLength: 4 }), (ref, edits) => {
        let s = ref;
        for (const e of edits) {
          const i = s.length === 0 ? 0 : e.at % (s.length + 1);
          s =
            e.op === 'insert'
              ? s.slice(0, i) + e.ch + s.slice(i)
              : e.op === 'delete'
                ? s.slice(0, i) + s.slice(i + 1)
                : s.slice(0, i) + e.ch + s.slice(i + 1);
        }
        const r = refOrInvalid(() => parseRef(s));
        if (!(r instanceof Error)) expect(parseRef(formatRef(r))).toEqual(r);
      }),
      { numRuns: 1000, seed: 42 },
    );
  });

  it('any name or field, lone surrogates included, survives format then parse (property)', () => {
    const part = fc
      .string({ minLength: 1, maxLength: 16, unit: 'binary' })
      .filter((s) => !/[\u0000-\u001f\u007f]/.test(s));
    fc.assert(
      fc.property(
        fc.option(fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/), { nil: undefined }),
        part,
        fc.option(part, { nil: undefined }),
        (source, name, field) => {
          const ref: SecretRef = { name };
          if (source !== undefined) ref.source = source;
          if (field !== undefined) ref.field = field;
          const text = refOrInvalid(() => formatRef(ref));
          if (text instanceof Error) return;
          const back = refOrInvalid(() => parseRef(text));
          // A lone surrogate cannot be written as UTF-8; whatever parses must be the same ref.
          if (!(back instanceof Error)) expect(back).toEqual(ref);
        },
      ),
      { numRuns: 800, seed: 43 },
    );
  });

  it('over-long, empty and non-string input is ERR_REF_INVALID, without the input in the message', () => {
    for (const bad of ['', `aws-sm:${MARK.repeat(600)}`, `${'%41'.repeat(1400)}`]) {
      const r = refOrInvalid(() => parseRef(bad));
      expect(r).toBeInstanceOf(Error);
      expect((r as Error).message).not.toContain(MARK);
    }
    for (const bad of [null, undefined, 42, {}, ['a'], Symbol('x')]) {
      expect(refOrInvalid(() => parseRef(bad as unknown as string))).toBeInstanceOf(Error);
    }
  });

  it('formatRef refuses what it cannot write with ERR_REF_INVALID only (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          source: fc.option(fc.string({ maxLength: 6 }), { nil: undefined }),
          name: fc.string({ maxLength: 6 }),
          version: fc.option(fc.string({ maxLength: 6 }), { nil: undefined }),
        }),
        (r) => {
          const ref: SecretRef = { name: r.name };
          if (r.source !== undefined) ref.source = r.source;
          if (r.version !== undefined) ref.version = r.version;
          const text = refOrInvalid(() => formatRef(ref));
          if (!(text instanceof Error)) expect(parseRef(text)).toEqual(ref);
        },
      ),
      { numRuns: 800, seed: 44 },
    );
  });
});
