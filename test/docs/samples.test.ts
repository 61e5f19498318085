/**
 * Every code sample in README.md and docs/ runs as a test or is extracted from one:
 * - a TypeScript or JavaScript block must be a sample (`<!-- sample: file[#region] -->`, see
 *   scripts/docs-samples.ts) equal to its file, and that file must be a test vitest runs or a
 *   module such a test imports;
 * - every `secretsource …` command in a shell block must parse with the real CLI (commands, flags,
 *   choices and arguments), and every `npm i` names this package or one of its peers.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { docPages, fencedBlocks, root, sampleText } from '../../scripts/docs-samples.js';
import { memoryIo } from '../../src/cli/io.js';
import { buildProgram } from '../../src/cli/program.js';

const CODE = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs', 'tsx']);
const SHELL = new Set(['sh', 'bash', 'shell', 'console']);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Files under `dir` ending in `.test.ts` (what vitest.config.ts includes under test/ and examples/). */
function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules') return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? testFiles(path) : name.endsWith('.test.ts') ? [path] : [];
  });
}
const tests = [...testFiles(join(root, 'test')), ...testFiles(join(root, 'examples'))];
/** Every module a test imports directly, as absolute .ts paths. */
const imported = new Set(
  tests.flatMap((t) =>
    ts
      .preProcessFile(readFileSync(t, 'utf8'), true, true)
      .importedFiles.map((f) => f.fileName)
      .filter((s) => s.startsWith('.'))
      .map((s) => join(dirname(t), s).replace(/\.js$/, '.ts')),
  ),
);

/** Splits one shell command line into words (quotes honoured), dropping leading VAR=value pairs. */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]!);
  while (out.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(out[0]!)) out.shift();
  return out;
}

/** The command lines of a shell block: continuations joined, comments and redirections cut. */
function commandLines(body: string): string[][] {
  return body
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) =>
      l
        .replace(/\s#\s.*$/, '')
        .split(/\s(?:>>?|\||&&|;)\s/)[0]!
        .trim(),
    )
    .filter((l) => l && !l.startsWith('#'))
    .map(words);
}

/** Parses `args` with the real CLI, stopping before any command runs; resolves to its usage error, if any. */
async function cliUsageError(args: string[]): Promise<string | undefined> {
  const io = memoryIo();
  const program = buildProgram({ io, exitCode: 0 });
  const parsed = Symbol('parsed');
  program.hook('preAction', () => {
    throw parsed;
  });
  try {
    await program.parseAsync(args, { from: 'user' });
    return undefined; // --help or --version: nothing to run
  } catch (err) {
    return err === parsed ? undefined : `${io.stderrText.trim() || String(err)}`;
  }
}

const blocks = docPages().flatMap((page) =>
  fencedBlocks(readFileSync(page, 'utf8')).map((b) => ({ ...b, where: `${relative(root, page)}:${b.line}` })),
);

describe('code samples in README.md and docs/', () => {
  it('finds samples and commands to check', () => {
    expect(blocks.filter((b) => b.sample).length).toBeGreaterThanOrEqual(5);
    expect(blocks.filter((b) => SHELL.has(b.lang)).length).toBeGreaterThanOrEqual(5);
  });

  it('every fenced block names its language', () => {
    expect(blocks.filter((b) => b.lang === '').map((b) => b.where)).toEqual([]);
  });

  it('every TypeScript or JavaScript block is a sample marked with its file', () => {
    expect(blocks.filter((b) => CODE.has(b.lang) && !b.sample).map((b) => b.where)).toEqual([]);
  });

  it.each(blocks.filter((b) => b.sample).map((b) => [b.where, b] as const))(
    '%s equals its file (run `npm run docs:samples` after changing the file)',
    (_, block) => {
      expect(block.body).toBe(sampleText(block.sample!.file, block.sample!.region));
    },
  );

  it.each(blocks.filter((b) => b.sample).map((b) => [b.where, b.sample!.file] as const))(
    '%s comes from a file that runs as a test (%s)',
    (_, file) => {
      const path = join(root, file);
      expect(existsSync(path)).toBe(true);
      expect(
        tests.includes(path) || imported.has(path),
        `${file} is neither a test nor imported by one`,
      ).toBe(true);
    },
  );

  const commands = blocks
    .filter((b) => SHELL.has(b.lang))
    .flatMap((b) => commandLines(b.body).map((argv) => ({ where: b.where, argv })));

  it.each(
    commands
      .filter((c) => ['secretsource', 'npx'].includes(c.argv[0]!))
      .map(
        (c) => [c.where, c.argv.join(' '), c.argv[0] === 'npx' ? c.argv.slice(2) : c.argv.slice(1)] as const,
      ),
  )('%s: `%s` parses with the CLI', async (_, __, args) => {
    expect(await cliUsageError(args)).toBeUndefined();
  });

  it('every `npm i` installs this package, a declared peer, or (with -D) a tool this repository tests with', () => {
    const allowed = new Set([pkg.name, ...Object.keys(pkg.peerDependencies)]);
    const tools = new Set(Object.keys(pkg.devDependencies));
    const named = commands
      .filter((c) => c.argv[0] === 'npm' && ['i', 'install'].includes(c.argv[1]!))
      .flatMap((c) =>
        c.argv
          .slice(2)
          .filter((w) => !w.startsWith('-'))
          .map((w) => ({ where: c.where, name: w.replace(/(?<=.)@.*$/, ''), dev: c.argv.includes('-D') })),
      );
    expect(named.length).toBeGreaterThan(3);
    expect(named.filter((n) => !allowed.has(n.name) && !(n.dev && tools.has(n.name)))).toEqual([]);
  });

  it('the CLI check itself refuses a bad command line', async () => {
    expect(await cliUsageError(['check', '--no-such-flag'])).toMatch(/unknown option/);
    expect(await cliUsageError(['generate', '--encoding', 'rot13'])).toMatch(/invalid/);
    expect(await cliUsageError(['check', '--dotenv', '.env.production', '--deploy'])).toBeUndefined();
  });
});
