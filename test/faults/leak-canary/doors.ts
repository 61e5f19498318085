/**
 * The leak canary's doors: every way a value can leave secretsource (library calls and CLI
 * commands, on success and on each failure path). A door drives one planted kind through itself and
 * hands everything a user, a log or a debugger could see to `saw()`; the test checks it for every
 * form of the sentinel, and saves it under reports/captured/ for the final scan.
 *
 * To add a door (a new command or entry point): write a `CanaryDoor` and add it to `DOORS` below.
 * It runs against every kind in kinds.ts. A door must also prove the sentinel was within reach
 * (`reached()`), or a door that never read anything would pass.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inspect } from 'node:util';
import { z } from 'zod';
import { memoryIo } from '../../../src/cli/io.js';
import { runCli } from '../../../src/cli/program.js';
import { RUN_REF_SOURCES } from '../../../src/cli/sources.js';
import { isSecret, Secret } from '../../../src/core/secret.js';
import { createKeyRing } from '../../../src/keys/keyring.js';
import type { LiveKeyRing } from '../../../src/keys/live-ring.js';
import { rotateSecret } from '../../../src/keys/rotate.js';
import type { StandardSchemaV1 } from '../../../src/resolver/load.js';
import { createResolver } from '../../../src/resolver/resolver.js';
import { SENTINEL_SHAPES } from '../../emulators/sentinel.start.js';
import { PLANTED_DIR, type PlantedKind } from './kinds.js';

/** What a door is given. */
export interface DoorContext {
  sentinel: string;
  /** Records what was shown: strings as they are, anything else inspected (hidden properties too) and as JSON. */
  saw(label: string, ...things: unknown[]): void;
  /** Marks that a value holding the sentinel was in hand (revealed here, never shown). */
  reached(secret: Secret | string | undefined): void;
}

/** A registered door. `applies` says whether it can run against a kind (e.g. the CLI needs `cli`). */
export interface CanaryDoor {
  id: string;
  applies(kind: PlantedKind): boolean;
  run(kind: PlantedKind, ctx: DoorContext): Promise<void>;
}

/** Resolves, records the outcome (value as a redacted Secret, or the error), and returns the Secret. */
async function attempt(ctx: DoorContext, label: string, call: () => Promise<unknown>): Promise<unknown> {
  try {
    const out = await call();
    ctx.saw(label, out, isSecret(out) ? [String(out), `${out}`, JSON.stringify({ out })] : '');
    return out;
  } catch (err) {
    ctx.saw(label, err, err instanceof Error ? [err.message, err.stack] : '');
    return undefined;
  }
}

function withResolver(kind: PlantedKind, ctx: DoorContext) {
  const events: unknown[] = [];
  const resolver = createResolver({ sources: [kind.source()], onEvent: (e) => events.push(e), cache: false });
  return {
    resolver,
    async done() {
      await resolver.close();
      ctx.saw('events', events);
    },
  };
}

/** The refs a door reads, with the failures every kind has: fields of non-JSON, missing fields and versions. */
function refsOf(kind: PlantedKind, s: string): string[] {
  const id = kind.source().id;
  const out = Object.values(kind.refs);
  for (const r of [kind.refs.plain, kind.refs.lines]) if (r) out.push(`${r}#field`);
  if (kind.refs.json) out.push(kind.refs.json.replace('#password', '#missing'));
  if (kind.refs.plain) out.push(`${kind.refs.plain}?version=v404`);
  if (kind.failing) out.push(kind.failing);
  // A value passed where a ref belongs, with and without a source.
  out.push(`${id}:${s}`, s, `${id}:${s.slice(0, 24)}`);
  return out;
}

/** Schemas that throw, refine and transform, each quoting the value in its own way. */
function schemas(): Record<string, StandardSchemaV1> {
  return {
    url: z.string().transform((v) => new URL(v)),
    json: z.string().transform((v) => JSON.parse(v) as unknown),
    refined: z.string().refine(() => false, { error: (i) => `not allowed: ${String(i.input)}` }),
    upper: z.string().refine(() => false, { error: (i) => `bad ${String(i.input).toUpperCase()}` }),
    number: z.coerce.number(),
    enum: z.enum(['a', 'b']),
    email: z.email(),
    quoting: {
      '~standard': {
        version: 1,
        vendor: 'canary',
        validate: (v) => ({ issues: [{ message: `got ${JSON.stringify(v)}` }] }),
      },
    },
  };
}

