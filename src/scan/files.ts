/**
 * Which files a scan reads. Inside a git repository git lists them (tracked files plus untracked
 * ones that .gitignore does not exclude) and says which are tracked; elsewhere the tree is walked
 * and every .gitignore on the way is applied with the `ignore` package. Test fixtures and example
 * files are named here, once, for every recogniser.
 */
import { execFile } from 'node:child_process';
import { type Dirent, lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
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

/** Lists the files under `paths` (relative to `root`), with one git call inside a repository. */
export async function listFiles(
  root: string,
  paths: readonly string[],
  options: { gitignore: boolean },
): Promise<{ files: ListedFile[]; git: boolean }> {
  for (const p of paths) {
    try {
      lstatSync(resolve(root, p));
    } catch {
      throw new SecretError('ERR_USAGE', `path ${p} not found`, { hint: 'check the paths given to scan' });
    }
  }
  // `-t` tags each path: `H` tracked, `?` untracked (and, with --exclude-standard, not ignored).
  const flags = options.gitignore ? ['--cached', '--others', '--exclude-standard'] : ['--cached'];
  // A root its repository ignores (a build or temp folder) is still scanned when named: as a tree of
  // its own, with the .gitignore files at and below it, as ripgrep searches a path it is given.
  const listed = (await ignoredByRepository(root)) ? undefined : await gitLs(root, paths, ['-t', ...flags]);
  if (listed === undefined) {
    const walked = await walk(root, paths, options.gitignore);
    return { files: walked.map((p) => ({ path: p, abs: join(root, p), tracked: false })), git: false };
  }
  const tracked = new Set(listed.filter((l) => !l.startsWith('? ')).map((l) => l.slice(2)));
  const names = options.gitignore ? listed.map((l) => l.slice(2)) : await walk(root, paths, false);
  const files = [...new Set(names)].map((p) => ({ path: p, abs: join(root, p), tracked: tracked.has(p) }));
  return { files, git: true };
}

/** True when `root` lies in a git repository that ignores it (`git check-ignore` exits 0). */
async function ignoredByRepository(root: string): Promise<boolean> {
  try {
    await run('git', ['check-ignore', '-q', '.'], { cwd: root });
    return true;
  } catch {
    // 1: not ignored; 128: not a repository, or no git.
    return false;
  }
}

/** `git ls-files` output lines, or undefined when `root` is not in a repository (or git is missing). */
async function gitLs(root: string, paths: readonly string[], flags: string[]): Promise<string[] | undefined> {
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
  } catch {
    return undefined;
  }
}

/**
 * Walks `paths` under `root`, skipping `.git`, symbolic links and (when asked) what .gitignore
 * files exclude. Synchronous on purpose: for tens of thousands of entries it is several times
 * faster than a promise per entry, and the scan has nothing else to do meanwhile.
 */
async function walk(root: string, paths: readonly string[], gitignore: boolean): Promise<string[]> {
  const { default: ignore } = gitignore ? await import('ignore') : { default: undefined };
  type Rules = Array<{ dir: string; ig: { ignores(p: string): boolean } }>;
  const out: string[] = [];
  const rulesOf = (dir: string, inherited: Rules): Rules => {
    if (!ignore) return inherited;
    let text: string;
    try {
      text = readFileSync(join(dir, '.gitignore'), 'utf8');
    } catch {
      return inherited;
    }
    return [...inherited, { dir, ig: ignore().add(text) }];
  };
  const visitDir = (abs: string, rules: Rules): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === '.git' || e.isSymbolicLink()) continue;
      const child = join(abs, e.name);
      const dir = e.isDirectory();
      if (!dir && !e.isFile()) continue;
      if (rules.length && rules.some((r) => r.ig.ignores(toPosix(relative(r.dir, child)) + (dir ? '/' : ''))))
        continue;
      if (dir) visitDir(child, rulesOf(child, rules));
      else out.push(toPosix(relative(root, child)));
    }
  };
  for (const p of paths) {
    const start = resolve(root, p);
    let st: Stats;
    try {
      st = lstatSync(start);
    } catch {
      throw new SecretError('ERR_USAGE', `path ${p} not found`, { hint: 'check the paths given to scan' });
    }
    // .gitignore files between the root and the path apply to it too.
    let rules: Rules = [];
    const rel = relative(root, start);
    const chain = rel === '' || rel.startsWith('..') ? [] : rel.split(sep);
    for (let i = 0; i < chain.length; i++) rules = rulesOf(join(root, ...chain.slice(0, i)), rules);
    if (st.isFile()) {
      if (!rules.some((r) => r.ig.ignores(toPosix(relative(r.dir, start))))) out.push(toPosix(rel));
    } else if (st.isDirectory()) {
      visitDir(start, rulesOf(start, rules));
    }
  }
  return out;
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}
