/**
 * Issue 14: one empty value broke a whole copy. To Secrets Manager (moto) the plan said create, the
 * write made a secret with no value, and every batch read that included it failed: all 15 items
 * were reported failed and each re-run threw. To Parameter Store the plan said create and the
 * apply failed. Now the plan refuses the empty value for stores that keep none, and the rest land.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsSecretsManager } from '../../providers/aws/sm.js';
import { awsSsm } from '../../providers/aws/ssm.js';
import { dotenvSource } from '../../providers/dotenv.js';
import { copySecrets } from '../../src/copy/index.js';
import { generateKey } from '../../src/keys/keygen.js';

describe('issue 14: one empty value does not break a copy', () => {
  async function envFile(): Promise<{ path: string; names: string[] }> {
    const dir = await mkdtemp(join(tmpdir(), 'ss-empty-'));
    const names = Array.from({ length: 14 }, (_, i) => `KEY_${String(i).padStart(2, '0')}`);
    const lines = names.map((n) => `${n}=${generateKey({ bytes: 32 })}`);
    lines.splice(7, 0, 'EMPTY_ONE=');
    await writeFile(join(dir, '.env'), `${lines.join('\n')}\n`);
    return { path: join(dir, '.env'), names };
  }

  for (const [store, make, prefix] of [
    ['aws-sm', () => awsSecretsManager(), () => `empty/${randomBytes(4).toString('hex')}/`],
    ['aws-ssm', () => awsSsm(), () => `/empty/${randomBytes(4).toString('hex')}/`],
  ] as const) {
    it(`to ${store}: the empty one is refused in the plan, the 14 others land, a re-run changes nothing`, async () => {
      const { path, names } = await envFile();
      const from = dotenvSource({ path });
      const to = make();
      const toPrefix = prefix();
      const plan = await copySecrets({ from, to, toPrefix, allowWeak: true });
      expect(plan.items.find((i) => i.name === 'EMPTY_ONE')?.action).toBe('refused');
      const first = await copySecrets({ from, to, toPrefix, allowWeak: true, apply: true });
      const by = Object.fromEntries(first.items.map((i) => [i.name, i]));
      expect(by.EMPTY_ONE?.action).toBe('refused');
      for (const n of names) expect(by[n]).toMatchObject({ action: 'create', status: 'done' });
      expect(first.failed).toBe(0);
      const again = await copySecrets({ from, to, toPrefix, allowWeak: true, apply: true });
      expect(again.counts).toMatchObject({ unchanged: 14, refused: 1, create: 0 });
      expect(again.failed).toBe(0);
      await to.close?.();
    });
  }
});
