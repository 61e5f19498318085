import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envSource } from '../../providers/env.js';

const tmp = () => mkdtemp(join(tmpdir(), 'ss-local-'));

describe('envSource', () => {
  it('reads NAME_FILE when NAME is unset, dropping one trailing newline', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'jwt'), 'from-file\n');
    const s = envSource({ env: { JWT_SECRET_KEY_FILE: join(dir, 'jwt') } });
    expect((await s.get('JWT_SECRET_KEY'))?.value.reveal()).toBe('from-file');
  });

  it('prefers NAME over NAME_FILE, and ignores NAME_FILE when files: false', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'jwt'), 'from-file');
    expect(
      (await envSource({ env: { K: 'direct', K_FILE: join(dir, 'jwt') } }).get('K'))?.value.reveal(),
    ).toBe('direct');
    await expect(
      envSource({ env: { K_FILE: join(dir, 'jwt') }, files: false }).get('K'),
    ).resolves.toBeUndefined();
  });

  it('a NAME_FILE that points nowhere is ERR_SOURCE_MISCONFIGURED, not a missing secret', async () => {
    const s = envSource({ env: { K_FILE: '/nonexistent/secretsource/k' } });
    await expect(s.get('K')).rejects.toMatchObject({
      code: 'ERR_SOURCE_MISCONFIGURED',
      message: 'source "env" could not read the file for secret "K" (ENOENT)',
    });
  });

  it('reads process.env at call time by default', async () => {
    const s = envSource();
    process.env.SS_TEST_LATE = 'late';
    try {
      expect((await s.get('SS_TEST_LATE'))?.value.reveal()).toBe('late');
    } finally {
      delete process.env.SS_TEST_LATE;
    }
  });
});
