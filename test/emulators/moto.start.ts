/**
 * The AWS endpoint for a test run (discovered by test/global-setup.ts): a LocalStack or other
 * endpoint from `LOCALSTACK_ENDPOINT` / `AWS_ENDPOINT_URL` when one is set, otherwise a moto
 * server started here on a free loopback port and stopped by its pid. Never skipped: without
 * either, the run fails saying how to get one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** What a started AWS endpoint hands to the test workers. */
export interface StartedAws {
  env: Record<string, string>;
  stop(): Promise<void>;
}

const HOW_TO =
  "install moto's server (`pip install 'moto[server]'`, then `python3 -m moto.server` must run), " +
  'or point the tests at LocalStack by setting LOCALSTACK_ENDPOINT=http://localhost:4566';

/** Obviously fake credentials: moto accepts any, and real ones must never reach a test endpoint. */
const FAKE_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };

/** Uses the configured endpoint, or starts moto. */
export async function start(): Promise<StartedAws> {
  const external = process.env.LOCALSTACK_ENDPOINT || process.env.AWS_ENDPOINT_URL;
  if (external) {
    return {
      env: {
        AWS_ENDPOINT_URL: external,
        AWS_REGION: process.env.AWS_REGION || 'us-east-1',
        AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID || FAKE_CREDENTIALS.AWS_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY || FAKE_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
      },
      stop: async () => {},
    };
  }
  return startMoto();
}

/** Options for {@link startMoto}. */
export interface StartMotoOptions {
  /** The Python command and its leading arguments. @default ['python3'] */
  python?: readonly string[];
}

/** Starts a fresh moto server on a free loopback port and waits until it answers. */
export async function startMoto(options: StartMotoOptions = {}): Promise<StartedAws> {
  const python = options.python ?? ['python3'];
  let lastError: unknown;
  // The free port can be taken between probing and binding: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      const child = await spawnMoto(python, port);
      const url = `http://127.0.0.1:${port}`;
      return {
        env: { AWS_ENDPOINT_URL: url, AWS_REGION: 'us-east-1', ...FAKE_CREDENTIALS },
        stop: () => stopChild(child),
      };
    } catch (err) {
      lastError = err;
      if (!(err instanceof PortInUseError)) throw err;
    }
  }
  throw lastError;
}

class PortInUseError extends Error {}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function spawnMoto(python: readonly string[], port: number): Promise<ChildProcess> {
  const [cmd = 'python3', ...pre] = python;
  const child = spawn(cmd, [...pre, '-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // moto logs every request to stderr: keep only the tail, for a useful failure message.
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  });
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        new Error(
          err.code === 'ENOENT'
            ? `AWS tests need an endpoint, but ${cmd} was not found: ${HOW_TO}`
            : `could not start moto (${err.code ?? err.name}): ${HOW_TO}`,
        ),
      );
    });
    child.once('exit', (code) => {
      if (/address already in use/i.test(tail)) reject(new PortInUseError(`port ${port} is taken`));
      else if (/No module named/i.test(tail)) {
        reject(new Error(`AWS tests need an endpoint, but ${cmd} has no moto module: ${HOW_TO}`));
      } else
        reject(new Error(`moto exited with code ${code} before answering: ${tail.slice(-500)}\n${HOW_TO}`));
    });
  });
  failed.catch(() => {});
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    const up = await Promise.race([answers(port), failed]);
    if (up) return child;
    await new Promise((r) => setTimeout(r, 150));
  }
  await stopChild(child);
  throw new Error(`moto did not answer on port ${port} within 45 s: ${HOW_TO}`);
}

async function answers(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/moto-api/`, { signal: AbortSignal.timeout(1000) });
    await res.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  }, 5000);
  await exited;
  clearTimeout(timer);
}
