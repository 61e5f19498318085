/**
 * Writes from one source to keys of one Secret queue behind each other: the keys share the Secret's
 * resourceVersion, so concurrent create-only writes (a copy with concurrency) used to refuse each
 * other with ERR_SECRET_CONFLICT once the single re-read retry was used up.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { k8sTestSource } from '../helpers/k8s.js';

describe('k8s: concurrent writes into one Secret', () => {
  it('eight create-only writes of different keys, all at once, all land', async () => {
    const source = k8sTestSource();
    const secret = `default/w${randomBytes(5).toString('hex')}`;
    const keys = Array.from({ length: 8 }, (_, i) => `K${i}`);
    const results = await Promise.allSettled(
      keys.map((k) => source.set!(`${secret}/${k}`, `value-${k}`, { ifAbsent: true })),
    );
    expect(results.map((r) => r.status)).toEqual(keys.map(() => 'fulfilled'));
    for (const k of keys) expect((await source.get(`${secret}/${k}`))?.value.reveal()).toBe(`value-${k}`);
    await source.close?.();
  });

  it('a failed write does not block the next one to the same Secret', async () => {
    const source = k8sTestSource();
    const secret = `default/f${randomBytes(5).toString('hex')}`;
    await source.set!(`${secret}/A`, 'one');
    await expect(source.set!(`${secret}/A`, 'two', { ifAbsent: true })).rejects.toMatchObject({
      code: 'ERR_SECRET_CONFLICT',
    });
    await source.set!(`${secret}/B`, 'three');
    expect((await source.get(`${secret}/B`))?.value.reveal()).toBe('three');
    await source.close?.();
  });
});
