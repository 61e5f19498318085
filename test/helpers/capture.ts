/**
 * Saves what a test saw (CLI output, error texts, event logs) under `reports/captured/`, where the
 * run's final leak scan (`scripts/leak-scan.ts`) looks for the planted sentinel. Any test may use it.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';

/** `reports/captured/` at the repository root. */
export const CAPTURED_DIR = fileURLToPath(new URL('../../reports/captured/', import.meta.url));

/**
 * Appends each chunk to `reports/captured/<file>`: strings as they are, anything else through
 * `util.inspect` with hidden properties, so whatever a log or a debugger would show is scanned.
 * @example capture('cli-get.log', io.stdoutText, io.stderrText);
 */
export function capture(file: string, ...chunks: unknown[]): void {
  if (file.includes('..')) throw new Error('capture() writes only under reports/captured/');
  const path = join(CAPTURED_DIR, file);
  mkdirSync(dirname(path), { recursive: true });
  const text = chunks
    .map((c) => (typeof c === 'string' ? c : inspect(c, { depth: 10, showHidden: true })))
    .join('\n');
  appendFileSync(path, `${text}\n`);
}
