/**
 * Which files a scan reads. Inside a git repository git lists them (tracked files plus untracked
 * ones that .gitignore does not exclude) and says which are tracked; elsewhere the tree is walked
 * and every .gitignore on the way is applied with the `ignore` package. Test fixtures and example
 * files are named here, once, for every recogniser.
 */
import { execFile } from 'node:child_process';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { SecretError } from '../core/errors.js';

const run = promisify(execFile);

/** Directory names whose files are test fixtures: `test/`, `tests/`, `__tests__/`, `spec/`, `fixtures/`, `testdata/`, `bench/`… */
const FIXTURE_DIRS = new Set([
  'test',
  'tests',
  '__tests__',
  'spec',
  'specs',
  'testdata',
  'test-data',
  'test_data',
  'fixtures',
  '__fixtures__',
  '__mocks__',
  'mocks',
  'e2e',
  'cypress',
  'playwright',
  'bench',
  'benchmark',
  'benchmarks',
]);

/** File names of tests: `*.test.*`, `*.spec.*`, `*_test.go`, `test_*.py`, `conftest.py`, `*Test.java`, `*Tests.cs`, `*_spec.rb`, `.env.test`. */
const FIXTURE_FILE =
  /\.(?:test|spec|e2e)\.[\w]+$|_test\.(?:go|py|rb|exs?)$|^test_[\w]+\.py$|^conftest\.py$|(?:Tests?|IT|Spec)\.(?:java|kt|cs|php|groovy|scala)$|_spec\.rb$|^\.env\.(?:test|testing|ci)$/;

/** Example files: a name part `example`, `sample`, `template`, `tmpl`, `tpl`, `dist` (`.env.example`, `config.sample.yml`, `example.env`). */
const EXAMPLE_FILE = /(?:^|[._-])(?:example|examples|sample|samples|template|tmpl|tpl|dist)(?:[._-]|$)/i;

/**
 * True for a test fixture, judged on the path relative to the scan root: a file under a test
 * directory, or a file named as a test. Its values configure tests, not deployments.
 */
export function isTestFixture(path: string): boolean {
  const parts = path.split('/');
  const base = parts.pop() ?? '';
  return parts.some((p) => FIXTURE_DIRS.has(p.toLowerCase())) || FIXTURE_FILE.test(base);
}

/** True for an example or template file (its values are placeholders to copy, never loaded). */
export function isExampleFile(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return EXAMPLE_FILE.test(base);
}

/** One file to consider. */
export interface ListedFile {
  /** Relative to the root, `/`-separated. */
  path: string;
  abs: string;
  tracked: boolean;
}

/** Lists the files under `paths` (relative to `root`). */
export async function listFiles(
  root: string,
  paths: readonly string[],
  options: { gitignore: boolean },
): Promise<{ files: ListedFile[]; git: boolean }> {
  const top = await gitTop(root);
  if (top) {
    const tracked = new Set(await gitLs(root, paths, ['--cached']));
    const listed = options.gitignore
      ? await gitLs(root, paths, ['--cached', '--others', '--exclude-standard'])
      : await walk(root, paths, false);
    const files = [...new Set(listed)].map((p) => ({ path: p, abs: join(root, p), tracked: tracked.has(p) }));
    return { files, git: true };
  }
  const listed = await walk(root, paths, options.gitignore);
  return { files: listed.map((p) => ({ path: p, abs: join(root, p), tracked: false })), git: false };
}

/** The repository's top directory, or undefined outside a repository (or without git). */
export async function gitTop(dir: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['rev-parse', '--show-toplevel'], { cwd: dir });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

async function gitLs(root: string, paths: readonly string[], flags: string[]): Promise<string[]> {
  try {
    const { stdout } = await run(
      'git',
      ['-c', 'core.quotepath=off', 'ls-files', '-z', ...flags, '--', ...paths],
      {
        cwd: root,
        maxBuffer: 512 * 1024 * 1024,
      },
    );
    return stdout.split('\0').filter(Boolean);
  } catch (err) {
    throw new SecretError('ERR_USAGE', `git could not list the files to scan (${(err as Error).name})`, {
      hint: 'run the scan inside the repository, or check the paths',
    });
  }
}

/** Walks `paths` under `root`, skipping `.git` and (when asked) what .gitignore files exclude. */
async function walk(root: string, paths: readonly string[], gitignore: boolean): Promise<string[]> {
  const { default: ignore } = gitignore ? await import('ignore') : { default: undefined };
  type Ignorer = { ignores(p: string): boolean };
  const out: string[] = [];
  const visit = async (
    abs: string,
    rules: Array<{ dir: string; ig: Ignorer }>,
    start?: string,
  ): Promise<void> => {
    const st = await lstat(abs).catch(() => undefined);
    if (!st) {
      if (abs === resolve(root)) return;
      throw new SecretError('ERR_USAGE', `path ${relative(root, abs) || '.'} not found`, {
        hint: 'check the paths given to scan',
      });
    }
    if (st.isSymbolicLink()) return;
    if (st.isFile()) {
      out.push(toPosix(relative(root, abs)));
      return;
    }
    if (!st.isDirectory()) return;
    let here = rules;
    if (ignore && !(start === abs && rules.some((r) => r.dir === abs))) {
      const text = await readFile(join(abs, '.gitignore'), 'utf8').catch(() => undefined);
      if (text !== undefined) here = [...rules, { dir: abs, ig: ignore().add(text) }];
    }
    const entries = await readdir(abs, { withFileTypes: true });
    for (const e of entries) {
      if (e.name === '.git') continue;
      const child = join(abs, e.name);
      const dirSuffix = e.isDirectory() ? '/' : '';
      if (here.some((r) => r.ig.ignores(toPosix(relative(r.dir, child)) + dirSuffix))) continue;
      await visit(child, here);
    }
  };
  for (const p of paths) {
    // .gitignore files between the root and the path apply to it too.
    const start = resolve(root, p);
    const rules: Array<{ dir: string; ig: Ignorer }> = [];
    if (ignore) {
      const rel = relative(root, start);
      const chain = rel === '' || rel.startsWith('..') ? [] : rel.split(sep).slice(0, -1);
      for (let i = 0; i <= chain.length; i++) {
        const dir = join(root, ...chain.slice(0, i));
        const text = await readFile(join(dir, '.gitignore'), 'utf8').catch(() => undefined);
        if (text !== undefined) rules.push({ dir, ig: ignore().add(text) });
      }
    }
    await visit(start, rules, start);
  }
  return out;
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}
