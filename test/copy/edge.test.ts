/** Copy edge cases on memory stores: name mapping and collisions, size and binary limits, retries and lost answers. */
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../providers/memory.js';
import { copySecrets } from '../../src/copy/index.js';
import { parseLocation } from '../../src/copy/location.js';
import { SourceError } from '../../src/core/errors.js';
import type { SecretSource } from '../../src/core/source.js';
import { generateKey } from '../../src/keys/keygen.js';

const key = () => generateKey({ bytes: 32 });

/** A memory target with a narrower rule, a store-side mapping like Key Vault's, and a size limit. */
function strictTarget(): SecretSource {
  const mem = memorySource({ id: 'strict' });
  return {
    ...mem,
    capabilities: {
      ...mem.capabilities,
      binary: false,
      maxValueBytes: 64,
      nameRule: { pattern: /^[A-Za-z0-9-]+$/, maxLength: 127, description: 'letters, digits and -' },
    },
    toStoreName: (n) => n.replaceAll('_', '-'),
  };
}

describe('copy: names, sizes and kinds refused up front', () => {
  it('renames what the rule refuses, and refuses collisions (exact or by case) before writing anything', async () => {
    const from = memorySource({
      initial: {
        'my.key': key(),
        my_key: key(),
        Api_Token: key(),
        API_TOKEN: key(),
        OK_NAME: key(),
        'bad name': key(),
      },
    });
    const to = strictTarget();
    const report = await copySecrets({ from, to, apply: true });
    const by = Object.fromEntries(report.items.map((i) => [i.name, i]));
    expect(by.OK_NAME).toMatchObject({ action: 'create', status: 'done', target: 'OK_NAME' });
    expect(by['my.key']).toMatchObject({
      action: 'refused',
      code: 'ERR_SECRET_NAME_INVALID',
      target: 'my_key',
    });
    expect(by['my.key']!.reason).toContain('"my.key" and "my_key" would be stored as the same name');
    expect(by.my_key).toMatchObject({ action: 'refused', code: 'ERR_SECRET_NAME_INVALID' });
    expect(by.Api_Token).toMatchObject({ action: 'refused', code: 'ERR_SECRET_NAME_INVALID' });
    expect(by.API_TOKEN).toMatchObject({ action: 'refused', code: 'ERR_SECRET_NAME_INVALID' });
    expect(by['bad name']).toMatchObject({ action: 'create', renamed: true, target: 'bad_name' });
    expect(report.writes).toBe(2);
    expect(report.ok).toBe(false);
  });

  it('refuses values over the size limit and bytes into a text-only store', async () => {
    const from = memorySource({
      initial: { BIG: 'x'.repeat(65), BIN: new Uint8Array([0, 255, 1]), FIT: 'y'.repeat(64) },
    });
    const report = await copySecrets({ from, to: strictTarget(), policy: { check: false } });
    const by = Object.fromEntries(report.items.map((i) => [i.name, i]));
    expect(by.BIG).toMatchObject({ action: 'refused', code: 'ERR_SECRET_MALFORMED' });
    expect(by.BIN).toMatchObject({ action: 'refused', code: 'ERR_OPERATION_UNSUPPORTED' });
    expect(by.FIT).toMatchObject({ action: 'create' });
  });

  it('refuses a target without writes, and a source that cannot list unless names are given', async () => {
    const ro: SecretSource = {
      ...memorySource(),
      capabilities: { ...memorySource().capabilities, write: false },
    };
    await expect(copySecrets({ from: memorySource(), to: ro })).rejects.toMatchObject({
      code: 'ERR_OPERATION_UNSUPPORTED',
    });
    const mem = memorySource({ initial: { A: key() } });
    const unlisted: SecretSource = {
      id: 'nolist',
      capabilities: { ...mem.capabilities, list: false },
      get: mem.get,
    };
    await expect(copySecrets({ from: unlisted, to: memorySource() })).rejects.toMatchObject({
      code: 'ERR_OPERATION_UNSUPPORTED',
    });
    const named = await copySecrets({ from: unlisted, to: memorySource(), names: ['A', 'MISSING'] });
    expect(named.items.map((i) => [i.name, i.action, i.code])).toEqual([
      ['A', 'create', undefined],
      ['MISSING', 'refused', 'ERR_SECRET_NOT_FOUND'],
    ]);
  });

  it('parses locations with the reference grammar', () => {
    expect(parseLocation('aws-ssm:/myapp/prod/')).toEqual({ source: 'aws-ssm', prefix: '/myapp/prod/' });
    expect(parseLocation('azure-kv:')).toEqual({ source: 'azure-kv', prefix: '' });
    expect(() => parseLocation('/myapp/')).toThrow(expect.objectContaining({ code: 'ERR_USAGE' }));
    expect(() => parseLocation('vault:a#b')).toThrow(expect.objectContaining({ code: 'ERR_USAGE' }));
    expect(() => parseLocation('vault:a b')).toThrow(expect.objectContaining({ code: 'ERR_REF_INVALID' }));
  });
});

describe('copy: retries', () => {
  const throttled = (name: string) =>
    new SourceError('ERR_SOURCE_UNAVAILABLE', `throttled writing "${name}"`, {
      source: 'memory',
      retryable: true,
    });

  it('backs off on throttling and never writes a value twice when an answer was lost', async () => {
    const values = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`K${i}`, key()]));
    const from = memorySource({ initial: values });
    const store = memorySource();
    let calls = 0;
    let batches = 0;
    const flaky: SecretSource = {
      ...store,
      async set(name, value, options) {
        calls++;
        if (calls % 3 === 1) throw throttled(name); // refused before writing
        const result = await store.set!(name, value, options);
        if (calls % 3 === 2) throw throttled(name); // written, but the answer is lost
        return result;
      },
      async getMany(names, options) {
        if (++batches % 3 === 1) throw throttled('batch');
        return store.getMany!(names, options);
      },
    };
    const report = await copySecrets({
      from,
      to: flaky,
      apply: true,
      concurrency: 4,
      retry: { baseMs: 1, maxMs: 5 },
    });
    expect(report).toMatchObject({ ok: true, failed: 0 });
    for (const [name, value] of Object.entries(values)) {
      const record = await store.get(name);
      expect(record?.value.reveal()).toBe(value);
      expect(record?.version).toBe('1');
    }
  });

  it('gives up after the retries and reports each item failed', async () => {
    const store = memorySource();
    const down: SecretSource = {
      ...store,
      async set(name) {
        throw throttled(name);
      },
    };
    const report = await copySecrets({
      from: memorySource({ initial: { A: key(), B: key() } }),
      to: down,
      apply: true,
      retry: { retries: 2, baseMs: 1 },
    });
    expect(report.ok).toBe(false);
    expect(report.items.map((i) => [i.status, i.code])).toEqual([
      ['failed', 'ERR_SOURCE_UNAVAILABLE'],
      ['failed', 'ERR_SOURCE_UNAVAILABLE'],
    ]);
  });
});
