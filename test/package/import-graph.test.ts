/**
 * Importing the core or a local provider must load no cloud SDK. A child process registers a
 * module hook that records every resolved specifier and refuses the SDK packages; the import
 * then has to succeed and the record must hold no SDK. A control import proves the hook bites.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const SDK = /^(@aws-sdk\/|@smithy\/|@azure\/|node-vault|@kubernetes\/|@google-cloud\/|google-gax)/;

const hooks = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  appendFileSync(process.env.IMPORT_LOG, specifier + '\\n');
  if (${SDK}.test(specifier)) throw new Error('blocked SDK import: ' + specifier);
  return next(specifier, context);
}`;

async function importInChild(specifier: string): Promise<{ ok: boolean; loaded: string[]; stderr: string }> {
  const log = join(mkdtempSync(join(tmpdir(), 'ss-graph-')), 'imports.log');
  const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
  try {
    const { stderr } = await run(
      process.execPath,
      [
        '--import',
        `data:text/javascript,${encodeURIComponent(register)}`,
        '--input-type=module',
        '-e',
        `await import(${JSON.stringify(specifier)});`,
      ],
      { cwd: root, env: { ...process.env, IMPORT_LOG: log } },
    );
    return { ok: true, loaded: readLog(log), stderr };
  } catch (err) {
    return { ok: false, loaded: readLog(log), stderr: String((err as { stderr?: string }).stderr) };
  }
}

function readLog(path: string): string[] {
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : [];
}

describe('import graph', () => {
  it('the package is built (npm test builds it first)', () => {
    expect(existsSync(join(root, 'dist/src/index.js')), 'run `npm run build` first').toBe(true);
  });

  it.each([
    'secretsource',
    'secretsource/providers/env',
    'secretsource/providers/dotenv',
    'secretsource/providers/memory',
    'secretsource/providers/file',
    'secretsource/testing',
    'secretsource/scan',
    // Cloud providers load their SDK on the first call, not at import.
    'secretsource/providers/aws-sm',
    'secretsource/providers/aws-ssm',
    'secretsource/providers/azure-kv',
    'secretsource/providers/vault',
    'secretsource/providers/k8s',
    'secretsource/providers/gcp-sm',
  ])('%s loads no cloud SDK', async (specifier) => {
    const r = await importInChild(specifier);
    expect(r.stderr).toBe('');
    expect(r.ok).toBe(true);
    expect(r.loaded.length).toBeGreaterThan(1);
    expect(r.loaded.filter((s) => SDK.test(s))).toEqual([]);
  });

  it.each(['@aws-sdk/client-ssm', '@kubernetes/client-node', '@google-cloud/secret-manager'])(
    'control: the hook does refuse an SDK import (%s)',
    async (sdk) => {
      const r = await importInChild(sdk);
      expect(r.ok).toBe(false);
      expect(r.stderr).toContain(`blocked SDK import: ${sdk}`);
    },
  );

  it('the testing entry loads neither selfsigned (an optional peer, loaded when an emulator starts) nor a test runner', async () => {
    const r = await importInChild('secretsource/testing');
    expect(r.ok).toBe(true);
    expect(r.loaded.filter((s) => /^(selfsigned|vitest|jest|mocha)(\/|$)/.test(s))).toEqual([]);
  });

  it('the core entry does not import zod at load time', async () => {
    const r = await importInChild('secretsource');
    expect(r.loaded.filter((s) => s === 'zod' || s.startsWith('zod/'))).toEqual([]);
  });

  // The import budget (25 ms, `npm run bench`) rests on these, and a timing is not a test: what
  // loads is. See src/core/builtins.ts and scripts/bundle.ts for why each one matters.
  it('the core entry loads node:crypto, fs streams and source maps on first use only, from two files', async () => {
    const probe = (specifier: string, after = '') =>
      run(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const before = new Set(process.moduleLoadList);
           const m = await import(${JSON.stringify(specifier)});
           const atImport = process.moduleLoadList.filter((x) => !before.has(x));
           ${after}
           const afterUse = process.moduleLoadList.filter((x) => !before.has(x));
           console.log(JSON.stringify({ atImport, afterUse }));`,
        ],
        { cwd: root },
      ).then((r) => JSON.parse(r.stdout) as { atImport: string[]; afterUse: string[] });
    const heavy = (list: string[]) =>
      list.filter((x) =>
        /^NativeModule (crypto|internal\/fs\/streams|internal\/source_map\/source_map)$/.test(x),
      );

    const core = await probe(
      'secretsource',
      `if (m.generateKey().length < 80) throw new Error('short key');`,
    );
    expect(heavy(core.atImport)).toEqual([]);
    // control: the probe does see crypto once a key is made
    expect(heavy(core.afterUse)).toContain('NativeModule crypto');
    const direct = await probe('node:crypto');
    expect(heavy(direct.atImport)).toContain('NativeModule crypto');

    const r = await importInChild('secretsource');
    const ours = r.loaded.filter((s) => s.startsWith('.') || s === 'secretsource');
    expect(ours).toEqual(['secretsource', expect.stringMatching(/^\.\.\/chunks\/core-[\w-]+\.js$/)]);
  });

  it.each(['secretsource', 'secretsource/providers/dotenv'])(
    '%s loads neither dotenv-expand nor jsonc-parser at load time (first use only)',
    async (specifier) => {
      const r = await importInChild(specifier);
      expect(r.loaded.filter((s) => /^(dotenv-expand|jsonc-parser|dotenv)(\/|$)/.test(s))).toEqual([]);
    },
  );
});
