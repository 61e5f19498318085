/**
 * The forms of a value that are looked up in the known lists: normalised (NFKC, zero-width removed,
 * trimmed, case folded), unquoted, without a `KEY=` / `export KEY=` prefix, without common affixes
 * (`-prod`, `_2024`, `123`, `!`), and decoded from hex or base64 when that yields text.
 */
import { normalizeForMatch } from './normalize.js';

/** Values longer than this cannot match any list entry after normalisation, so they are not looked up. */
export const MAX_KNOWN_LENGTH = 8192;

/** A form to look up and how it was derived from the value (for the issue, never the text). */
export interface Candidate {
  text: string;
  via: 'normalized' | 'unquoted' | 'assignment' | 'affix' | 'hex' | 'base64';
}

const QUOTES = new Set(['"', "'", '`']);
const ASSIGNMENT = /^(?:export\s+)?[a-z_][a-z0-9_.]{0,127}\s{0,8}[=:]\s{0,8}/;
const SUFFIX_WORDS = [
  'production',
  'prod',
  'development',
  'dev',
  'staging',
  'stage',
  'testing',
  'test',
  'local',
  'live',
  'new',
  'old',
  'final',
  'copy',
  'backup',
];
const PREFIX_WORDS = ['prod', 'production', 'dev', 'staging', 'test', 'my', 'the', 'new'];
const SEPARATORS = new Set(['-', '_', '.', ' ', '@', '#']);

/** All lookup forms of `value`, de-duplicated; empty for values above {@link MAX_KNOWN_LENGTH}. */
export function matchCandidates(value: string): Candidate[] {
  if (value.length > MAX_KNOWN_LENGTH) return [];
  const out = new Map<string, Candidate['via']>();
  const add = (text: string, via: Candidate['via']): void => {
    if (text.length > 0 && !out.has(text)) out.set(text, via);
  };
  const base = normalizeForMatch(value);
  add(base, 'normalized');
  const unquoted = unquote(base);
  add(unquoted, 'unquoted');
  const m = ASSIGNMENT.exec(unquoted);
  const assigned =
    m && m[0].length < unquoted.length ? unquote(unquoted.slice(m[0].length).trim()) : undefined;
  if (assigned) add(assigned, 'assignment');
  for (const form of [unquoted, assigned]) {
    if (!form) continue;
    for (const stripped of stripAffixes(form)) add(stripped, 'affix');
  }
  for (const decoded of decodings(value.trim())) {
    const d = normalizeForMatch(decoded.text);
    add(d, decoded.via);
    for (const stripped of stripAffixes(d)) add(stripped, decoded.via);
  }
  return [...out].map(([text, via]) => ({ text, via }));
}

function unquote(s: string): string {
  let t = s;
  for (let k = 0; k < 2 && t.length >= 2 && QUOTES.has(t[0]!) && t[t.length - 1] === t[0]; k++) {
    t = t.slice(1, -1).trim();
  }
  return t;
}

/** Forms with up to two affixes removed, outermost first. */
function stripAffixes(s: string): string[] {
  const forms: string[] = [];
  let cur = s;
  for (let round = 0; round < 3; round++) {
    const next = stripOne(cur);
    if (next === undefined || next.length === 0) break;
    forms.push(next);
    cur = next;
  }
  return forms;
}

function stripOne(s: string): string | undefined {
  // Trailing "!" marks and digits (years, counters), with or without a separator.
  let end = s.length;
  while (end > 0 && s[end - 1] === '!') end--;
  if (end < s.length) return s.slice(0, end);
  let digits = 0;
  while (digits < 4 && end - digits > 0 && isDigit(s.charCodeAt(end - digits - 1))) digits++;
  if (digits > 0 && digits < s.length) {
    const cut = end - digits;
    return SEPARATORS.has(s[cut - 1]!) ? s.slice(0, cut - 1) : s.slice(0, cut);
  }
  for (const w of SUFFIX_WORDS) {
    if (s.length > w.length + 1 && s.endsWith(w) && SEPARATORS.has(s[s.length - w.length - 1]!)) {
      return s.slice(0, s.length - w.length - 1);
    }
  }
  for (const w of PREFIX_WORDS) {
    if (s.length > w.length + 1 && s.startsWith(w) && SEPARATORS.has(s[w.length]!))
      return s.slice(w.length + 1);
  }
  return undefined;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Text hidden in a hex or base64 encoding of the value, when it decodes to printable UTF-8. */
function decodings(trimmed: string): Array<{ text: string; via: 'hex' | 'base64' }> {
  const out: Array<{ text: string; via: 'hex' | 'base64' }> = [];
  if (trimmed.length < 4) return out;
  const hex = trimmed.startsWith('0x') || trimmed.startsWith('0X') ? trimmed.slice(2) : trimmed;
  if (hex.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(hex)) {
    const text = printable(Buffer.from(hex, 'hex'));
    if (text !== undefined) out.push({ text, via: 'hex' });
  }
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    const std = trimmed.replace(/-/g, '+').replace(/_/g, '/');
    const text = printable(Buffer.from(std, 'base64'));
    if (text !== undefined) out.push({ text, via: 'base64' });
  }
  return out;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text when they are valid UTF-8 without control characters, else undefined. */
function printable(bytes: Buffer): string | undefined {
  if (bytes.length === 0) return undefined;
  // Random bytes almost never pass: bail out on the first control byte before decoding.
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c < 32 || c === 127) return undefined;
  }
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return undefined;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || c === 127) return undefined;
  }
  return text;
}
