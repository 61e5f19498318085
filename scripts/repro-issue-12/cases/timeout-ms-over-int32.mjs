// SECRETSOURCE_TIMEOUT_MS=3000000000 (above 2^31-1) and a store answering in 200 ms: does the call time out at once?
import { deadline, describeError, fail, load, packageRoot, pass } from '../lib/common.mjs';
import { startPeer, vaultAnswers } from '../lib/peers.mjs';

const ID = 'timeout-ms-over-int32';
const root = packageRoot();
deadline(ID, 15_000, 'hung: a read did not end within 15 s');
const warnings = [];
process.on('warning', (w) => warnings.push(w.name));
process.env.SECRETSOURCE_TIMEOUT_MS = '3000000000';
const peer = await startPeer(vaultAnswers({ value: () => 'an-answer-after-200-ms', delayMs: 200 }));
const { createResolver } = await load(root, 'secretsource');
const { hashicorpVault } = await load(root, 'secretsource/providers/vault');
const started = Date.now();
let outcome;
try {
  const resolver = createResolver({
    sources: [hashicorpVault({ endpoint: peer.url, token: 't' })],
    cache: false,
  });
  outcome =
    (await resolver.get('vault:app/x')).reveal() === 'an-answer-after-200-ms' ? 'the value' : 'another value';
} catch (err) {
  outcome = err;
}
const ms = Date.now() - started;
const overflow = warnings.includes('TimeoutOverflowWarning') ? ' (TimeoutOverflowWarning)' : '';
if (outcome?.code === 'ERR_SOURCE_TIMEOUT' || /took longer/.test(outcome?.message ?? ''))
  fail(ID, `the call timed out after ${ms} ms although the store answers in 200 ms${overflow}`);
else if (typeof outcome === 'string') pass(ID, `(${outcome} after ${ms} ms${overflow})`);
else if (outcome?.code === 'ERR_CONFIG_INVALID')
  pass(ID, `(the setting is refused: ${describeError(outcome)})`);
else fail(ID, `ended as ${describeError(outcome)} after ${ms} ms${overflow}`);
