/**
 * .env parsing and writing. Written by hand, not with `dotenv.parse`, because dotenv silently
 * drops lines it cannot read (a broken quote loses a secret without a word) and has no writer;
 * on well-formed files this parser returns exactly what dotenv does (a property test checks it).
 *
 * Rules (dotenv's): `KEY=value` or `KEY: value`, optional `export `, keys of [A-Za-z0-9_.-];
 * unquoted values end at `#` and are trimmed; '…', "…" and `…` may span lines; only "…" turns
 * `\n` and `\r` into line breaks; CRLF and CR become LF; a later key wins.
 */
import type { Issue } from '../core/errors.js';

/** Parse result: values and every problem found, with line numbers and no values. */
export interface DotenvParseResult {
  values: Record<string, string>;
  issues: Issue[];
}

const KEY_CHAR = /[\w.-]/;
const MAX_BYTES = 64 * 1024 * 1024;

/** Parses .env text. Never throws; problems come back as issues (`path: [file, line]`). */
export function parseDotenv(input: string, file = '.env'): DotenvParseResult {
  const values: Record<string, string> = Object.create(null);
  const issues: Issue[] = [];
  const problem = (line: number, message: string, code = 'DOTENV_SYNTAX') =>
    issues.push({ code, message: `${file}:${line}: ${message}`, path: [file, line], severity: 'error' });
  if (input.length > MAX_BYTES) {
    problem(1, `the file is larger than ${MAX_BYTES} bytes`, 'DOTENV_TOO_LARGE');
    return { values, issues };
  }
  const text = input.replace(/\r\n?/g, '\n');
  const n = text.length;
  let i = 0;
  let line = 1;
  const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\v' || c === '\f';
  const skipToEol = () => {
    while (i < n && text[i] !== '\n') i++;
  };
  while (i < n) {
    const startLine = line;
    while (i < n && isBlank(text[i])) i++;
    if (i >= n) break;
    if (text[i] === '\n') {
      i++;
      line++;
      continue;
    }
    if (text[i] === '#') {
      skipToEol();
      continue;
    }
    if (text.startsWith('export', i) && isBlank(text[i + 6])) {
      i += 6;
      while (isBlank(text[i])) i++;
    }
    const keyStart = i;
    while (i < n && KEY_CHAR.test(text[i]!)) i++;
    const key = text.slice(keyStart, i);
    let j = i;
    while (isBlank(text[j])) j++;
    const sepOk =
      key.length > 0 &&
      (text[j] === '=' || (text[j] === ':' && (isBlank(text[j + 1]) || text[j + 1] === undefined)));
    if (!sepOk) {
      // Never the text: a line without "=" is often a value (a PEM body line, a pasted token).
      problem(startLine, 'expected NAME=value (the line is not an assignment, a comment or blank)');
      skipToEol();
      continue;
    }
    i = j + 1;
    while (isBlank(text[i])) i++;
    const q = text[i];
    let value: string;
    if (q === '"' || q === "'" || q === '`') {
      // dotenv's quoted form is q(\\q|[^q])*q followed by blanks or a comment: the first unescaped
      // quote closes, and when what follows it is not blank, an earlier escaped quote may close instead.
      let k = i + 1;
      let first = -1;
      const escaped: number[] = [];
      while (k < n) {
        const c = text[k];
        if (c === '\\' && text[k + 1] === q) {
          escaped.push(k + 1);
          k += 2;
          continue;
        }
        if (c === q) {
          first = k;
          break;
        }
        k++;
      }
      const candidates = first >= 0 ? [first, ...escaped.reverse()] : escaped.reverse();
      const close = candidates.find((c) => closesCleanly(text, c + 1)) ?? -1;
      let lines = 0;
      for (let x = i + 1; x < close; x++) if (text[x] === '\n') lines++;
      if (close < 0 && first >= 0) {
        problem(startLine, 'unexpected text after the closing quote of the value');
        skipToEol();
        continue;
      }
      if (close < 0) {
        problem(startLine, `the value opens a ${q} quote that is never closed`, 'DOTENV_UNCLOSED_QUOTE');
        // Resume after the opening line, so one broken quote does not swallow the rest of the file.
        skipToEol();
        continue;
      }
      value = text.slice(i + 1, close);
      if (q === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
      i = close + 1;
      line += lines;
      skipToEol();
    } else {
      const vStart = i;
      while (i < n && text[i] !== '\n' && text[i] !== '#') i++;
      value = text.slice(vStart, i).trim();
      skipToEol();
    }
    if (value.includes('\u0000')) {
      problem(startLine, 'the value contains a NUL byte', 'DOTENV_NUL');
      continue;
    }
    values[key] = value;
  }
  return { values, issues };
}

/** True when only blanks, then a comment or the end of the line, follow `from`. */
function closesCleanly(text: string, from: number): boolean {
  let i = from;
  while (text[i] === ' ' || text[i] === '\t' || text[i] === '\v' || text[i] === '\f') i++;
  return i >= text.length || text[i] === '\n' || text[i] === '#';
}

/** Characters that may stand unquoted and read back unchanged. */
const PLAIN = /^[A-Za-z0-9_\-.,/:@+=%^~*!$&()[\]{}|;<>?\\]*$/;

/**
 * One `KEY=value` line that `parseDotenv` (and dotenv) read back as exactly `value`.
 * Throws when no quoting can hold the value (it has ', " and ` and a line break or `\n` text, or
 * it needs quotes and ends in a backslash).
 */
export function formatDotenvLine(key: string, value: string): string {
  if (!/^[\w.-]+$/.test(key)) throw new TypeError(`"${key}" is not a valid .env name`);
  if (value.includes('\u0000')) throw new TypeError(`the value of ${key} contains a NUL byte`);
  if (PLAIN.test(value)) return `${key}=${value}`;
  // In quotes, a backslash before the closing quote reads as an escaped quote (the value would run
  // into a later line), and a raw CR reads back as LF: only the "…" form's \r escape keeps one.
  const endsInBackslash = value.endsWith('\\');
  const rawQuotable = !endsInBackslash && !value.includes('\r');
  if (rawQuotable && !value.includes("'")) return `${key}='${value}'`;
  if (rawQuotable && !value.includes('`')) return `${key}=\`${value}\``;
  if (!endsInBackslash && !value.includes('"') && !/\\[nr]/.test(value)) {
    return `${key}="${value.replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
  }
  throw new TypeError(
    `the value of ${key} cannot be written to a .env file: it needs every kind of quote, or quotes and a trailing backslash`,
  );
}
