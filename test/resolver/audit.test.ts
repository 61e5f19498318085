/** auditLog(): one JSON line per resolve, write, rotate and error event; never a value. */
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../providers/memory.js';
import { copySecrets } from '../../src/copy/index.js';
import { generateKey } from '../../src/keys/keygen.js';
import { rotateSecret } from '../../src/keys/rotate.js';
import { auditLog } from '../../src/resolver/audit.js';
import { createResolver } from '../../src/resolver/resolver.js';

const SENTINEL = 'SENTINEL-audit-0d2e-never-print';

async function lines(path: string): Promise<Array<Record<string, unknown>>> {
  return (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

describe('auditLog', () => {
  it('records resolves, cache hits, errors, writes and rotations with context, without values', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ss-audit-'));
    const path = join(dir, 'audit.jsonl');
    const audit = auditLog({ path });
    const mem = memorySource({ initial: { DB_PASSWORD: SENTINEL, JWT_SECRET_KEY: `${SENTINEL}-weak` } });
    const resolver = createResolver({
      sources: [mem],
      onEvent: audit,
      policy: { environment: 'development' },
    });
    await resolver.get('memory:DB_PASSWORD', { context: { requestId: 'r-1' } });
    await resolver.get('memory:DB_PASSWORD', { context: { requestId: 'r-2' } });
    await expect(resolver.get('memory:MISSING')).rejects.toMatchObject({ code: 'ERR_SECRET_NOT_FOUND' });
    await resolver.get('memory:JWT_SECRET_KEY');
    const target = memorySource({ id: 'target' });
    await copySecrets({
      from: mem,
      to: target,
      apply: true,
      allowWeak: true,
      onEvent: audit,
      context: { job: 'copy' },
    });
    await rotateSecret(resolver, 'memory:ROTATED', {
      create: true,
      onEvent: audit,
      context: { by: 'ops' },
    });
    expect(audit.lines).toBeGreaterThan(5);
    await audit.close();

    const text = await readFile(path, 'utf8');
    expect(text).not.toContain(SENTINEL);
    const records = await lines(path);
    expect(records).toContainEqual(
      expect.objectContaining({
        action: 'resolve',
        source: 'memory',
        name: 'DB_PASSWORD',
        outcome: 'ok',
        cacheHit: false,
        context: { requestId: 'r-1' },
      }),
    );
    expect(records).toContainEqual(
      expect.objectContaining({ action: 'cache-hit', cacheHit: true, context: { requestId: 'r-2' } }),
    );
    expect(records).toContainEqual(
      expect.objectContaining({ action: 'error', code: 'ERR_SECRET_NOT_FOUND', outcome: 'miss' }),
    );
    expect(records).toContainEqual(
      expect.objectContaining({
        action: 'weak',
        outcome: 'warning',
        issues: expect.arrayContaining([expect.any(String)]),
      }),
    );
    expect(records.filter((r) => r.action === 'write')).toHaveLength(2);
    expect(records).toContainEqual(
      expect.objectContaining({
        action: 'write',
        source: 'target',
        name: 'DB_PASSWORD',
        version: '1',
        outcome: 'ok',
        fingerprint: expect.stringMatching(/^fpr_/),
        context: { job: 'copy' },
      }),
    );
    expect(records).toContainEqual(
      expect.objectContaining({
        action: 'rotate',
        name: 'ROTATED',
        version: '1',
        fingerprint: expect.stringMatching(/^fpr_[0-9a-f]{16}$/),
        context: { by: 'ops' },
      }),
    );
    for (const r of records)
      expect(typeof r.durationMs === 'number' || r.durationMs === undefined).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('filters by type, appends across instances, and reports a write failure on close without throwing earlier', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ss-audit-'));
    const path = join(dir, 'a.jsonl');
    for (let i = 0; i < 2; i++) {
      const audit = auditLog({ path, types: ['rotate'] });
      const resolver = createResolver({
        sources: [memorySource({ initial: { K: generateKey() } })],
        onEvent: audit,
      });
      await resolver.get('memory:K');
      await rotateSecret(resolver, 'memory:K', { onEvent: audit });
      await audit.close();
    }
    expect((await lines(path)).map((r) => r.action)).toEqual(['rotate', 'rotate']);

    const broken = auditLog({ path: join(dir, 'no-such-dir', 'x.jsonl') });
    const resolver = createResolver({
      sources: [memorySource({ initial: { K: generateKey() } })],
      onEvent: broken,
    });
    await expect(resolver.get('memory:K')).resolves.toBeDefined();
    await expect(broken.close()).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
