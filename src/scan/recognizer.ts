/**
 * What a recogniser is, and the table-driven machinery most of them share: pattern rules (a regex
 * finds the site and the setting's name, the literal value starts where the match ends) and
 * signing-call rules (a callee and which argument is the key). One file per ecosystem lists its
 * tables; `recognizers/index.ts` registers them.
 */
import { type Lang, readLiteral } from './literal.js';
import { isSecretName, type NameUse } from './names.js';
import type { FindingKind } from './types.js';

/** A file as recognisers see it. */
export interface FileInfo {
  /** Path relative to the scan root, `/`-separated. */
  path: string;
  /** Last path segment. */
  base: string;
  /** True when git tracks the file. */
  tracked: boolean;
}

/** A finding before it is judged: the only place a value travels, inside the scanning process. */
export interface RawFinding {
  kind: Exclude<FindingKind, 'value'>;
  rule: string;
  line: number;
  column: number;
  name: string;
  /** Other names of the same setting (the env var behind a config key, a token's name). */
  aliases?: string[];
  /** True when the value is passed straight to a signing or HMAC call. */
  call?: boolean;
  value: string;
}

/** One ecosystem's recogniser. */
export interface Recognizer {
  /** Short id, also the prefix of its rule ids (`python`). */
  id: string;
  /** True for files this recogniser reads (by path only: cheap, decides which files are opened). */
  match(file: FileInfo): boolean;
  /** Every raw finding in the file. */
  scan(text: string, file: FileInfo): RawFinding[];
}

/** A regex rule: the match ends where the literal value starts. */
export interface PatternRule {
  id: string;
  kind: 'fallback' | 'hardcoded';
  /** Must have the `g` flag and a named group `name`. */
  re: RegExp;
  /** How the name is judged secret. @default 'setting' */
  use?: NameUse;
  /** What may follow the literal (anchored at its end). @default END */
  after?: RegExp;
}

/** A call whose argument is a key: `jwt.sign(payload, 'shhhhh')`. */
export interface SigningRule {
  id: string;
  /** Must have the `g` flag and end just after the opening parenthesis. */
  re: RegExp;
  /** Index of the key argument, or 'any' (every literal argument). */
  arg: number | 'any';
  /** Name reported (the callee, e.g. `jwt.sign`). */
  name: string;
}

/** After a literal: the end of the argument, statement, line or a comment. */
export const END = /^\s*(?:[),;\]}]|$|#|\/\/|\/\*|\?>|%>)/m;

/** Start offsets of every line, for turning an index into a line number. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of `index`. */
export function position(starts: readonly number[], index: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: index - starts[lo]! + 1 };
}

/** Runs pattern rules over `text`, keeping matches whose name is secret and whose value is a literal. */
export function runPatterns(
  text: string,
  rules: readonly PatternRule[],
  lang: Lang,
  starts: readonly number[],
): RawFinding[] {
  const out: RawFinding[] = [];
  for (const rule of rules) {
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text); m; m = rule.re.exec(text)) {
      if (m[0].length === 0) rule.re.lastIndex++;
      const name = m.groups?.name;
      if (!name || !isSecretName(name, rule.use ?? 'setting')) continue;
      const at = m.index + m[0].length;
      const lit = readLiteral(text, at, lang);
      if (!lit || !(rule.after ?? END).test(text.slice(lit.end, lit.end + 80))) continue;
      const { line, column } = position(starts, skipBlank(text, at));
      out.push({ kind: rule.kind, rule: rule.id, line, column, name, value: lit.value });
    }
  }
  return out;
}

/** Runs signing-call rules: a literal in the key position is a hard-coded key. */
export function runSigning(
  text: string,
  rules: readonly SigningRule[],
  lang: Lang,
  starts: readonly number[],
): RawFinding[] {
  const out: RawFinding[] = [];
  for (const rule of rules) {
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text); m; m = rule.re.exec(text)) {
      const args = argumentStarts(text, m.index + m[0].length);
      const picked = rule.arg === 'any' ? args : args.slice(rule.arg, rule.arg + 1);
      for (const at of picked) {
        const lit = readLiteral(text, at, lang);
        if (!lit || !/^\s*[,)]/.test(text.slice(lit.end, lit.end + 8))) continue;
        const { line, column } = position(starts, skipBlank(text, at));
        out.push({
          kind: 'hardcoded',
          rule: rule.id,
          line,
          column,
          name: rule.name,
          call: true,
          value: lit.value,
        });
      }
    }
  }
  return out;
}

function skipBlank(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

/**
 * Start offsets of each argument of the call whose `(` is just before `open`, up to its `)`:
 * commas at depth 0 outside strings split them. Bounded to 2,000 characters.
 */
export function argumentStarts(text: string, open: number): number[] {
  const starts = [open];
  let depth = 0;
  const end = Math.min(text.length, open + 2000);
  for (let i = open; i < end; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === '`') {
      const close = closingQuote(text, i, end);
      if (close < 0) return starts;
      i = close;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return starts;
      depth--;
    } else if (c === ',' && depth === 0) starts.push(i + 1);
  }
  return starts;
}

function closingQuote(text: string, i: number, end: number): number {
  const q = text[i];
  for (let k = i + 1; k < end; k++) {
    if (text[k] === '\\') k++;
    else if (text[k] === q) return k;
    else if (text[k] === '\n' && q !== '`') return -1;
  }
  return -1;
}

/** A regex source for a quoted name: `"NAME"` or `'NAME'`, captured as `name`. */
export const QUOTED_NAME = String.raw`(?<q>["'])(?<name>[A-Za-z_][\w.:-]*)\k<q>`;
