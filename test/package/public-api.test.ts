/**
 * The public surface only grows: every name each subpath exported before the tree was layered
 * (issue 11's snapshot, `public-api.json`) is still exported from the built declarations, as the
 * same kind (value, type or both). New names are allowed; a removed or changed one fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publicApi } from '../../scripts/public-api.js';

const before = JSON.parse(readFileSync(join(import.meta.dirname, 'public-api.json'), 'utf8')) as Record<
  string,
  string[]
>;

describe('public API', () => {
  const now = publicApi();
  it.each(Object.keys(before))('%s keeps every export it had, as the same kind', (subpath) => {
    expect(now[subpath], `subpath ${subpath} is gone`).toBeDefined();
    const missing = before[subpath]!.filter((name) => !now[subpath]!.includes(name));
    expect(missing).toEqual([]);
  });
});
