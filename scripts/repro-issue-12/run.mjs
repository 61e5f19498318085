/**
 * Runs every reproduction of issue 12 against one package root, each in its own process group:
 * killed as a whole at 20 s (counted FAIL "hung") or when the group's resident memory passes 2 GB
 * (FAIL "memory"). Prints a table and `N failed of M`; `--json FILE` also saves the results.
 *
 *   node scripts/repro-issue-12/run.mjs <packageRoot> [--json FILE] [case-id ...]
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const KILL_MS = 20_000;
const GROUP_RSS_KB = 2 * 1024 * 1024;

/** Each reproduction with the item of issue 12 it stands for, in the order. */
const CASES = [
  ['vault-redirect-other-origin', 'Vault follows a 307 to another origin, resending X-Vault-Token'],
  ['vault-redirect-https-to-http', 'Vault follows https -> http, token and written value in clear'],
  ['vault-plain-http-non-loopback', 'Vault accepts http:// to a non-loopback host'],
  ['vault-debug-approle', 'DEBUG=node-vault prints the AppRole secret_id and written values'],
  ['vault-debug-kubernetes-jwt', 'DEBUG=* prints the Kubernetes JWT'],
  ['vault-trickle-sockets-after-close', '20 timed-out calls leave 20 sockets open after close()'],
  ['vault-trickle-never-times-out', 'requestOptions.timeout is idle: a trickling Vault is never timed out'],
  ['vault-timeout-mid-body-code', 'a timeout firing mid-body is coded ERR_SOURCE_UNAVAILABLE'],
  ['name-file-dev-zero', 'NAME_FILE=/dev/zero keeps reading after the timeout'],
  ['cli-get-exits-after-timeout', 'CLI get prints ERR_SOURCE_TIMEOUT and never exits'],
  ['cli-run-exits-after-timeout', 'CLI run prints ERR_SOURCE_TIMEOUT and never exits'],
  ['copy-never-answers-aws-sm', 'copy hangs on an aws-sm that never answers'],
  ['copy-never-answers-vault', 'copy hangs on a vault that never answers'],
  ['rotate-never-answers-aws-sm', 'rotate hangs on an aws-sm that never answers'],
  ['rotate-never-answers-vault', 'rotate hangs on a vault that never answers'],
  ['copy-endless-paging-new-token', 'copy loops on a new NextToken every page'],
  ['copy-endless-paging-same-token', 'copy loops on the same NextToken'],
  ['keyring-endless-paging-new-token', 'keyRing loops on a new NextToken every page'],
  ['keyring-endless-paging-same-token', 'keyRing loops on the same NextToken'],
  ['vault-oversized-value', 'a 100 MB value is accepted from Vault (maxValueBytes 512 KiB)'],
  ['aws-sm-oversized-value', 'a 100 MB value is accepted from Secrets Manager (maxValueBytes 64 KB)'],
  ['check-env-file-dev-zero', 'check --env-file /dev/zero grows to GBs'],
  ['file-symlink-out-of-dir', 'file source follows links out of its directory'],
  ['file-k8s-volume-list', 'file source lists no link: a k8s volume lists nothing'],
  ['copy-k8s-volume', 'copy file:<k8s volume> copies 0 items with exit 0'],
  ['proto-env-names', 'constructor/__proto__/toString as env names reach the prototype'],
  ['proto-cli-get-env', 'get env:constructor is ERR_SOURCE_UNAVAILABLE TypeError (retryable)'],
  ['proto-cli-check', 'check constructor prints unexpected TypeError'],
  ['proto-source-id', 'constructor/__proto__/toString as a source id'],
  ['vault-lone-surrogate', 'a lone surrogate in a Vault name is "could not be reached" (retryable)'],
  ['check-deploy-url-percent', 'check --deploy, % typo in a DB URL user: unexpected URIError'],
  ['timeout-ms-over-int32', 'SECRETSOURCE_TIMEOUT_MS > 2^31-1: every call fails in ~1 ms'],
  ['vault-close-keeps-token', 'Vault close() keeps the login token in memory'],
  ['generate-write-0644', 'generate --write leaves an existing 0644 file world-readable'],
];

const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const jsonFile = jsonAt >= 0 ? args.splice(jsonAt, 2)[1] : undefined;
const [rootArg, ...only] = args;
if (!rootArg) {
  console.error('usage: node scripts/repro-issue-12/run.mjs <packageRoot> [--json FILE] [case-id ...]');
  process.exit(2);
}
const root = resolve(rootArg);
const files = new Set(readdirSync(join(HERE, 'cases')).map((f) => f.replace(/\.mjs$/, '')));
for (const [id] of CASES) if (!files.has(id)) throw new Error(`no cases/${id}.mjs`);
for (const f of files)
  if (!CASES.some(([id]) => id === f)) throw new Error(`cases/${f}.mjs is not listed in CASES`);

/** Summed VmRSS (KB) of every process in group `pgid`. */
function groupRssKb(pgid) {
  let kb = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): state ppid pgrp ...
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kb += m ? Number(m[1]) : 0;
    } catch {
      // Gone meanwhile.
    }
  }
  return kb;
}

function killGroup(pgid) {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Runs one case in its own process group; resolves to { id, result, detail, ms }. */
function runCase(id) {
  return new Promise((done) => {
    const started = Date.now();
    const child = spawn(process.execPath, [join(HERE, 'cases', `${id}.mjs`), root], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=1536' },
    });
    let out = '';
    let err = '';
    let killed;
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      err += c;
    });
    const timer = setTimeout(() => {
      killed ??= `hung: killed at ${KILL_MS / 1000} s`;
      killGroup(child.pid);
    }, KILL_MS);
    const guard = setInterval(() => {
      const kb = groupRssKb(child.pid);
      if (kb > GROUP_RSS_KB) {
        killed ??= `memory: the process group held ${Math.round(kb / 1024)} MB`;
        killGroup(child.pid);
      }
    }, 100);
    child.on('close', (code) => {
      clearTimeout(timer);
      clearInterval(guard);
      killGroup(child.pid); // whatever the case left behind
      const ms = Date.now() - started;
      const line = out
        .split('\n')
        .reverse()
        .find((l) => /^(PASS|FAIL) /.test(l));
      if (killed) return done({ id, result: 'FAIL', detail: killed, ms });
      if (!line) {
        const tail = err.trim().split('\n').slice(-3).join(' / ');
        return done({ id, result: 'FAIL', detail: `no verdict (exit ${code}): ${tail}`, ms, broken: true });
      }
      const [, result, detail] = /^(PASS|FAIL) \S+ ?(.*)$/.exec(line);
      done({ id, result, detail, ms });
    });
  });
}

const selected = CASES.filter(([id]) => only.length === 0 || only.includes(id));
const results = [];
for (const [id, item] of selected) {
  const r = await runCase(id);
  results.push({ ...r, item });
  console.log(`${r.result} ${id} (${(r.ms / 1000).toFixed(1)} s) ${r.detail}`);
}
const width = Math.max(...results.map((r) => r.id.length));
console.log(`\nissue 12 reproductions against ${root}`);
for (const r of results) console.log(`${r.id.padEnd(width)}  ${r.result}  ${r.item}`);
const failed = results.filter((r) => r.result === 'FAIL').length;
console.log(`${failed} failed of ${results.length}`);
if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify({ root, results }, null, 2)}\n`);