/** One CLI run in this process, with the kind's environment and arguments. */
async function cli(
  kind: PlantedKind,
  ctx: DoorContext,
  argv: string[],
  extraEnv: Record<string, string> = {},
) {
  const io = memoryIo({ env: { ...kind.cli?.env, ...extraEnv }, cwd: tmpdir() });
  // get and check take the kind's --env-file; run and copy are given it (or the path) explicitly.
  const extra = argv[0] === 'get' || argv[0] === 'check' ? (kind.cli?.args ?? []) : [];
  const code = await runCli([...argv, ...extra], io);
  ctx.saw(`$ secretsource ${argv.join(' ')} -> ${code}`, io.stdoutText, io.stderrText);
  return { code, out: io.stdoutText + io.stderrText };
}

const hasCli = (kind: PlantedKind) => kind.cli !== undefined;

/**
 * A git repository holding the value as code would (a default, a signing key, a committed .env, a
 * Kubernetes Secret's base64) and, in history only, pasted plain, base64url and hex; kept under
 * PLANTED_DIR, which the final scan skips. The caller removes it.
 */
function plantedRepo(s: string, name: string): string {
  const dir = join(PLANTED_DIR, 'scan', `${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  const files: Record<string, string> = {
    'app/config.py': `import os\nJWT_SECRET = os.getenv("JWT_SECRET", "${s}")\n`,
    'web/token.js': `const jwt = require('jsonwebtoken');\nexports.sign = (p) => jwt.sign(p, '${s}');\n`,
    '.env': `SESSION_SECRET=${s}\n`,
    'k8s/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  api-token: ${Buffer.from(s).toString('base64')}\n`,
    'notes/pasted.txt': `${s}\n${Buffer.from(s).toString('base64url')}\n${Buffer.from(s).toString('hex')}\n`,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=canary', '-c', 'user.email=canary@example.com', ...args], {
      cwd: dir,
      stdio: 'ignore',
    });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'planted');
  // Gone from the tree, still in history: --values finds it by commit.
  rmSync(join(dir, 'notes'), { recursive: true });
  git('commit', '-q', '-am', 'removed');
  return dir;
}

/** One `secretsource scan` in `dir` (main thread only), recorded. */
async function scanIn(kind: PlantedKind, ctx: DoorContext, dir: string, argv: string[]) {
  const io = memoryIo({ env: { ...kind.cli?.env }, cwd: dir });
  const code = await runCli(['scan', '--workers', '0', ...argv], io);
  ctx.saw(`$ secretsource scan ${argv.join(' ')} -> ${code}`, io.stdoutText, io.stderrText);
  return { code, out: io.stdoutText };
}

/**
 * Writes `value` under a fresh name in a writable kind; returns the ref, or undefined if the write
 * failed. Key Vault names take `_` (stored as `-`), not `/` or `-`; Secret Manager takes `_`.
 */
async function plantCopy(
  kind: PlantedKind,
  ctx: DoorContext,
  source: ReturnType<PlantedKind['source']>,
  tag: string,
  value: string,
): Promise<string | undefined> {
  const name = `${kind.id === 'aws-ssm' ? '/' : ''}secretsource-canary/${tag}-${process.pid}-${Date.now()}`;
  // Key Vault and Secret Manager names have no '/'.
  const wname = ['azure-kv', 'gcp-sm'].includes(kind.id) ? name.replace(/[^A-Za-z0-9]/g, '_') : name;
  const ok = await attempt(ctx, `plant ${tag}`, () => source.set!(wname, value));
  return ok === undefined ? undefined : `${source.id}:${wname}`;
}

