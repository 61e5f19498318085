/**
 * The age of a key, read from every store that keeps a date for it: the resolver's `rotation-due`
 * warning (which `secretsource check` prints as ROTATION_DUE) and `rotate --if-older-than` both use
 * it. Each store gets a key written now, then the clock moves 100 days on (only `Date`: the stores and
 * their clients keep working).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { awsSecretsManager } from '../../providers/aws/sm.js';
import { awsSsm } from '../../providers/aws/ssm.js';
import { fileSource } from '../../providers/file.js';
import { memorySource } from '../../providers/memory.js';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import type { SecretEvent } from '../../src/core/events.js';
import type { SecretSource } from '../../src/core/source.js';
import { generateKey } from '../../src/keys/keygen.js';
import { rotateSecret } from '../../src/keys/rotate.js';
import { createResolver } from '../../src/resolver/resolver.js';
import { emulatedAzure, emulatedVault } from './stores.js';

const DAY = 86_400_000;
const uid = () => randomBytes(4).toString('hex');

beforeAll(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('VAULT_')) delete process.env[key];
});
afterEach(() => {
  vi.useRealTimers();
});

/** Each store that keeps a date for a value, and how to put a key there. */
const stores: Array<[string, () => SecretSource, () => string]> = [
  ['memory', () => memorySource(), () => `age/${uid()}`],
  ['aws-sm', () => awsSecretsManager(), () => `age/${uid()}`],
  ['aws-ssm', () => awsSsm(), () => `/age/${uid()}`],
  ['azure-kv', emulatedAzure, () => `age_${uid()}`],
  ['vault', emulatedVault, () => `age/${uid()}`],
];

describe("a key's age, from every store that keeps one", () => {
  for (const [label, make, name] of stores) {
    it(`${label}: rotation-due after the rotation period, and rotate --if-older-than rotates`, async () => {
      const source = make();
      const n = name();
      await source.set!(n, generateKey());
      const events: SecretEvent[] = [];
      const resolver = createResolver({
        sources: [source],
        cache: false,
        policy: { rotationDays: 90, check: false },
        onEvent: (e) => events.push(e),
      });
      await resolver.get(`${source.id}:${n}`);
      expect(events.filter((e) => e.type === 'rotation-due')).toEqual([]);
      const fresh = await rotateSecret(source, `${source.id}:${n}`, { ifOlderThanMs: 90 * DAY });
      expect(fresh).toMatchObject({ rotated: false });
      expect(fresh.ageMs).toBeLessThan(DAY);

      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 100 * DAY);
      await resolver.get(`${source.id}:${n}`);
      const due = events.filter((e) => e.type === 'rotation-due');
      expect(due).toHaveLength(1);
      expect(due[0]!.message).toMatch(/was last changed (99|100) days ago \(rotation period 90 days\)/);
      const rotated = await rotateSecret(source, `${source.id}:${n}`, { ifOlderThanMs: 90 * DAY });
      expect(rotated).toMatchObject({ rotated: true });
      expect(rotated.ageMs).toBeGreaterThan(99 * DAY);
      await resolver.close();
    });
  }

  it('file: the file is as old as its last write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ss-age-'));
    writeFileSync(join(dir, 'JWT_SECRET_KEY'), generateKey());
    const events: SecretEvent[] = [];
    const resolver = createResolver({
      sources: [fileSource({ dir })],
      policy: { rotationDays: 90, check: false },
      onEvent: (e) => events.push(e),
    });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 100 * DAY);
    await resolver.get('file:JWT_SECRET_KEY');
    expect(events.filter((e) => e.type === 'rotation-due')).toHaveLength(1);
  });

  it('check prints ROTATION_DUE for a ref whose store date is past the period (Parameter Store on moto)', async () => {
    const ssm = awsSsm();
    const n = `/age/${uid()}/JWT_SECRET_KEY`;
    await ssm.set(n, generateKey());
    const young = memoryIo({ env: { ...process.env } });
    expect(await runCli(['check', `aws-ssm:${n}`], young)).toBe(0);
    expect(young.stdoutText).not.toMatch(/ROTATION_DUE/);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 100 * DAY);
    const old = memoryIo({ env: { ...process.env } });
    expect(await runCli(['check', `aws-ssm:${n}`], old)).toBe(0);
    expect(old.stdoutText).toMatch(
      new RegExp(
        `^aws-ssm:${n}  ROTATION_DUE  warning: secret "${n}" was last changed (99|100) days ago \\(rotation period 90 days\\)$`,
        'm',
      ),
    );
    const strict = memoryIo({ env: { ...process.env } });
    expect(await runCli(['check', `aws-ssm:${n}`, '--strict'], strict)).toBe(1);
    await ssm.close();
  });
});
