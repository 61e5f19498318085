/**
 * A source that keeps no versions holds none of them: `env:X?version=v404` is
 * ERR_SECRET_VERSION_NOT_FOUND saying so, never the current value; a bare name with a version
 * skips such sources and reads the first that keeps versions.
 */
import { describe, expect, it } from 'vitest';
import { envSource } from '../../providers/env.js';
import { fileSource } from '../../providers/file.js';
import { memorySource } from '../../providers/memory.js';
import { createResolver } from '../../src/resolver/resolver.js';
import { codeOf } from '../helpers/assertions.js';

describe('versions asked of a source that keeps none', () => {
  it('env:X?version=v404 is not found, and says why', async () => {
    const r = createResolver({ sources: [envSource({ env: { X: 'current-value' } })] });
    for (const read of [() => r.get('env:X?version=v404'), () => r.get('env:X', { version: 'v404' })]) {
      const err = await codeOf(read());
      expect(err).toMatchObject({
        code: 'ERR_SECRET_VERSION_NOT_FOUND',
        message: 'version "v404" of secret "X" was not found in "env" (it keeps no versions)',
      });
    }
    await expect(r.refresh('env:X?version=v404')).resolves.toBeUndefined();
    expect((await r.get('env:X')).reveal()).toBe('current-value');
    await r.close();
  });

  it('a bare name with a version skips env and file and reads the store that keeps versions', async () => {
    const memory = memorySource({ initial: { X: 'one' } });
    await memory.set!('X', 'two');
    const r = createResolver({
      sources: [envSource({ env: { X: 'from-env' } }), fileSource({ dir: '/nonexistent-canary' }), memory],
    });
    expect((await r.get('X?version=1')).reveal()).toBe('one');
    expect((await r.get('X')).reveal()).toBe('from-env');
    await r.close();
  });
});
