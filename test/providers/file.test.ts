import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fileSource } from '../../providers/file.js';

const tmp = () => mkdtemp(join(tmpdir(), 'ss-local-'));

describe('fileSource', () => {
  it('reads nested files, keeps non-UTF-8 files as bytes, and lists without Kubernetes bookkeeping', async () => {
    const dir = await tmp();
    await mkdir(join(dir, '..2026_01_01_00_00_00.000'), { recursive: true });
    await writeFile(join(dir, '..2026_01_01_00_00_00.000', 'db'), 'pw');
    await symlink('..2026_01_01_00_00_00.000', join(dir, '..data'));
    await symlink('..data/db', join(dir, 'db'));
    await mkdir(join(dir, 'team'));
    await writeFile(join(dir, 'team', 'key'), 'nested\r\n');
    await writeFile(join(dir, 'bin'), Buffer.from([0xff, 0xfe, 0x00, 0x01]));
    const s = fileSource({ dir });
    expect((await s.get('db'))?.value.reveal()).toBe('pw');
    expect((await s.get('team/key'))?.value.reveal()).toBe('nested');
    const bin = await s.get('bin');
    expect(bin?.value.isBinary).toBe(true);
    expect([...bin!.value.bytes()]).toEqual([0xff, 0xfe, 0x00, 0x01]);
    const names: string[] = [];
    for await (const m of s.list!()) names.push(m.name);
    // A Kubernetes volume's secrets are links into ..data: they list like files (issue 12).
    expect(names).toEqual(['bin', 'db', 'team/key']);
    await expect(s.get('..data/db')).rejects.toMatchObject({ code: 'ERR_SECRET_NAME_INVALID' });
  });

  it('a missing file is absent; a directory is malformed; a missing dir lists nothing', async () => {
    const dir = await tmp();
    await mkdir(join(dir, 'adir'));
    const s = fileSource({ dir });
    await expect(s.get('nope')).resolves.toBeUndefined();
    await expect(s.get('adir')).rejects.toMatchObject({ code: 'ERR_SECRET_MALFORMED' });
    const none: string[] = [];
    for await (const m of fileSource({ dir: join(dir, 'missing') }).list!()) none.push(m.name);
    expect(none).toEqual([]);
  });

  it('an unreadable file is ERR_SOURCE_ACCESS_DENIED', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'locked'), 'x');
    await chmod(join(dir, 'locked'), 0o000);
    if (process.getuid?.() !== 0) {
      await expect(fileSource({ dir }).get('locked')).rejects.toMatchObject({
        code: 'ERR_SOURCE_ACCESS_DENIED',
      });
      return;
    }
    // root reads anything, so read as `nobody` in a child process. Everything it touches (a copy of
    // the built package and the locked file) lives under /tmp, which `nobody` can always traverse.
    const base = await mkdtemp('/tmp/ss-nobody-');
    await chmod(base, 0o755);
    await cp(join(import.meta.dirname, '..', '..', 'dist'), join(base, 'dist'), { recursive: true });
    await mkdir(join(base, 'secrets'), { mode: 0o755 });
    await writeFile(join(base, 'secrets', 'locked'), 'x', { mode: 0o600 });
    const provider = join(base, 'dist', 'providers', 'file.js');
    const code = `const { fileSource } = await import(${JSON.stringify(provider)});
      try { await fileSource({ dir: ${JSON.stringify(join(base, 'secrets'))} }).get('locked'); console.log('read'); }
      catch (e) { console.log(e.code); }`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', code], {
      uid: 65534,
      gid: 65534,
      cwd: base,
    });
    expect(stdout.trim()).toBe('ERR_SOURCE_ACCESS_DENIED');
  });
});
