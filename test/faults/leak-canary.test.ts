/**
 * The leak canary: the run's sentinel, planted in every source kind (kinds.ts) as plain text, as a
 * JSON field and across lines, is driven through every door (doors.ts: get, getMany, load with
 * throwing, refining and transforming schemas, key rings and rotation, and the CLI's get, check,
 * run, copy, rotate, generate and scan on success and failure). Whatever each door showed must hold no
 * 8-character piece of the sentinel in any form the final scan knows (scripts/leak-scan.ts); it is
 * saved under reports/captured/leak-canary/ for that scan too, with every file the run wrote.
 * Which kinds and doors ran is recorded in reports/leak-scan/canary.json: the scan fails without it.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSentinel } from '../../scripts/leak-scan.js';
import { isSecret } from '../../src/core/secret.js';
import { SENTINEL_SHAPE } from '../emulators/sentinel.start.js';
import { capture } from '../helpers/capture.js';
import { DOORS, type DoorContext, shown } from './leak-canary/doors.js';
import { KINDS, PLANTED_DIR, type PlantedKind } from './leak-canary/kinds.js';

const sentinel = process.env.SECRETSOURCE_TEST_SENTINEL ?? '';
const RECORD = fileURLToPath(new URL('../../reports/leak-scan/canary.json', import.meta.url));

rmSync(PLANTED_DIR, { recursive: true, force: true });
const planted: PlantedKind[] = sentinel ? KINDS.flatMap((k) => k.plant(sentinel)) : [];
const runs: string[] = [];

describe('the leak canary', () => {
  beforeAll(async () => {
    // The cloud stores are planted in the background of the global setup: wait for each (bounded).
    await Promise.all(
      planted
        .filter((k) => k.seeded)
        .map(async (kind) => {
          const source = kind.source();
          const name = kind.refs.plain!.slice(kind.refs.plain!.indexOf(':') + 1);
          let value: string | undefined;
          for (let i = 0; i < 600 && value !== sentinel; i++) {
            value = (await source.get(name).catch(() => undefined))?.value.reveal();
            if (value !== sentinel) await new Promise((r) => setTimeout(r, 100));
          }
          await source.close?.();
          if (value !== sentinel) throw new Error(`the sentinel never appeared in ${kind.id}`);
        }),
    );
  }, 120_000);

  afterAll(() => {
    mkdirSync(fileURLToPath(new URL('../../reports/leak-scan/', import.meta.url)), { recursive: true });
    writeFileSync(
      RECORD,
      `${JSON.stringify({ kinds: planted.map((k) => k.id), doors: DOORS.map((d) => d.id), runs: runs.length }, null, 2)}\n`,
    );
  });

  it('has a fresh, random sentinel of the expected shape', () => {
    expect(sentinel).toMatch(SENTINEL_SHAPE);
    expect(planted.map((k) => k.id)).toEqual(
      expect.arrayContaining([
        'env',
        'env-name-file',
        'dotenv',
        'dotenv-unclosed-quote',
        'dotenv-unquoted-pem',
        'file',
        'memory',
        'aws-sm',
        'aws-ssm',
        'vault',
        'azure-kv',
        'k8s',
        'gcp-sm',
      ]),
    );
  });

  const cases = DOORS.flatMap((door) =>
    planted.filter((kind) => door.applies(kind)).map((kind) => [door.id, kind.id, door, kind] as const),
  );

  // Concurrently (vitest's maxConcurrency, 5): the cases wait on emulators and child processes, not CPU.
  it.concurrent.each(cases)('%s × %s: shows no piece of the value', async (doorId, kindId, door, kind) => {
    const chunks: Array<{ label: string; text: string }> = [];
    let reached = false;
    // Labels name what was run, which may include the value passed as an argument: never kept as is.
    const safe = (label: string) =>
      [sentinel, sentinel.slice(0, 24)].reduce((l, p) => l.replaceAll(p, '<value>'), label);
    const ctx: DoorContext = {
      sentinel,
      saw: (label, ...things) => chunks.push({ label: safe(label), text: things.map(shown).join('\n') }),
      reached: (secret) => {
        const value = isSecret(secret) ? secret.reveal() : secret;
        if (value?.includes(sentinel.slice(0, 12)) || value?.includes(sentinel.slice(-12))) reached = true;
      },
    };
    await door.run(kind, ctx);
    runs.push(`${doorId} × ${kindId}`);
    capture(`leak-canary/${kindId}.log`, `== ${doorId}`, ...chunks.map((c) => `-- ${c.label}\n${c.text}`));
    const leaks = chunks.flatMap((c) =>
      findSentinel(sentinel, `${c.label}\n${c.text}`).map((h) => `${c.label}: ${h.form} at ${h.offset}`),
    );
    // Only the label and the form are reported: the failure message itself must not leak.
    expect(leaks, 'pieces of the sentinel shown').toEqual([]);
    expect(chunks.length).toBeGreaterThan(0);
    // A door that never had the value in hand proves nothing (broken kinds have none to reach).
    if (Object.keys(kind.refs).length > 0) expect(reached, 'the door reached the planted value').toBe(true);
  });
});
