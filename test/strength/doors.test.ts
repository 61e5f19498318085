/**
 * The door × case matrix: the same (names, value, environment) through every door that applies the
 * strength policy gives the same verdict, codes and severities as the engine's `evaluate`. Doors:
 * resolver `get`, `getMany`, `getManySettled`, `load`, `keyRing`; CLI `get --environment`, `run`,
 * `check` (a ref, and an env file), `copy` (plan and apply); and the key `rotate` writes. Values
 * live in AWS Secrets Manager (moto, through the real SDK), as a user would have them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsSecretsManager } from '../../providers/aws/sm.js';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { isSecretError } from '../../src/core/errors.js';
import type { SecretEvent } from '../../src/core/events.js';
import { rotateSecret } from '../../src/keys/rotate.js';
import { createResolver, type Resolver } from '../../src/resolver/resolver.js';
import { evaluate } from '../../src/strength/engine.js';
import type { PolicyNames } from '../../src/strength/names.js';
import type { Environment } from '../../src/strength/types.js';

/** What a door said about one value: pass or fail, and each finding as `CODE:severity`, in order. */
interface Said {
  ok: boolean;
  findings: string[];
}

/** One value, where it is stored, and the name the app reads it by. */
interface Case {
  id: string;
  /** The config key or variable name (load, run, check --env-file). */
  key: string;
  value: string;
  /** Stored as a JSON field of a shared secret (`aws-sm:…/app#field`) instead of its own secret. */
  field?: string;
  /** Must fail in production (the issue's examples), beside agreeing with the engine. */
  failsInProduction?: boolean;
}

const RUN = randomBytes(4).toString('hex');
const PREFIX = `policy-matrix/${RUN}/`;
const AWS_VARS = ['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

const CASES: Case[] = [
  { id: 'admin password', key: 'ADMIN_PASSWORD', value: 'admin', failsInProduction: true },
  { id: 'api token', key: 'API_TOKEN', value: 'secret123', failsInProduction: true },
  {
    id: 'AWS docs example secret key',
    key: 'AWS_SECRET_ACCESS_KEY',
    value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    failsInProduction: true,
  },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an unrendered template is the test input
  { id: 'unrendered template', key: 'SESSION_SECRET', value: '${SESSION_SECRET}', failsInProduction: true },
  { id: '#field ref', key: 'JWT_SECRET_KEY', value: 'secret', field: 'jwt', failsInProduction: true },
  { id: 'strong key', key: 'JWT_SECRET_KEY', value: randomBytes(32).toString('base64url') },
  {
    id: '32-byte key for an HS512 name',
    key: 'JWT_HS512_SECRET',
    value: randomBytes(32).toString('base64url'),
    failsInProduction: true,
  },
  { id: 'not a secret name', key: 'PORT', value: '8080' },
];

const ENVIRONMENTS: Environment[] = ['production', 'development'];

function ref(c: Case): string {
  return c.field ? `aws-sm:${PREFIX}app#${c.field}` : `aws-sm:${PREFIX}${c.key}`;
}

function storeName(c: Case): string {
  return c.field ? `${PREFIX}app` : `${PREFIX}${c.key}`;
}

/** The engine's answer, for the names a door knows. */
function engine(c: Case, names: PolicyNames, environment: Environment): Said {
  const v = evaluate(c.value, { names, environment, defaultProfile: 'none' });
  return { ok: v.ok, findings: v.issues.map((i) => `${i.code}:${i.severity}`) };
}

const said = (ok: boolean, issues: ReadonlyArray<{ code: string; severity?: string }>): Said => ({
  ok,
  findings: issues.map((i) => `${i.code}:${i.severity ?? 'error'}`),
});

/** Findings lines (`NAME  CODE  severity: …`) in CLI output, for one name. */
function cliFindings(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*\S+ {2}((?:WEAK|DEPLOY)_[A-Z_]+) {2}(error|warning): /.exec(line);
    if (m) out.push(`${m[1]}:${m[2]}`);
  }
  return out;
}

function awsEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of AWS_VARS) if (process.env[k]) env[k] = process.env[k]!;
  return env;
}

/**
 * Calls `use` on a fresh resolver over the real Secrets Manager provider: a pass reports the weak
 * warning event's issues, an `ERR_SECRET_WEAK` (thrown, settled, or in an aggregate) its issues.
 */
