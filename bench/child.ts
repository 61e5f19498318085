/** A fresh Node process for the benches: module code run with `-e`, optionally with a loader hook. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

/**
 * Runs `code` as an ES module in a new process at the repository root and returns its stdout.
 * `resolveHook` is the body of a module exporting `resolve(specifier, context, next)`, registered
 * before `code` runs (to see what gets imported, and from where).
 */
export function runChild(code: string, resolveHook?: string): string {
  const register =
    resolveHook === undefined
      ? undefined
      : `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(resolveHook)}`)});`;
  return execFileSync(
    process.execPath,
    [
      ...(register ? ['--import', `data:text/javascript,${encodeURIComponent(register)}`] : []),
      '--no-warnings',
      '--input-type=module',
      '-e',
      code,
    ],
    { cwd: root, encoding: 'utf8', env: process.env },
  );
}
