/** Writing `.env` lines that dotenv (and `parseDotenv`) read back exactly. */

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
