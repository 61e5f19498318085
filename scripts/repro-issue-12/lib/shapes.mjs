/**
 * Reproductions that come in pairs (two stores, two token kinds, two redirect kinds): the shared
 * body of each pair, called from its case files with what differs.
 */

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { brief, deadline, describeError, fail, load, packageRoot, pass, runCli } from './common.mjs';
import {
  AWS_VALUE_SHAPE,
  awsAnswers,
  awsEnv,
  awsOp,
  oversized,
  redirectTo,
  selfSigned,
  startPeer,
  startSilentPeer,
  trickle,
  VAULT_VALUE_SHAPE,
  vaultAnswers,
} from './peers.mjs';

const awsOptions = (url) => ({
  endpoint: url,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

/** Races `promise` (settled to its value or error) against `ms`; `late` when the time ran out. */
function settle(promise, ms, late) {
  return Promise.race([
    promise.then(
      (v) => v,
      (err) => err,
    ),
    new Promise((r) => setTimeout(() => r(late), ms)),
  ]);
}

/**
 * Vault answers 307 towards another origin (`tls`: from https to plain http). Fails when that
 * origin received X-Vault-Token or the written value, or a read returned its answer as the secret.
 */
export async function redirectCase(id, { tls }) {
  const root = packageRoot();
  deadline(id, 15_000, 'hung: the read and write through a redirecting Vault did not end within 15 s');
  const pems = tls ? selfSigned() : undefined;
  // Another host for the plain redirect; the same host, plain http, for https -> http.
  const other = await startPeer(vaultAnswers({ value: () => 'other-origin-value' }), {
    host: tls ? '127.0.0.1' : '127.0.0.2',
  });
  const first = await startPeer(redirectTo(other.url), { tls: pems });
  const { hashicorpVault } = await load(root, 'secretsource/providers/vault');
  const vault = hashicorpVault({ endpoint: first.url, token: 'tok-redirect-canary', ca: pems?.cert });
  const written = `written-value-canary-${randomBytes(4).toString('hex')}`;
  let read;
  let readError;
  try {
    read = (await vault.get('app/x'))?.value.reveal();
  } catch (err) {
    readError = err;
  }
  try {
    await vault.set('app/x', written);
  } catch {
    // Refused or not: what the other origin saw decides.
  }
  await vault.close();
  const reasons = [];
  if (first.requests.length === 0) reasons.push('cannot judge: the redirecting peer saw no request');
  const withToken = other.requests.filter((r) => r.headers['x-vault-token'] !== undefined).length;
  const withValue = other.requests.filter((r) => r.body.includes(written)).length;
  const where = tls ? 'the plain-http origin' : 'the other origin';
  if (withToken > 0) reasons.push(`${where} received ${withToken} request(s) carrying X-Vault-Token`);
  if (withValue > 0) reasons.push(`${where} received the written value in ${withValue} request(s)`);
  if (read === 'other-origin-value') reasons.push(`a read returned ${where}'s answer as the secret`);
  else if (!/^ERR_/.test(readError?.code ?? ''))
    reasons.push(`the refused read is not coded (${describeError(readError)})`);
  if (reasons.length > 0) fail(id, reasons.join('; '));
  else
    pass(id, `(read refused: ${describeError(readError)}; ${where} saw ${other.requests.length} requests)`);
}

/**
 * A Vault read under a 1000 ms timeout (node-vault's `requestOptions.timeout`, and `timeoutMs`
 * where the package has it) from a server sending one body byte every `everyMs`. Fails unless the
 * read ends within 10 s as a timeout.
 */
export async function vaultTimeoutCase(id, everyMs) {
  const root = packageRoot();
  const peer = await startPeer(trickle(everyMs));
  const { hashicorpVault } = await load(root, 'secretsource/providers/vault');
  const vault = hashicorpVault({
    endpoint: peer.url,
    token: 't',
    requestOptions: { timeout: 1000 },
    timeoutMs: 1000,
  });
  const started = Date.now();
  const outcome = await settle(vault.get('app/x'), 10_000, 'still waiting');
  const ms = Date.now() - started;
  if (outcome === 'still waiting')
    fail(
      id,
      `a read with a 1000 ms timeout was still waiting after ${ms} ms (the server had sent ${peer.bytesSent} bytes)`,
    );
  else if (outcome?.code !== 'ERR_SOURCE_TIMEOUT')
    fail(id, `the 1000 ms timeout ended the read after ${ms} ms as ${describeError(outcome)}, not a timeout`);
  else pass(id, `(${describeError(outcome)} after ${ms} ms)`);
}

/**
 * Runs this case file again in a child with `env` (DEBUG=…), where `inner()` does the Vault work
 * and prints `inner-done`; fails when anything the child printed holds one of `canaries`.
 */
export async function debugCase(id, { env, canaries, inner }) {
  const root = packageRoot();
  if (process.argv[3] === '--inner') {
    await inner(root);
    // Whatever the package left open is not what this case judges.
    process.stdout.write('inner-done\n', () => process.exit(0));
    return;
  }
  deadline(id, 15_000, 'hung: the login and calls did not end within 15 s');
  const child = spawn(process.execPath, [process.argv[1], root, '--inner'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c) => {
    out += c;
  });
  child.stderr.on('data', (c) => {
    out += c;
  });
  child.on('close', () => {
    const leaked = Object.entries(canaries)
      .filter(([, canary]) => out.includes(canary))
      .map(([what]) => what);
    const debug = `DEBUG=${env.DEBUG}`;
    if (leaked.length > 0)
      fail(id, `${debug} printed ${leaked.join(' and ')} (${out.length} chars of output)`);
    else if (!out.includes('inner-done'))
      fail(id, `cannot judge: the calls did not complete: ${out.slice(-200)}`);
    else pass(id, `(${out.length} chars printed, none of them ${Object.keys(canaries).join(' or ')})`);
  });
}

/** A peer streaming a 100 MB value to a read; fails when the value is accepted. */
export async function oversizedCase(id, store) {
  const root = packageRoot();
  const size = 100 * 1024 * 1024;
  let peer;
  let source;
  if (store === 'vault') {
    peer = await startPeer(oversized(size, VAULT_VALUE_SHAPE));
    const { hashicorpVault } = await load(root, 'secretsource/providers/vault');
    source = hashicorpVault({ endpoint: peer.url, token: 't', requestOptions: { timeout: 14_000 } });
  } else {
    peer = await startPeer(awsAnswers({ big: oversized(size, AWS_VALUE_SHAPE) }));
    const { awsSecretsManager } = await load(root, 'secretsource/providers/aws-sm');
    source = awsSecretsManager(awsOptions(peer.url));
  }
  const declared = source.capabilities.maxValueBytes;
  const outcome = await settle(source.get('app/big'), 14_000, 'still reading');
  const length = outcome?.value?.reveal?.().length;
  if (outcome === 'still reading') fail(id, `still reading after 14 s (${peer.bytesSent} bytes sent)`);
  else if (length !== undefined)
    fail(id, `accepted a ${length}-byte value (declared maxValueBytes ${declared})`);
  else
    pass(id, `(${describeError(outcome)}; the peer got to send ${(peer.bytesSent / 1048576).toFixed(1)} MB)`);
}

/** `copy aws-sm:app/ memory: --apply` over a ListSecrets that always names a next page. */
export async function copyEndlessCase(id, token) {
  const root = packageRoot();
  const peer = await startPeer(awsAnswers({ pages: token }));
  const r = await runCli(root, ['copy', 'aws-sm:app/', 'memory:', '--apply'], {
    env: { ...awsEnv(peer.url), SECRETSOURCE_LIST_TIMEOUT_MS: '10000' },
    timeoutMs: 15_000,
  });
  const calls = peer.requests.filter((q) => awsOp(q) === 'ListSecrets').length;
  if (r.killed) fail(id, `process had not exited: ${r.killed}, after ${calls} ListSecrets calls`);
  else if (r.code === 0) fail(id, `exit 0 over a listing that never ends (${calls} calls; ${brief(r)})`);
  else pass(id, `(exit ${r.code} after ${r.exitedAt} ms and ${calls} ListSecrets calls: ${brief(r)})`);
}

/** createKeyRing on an aws-sm secret whose ListSecretVersionIds always names a next page. */
export async function keyRingEndlessCase(id, token) {
  const root = packageRoot();
  const key = randomBytes(64).toString('base64url');
  const peer = await startPeer(awsAnswers({ pages: token, value: () => key }));
  const { createKeyRing, createResolver } = await load(root, 'secretsource');
  const { awsSecretsManager } = await load(root, 'secretsource/providers/aws-sm');
  const resolver = createResolver({ sources: [awsSecretsManager(awsOptions(peer.url))] });
  const calls = () => peer.requests.filter((q) => awsOp(q) === 'ListSecretVersionIds').length;
  const started = Date.now();
  const outcome = await settle(createKeyRing(resolver, 'aws-sm:app/jwt'), 14_000, 'still paging');
  const ms = Date.now() - started;
  const rss = Math.round(process.memoryUsage().rss / 1048576);
  if (outcome === 'still paging')
    fail(id, `still paging after ${ms} ms: ${calls()} ListSecretVersionIds calls, RSS ${rss} MB`);
  else if (!/^ERR_/.test(outcome?.code ?? ''))
    fail(id, `ended without a coded error after ${calls()} calls: ${describeError(outcome)}`);
  else pass(id, `(${describeError(outcome)} after ${ms} ms and ${calls()} calls)`);
}

/**
 * `secretsource <command>` against a store that accepts connections and never answers, with
 * SECRETSOURCE_TIMEOUT_MS=2000; fails unless it exits by itself, and not with 0.
 */
export async function neverAnswersCase(id, store, args) {
  const root = packageRoot();
  const peer = await startSilentPeer();
  const env =
    store === 'aws-sm'
      ? { ...awsEnv(peer.url), SECRETSOURCE_TIMEOUT_MS: '2000' }
      : { VAULT_ADDR: peer.url, VAULT_TOKEN: 't', SECRETSOURCE_TIMEOUT_MS: '2000' };
  const r = await runCli(root, args, { env, timeoutMs: 15_000 });
  if (r.killed) fail(id, `process had not exited: ${r.killed}; output: "${brief(r)}"`);
  else if (r.code === 0) fail(id, `exit 0 although the store never answered (${brief(r)})`);
  else pass(id, `(exit ${r.code} after ${r.exitedAt} ms: ${brief(r)})`);
}
