/** Temporary trees for the scan tests: files written, optionally a git repository with commits. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

/** A temporary directory holding `files`; `git` makes it a repository with everything added. */
export function tree(files: Record<string, string | Buffer>, options: { git?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ss-scan-'));
  write(dir, files);
  if (options.git) {
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
  }
  return {
    dir,
    write: (more: Record<string, string | Buffer>) => write(dir, more),
    git: (...args: string[]) => git(dir, ...args),
    commit: (message: string) => {
      git(dir, 'add', '-A');
      git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', message);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function write(dir: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    const abs = join(dir, path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
}

/** Runs the CLI in `cwd` and returns exit code and output. */
export async function cli(cwd: string, argv: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ cwd, env });
  const code = await runCli(argv, io);
  return { code, stdout: io.stdoutText, stderr: io.stderrText };
}
