/**
 * .env parsing: dotenv's values (see scan.ts for why the grammar is scanned here rather than by
 * calling `dotenv.parse`), plus a line-numbered refusal of every form on which dotenv silently
 * loses or changes what the file says. docs/dotenv.md lists each form and why.
 */
import type { Issue } from '../core/errors.js';
import { type ScannedAssignment, scanDotenv } from './scan.js';

export { formatDotenvLine } from './format.js';

/** Parse result: values and every problem found, with line numbers and never any text of the file. */
export interface DotenvParseResult {
  /** Names to values, exactly as `dotenv.parse` returns them (a later line wins). */
  values: Record<string, string>;
  /** Problems (`severity: 'error'`, the file should be refused) and notes (`'warning'`). */
  issues: Issue[];
}

/** Largest .env input parsed, in bytes: readers need read no more than one byte past it. */
export const MAX_SIZE = 64 * 1024 * 1024;

/** Every issue code `parseDotenv` reports, with what it means. */
export const DOTENV_ISSUE_CODES = {
  DOTENV_SYNTAX: 'a line that is not NAME=value, a comment or blank: dotenv skips it without a word',
  DOTENV_SPLIT_LINE:
    'a name whose =, or whose value, is on a later line outside quotes: dotenv reads that line as the value',
  DOTENV_UNCLOSED_QUOTE: 'a value opens a quote that never closes: dotenv keeps the quote as text',
  DOTENV_TEXT_AFTER_QUOTE: 'text follows the closing quote: dotenv keeps the quotes as text',
  DOTENV_NUL: 'a value holds a NUL character, which no environment variable can hold',
  DOTENV_INVALID_UTF8: 'bytes that are not UTF-8: dotenv turns them into U+FFFD',
  DOTENV_TOO_LARGE: `the input is larger than ${MAX_SIZE} bytes`,
  DOTENV_PROTO: 'the name __proto__, which dotenv ignores (a warning: the line is dropped)',
} as const;

/** A `parseDotenv` issue code. */
export type DotenvIssueCode = keyof typeof DOTENV_ISSUE_CODES;

/**
 * Parses .env text (or UTF-8 bytes). Never throws. The values are `dotenv.parse`'s; every form on
 * which dotenv would silently drop or change something is an `error` issue naming the file, the
 * line and the rule, never any text of the line (a line without `=` is often a value).
 * @example
 * const { values, issues } = parseDotenv('API_KEY=abc\n', '.env');
 * if (issues.some((i) => i.severity === 'error')) throw new Error(issues.map((i) => i.message).join('\n'));
 */
export function parseDotenv(input: string | Uint8Array, file = '.env'): DotenvParseResult {
  const values: Record<string, string> = Object.create(null);
  const issues: Issue[] = [];
  const report = (
    line: number,
    code: DotenvIssueCode,
    message: string,
    severity: Issue['severity'] = 'error',
  ) => issues.push({ code, message: `${file}:${line}: ${message}`, path: [file, line], severity });

  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > MAX_SIZE) {
    report(1, 'DOTENV_TOO_LARGE', `the file is larger than ${MAX_SIZE} bytes`);
    return { values, issues };
  }
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    const decoded = decodeUtf8(input);
    if (typeof decoded !== 'string') {
      for (const line of decoded.lines) {
        report(
          line,
          'DOTENV_INVALID_UTF8',
          decoded.utf16 ? 'the file is UTF-16, not UTF-8' : 'bytes that are not UTF-8',
        );
      }
      return { values, issues };
    }
    text = decoded;
  }

  const scan = scanDotenv(text);
  const found: Array<[number, () => void]> = scan.skipped.map((line) => [
    line,
    () =>
      report(
        line,
        'DOTENV_SYNTAX',
        'not NAME=value, a comment or a blank line: dotenv would skip it (a value that spans lines needs quotes; a comment starts with #)',
      ),
  ]);
  for (const a of scan.assignments) {
    const problem = refusal(a);
    if (problem) {
      found.push([a.line, () => report(a.line, problem[0], problem[1])]);
      continue;
    }
    if (a.key === '__proto__') {
      found.push([
        a.line,
        () =>
          report(a.line, 'DOTENV_PROTO', 'the name __proto__ is ignored, as dotenv ignores it', 'warning'),
      ]);
      continue;
    }
    values[a.key] = a.value;
  }
  for (const [, emit] of found.sort((x, y) => x[0] - y[0])) emit();
  return { values, issues };
}

/** Why an assignment dotenv reads is refused, or undefined. */
function refusal(a: ScannedAssignment): [DotenvIssueCode, string] | undefined {
  if (a.split) {
    return [
      'DOTENV_SPLIT_LINE',
      'the name and its = or its value are on different lines outside quotes (dotenv would read the next line as the value)',
    ];
  }
  if (a.strayQuote !== undefined) {
    return a.quoteCloses
      ? [
          'DOTENV_TEXT_AFTER_QUOTE',
          `text follows the closing ${a.strayQuote} quote, so dotenv would keep the quotes as text (quote the whole value, or put # before a comment)`,
        ]
      : [
          'DOTENV_UNCLOSED_QUOTE',
          `the value opens a ${a.strayQuote} quote that is never closed by a quote followed only by blanks or a comment (dotenv would keep the quote and the rest of the line as text)`,
        ];
  }
  if (a.value.includes('\u0000')) {
    return ['DOTENV_NUL', 'the value contains a NUL character, which no environment variable can hold'];
  }
  return undefined;
}

/** The text, or the lines holding bytes that are not UTF-8 (a BOM is kept: dotenv reads it as a blank). */
function decodeUtf8(bytes: Uint8Array): string | { lines: number[]; utf16: boolean } {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    // Lines end at LF, CRLF or CR; no UTF-8 sequence contains those bytes, so each line decodes alone.
    const lines: number[] = [];
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      const b = bytes[i];
      if (i < bytes.length && b !== 0x0a && b !== 0x0d) continue;
      try {
        decoder.decode(bytes.subarray(start, i));
      } catch {
        lines.push(line);
      }
      if (b === 0x0d && bytes[i + 1] === 0x0a) i++;
      line++;
      start = i + 1;
    }
    const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    return { lines: utf16 ? [1] : lines, utf16 };
  }
}