/** Every door. Later commands (scan) and entry points add theirs here. */
export const DOORS: CanaryDoor[] = [
  {
    id: 'get',
    applies: () => true,
    async run(kind, ctx) {
      const { resolver, done } = withResolver(kind, ctx);
      for (const ref of refsOf(kind, ctx.sentinel)) {
        const out = await attempt(ctx, `get ${ref.replace(ctx.sentinel, '<value>')}`, () =>
          resolver.get(ref),
        );
        if (isSecret(out)) ctx.reached(out);
      }
      await done();
    },
  },
  {
    id: 'getMany',
    applies: () => true,
    async run(kind, ctx) {
      const { resolver, done } = withResolver(kind, ctx);
      const refs = refsOf(kind, ctx.sentinel);
      await attempt(ctx, 'getMany', () => resolver.getMany(refs));
      // Each outcome without its `ref`: that is the caller's own argument handed back, as a Map key would be.
      const settled = await resolver.getManySettled(refs);
      ctx.saw(
        'getManySettled',
        settled.map(({ ref: _, ...outcome }) => outcome),
      );
      for (const s of settled) if (s.ok) ctx.reached(s.secret);
      await done();
    },
  },
  {
    id: 'load',
    applies: () => true,
    async run(kind, ctx) {
      const { resolver, done } = withResolver(kind, ctx);
      const refs = [...Object.values(kind.refs), ...(kind.failing ? [kind.failing] : [])];
      for (const ref of refs) {
        const loaded = await attempt(ctx, `load secret ${ref}`, () =>
          resolver.load({ KEY: { ref, profile: 'none' } }),
        );
        if (loaded) ctx.reached((loaded as { KEY: Secret }).KEY);
        // Every schema in one load(): each key fails on its own, and one error reports them all.
        const spec = Object.fromEntries(
          Object.entries(schemas()).map(([name, schema]) => [name, { ref, schema }]),
        );
        await attempt(ctx, `load schemas ${ref}`, () => resolver.load(spec));
        await attempt(ctx, `load strict profile ${ref}`, () =>
          resolver.load({
            DB_PASSWORD: { ref, profile: 'password' },
            PORT: { ref, schema: z.coerce.number() },
          }),
        );
      }
      await done();
    },
  },
  {
    id: 'key ring and rotate',
    applies: () => true,
    async run(kind, ctx) {
      const { resolver, done } = withResolver(kind, ctx);
      for (const ref of [...Object.values(kind.refs), ...(kind.failing ? [kind.failing] : [])]) {
        const ring = await attempt(ctx, `keyRing ${ref}`, () => resolver.keyRing(ref));
        if (ring) {
          const r = ring as { current: { secret: Secret }; verificationKeys(): unknown[] };
          ctx.reached(r.current.secret);
          ctx.saw('ring keys', r.verificationKeys(), JSON.stringify(r.verificationKeys()));
        }
        await attempt(ctx, `keyRing ${ref}?version=1`, () =>
          resolver.keyRing(`${ref.split('#')[0]}?version=1`),
        );
      }
      if (kind.writable) {
        // Rotate a copy, so the planted sentinel is the previous version a ring still holds.
        const source = resolver.sources.values().next().value!;
        const copy = await plantCopy(kind, ctx, source, 'rotate', ctx.sentinel);
        await attempt(ctx, 'rotate', () =>
          rotateSecret(resolver, copy!, { onEvent: (e) => ctx.saw('rotate event', e) }),
        );
        const ring = await attempt(ctx, 'ring after rotate', () => resolver.keyRing(copy!));
        ctx.saw('ring after rotate keys', (ring as { verificationKeys?(): unknown[] })?.verificationKeys?.());
      } else if (kind.refs.plain) {
        await attempt(ctx, 'rotate unsupported', () => rotateSecret(resolver, kind.refs.plain!));
      }
      await done();
    },
  },
  {
    // The live ring's drop-ins (jose getKey, signingKey, createHmac verifyingKey), its events, a
    // revocation and a scheduled rotation, with the sentinel as the key being revoked.
    id: 'live key ring, revocation and scheduled rotation',
    applies: (kind) => kind.writable === true,
    async run(kind, ctx) {
      const { resolver, done } = withResolver(kind, ctx);
      const source = resolver.sources.values().next().value!;
      const ref = await plantCopy(kind, ctx, source, 'live', ctx.sentinel);
      if (ref) {
        const ringEvents: unknown[] = [];
        const ring = (await attempt(ctx, 'live ring', () =>
          resolver.keyRing(ref, { refreshMs: 60_000, onEvent: (e) => ringEvents.push(e) }),
        )) as LiveKeyRing | undefined;
        if (ring) {
          ctx.reached(ring.current.secret);
          const old = ring.signingKey();
          ctx.saw('signingKey', old, old.key, ring.current, ring.verificationKeys());
          await attempt(ctx, 'getKey (current kid)', () => ring.getKey({ kid: old.kid }));
          await attempt(ctx, 'getKey (unknown kid)', () => ring.getKey({ kid: 'k_0000000000000000' }));
          await attempt(ctx, 'getKey (no kid)', () => ring.getKey({}));
          await attempt(ctx, 'verifyingKey', () => ring.verifyingKey(old.kid));
          await attempt(ctx, 'lookup', () => ring.lookup(old.kid));
          await attempt(ctx, 'rotate --revoke-previous', () =>
            rotateSecret(resolver, ref, { revokePrevious: true, onEvent: (e) => ctx.saw('revoke event', e) }),
          );
          await attempt(ctx, 'ring refresh', () => ring.refresh());
          ctx.saw('ring after revocation', ring.current, ring.verificationKeys(), ring.find(old.kid));
          await attempt(ctx, 'getKey (revoked kid)', () => ring.getKey({ kid: old.kid }));
          await attempt(ctx, 'snapshot ring', () => createKeyRing(resolver, ref));
          ring.close();
        }
        await attempt(ctx, 'rotate if older than (young)', () =>
          rotateSecret(resolver, ref, { ifOlderThanMs: 86_400_000 }),
        );
        ctx.saw('live ring events', ringEvents);
      }
      // A JSON secret whose other field is the sentinel: refused without #field; the field rotated.
      const json = await plantCopy(
        kind,
        ctx,
        source,
        'json',
        JSON.stringify({ jwt: 'x', other: ctx.sentinel }),
      );
      if (json) {
        await attempt(ctx, 'rotate JSON without #field', () => rotateSecret(resolver, json));
        await attempt(ctx, 'rotate #jwt', () =>
          rotateSecret(resolver, `${json}#jwt`, { onEvent: (e) => ctx.saw('rotate event', e) }),
        );
        await attempt(ctx, 'rotate #missing without create', () => rotateSecret(resolver, `${json}#missing`));
      }
      await attempt(ctx, 'rotate missing without create', () =>
        rotateSecret(
          resolver,
          `${source.id}:${kind.id === 'aws-ssm' ? '/' : ''}secretsource_canary_missing_${Date.now()}`,
        ),
      );
      await done();
    },
  },
  {
    id: 'cli get',
    applies: hasCli,
    async run(kind, ctx) {
      for (const ref of refsOf(kind, ctx.sentinel)) {
        await cli(kind, ctx, ['get', ref]);
        await cli(kind, ctx, ['get', ref, '--format', 'json']);
      }
      if (kind.refs.plain) {
        // --reveal is the one way out: proves the value was reachable, and is never saved.
        const io = memoryIo({ env: { ...kind.cli?.env }, cwd: tmpdir() });
        await runCli(['get', kind.refs.plain, '--reveal', ...(kind.cli?.args ?? [])], io);
        ctx.reached(io.stdoutText.trim());
      }
    },
  },
  {
    id: 'cli check',
    applies: hasCli,
    async run(kind, ctx) {
      const names = Object.values(kind.refs).map((r) => (r.startsWith('env:') ? r.slice(4) : r));
      for (const target of [...names, ...(kind.failing ? [kind.failing] : []), ctx.sentinel]) {
        await cli(kind, ctx, ['check', target]);
        const { out } = await cli(kind, ctx, ['check', target, '--format', 'json', '--strict']);
        // Found and judged: the value was read (the report names it in `checked`).
        if (names.includes(target) && /"checked": \[\s*\{/.test(out)) ctx.reached(ctx.sentinel);
      }
      await cli(kind, ctx, ['check', '--deploy', '--environment', 'production']);
      if (kind.cli?.args.length) {
        // --compare against a file holding the same value: found by fingerprint, never shown.
        await cli(kind, ctx, ['check', '--compare', kind.cli.args[1]!]);
        await cli(kind, ctx, ['check', '--profile', ctx.sentinel]);
      }
    },
  },
  {
    id: 'cli run',
    applies: (kind) => hasCli(kind) && RUN_REF_SOURCES.includes(kind.source().id),
    async run(kind, ctx) {
      const dir = await mkdtemp(join(tmpdir(), 'canary-run-'));
      const audit = join(dir, 'audit.jsonl');
      // The child checks it got the value (by digest) and prints nothing.
      const digest = createHash('sha256').update(ctx.sentinel).digest('hex');
      const check = `const h=require('node:crypto').createHash('sha256').update(process.env.APP_SECRET_0||'').digest('hex');process.exit(h===process.env.EXPECTED?0:9)`;
      const child = [process.execPath, '-e', check];
      const refs = Object.values(kind.refs);
      const env = { ...Object.fromEntries(refs.map((r, i) => [`APP_SECRET_${i}`, r])), EXPECTED: digest };
      const args = kind.cli?.args ?? [];
      const { code } = await cli(kind, ctx, ['run', ...args, '--audit-log', audit, '--', ...child], env);
      if (code === 0) ctx.reached(ctx.sentinel);
      const broken = Object.fromEntries(
        [...refs.map((r) => `${r}#nofield`), ...(kind.failing ? [kind.failing] : [])].map((r, i) => [
          `BROKEN_${i}`,
          r,
        ]),
      );
      await cli(kind, ctx, ['run', ...args, '--audit-log', audit, '--', ...child], broken);
      try {
        ctx.saw('audit log', readFileSync(audit, 'utf8'));
      } catch {
        // no line written: nothing to show
      }
    },
  },
  {
    id: 'cli copy',
    // env-name-file: copy lists the variables themselves (the paths), not the files they name.
    applies: (kind) => hasCli(kind) && kind.id !== 'env-name-file',
    async run(kind, ctx) {
      const id = kind.source().id;
      const from =
        id === 'dotenv'
          ? `dotenv:${kind.cli?.args[1]}`
          : id === 'env'
            ? 'env:CANARY'
            : id === 'file'
              ? 'file:'
              : `${kind.refs.plain?.replace(/[^/:]*$/, '')}`;
      const dir = await mkdtemp(join(tmpdir(), 'canary-copy-'));
      const { out } = await cli(kind, ctx, ['copy', from, 'memory:']);
      // The plan lists each value by fingerprint (this process's key): one of the planted shapes was read.
      const shapes = Object.values(SENTINEL_SHAPES).map((sh) =>
        new Secret(sh.value(ctx.sentinel)).fingerprint(),
      );
      if (shapes.some((fp) => out.includes(fp))) ctx.reached(ctx.sentinel);
      await cli(kind, ctx, [
        'copy',
        from,
        'memory:copied/',
        '--apply',
        '--audit-log',
        join(dir, 'audit.jsonl'),
      ]);
      await cli(kind, ctx, ['copy', from, 'memory:', '--format', 'json']);
      // A .env target holds the value by request: it is written where the final scan does not look.
      const target = join(PLANTED_DIR, 'copies', `${kind.id}-${Date.now()}.env`);
      mkdirSync(join(PLANTED_DIR, 'copies'), { recursive: true });
      await cli(kind, ctx, ['copy', from, `dotenv:${target}`, '--apply', '--allow-weak']);
      try {
        ctx.saw('copy audit log', readFileSync(join(dir, 'audit.jsonl'), 'utf8'));
      } catch {
        // no line written
      }
    },
  },
  {
    id: 'cli rotate',
    applies: hasCli,
    async run(kind, ctx) {
      for (const ref of Object.values(kind.refs))
        await cli(kind, ctx, ['rotate', `${ref.split('#')[0]}?version=1`]);
      // Stores without versions refuse before reading anything.
      if (!kind.writable) {
        if (kind.refs.plain) await cli(kind, ctx, ['rotate', kind.refs.plain]);
        await cli(kind, ctx, ['rotate', `${kind.source().id}:${ctx.sentinel}`]);
        ctx.reached(kind.refs.plain === undefined ? undefined : ctx.sentinel);
        return;
      }
      // Writable ones: a JSON secret whose other field is the sentinel goes through every rotate
      // outcome (refused without #field, not yet due, rotated, revoked, missing without --create).
      const source = kind.source();
      const json = await plantCopy(
        kind,
        ctx,
        source,
        'cli-json',
        JSON.stringify({ jwt: 'x', other: ctx.sentinel }),
      );
      await source.close?.();
      if (json === undefined) return;
      const dir = await mkdtemp(join(tmpdir(), 'canary-rotate-'));
      const audit = ['--audit-log', join(dir, 'audit.jsonl')];
      await cli(kind, ctx, ['rotate', json, ...audit]);
      await cli(kind, ctx, ['rotate', `${json}#jwt`, '--if-older-than', '90d', ...audit]);
      await cli(kind, ctx, ['rotate', `${json}#jwt`, '--format', 'json', ...audit]);
      await cli(kind, ctx, ['rotate', `${json}#jwt`, '--revoke-previous', '--format', 'json', ...audit]);
      await cli(kind, ctx, ['rotate', `${json}#jwt`, '--revoke-previous', ...audit]);
      await cli(kind, ctx, ['rotate', `${json}_missing#jwt`, ...audit]);
      try {
        ctx.saw('rotate audit log', readFileSync(join(dir, 'audit.jsonl'), 'utf8'));
      } catch {
        // no line written
      }
      // The sentinel was in the secret each rotation read and rewrote (its other field).
      ctx.reached(ctx.sentinel);
    },
  },
  {
    // The tree and the sentinel are the same for every kind, and so is what each format prints of
    // them: every format and the baseline files are driven once, through the env kind.
    id: 'cli scan',
    applies: (kind) => kind.id === 'env',
    async run(kind, ctx) {
      const dir = plantedRepo(ctx.sentinel, 'formats');
      try {
        writeFileSync(join(dir, 'refs.env'), 'APP_SECRET=env:CANARY\n');
        for (const values of [[], ['--values', 'refs.env']]) {
          for (const format of ['text', 'json', 'sarif']) {
            const { out } = await scanIn(kind, ctx, dir, ['--format', format, ...values]);
            // The scanner judged the planted value where code holds it, and found it by value.
            if (format === 'json') {
              const found = (JSON.parse(out) as { findings: Array<{ name: string; kind: string }> }).findings;
              const judged = ['JWT_SECRET', 'SESSION_SECRET', 'api-token'].every((n) =>
                found.some((f) => f.name.includes(n)),
              );
              if (judged && (values.length === 0 || found.some((f) => f.kind === 'value')))
                ctx.reached(ctx.sentinel);
            }
          }
          await scanIn(kind, ctx, dir, ['--write-baseline', 'baseline.json', ...values]);
          ctx.saw('baseline file', readFileSync(join(dir, 'baseline.json'), 'utf8'));
          await scanIn(kind, ctx, dir, ['--baseline', 'baseline.json', '--format', 'sarif', ...values]);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    // Per kind, what differs: reading the real secrets through the kind's source, and its failures.
    id: 'cli scan --values',
    applies: hasCli,
    async run(kind, ctx) {
      const dir = plantedRepo(ctx.sentinel, kind.id);
      try {
        const refs = [...Object.values(kind.refs), ...(kind.failing ? [kind.failing] : [])];
        writeFileSync(join(dir, 'refs.env'), refs.map((r, i) => `APP_SECRET_${i}=${r}\n`).join(''));
        const extra = kind.cli?.args ?? [];
        const { out } = await scanIn(kind, ctx, dir, ['--format', 'json', '--values', 'refs.env', ...extra]);
        // Found by value in the tree or history: the resolved secret was in hand.
        if (/"kind": "value"/.test(out)) ctx.reached(ctx.sentinel);
        // A value passed where a ref belongs, with and without a source.
        for (const ref of [`${kind.source().id}:${ctx.sentinel}`, ctx.sentinel])
          await scanIn(kind, ctx, dir, ['--format', 'json', '--values', ref, ...extra]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    id: 'cli generate',
    applies: (kind) => kind.id === 'env',
    async run(kind, ctx) {
      await cli(kind, ctx, ['generate', '--bytes', ctx.sentinel]);
      await cli(kind, ctx, ['generate', '--encoding', ctx.sentinel]);
      await cli(kind, ctx, ['generate', ctx.sentinel]);
      ctx.reached(ctx.sentinel); // as an argument: generate reads no store
    },
  },
];

/** `inspect` with everything a debugger would show. */
export function shown(thing: unknown): string {
  if (typeof thing === 'string') return thing;
  const json = (() => {
    try {
      return JSON.stringify(thing) ?? '';
    } catch {
      return '';
    }
  })();
  return `${inspect(thing, { depth: 10, showHidden: true })}\n${json}`;
}