async function throughResolver(
  environment: Environment,
  use: (r: Resolver) => Promise<unknown>,
): Promise<Said> {
  const events: SecretEvent[] = [];
  const r = createResolver({
    sources: [awsSecretsManager()],
    policy: { environment },
    onEvent: (e) => events.push(e),
  });
  try {
    await use(r);
    return said(true, events.find((e) => e.type === 'weak')?.issues ?? []);
  } catch (err) {
    if (!isSecretError(err) || !['ERR_SECRET_WEAK', 'ERR_CONFIG_INVALID'].includes(err.code)) throw err;
    // getMany and load list the error's own code beside the findings it carries.
    const issues = (err as unknown as { issues: Array<{ code: string; severity?: string }> }).issues;
    return said(
      false,
      issues.filter((i) => i.code !== 'ERR_SECRET_WEAK'),
    );
  } finally {
    await r.close();
  }
}

/** Each door, as a user calls it. */
const DOORS: Record<string, (c: Case, environment: Environment) => Promise<Said>> = {
  'resolver.get': (c, environment) => throughResolver(environment, (r) => r.get(ref(c))),
  'resolver.getMany': (c, environment) => throughResolver(environment, (r) => r.getMany([ref(c)])),
  'resolver.getManySettled': (c, environment) =>
    throughResolver(environment, async (r) => {
      const [s] = await r.getManySettled([ref(c)]);
      if (!s!.ok) throw s!.error;
    }),
  'resolver.load': (c, environment) =>
    throughResolver(environment, (r) => r.load({ [c.key]: { ref: ref(c) } })),
  'resolver.keyRing': (c, environment) => throughResolver(environment, (r) => r.keyRing(ref(c))),
  async 'cli get --environment'(c, environment) {
    const io = memoryIo({ env: awsEnv() });
    const code = await runCli(['get', ref(c), '--environment', environment], io);
    if (c.value.length >= 16) expect(io.stdoutText + io.stderrText).not.toContain(c.value);
    return { ok: code === 0, findings: cliFindings(io.stderrText) };
  },
  async 'cli run'(c, environment) {
    const io = memoryIo({ env: { ...awsEnv(), [c.key]: ref(c) } });
    const code = await runCli(
      ['run', '--environment', environment, '--', process.execPath, '-e', 'process.exit(0)'],
      io,
    );
    return { ok: code === 0, findings: cliFindings(io.stderrText) };
  },
  async 'cli check REF'(c, environment) {
    const io = memoryIo({ env: awsEnv() });
    const code = await runCli(['check', ref(c), '--environment', environment, '--format', 'json'], io);
    const out = JSON.parse(io.stdoutText) as { findings: Array<{ code: string; severity: string }> };
    return said(code === 0, out.findings);
  },
};

/** The engine's answer for the names copy and `check --env-file` know: the variable or store name. */
const byKey = (c: Case, environment: Environment): Said =>
  engine(c, { key: c.key, store: storeName(c) }, environment);

