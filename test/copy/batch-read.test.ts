/**
 * A batch read that fails is retried name by name, so one bad item never fails the others and
 * each error names its own item. Issue 14: one value-less secret in Secrets Manager made every
 * batch read that included it fail, and all 15 items were reported failed, each blaming that one.
 */
import { randomBytes } from 'node:crypto';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { awsSecretsManager } from '../../providers/aws/sm.js';
import { memorySource } from '../../providers/memory.js';
import { copySecrets } from '../../src/copy/index.js';
import { SecretError, SourceError } from '../../src/core/errors.js';
import type { SecretSource } from '../../src/core/source.js';
import { generateKey } from '../../src/keys/keygen.js';

const key = () => generateKey({ bytes: 32 });

/** A memory store whose batch read fails whenever `BROKEN` is in the batch, and whose read of `BROKEN` fails. */
function poisoned(store = memorySource()): { source: SecretSource; batches: () => number } {
  let batches = 0;
  const broken = (name: string) =>
    new SecretError('ERR_SECRET_MALFORMED', `read "${name}" in source "memory": the version holds no value`, {
      source: 'memory',
      secretName: name,
    });
  return {
    batches: () => batches,
    source: {
      ...store,
      async get(name, options) {
        if (name.endsWith('BROKEN')) throw broken(name);
        return store.get(name, options);
      },
      async getMany(names, options) {
        batches++;
        if (names.some((n) => n.endsWith('BROKEN'))) throw broken(names.find((n) => n.endsWith('BROKEN'))!);
        return store.getMany!(names, options);
      },
    },
  };
}

describe('copy: a failed batch read falls back to per-name reads', () => {
  it('in the target: the broken name is refused with its own error, the 14 others land', async () => {
    const values = Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`K${i}`, key()]));
    const from = memorySource({ initial: { ...values, BROKEN: key() } });
    const { source: to, batches } = poisoned();
    const report = await copySecrets({ from, to, apply: true });
    const by = Object.fromEntries(report.items.map((i) => [i.name, i]));
    expect(by.BROKEN).toMatchObject({ action: 'refused', code: 'ERR_SECRET_MALFORMED' });
    expect(by.BROKEN!.reason).toContain('"BROKEN"');
    for (const name of Object.keys(values)) {
      expect(by[name]).toMatchObject({ action: 'create', status: 'done' });
      expect(by[name]!.reason).toBeUndefined();
    }
    expect(report.failed).toBe(0);
    expect(batches()).toBeGreaterThan(0);
  });

  it('in the source: only the unreadable item is refused', async () => {
    const { source: from } = poisoned(memorySource({ initial: { A: key(), B: key() } }));
    const report = await copySecrets({ from, to: memorySource(), names: ['A', 'BROKEN', 'B'], apply: true });
    expect(report.items.map((i) => [i.name, i.action, i.code])).toEqual([
      ['A', 'create', undefined],
      ['BROKEN', 'refused', 'ERR_SECRET_MALFORMED'],
      ['B', 'create', undefined],
    ]);
  });

  it('reading back after the writes: each item is verified on its own', async () => {
    const store = memorySource();
    let writes = 0;
    const to: SecretSource = {
      ...store,
      async set(name, value, options) {
        writes++;
        return store.set!(name, value, options);
      },
      async getMany(names, options) {
        // Every batch fails once something has been written: only single reads work.
        if (writes > 0)
          throw new SourceError('ERR_SOURCE_MISCONFIGURED', 'the batch read failed', { source: 'memory' });
        return store.getMany!(names, options);
      },
    };
    const report = await copySecrets({
      from: memorySource({ initial: { A: key(), B: key() } }),
      to,
      apply: true,
    });
    expect(report).toMatchObject({ ok: true, failed: 0, writes: 2 });
  });

  it("a store nobody can read still fails the whole plan (denied is not one item's problem)", async () => {
    const denied = new SourceError('ERR_SOURCE_ACCESS_DENIED', 'access denied reading', { source: 'memory' });
    const to: SecretSource = {
      ...memorySource(),
      async get() {
        throw denied;
      },
      async getMany() {
        throw denied;
      },
    };
    await expect(copySecrets({ from: memorySource({ initial: { A: key() } }), to })).rejects.toMatchObject({
      code: 'ERR_SOURCE_ACCESS_DENIED',
    });
  });

  it('Secrets Manager on moto: a value-less secret left behind fails only its own item', async () => {
    const prefix = `batch/${randomBytes(4).toString('hex')}/`;
    const client = new SecretsManagerClient({});
    await client.send(new CreateSecretCommand({ Name: `${prefix}EMPTY_ONE` }));
    const values = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`KEY_${i}`, key()]));
    const from = memorySource({ initial: { ...values, EMPTY_ONE: key() } });
    const to = awsSecretsManager();
    const first = await copySecrets({ from, to, toPrefix: prefix, apply: true });
    const by = Object.fromEntries(first.items.map((i) => [i.name, i]));
    for (const name of Object.keys(values))
      expect(by[name]).toMatchObject({ action: 'create', status: 'done' });
    // aws-sm reads a secret without a current version as absent, so the plan says create and
    // the write finds the name taken: that item fails, on its own, naming itself.
    expect(by.EMPTY_ONE).toMatchObject({ status: 'failed', code: 'ERR_SECRET_CONFLICT' });
    expect(by.EMPTY_ONE!.reason).toContain(`${prefix}EMPTY_ONE`);
    expect(JSON.stringify(first.items.filter((i) => i.name !== 'EMPTY_ONE'))).not.toContain('EMPTY_ONE');
    const again = await copySecrets({ from, to, toPrefix: prefix, apply: true });
    expect(again.counts.unchanged).toBe(6);
    client.destroy();
    await to.close();
  });
});
