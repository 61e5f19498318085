/**
 * The leak scan itself (scripts/leak-scan.ts): a deliberately leaky test message holding one
 * 8-character piece of a stand-in sentinel, in each encoding, makes the scan fail; a clean tree and
 * the canary's own planted files do not; and a run whose canary did not plant everywhere fails.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { findSentinel, leakScan, STORES, scanForSentinel } from '../../scripts/leak-scan.js';

// A stand-in with the real sentinel's shape: the real one must never be written by a test.
const FAKE = 'Qw3rTy7UiOp9AsDf2GhJk4Lz/Xc5Vb6N+m8Kj1Hg2FéDs4Aa0=';
const PIECE = FAKE.slice(3, 11); // 8 characters from the middle: what V8 or a truncation would keep
const ACROSS = FAKE.slice(20, 30); // spans the "/" and the "+"
const root = mkdtempSync(join(tmpdir(), 'leak-scan-selftest-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh fake run: planted record, canary record, and one leaky captured file. */
function fakeRun(file: string, content: string | Buffer): string {
  const repo = mkdtempSync(join(root, 'run-'));
  mkdirSync(join(repo, 'reports', 'leak-scan', 'planted'), { recursive: true });
  mkdirSync(join(repo, 'reports', 'captured'), { recursive: true });
  const stores = STORES;
  writeFileSync(
    join(repo, 'reports', 'leak-scan', 'planted.json'),
    JSON.stringify({ sentinel: FAKE, stores }),
  );
  writeFileSync(
    join(repo, 'reports', 'leak-scan', 'canary.json'),
    JSON.stringify({ kinds: ['env'], doors: ['get'], runs: 1 }),
  );
  // The canary's own copies are skipped.
  writeFileSync(join(repo, 'reports', 'leak-scan', 'planted', 'good.env'), `CANARY=${FAKE}\n`);
  mkdirSync(join(repo, 'reports', ...file.split('/').slice(0, -1)), { recursive: true });
  writeFileSync(join(repo, 'reports', file), content);
  return repo;
}

const leakyMessage = (shown: string) =>
  inspect(new Error(`ERR_CONFIG_INVALID the schema said: ${shown} (this test leaks on purpose)`), {
    showHidden: true,
  });

describe('the leak scan fails on a deliberately leaky message, for each encoding', () => {
  const utf16 = (s: string) => Buffer.from(leakyMessage(s), 'utf16le');
  const cases: Array<[string, string | Buffer]> = [
    ['raw piece', leakyMessage(PIECE)],
    ['upper-cased piece', leakyMessage(PIECE.toUpperCase())],
    ['lower-cased piece', leakyMessage(PIECE.toLowerCase())],
    [
      'V8 quoting the first 10 characters',
      leakyMessage(`Unexpected token, "${FAKE.slice(0, 10)}"... is not valid JSON`),
    ],
    ['split across lines', leakyMessage(`${FAKE.slice(0, 25)}\n${FAKE.slice(25)}`)],
    ['JSON-escaped', JSON.stringify({ message: FAKE.slice(30) })],
    [
      'JSON \\u-escaped (ASCII-only encoders)',
      JSON.stringify({ m: FAKE.slice(38, 46) }).replace(/é/g, '\\u00e9'),
    ],
    [
      'JSON \\u-escaped every character',
      PIECE.split('')
        .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
        .join(''),
    ],
    ['URL-encoded', leakyMessage(`https://x.example/?q=${encodeURIComponent(ACROSS)}`)],
    ['URL-encoded, lower-case escapes', encodeURIComponent(ACROSS).toLowerCase()],
    ['base64', leakyMessage(Buffer.from(`x${PIECE}`).toString('base64'))],
    ['base64 at the second alignment', Buffer.from(`xy${PIECE}`).toString('base64')],
    ['base64url', Buffer.from(`${ACROSS}?`).toString('base64url')],
    ['hex', leakyMessage(Buffer.from(PIECE).toString('hex'))],
    ['HEX', Buffer.from(PIECE).toString('hex').toUpperCase()],
    ['UTF-16LE', utf16(PIECE)],
    ['UTF-16BE', Buffer.from(leakyMessage(PIECE), 'utf16le').swap16()],
    ['gzip', gzipSync(leakyMessage(PIECE))],
  ];

  it.each(cases)('%s', (form, content) => {
    const repo = fakeRun('captured/leaky.log', content);
    const lines: string[] = [];
    expect(leakScan(repo, (l) => lines.push(l))).toBe(1);
    expect(lines[0]).toMatch(/^leak scan: sentinel \(\S+\) in reports\/captured\/leaky\.log at byte \d+$/);
    // The scan's own output names the file and the form, never the value.
    expect(findSentinel(FAKE, lines.join('\n'))).toEqual([]);
    expect(form).toBeTruthy();
  });

  it("finds a leak in the run's temporary files and nested folders too", () => {
    const repo = fakeRun('tmp/a/b/audit.jsonl', JSON.stringify({ ref: 'env:X', message: PIECE }));
    expect(leakScan(repo, () => {})).toBe(1);
  });
});

describe('the leak scan passes only what it should', () => {
  it('a clean run passes, and the planted copies are not counted', () => {
    const repo = fakeRun(
      'captured/clean.log',
      leakyMessage('fpr_0123456789abcdef and [hidden: looks like a secret value]'),
    );
    const lines: string[] = [];
    expect(leakScan(repo, (l) => lines.push(l))).toBe(0);
    expect(lines.at(-1)).toMatch(/^leak scan: \d+ files, .* 0 hits/);
  });

  it('7 characters are not a piece: only 8 or more count', () => {
    expect(scanForSentinel(FAKE, [mkdtempSync(join(root, 'seven-'))]).hits).toEqual([]);
    expect(findSentinel(FAKE, `x ${FAKE.slice(3, 10)} y`)).toEqual([]);
    expect(findSentinel(FAKE, `x ${FAKE.slice(3, 11)} y`)).not.toEqual([]);
  });

  it('fails when the sentinel was not planted everywhere, or the canary did not run', () => {
    const repo = fakeRun('captured/clean.log', 'nothing');
    writeFileSync(
      join(repo, 'reports', 'leak-scan', 'planted.json'),
      JSON.stringify({ sentinel: FAKE, stores: ['vault'] }),
    );
    const lines: string[] = [];
    expect(leakScan(repo, (l) => lines.push(l))).toBe(1);
    expect(lines[0]).toMatch(/not planted in aws-sm, aws-ssm, azure-kv/);
    const other = fakeRun('captured/clean.log', 'nothing');
    rmSync(join(other, 'reports', 'leak-scan', 'canary.json'));
    expect(leakScan(other, (l) => lines.push(l))).toBe(1);
    expect(lines.at(-1)).toMatch(/the canary did not run/);
  });
});