describe('door × case matrix: every door gives the engine verdict', () => {
  beforeAll(async () => {
    const sm = awsSecretsManager();
    const fields: Record<string, string> = {};
    for (const c of CASES) {
      if (c.field) fields[c.field] = c.value;
      else await sm.set!(storeName(c), c.value);
    }
    await sm.set!(`${PREFIX}app`, JSON.stringify(fields));
    await sm.close?.();
  });

  for (const environment of ENVIRONMENTS) {
    describe.concurrent(environment, () => {
      for (const c of CASES) {
        it(`${c.id} (${c.key}) through the resolver, get, run and check`, async () => {
          const expected = engine(c, { key: c.key, field: c.field, store: storeName(c) }, environment);
          if (c.failsInProduction && environment === 'production') expect(expected.ok).toBe(false);
          if (environment === 'development') expect(expected.ok).toBe(true);
          const doors = Object.entries(DOORS);
          const results = await Promise.all(doors.map(([, call]) => call(c, environment)));
          const got = Object.fromEntries(doors.map(([door], i) => [door, results[i]]));
          const want = Object.fromEntries(doors.map(([door]) => [door, expected]));
          expect(got).toEqual(want);
        });
      }

      it('check --env-file and copy (plan, then apply) judge each name as the engine does', async () => {
        const plain = CASES.filter((c) => !c.field);
        const dir = await mkdtemp(join(tmpdir(), 'ss-doors-'));
        await writeFile(join(dir, '.env'), plain.map((c) => `${c.key}='${c.value}'\n`).join(''));
        const checkIo = memoryIo({ env: awsEnv(), cwd: dir });
        await runCli(
          ['check', '--env-file', '.env', '--environment', environment, '--format', 'json'],
          checkIo,
        );
        const checked = JSON.parse(checkIo.stdoutText) as {
          findings: Array<{ name: string; code: string; severity: string }>;
        };
        const copies: Record<
          string,
          {
            items: Array<{
              name: string;
              action: string;
              status: string;
              writes?: number;
              issues?: Array<{ code: string; severity: string }>;
            }>;
          }
        > = {};
        for (const mode of ['plan', 'apply']) {
          const io = memoryIo({ env: awsEnv(), cwd: dir });
          const argv = [
            'copy',
            `aws-sm:${PREFIX}`,
            'memory:',
            '--environment',
            environment,
            '--format',
            'json',
          ];
          await runCli(mode === 'apply' ? [...argv, '--apply'] : argv, io);
          copies[mode] = JSON.parse(io.stdoutText);
        }
        for (const c of plain) {
          const expected = byKey(c, environment);
          // check skips names that imply no profile (PORT): nothing to report, as every other door.
          const fromCheck = checked.findings.filter((f) => f.name === c.key);
          expect({ case: c.id, findings: fromCheck.map((f) => `${f.code}:${f.severity}`) }).toEqual({
            case: c.id,
            findings: expected.findings,
          });
          for (const mode of ['plan', 'apply']) {
            const item = copies[mode]!.items.find((i) => i.name === c.key)!;
            expect({
              case: c.id,
              mode,
              ok: item.action !== 'refused',
              findings: (item.issues ?? []).map((i) => `${i.code}:${i.severity}`),
            }).toEqual({
              case: c.id,
              mode,
              ok: expected.ok,
              findings: expected.findings,
            });
            // Apply writes nothing the plan refused.
            if (mode === 'apply' && !expected.ok) expect(item.writes ?? 0).toBe(0);
          }
        }
      });

      it('rotate: the key it writes passes the policy for the name, or nothing is written', async () => {
        const c = CASES.find((x) => x.key === 'JWT_HS512_SECRET')!;
        const r = createResolver({ sources: [awsSecretsManager()], policy: { environment } });
        try {
          const before = (await r.get(ref(c), { profile: 'none' })).fingerprint();
          // A 32-byte key for an HS512 name: the engine's verdict on such a key, whatever the environment.
          const expected = engine(
            { ...c, value: randomBytes(32).toString('base64url') },
            { store: storeName(c) },
            'production',
          );
          const err = await rotateSecret(r, ref(c), { bytes: 32 }).catch((e: unknown) => e);
          expect(said(false, (err as { issues: Array<{ code: string; severity: string }> }).issues)).toEqual(
            expected,
          );
          await r.refresh(ref(c));
          expect((await r.get(ref(c), { profile: 'none' })).fingerprint()).toBe(before);
        } finally {
          await r.close();
        }
      });
    });
  }
});

describe('check and copy say the same thing about the same finding', () => {
  it('the same finding lines in text, the same codes in --format json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ss-words-'));
    const lines = CASES.filter((c) => !c.field).map((c) => `${c.key}='${c.value}'`);
    await writeFile(join(dir, '.env.prod'), `${lines.join('\n')}\n`);
    const run = async (argv: string[]) => {
      const io = memoryIo({ env: {}, cwd: dir });
      await runCli(argv, io);
      return io.stdoutText;
    };
    const check = await run(['check', '--env-file', '.env.prod']);
    const copy = await run(['copy', 'dotenv:.env.prod', 'memory:/myapp/prod/']);
    // Finding lines: `NAME  CODE  severity: message`, indented under the item in copy's plan.
    const findingLines = (text: string) =>
      text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => /^\S+ {2}WEAK_[A-Z_]+ {2}(error|warning): /.test(l))
        .sort();
    expect(findingLines(check).length).toBeGreaterThan(8);
    expect(findingLines(copy)).toEqual(findingLines(check));

    const checkJson = JSON.parse(await run(['check', '--env-file', '.env.prod', '--format', 'json']));
    const copyJson = JSON.parse(await run(['copy', 'dotenv:.env.prod', 'memory:', '--format', 'json']));
    const codes = (findings: Array<{ name: string; code: string; severity: string }>) =>
      findings.map((f) => `${f.name} ${f.code} ${f.severity}`).sort();
    expect(codes(copyJson.findings)).toEqual(codes(checkJson.findings));
    // What check fails, copy refuses, and nothing else.
    const failed = new Set(checkJson.findings.map((f: { name: string }) => f.name));
    const refused = copyJson.items
      .filter((i: { action: string }) => i.action === 'refused')
      .map((i: { name: string }) => i.name);
    expect(refused.sort()).toEqual([...failed].sort());
  });
});
