/**
 * Scans one file's text: runs the recognisers that apply, merges what two of them saw on the same
 * value, honours reasoned ignore comments, judges every value with the strength engine and turns
 * it into a finding that carries the verdict, codes and a keyed fingerprint, never the value.
 * The same code runs on the main thread and in worker threads.
 */
import { Secret } from '../core/secret.js';
import type { Environment } from '../strength/types.js';
import { classifyValue } from './formats/config-values.js';
import { judge } from './judge.js';
import type { FileInfo, RawFinding, Recognizer } from './recognizer.js';
import { recognizers } from './recognizers/index.js';
import type { FindingKind, ScanFinding, ScanNote, ScanVerdict } from './types.js';

/** How findings are fingerprinted: with a key (over kind, name and value), or without a value at all. */
export type FingerprintKey = { kind: 'key'; key: string | Uint8Array } | { kind: 'none' };

/** Settings shared by every file of one scan. */
export interface EngineSettings {
  environment: Environment;
  fingerprint: FingerprintKey;
}

/** Recognisers that read this file (decided by path alone, so unrelated files are never opened). */
export function recognizersFor(file: FileInfo): Recognizer[] {
  return recognizers.filter((r) => r.match(file));
}

/**
 * The same choice as positions in the registry: what a job carries (to a worker too), so that the
 * path is matched once per file, not again when the file is read.
 */
export function recognizerIndices(file: FileInfo): number[] {
  const out: number[] = [];
  for (let i = 0; i < recognizers.length; i++) if (recognizers[i]!.match(file)) out.push(i);
  return out;
}

/** The recognisers at `indices` (from `recognizerIndices`). */
export function recognizersAt(indices: readonly number[]): Recognizer[] {
  return indices.map((i) => recognizers[i]!);
}

/** When two recognisers report the same value on the same line, the more specific kind wins. */
const PRIORITY: Record<RawFinding['kind'], number> = {
  fallback: 0,
  unrendered: 1,
  'committed-env': 2,
  hardcoded: 3,
};

const IGNORE = /secretsource-ignore\b:?([^\n]*)/;

/** Words every secret name or signing call contains (see `names.ts` and the signing rules). */
const MAY_HOLD =
  /[sS](?:ecret|ECRET|alt|ALT|ign|IGN|erializ|ERIALIZ)|[pP](?:ass|ASS|wd|WD|epper|EPPER)|[tT](?:oken|OKEN)|[kK](?:ey|EY)|[cC](?:redential|REDENTIAL|ookie|OOKIE)|[hH](?:mac|MAC)|[jJ](?:wt|WT)|[fF](?:ernet|ERNET)|Sign/;

/** Domain of the value-free fingerprint (used when no key is configured): not secret, holds no value. */
const LOCATION_KEY = 'secretsource/scan/location/v1';

/** Scans `text` of `file` with `use` (default: every recogniser that matches). */
export function scanText(
  text: string,
  file: FileInfo,
  settings: EngineSettings,
  use: readonly Recognizer[] = recognizersFor(file),
): { findings: ScanFinding[]; notes: ScanNote[]; ignored: number } {
  // Every finding needs a secret-looking name or a signing call: text with neither has none.
  if (!MAY_HOLD.test(text)) return { findings: [], notes: [], ignored: 0 };
  const raw: RawFinding[] = [];
  for (const r of use) raw.push(...r.scan(text, file));
  if (raw.length === 0) return { findings: [], notes: [], ignored: 0 };
  const merged = new Map<string, RawFinding>();
  for (const f of raw) {
    // Empty, a number or boolean, or a reference resolved elsewhere: no fixed secret (tokens are their own kind).
    if (f.kind !== 'unrendered' && classifyValue(f.value) !== 'literal') continue;
    const key = `${f.line}\0${f.value}`;
    const seen = merged.get(key);
    if (!seen || PRIORITY[f.kind] < PRIORITY[seen.kind]) merged.set(key, f);
  }
  const lines = text.split('\n');
  const findings: ScanFinding[] = [];
  // A whole-line comment is documentation (a TSDoc example, a commented hint), not configuration.
  const comment = /^\s*(?:\/\/|\/\*|\*|#(?!\{)|<!--)/;
  const notes: ScanNote[] = [];
  let ignored = 0;
  for (const f of merged.values()) {
    if (comment.test(lines[f.line - 1] ?? '')) continue;
    const ignore = ignoreComment(lines, f.line);
    if (ignore !== undefined) {
      if (ignore.length >= 3) {
        ignored++;
        continue;
      }
      notes.push({
        file: file.path,
        line: f.line,
        message:
          'secretsource-ignore needs a reason (`secretsource-ignore: why this is safe`); the finding is reported',
      });
    }
    findings.push(toFinding(f, file, settings));
  }
  findings.sort((a, b) => a.line - b.line || a.column - b.column);
  return { findings, notes, ignored };
}

/** The reason of an ignore comment on the line or alone on the line above; undefined when there is none. */
function ignoreComment(lines: readonly string[], line: number): string | undefined {
  const own = IGNORE.exec(lines[line - 1] ?? '');
  if (own) return reason(own[1]!);
  const above = lines[line - 2] ?? '';
  if (/^\s*(?:#|\/\/|\/\*|<!--|--|;|')/.test(above)) {
    const m = IGNORE.exec(above);
    if (m) return reason(m[1]!);
  }
  return undefined;
}

function reason(text: string): string {
  return text.replace(/\*\/|-->|%>/g, '').trim();
}

/** The keyed fingerprint of a finding; `value` is read here and goes no further. */
export function fingerprintOf(
  kind: FindingKind,
  name: string,
  value: string | Secret,
  file: string,
  fingerprint: FingerprintKey,
): string {
  if (fingerprint.kind === 'none') return new Secret(`${kind}\0${name}\0${file}`).fingerprint(LOCATION_KEY);
  const bytes = typeof value === 'string' ? value : value.reveal();
  return new Secret(`${kind}\0${name}\0${bytes}`).fingerprint(fingerprint.key);
}

function toFinding(f: RawFinding, file: FileInfo, settings: EngineSettings): ScanFinding {
  const names = [f.name, ...(f.aliases ?? [])];
  const j = judge(f.value, names, settings.environment);
  return {
    kind: f.kind,
    rule: f.rule,
    file: file.path,
    line: f.line,
    column: f.column,
    name: f.name,
    verdict: j.verdict,
    ok: j.ok,
    codes: j.codes,
    profile: j.profile,
    message: describe(f.kind, f.name, j.verdict, j.codes, f.call === true),
    fingerprint: fingerprintOf(f.kind, f.name, f.value, file.path, settings.fingerprint),
  };
}

/** One sentence per finding, for people; names the setting and the codes, never the value. */
export function describe(
  kind: FindingKind,
  name: string,
  verdict: ScanVerdict,
  codes: readonly string[],
  call = false,
): string {
  const judged =
    verdict === 'weak' ? `weak (${codes.join(', ')})` : 'looks strong, but anyone with the code has it';
  switch (kind) {
    case 'fallback':
      return `${name} falls back to a literal default when it is unset; the default is ${judged}`;
    case 'hardcoded':
      return call
        ? `${name} is called with a literal key; the key is ${judged}`
        : `${name} is set to a literal in the source; the value is ${judged}`;
    case 'committed-env':
      return `${name} has a value in a .env file tracked by git; the value is ${judged}`;
    case 'unrendered':
      return `${name} is a template token that was never replaced; deployed as is, the token is the secret (${codes.join(', ') || 'placeholder'})`;
    case 'value':
      return `${name} (a real secret) appears here`;
  }
}
