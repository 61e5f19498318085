/** The CLI's window on the world, injected so tests capture every byte it prints. */

/** Output streams, environment and working directory of one CLI run. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Environment variables the run sees. */
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** True when stderr is a terminal (progress bars, colours). */
  isTTY: boolean;
}

/** The real process's io. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stderr.isTTY) && process.env.CI === undefined,
  };
}

/** An io that records what was printed, for tests. */
export function memoryIo(init: { env?: Record<string, string | undefined>; cwd?: string } = {}): CliIo & {
  out: string[];
  err: string[];
  readonly stdoutText: string;
  readonly stderrText: string;
} {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env: init.env ?? {},
    cwd: init.cwd ?? process.cwd(),
    isTTY: false,
    get stdoutText() {
      return out.join('');
    },
    get stderrText() {
      return err.join('');
    },
  };
}
