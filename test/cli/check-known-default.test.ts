/**
 * `check` on a .env that holds a product's published default names the product (never the value),
 * and a user's own known-values file (SECRETSOURCE_KNOWN_VALUES) is rejected the same way.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { clearKnownValues, registerKnownValues } from '../../src/strength/user-known.js';

// Plausible CE's README prints this SECRET_KEY_BASE: random-looking, 384 bits by its alphabet.
const PLAUSIBLE = 'GLVzDZW04FzuS1gMcmBRVhwgd4Gu9YmSl/k/TqfTUXti7FLBd7aflXeQDdwCj6Cz';

async function dirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ss-known-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

afterEach(() => {
  delete process.env.SECRETSOURCE_KNOWN_VALUES;
  clearKnownValues();
});

describe('check names the product a default came from', () => {
  it('fails a .env holding a published product default, naming the product', async () => {
    const dir = await dirWith({ '.env': `SECRET_KEY_BASE=${PLAUSIBLE}\n` });
    const io = memoryIo({ cwd: dir, env: {} });
    expect(await runCli(['check', '--env-file', '.env'], io)).toBe(1);
    expect(io.stdoutText).toMatch(/^SECRET_KEY_BASE {2}WEAK_KNOWN_DEFAULT {2}error: .*Plausible CE/m);
    expect(io.stdoutText + io.stderrText).not.toContain(PLAUSIBLE.slice(0, 10));
  });

  it("rejects the values of the user's own list, from a file or registered in code", async () => {
    const own = randomBytes(32).toString('base64url');
    const other = randomBytes(32).toString('base64url');
    const dir = await dirWith({
      '.env': `JWT_SECRET=${own}\nAPI_KEY=${other}\n`,
      'known.txt': `# keys that leaked\n${own}\tthe key leaked in INC-42\n`,
    });
    const before = memoryIo({ cwd: dir, env: {} });
    expect(await runCli(['check', '--env-file', '.env'], before)).toBe(0);
    process.env.SECRETSOURCE_KNOWN_VALUES = join(dir, 'known.txt');
    const io = memoryIo({ cwd: dir, env: {} });
    expect(await runCli(['check', '--env-file', '.env'], io)).toBe(1);
    expect(io.stdoutText).toMatch(/^JWT_SECRET {2}WEAK_KNOWN_DEFAULT {2}error: .*INC-42/m);
    expect(io.stdoutText).not.toMatch(/^API_KEY /m);
    // The same bytes re-encoded are the same key.
    registerKnownValues([{ value: Buffer.from(other, 'base64url').toString('hex'), source: 'rotated out' }]);
    const again = memoryIo({ cwd: dir, env: {} });
    expect(await runCli(['check', '--env-file', '.env'], again)).toBe(1);
    expect(again.stdoutText).toMatch(/^API_KEY {2}WEAK_KNOWN_DEFAULT {2}error: .*rotated out/m);
    expect(again.stdoutText + again.stderrText).not.toContain(own.slice(0, 10));
  });
});
