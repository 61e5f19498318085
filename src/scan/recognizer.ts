/**
 * What a recogniser is, and the table-driven machinery most of them share: pattern rules (a regex
 * finds the site and the setting's name, the literal value starts where the match ends) and
 * signing-call rules (a callee and which argument is the key). One file per ecosystem lists its
 * tables; `recognizers/index.ts` registers them.
 */
import { type Lang, readLiteral } from './literal.js';
import { isSecretName, type NameUse, nameWords } from './names.js';
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

/**
 * A context rule around a name site: the name (an identifier, or a quoted name when `quoted`) must
 * be a secret, the text before it must match `before` (anchored at its end with `$`), and `after`
 * (sticky) must match right after it; the literal value starts where `after` ends.
 */
export interface SiteRule {
  id: string;
  kind: 'fallback' | 'hardcoded';
  quoted: boolean;
  /** How the name is judged secret. @default 'setting' for quoted names, 'identifier' for bare ones */
  use?: NameUse;
  /** Tested on the `window` characters ending just before the name (its opening quote); end it with `$`. */
  before?: RegExp;
  /** How many characters `before` sees. @default 64 */
  window?: number;
  /** Sticky (`y` flag), from just after the name (its closing quote). */
  after: RegExp;
  /** What may follow the literal. @default END */
  end?: RegExp;
  /** Code identifiers name things: skip values that are labels, not secrets (see `isLabel`). @default true for bare names */
  labels?: boolean;
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
  /** Strings the text must contain one of for the rule to run (a fast pre-check). */
  hint?: readonly string[];
}

/** After a literal: the end of the argument, statement, line or a comment. */
export const END = /^\s*(?:[),;\]}]|$|#|\/\/|\/\*|\?>|%>)/m;

/** Turns an index into a line and column; the line table is built on first use (most files yield no finding). */
export class LineIndex {
  private starts: number[] | undefined;

  constructor(private readonly text: string) {}

  /** 1-based line and column of `index`. */
  position(index: number): { line: number; column: number } {
    if (!this.starts) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: index - starts[lo]! + 1 };
  }

  /** Index of the first character of the line holding `index`. */
  lineStart(index: number): number {
    return index - this.position(index).column + 1;
  }
}

/** Where a secret-looking name stands in the text. */
export interface Site {
  name: string;
  /** Index of the name's first character (inside the quotes when quoted). */
  start: number;
  end: number;
  quoted: boolean;
}

/** Every secret name contains one of these (see `names.ts`); searching for them first keeps the scan fast. */
// Spelled out per case instead of the `i` flag: about twice as fast in V8 on large texts.
const KEYWORD =
  /[sS](?:ecret|ECRET|alt|ALT)|[pP](?:ass|ASS|wd|WD|epper|EPPER)|[tT](?:oken|OKEN)|[kK](?:ey|EY)|[cC](?:redential|REDENTIAL)|[hH](?:mac|MAC)/g;

function identChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}

function nameChar(c: number): boolean {
  return identChar(c) || c === 46 || c === 58 || c === 45;
}

/** Identifiers and quoted names holding a keyword, each once, in order. */
export function findSites(text: string): Site[] {
  const out: Site[] = [];
  let lastQuoted = -1;
  KEYWORD.lastIndex = 0;
  for (let m = KEYWORD.exec(text); m; m = KEYWORD.exec(text)) {
    let s = m.index;
    while (s > 0 && identChar(text.charCodeAt(s - 1))) s--;
    let e = m.index + m[0].length;
    while (e < text.length && identChar(text.charCodeAt(e))) e++;
    KEYWORD.lastIndex = e;
    const first = text.charCodeAt(s);
    if (!(first >= 48 && first <= 57)) out.push({ name: text.slice(s, e), start: s, end: e, quoted: false });
    let qs = s;
    while (qs > 0 && nameChar(text.charCodeAt(qs - 1))) qs--;
    let qe = e;
    while (qe < text.length && nameChar(text.charCodeAt(qe))) qe++;
    const q = text[qs - 1];
    if ((q === '"' || q === "'") && text[qe] === q && qs > lastQuoted && /[A-Za-z_]/.test(text[qs]!)) {
      out.push({ name: text.slice(qs, qe), start: qs, end: qe, quoted: true });
      lastQuoted = qs;
    }
  }
  return out;
}

