/** Every curated default is caught, in every disguise the normalisation promises, and names its source. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkStrength } from '../../src/strength/index.js';
import { KNOWN_DEFAULTS, KNOWN_PREFIXES } from '../../src/strength/known-defaults.js';
import { PROD } from './helpers.js';

const disguises: Record<string, (v: string) => string> = {
  exact: (v) => v,
  'upper case': (v) => v.toUpperCase(),
  'surrounding spaces': (v) => `  ${v}\t`,
  'double quotes': (v) => `"${v}"`,
  'single quotes': (v) => `'${v}'`,
  'KEY=value line': (v) => `JWT_SECRET=${v}`,
  'export KEY="value"': (v) => `export JWT_SECRET="${v}"`,
  '-prod suffix': (v) => `${v}-prod`,
  _2024: (v) => `${v}_2024`,
  'zero-width space': (v) => `${v.slice(0, 1)}\u200b${v.slice(1)}`,
  hex: (v) => Buffer.from(v).toString('hex'),
  base64: (v) => Buffer.from(v).toString('base64'),
  base64url: (v) => Buffer.from(v).toString('base64url'),
  md5: (v) => createHash('md5').update(v).digest('hex'),
  sha1: (v) => createHash('sha1').update(v).digest('hex'),
  sha256: (v) => createHash('sha256').update(v).digest('hex'),
};

describe('known defaults', () => {
  it('every entry records where it is published, in words that do not repeat the value', () => {
    for (const d of [...KNOWN_DEFAULTS, ...KNOWN_PREFIXES]) {
      expect(d.source.length).toBeGreaterThan(5);
      expect(d.source.toLowerCase()).not.toContain(d.value.toLowerCase());
    }
  });

  for (const [name, disguise] of Object.entries(disguises)) {
    it(`catches every entry: ${name}`, () => {
      const missed = KNOWN_DEFAULTS.filter(
        (d) => !checkStrength(disguise(d.value), PROD).issues.some((i) => i.code === 'WEAK_KNOWN_DEFAULT'),
      ).map((d) => d.value);
      expect(missed).toEqual([]);
    });
  }

  it('the issue names the source, never the value', () => {
    const issue = checkStrength('keyboard cat', PROD).issues.find((i) => i.code === 'WEAK_KNOWN_DEFAULT')!;
    expect(issue.source).toContain('express-session');
    expect(JSON.stringify(issue)).not.toContain('keyboard cat');
  });
});
