/**
 * The known-defaults corpus: every provenance row has its full shape, the held-out projects never
 * feed the lookup, and the shipped data/known-defaults.bin is exactly what the rows build.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProvenance, rowProblems } from '../../scripts/known-defaults/provenance.js';
import { buildKnownDefaults } from '../../scripts/known-defaults.js';

const dir = join(import.meta.dirname, '..', '..', 'data');
const rows = readProvenance(join(dir, 'known-defaults', 'provenance.jsonl'));
const held = readProvenance(join(dir, 'known-defaults', 'held-out.jsonl'));

describe('known-defaults provenance', () => {
  it('holds thousands of rows from hundreds of projects, each with a source and a read date', () => {
    expect(rows.length).toBeGreaterThanOrEqual(2000);
    expect(new Set(rows.map((r) => r.repo ?? r.product)).size).toBeGreaterThanOrEqual(150);
    for (const r of rows) expect(r.repo !== undefined ? r.commit : (r.url ?? r.cite)).toBeTruthy();
  });

  it('keeps the held-out projects out of the build set', () => {
    const built = new Set(rows.map((r) => r.repo).filter(Boolean));
    expect(held.length).toBeGreaterThan(100);
    expect(held.filter((r) => built.has(r.repo))).toEqual([]);
  });

  it('rejects rows of the wrong shape', () => {
    const good = rows.find((r) => r.repo !== undefined)!;
    expect(rowProblems(good)).toEqual([]);
    expect(rowProblems({ ...good, commit: 'main' })).toContain('commit must be 40 hex digits');
    expect(rowProblems({ ...good, url: 'https://example.org' })).toContain(
      'exactly one of repo, url or cite',
    );
    expect(rowProblems({ ...good, form: 'yaml' })[0]).toMatch(/^form must be one of/);
    expect(rowProblems({ ...good, value: ' padded ' })).toContain('value has surrounding spaces');
    expect(rowProblems({ ...good, extra: 1 })).toContain('unknown field extra');
    expect(rowProblems('x')).toEqual(['not an object']);
  });

  it('ships the lookup file the rows build (rebuild with tsx scripts/known-defaults.ts)', () => {
    const shipped = readFileSync(join(dir, 'known-defaults.bin'));
    const built = buildKnownDefaults(rows);
    expect(shipped.length).toBe(built.bin.length);
    expect(shipped.equals(built.bin)).toBe(true);
    expect(built.bin.length).toBeLessThan(10 * 1024 * 1024);
  });
});