/** Whole-line comments by language family: a name on such a line is documentation, not code. */
export const COMMENT_LINE = {
  c: /^\s*(?:\/\/|\/\*|\*)/,
  hash: /^\s*#/,
  php: /^\s*(?:\/\/|\/\*|\*|#)/,
} as const;

/**
 * A value that names something rather than being a secret, in code: the setting's own name in
 * another case (`ACCESS_TOKEN = "access_token"`, an error code or event name), an UPPER_SNAKE
 * name (an env var's name), a URL path, a namespaced or dotted key (`msal:acquireTokenStart`,
 * `cache.token.keys`), or no letter or digit at all.
 */
export function isLabel(value: string, name: string): boolean {
  const v = value.trim();
  if (!/[A-Za-z0-9]/.test(v)) return true;
  const norm = (x: string) => x.toUpperCase().replace(/[^A-Z0-9]/g, '');
  // Bundlers rename clashing constants `NAME$1`: the suffix is not part of the name.
  if (norm(v) === norm(name.replace(/\$\d+$/, ''))) return true;
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v)) return true;
  if (/^\/[\w\-./{}:]*$/.test(v)) return true;
  if (/^[a-z][\w-]*(?:[.:][a-zA-Z][\w-]*)+$/.test(v)) return true;
  // Prose under a compound name is a message or a description (`DEFAULT_CREDENTIALS: 'default admin credentials …'`).
  if (nameWordsCount(name) >= 2 && v.split(/\s+/).filter((w) => /^[a-z(]/.test(w)).length >= 4) return true;
  return false;
}

function nameWordsCount(name: string): number {
  return nameWords(name).length;
}

/** isSecretName results, shared across files (names repeat): bounded so a huge tree cannot grow it without end. */
const SECRET_CACHE: Record<NameUse, Map<string, boolean>> = { setting: new Map(), identifier: new Map() };

function secretCached(name: string, use: NameUse): boolean {
  const cache = SECRET_CACHE[use];
  let v = cache.get(name);
  if (v === undefined) {
    v = isSecretName(name, use);
    if (cache.size > 50_000) cache.clear();
    cache.set(name, v);
  }
  return v;
}

/** Runs site rules over the sites of `text`, keeping secret names whose value is a literal. */
export function runSites(
  text: string,
  sites: readonly Site[],
  rules: readonly SiteRule[],
  lang: Lang,
  starts: LineIndex,
  comment: RegExp,
): RawFinding[] {
  const out: RawFinding[] = [];
  for (const site of sites) {
    let onComment: boolean | undefined;
    let asSetting: boolean | undefined;
    let asIdentifier: boolean | undefined;
    for (const rule of rules) {
      if (rule.quoted !== site.quoted) continue;
      const use = rule.use ?? (site.quoted ? 'setting' : 'identifier');
      if (use === 'setting') asSetting ??= secretCached(site.name, use);
      else asIdentifier ??= secretCached(site.name, use);
      if (!(use === 'setting' ? asSetting : asIdentifier)) continue;
      const open = site.quoted ? site.start - 1 : site.start;
      if (rule.before && !rule.before.test(text.slice(Math.max(0, open - (rule.window ?? 64)), open)))
        continue;
      rule.after.lastIndex = site.quoted ? site.end + 1 : site.end;
      if (!rule.after.exec(text)) continue;
      if (onComment === undefined) {
        const lineAt = starts.lineStart(site.start);
        onComment = comment.test(text.slice(lineAt, site.start));
      }
      if (onComment) break;
      const at = rule.after.lastIndex;
      const lit = readLiteral(text, at, lang);
      if (!lit || !(rule.end ?? END).test(text.slice(lit.end, lit.end + 80))) continue;
      if ((rule.labels ?? !site.quoted) && isLabel(lit.value, site.name)) continue;
      const { line, column } = starts.position(skipBlank(text, at));
      out.push({ kind: rule.kind, rule: rule.id, line, column, name: site.name, value: lit.value });
    }
  }
  return out;
}

/** Runs whole-text regex rules (for shapes anchored on a call, not on a name): group `name`, literal at the match end. */
export function runPatterns(
  text: string,
  rules: ReadonlyArray<{ id: string; kind: 'fallback' | 'hardcoded'; re: RegExp; use?: NameUse }>,
  lang: Lang,
  starts: LineIndex,
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
      if (!lit || !END.test(text.slice(lit.end, lit.end + 80))) continue;
      const { line, column } = starts.position(skipBlank(text, at));
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
  starts: LineIndex,
): RawFinding[] {
  const out: RawFinding[] = [];
  for (const rule of rules) {
    if (rule.hint && !rule.hint.some((h) => text.includes(h))) continue;
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text); m; m = rule.re.exec(text)) {
      const args = argumentStarts(text, m.index + m[0].length);
      const picked = rule.arg === 'any' ? args : args.slice(rule.arg, rule.arg + 1);
      for (const at of picked) {
        const lit = readLiteral(text, at, lang);
        if (!lit || !/^\s*[,)]/.test(text.slice(lit.end, lit.end + 8))) continue;
        const { line, column } = starts.position(skipBlank(text, at));
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
