/**
 * docs/strength.md lists every declared code exactly once, as a row of its issue-code table, and no
 * code that is not declared (which codes are emitted is proven by registry.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/internal/package-root.js';
import { ISSUE_CODES } from '../../src/strength/index.js';

const page = readFileSync(join(packageRoot(), 'docs', 'strength.md'), 'utf8');
/** The codes of the table's rows, in page order (`| \`CODE\` | ... |`). */
const rows = [...page.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]!);

describe('issue codes', () => {
  it('docs/strength.md has one table row per declared code, and no other', () => {
    const declared = Object.keys(ISSUE_CODES).sort();
    expect([...rows].sort()).toEqual(declared);
  });

  it('the check can fail: a missing or repeated row is caught', () => {
    expect(rows.length).toBeGreaterThan(10);
    expect(new Set(rows).size).toBe(rows.length);
  });
});
