/**
 * What every reproduction shares: the package root under test (the only variable), its public
 * entry points resolved through its own package.json `exports` and `bin`, one result line, and the
 * built CLI run as a child process with a watchdog and an RSS bound.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The package root given as the first argument (or REPRO_ROOT). */
export function packageRoot() {
  const root = process.argv[2] ?? process.env.REPRO_ROOT;
  if (!root) {
    console.error('usage: node <case>.mjs <packageRoot>');
    process.exit(2);
  }
  return resolve(root);
}

function manifest(root) {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
}

/**
 * Imports a public subpath of the package at `root`: 'secretsource' or 'secretsource/providers/vault',
 * resolved through that package's `exports`, never through a path inside its tree.
 */
export function load(root, specifier) {
  const key = specifier === 'secretsource' ? '.' : `./${specifier.replace(/^secretsource\//, '')}`;
  const entry = manifest(root).exports?.[key];
  if (entry === undefined) throw new Error(`${specifier}: not exported by ${root}/package.json`);
  const target = typeof entry === 'string' ? entry : (entry.import ?? entry.default);
  return import(pathToFileURL(join(root, target)).href);
}

/** The CLI binary the package declares. */
export function binPath(root) {
  const bin = manifest(root).bin;
  return join(root, typeof bin === 'string' ? bin : bin.secretsource);
}

let reported = false;
/** Prints the one result line and ends the process (leftovers are not this process's verdict). */
function report(line, code) {
  if (reported) return;
  reported = true;
  process.stdout.write(`${line}\n`, () => process.exit(code));
}
/** The defect is absent. */
export const pass = (id, note = '') => report(`PASS ${id}${note ? ` ${note}` : ''}`, 0);
/** The defect is there, with what was observed. */
export const fail = (id, why) => report(`FAIL ${id} ${why}`, 1);

/** Fails the case with `why` if it has not decided after `ms` (the runner's kill is the backstop). */
export function deadline(id, ms, why) {
  setTimeout(() => fail(id, why), ms);
}

/** A temporary directory removed at exit. */
export function tempDir(prefix = 'repro12-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resident memory of `pid` in KB (0 once it is gone). */
export function rssKb(pid = process.pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** What a store error looks like from outside: its public fields only. */
export function describeError(err) {
  if (err === null || typeof err !== 'object') return String(err);
  return `${err.code ?? err.name}${err.retryable === undefined ? '' : ` retryable=${err.retryable}`}`;
}

/**
 * Runs the package's CLI with `args` and `env` (PATH and a scratch HOME added). Kills it with
 * SIGKILL after `timeoutMs` or once its RSS passes `maxRssKb`. Resolves to what was observed:
 * exit code, output, whether it was killed and why, peak RSS, when it first printed an ERR_ code
 * and when it exited (ms since start).
 */
export function runCli(root, args, { env = {}, timeoutMs = 12_000, maxRssKb = 1_000_000, cwd } = {}) {
  const home = tempDir('repro12-home-');
  return new Promise((done) => {
    const started = Date.now();
    const child = spawn(process.execPath, [binPath(root), ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: home, ...env },
      cwd: cwd ?? home,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let killed;
    let peakKb = 0;
    let firstErrAt;
    const kill = (why) => {
      killed ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill(`still running after ${timeoutMs} ms`), timeoutMs);
    const guard = setInterval(() => {
      const kb = rssKb(child.pid);
      peakKb = Math.max(peakKb, kb);
      if (kb > maxRssKb) kill(`RSS ${Math.round(kb / 1024)} MB passed ${Math.round(maxRssKb / 1024)} MB`);
    }, 50);
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
      if (firstErrAt === undefined && /ERR_[A-Z_]+/.test(stderr)) firstErrAt = Date.now() - started;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(guard);
      done({ code, signal, killed, stdout, stderr, peakKb, firstErrAt, exitedAt: Date.now() - started });
    });
  });
}

/** One short line of what a CLI run printed, for a FAIL reason. */
export function brief(r) {
  // The AWS SDK's Node-version notice is noise here.
  const text = `${r.stderr}${r.stdout}`
    .split('\n')
    .filter((l) => !/NodeVersionSupportWarning|--trace-warnings/.test(l))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}
