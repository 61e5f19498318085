import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSecretError } from '../../src/core/errors.js';
import { formatRef, parseRef } from '../../src/core/ref.js';

describe('parseRef', () => {
  it.each([
    ['aws-sm:prod/app#jwt', { source: 'aws-sm', name: 'prod/app', field: 'jwt' }],
    ['aws-ssm:/app/prod/jwt?version=3', { source: 'aws-ssm', name: '/app/prod/jwt', version: '3' }],
    ['env:JWT_SECRET_KEY', { source: 'env', name: 'JWT_SECRET_KEY' }],
    ['JWT_SECRET_KEY', { name: 'JWT_SECRET_KEY' }],
    [
      'aws-sm:app#jwt?version=AWSPREVIOUS',
      { source: 'aws-sm', name: 'app', field: 'jwt', version: 'AWSPREVIOUS' },
    ],
    [
      'aws-sm:app?version=AWSPREVIOUS#jwt',
      { source: 'aws-sm', name: 'app', field: 'jwt', version: 'AWSPREVIOUS' },
    ],
    ['vault:a%23b%3Fc%25d%20e', { source: 'vault', name: 'a#b?c%d e' }],
    [
      'aws-sm:arn:aws:secretsmanager:us-east-1:1:secret:x',
      { source: 'aws-sm', name: 'arn:aws:secretsmanager:us-east-1:1:secret:x' },
    ],
    ['aws-ssm:/p?version=prod.label', { source: 'aws-ssm', name: '/p', version: 'prod.label' }],
    ['memory:caf%C3%A9', { source: 'memory', name: 'café' }],
  ])('%s', (input, expected) => {
    expect(parseRef(input)).toEqual(expected);
  });

  it.each([
    ['', 0, 'the reference is empty'],
    ['aws-sm:', 7, 'the name is empty'],
    ['aws-sm:a#', 9, 'the field is empty'],
    ['aws-sm:a?v=1', 9, 'the only query parameter is "version="'],
    ['aws-sm:a?version=', 17, 'the version must be 1 to 128 of A-Z a-z 0-9 . _ : -'],
    ['aws-sm:a?version=1?version=2', 18, 'the reference has two "?" parts'],
    ['aws-sm:a#b#c', 10, 'the reference has two "#" fields'],
    ['aws-sm:a b', 8, 'the name contains whitespace or a control character (percent-encode it)'],
    ['aws-sm:a%zz', 8, '"%" in the name must be followed by two hex digits'],
    ['aws-sm:a%00', 7, 'the name decodes to a control character'],
    ['AWS:thing', 3, 'a source id is lowercase letters, digits and "-"; in a bare name, write ":" as %3A'],
    ['a'.repeat(5000), 4096, 'the reference is longer than 4096 characters'],
  ])('rejects %j at position %i', (input, position, reason) => {
    let err: unknown;
    try {
      parseRef(input);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({
      code: 'ERR_REF_INVALID',
      message: `invalid secret reference at position ${position}: ${reason}`,
    });
  });

  it('does not echo the input in its message', () => {
    const pasted = 'sk_live_SENTINEL 123';
    const err = (() => {
      try {
        parseRef(pasted);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).not.toContain('SENTINEL');
  });
});

describe('formatRef', () => {
  it('writes the canonical order and encodes what the grammar reserves', () => {
    expect(formatRef({ source: 'aws-sm', name: 'app', field: 'jwt', version: 'AWSCURRENT' })).toBe(
      'aws-sm:app#jwt?version=AWSCURRENT',
    );
    expect(formatRef({ source: 'vault', name: 'a#b?c%d e' })).toBe('vault:a%23b%3Fc%25d%20e');
    expect(formatRef({ name: 'x:y' })).toBe('x%3Ay');
  });

  it('round-trips any ref (property)', () => {
    const part = fc
      .string({ minLength: 1, maxLength: 20, unit: 'grapheme' })
      .filter((s) => !/[\u0000-\u001f\u007f]/.test(s));
    fc.assert(
      fc.property(
        fc.record(
          {
            source: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
            name: part,
            field: part,
            version: fc.stringMatching(/^[A-Za-z0-9._:-]{1,20}$/),
          },
          { requiredKeys: ['name'] },
        ),
        (ref) => {
          expect(parseRef(formatRef(ref))).toEqual(ref);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('parse never throws anything but ERR_REF_INVALID (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        try {
          const r = parseRef(s);
          expect(parseRef(formatRef(r))).toEqual(r);
        } catch (e) {
          expect(isSecretError(e) && e.code).toBe('ERR_REF_INVALID');
        }
      }),
      { numRuns: 1000 },
    );
  });
});
