/**
 * A throwaway app outside the repository with the packed tarball installed by npm, as a user gets
 * it: `npm pack`, then `npm install` of the tarball and the store SDKs (the optional peers) with
 * `--prefer-offline`, so a warm npm cache makes it quick.
 */
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { cleanEnv, packageJson, root } from './pack.js';

const run = promisify(execFile);

/** An installed consumer project. */
export interface Consumer {
  /** The project directory. */
  dir: string;
  /** The installed package's directory (`node_modules/secretsource`). */
  installed: string;
  /** Removes the project and the tarball. */
  remove(): void;
}

/** True when `dir` or a parent has a node_modules or package.json that Node could resolve through. */
function resolvesThroughParents(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules')) || existsSync(join(d, 'package.json'))) return true;
    if (dirname(d) === d) return false;
  }
}

/**
 * A fresh directory that is neither inside the repository nor below any node_modules or
 * package.json, so nothing but the project's own install can satisfy an import. The run's
 * TMPDIR comes first; CI points TMPDIR into the repository, so other temporary roots follow.
 */
export function scratchDir(prefix: string): string {
  for (const base of [tmpdir(), '/tmp', '/var/tmp', homedir()]) {
    if (!existsSync(base)) continue;
    const real = realpathSync(base);
    const inRepo = !relative(root, real).startsWith('..') || real === root;
    if (!inRepo && !resolvesThroughParents(real)) return mkdtempSync(join(real, prefix));
  }
  throw new Error(`no temporary directory outside ${root} and away from any node_modules`);
}

/** The version of a package installed in the repository (a cache hit for the consumer's install). */
export function repoVersion(name: string): string {
  return (
    JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
  ).version;
}

/**
 * Packs the built repository and installs the tarball into a new project beside `files`, with
 * `dependencies` (name → version) installed the same way. `links` are repository packages made
 * visible to the project by a symlink (test tools it runs, not what is under test).
 */
export async function installConsumer(options: {
  dependencies: Record<string, string>;
  files?: Record<string, string>;
  links?: readonly string[];
}): Promise<Consumer> {
  const dir = scratchDir('secretsource-consumer-');
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const packed = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
      cwd: root,
      env: cleanEnv(),
    });
    const tarball = join(dir, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!.filename);
    const app = join(dir, 'app');
    writeFileSync(join(dir, 'README'), 'a throwaway consumer of secretsource, made by test/package\n');
    const pkg = {
      name: 'secretsource-consumer',
      private: true,
      type: 'module',
      dependencies: { [packageJson().name]: `file:${tarball}`, ...options.dependencies },
    };
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    for (const [name, text] of Object.entries(options.files ?? {})) {
      const path = join(app, ...name.split('/'));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
    await run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'],
      { cwd: app, env: cleanEnv(), maxBuffer: 16 * 1024 * 1024 },
    );
    for (const name of options.links ?? []) {
      symlinkSync(join(root, 'node_modules', name), join(app, 'node_modules', ...name.split('/')), 'dir');
    }
    return { dir: app, installed: join(app, 'node_modules', packageJson().name), remove };
  } catch (err) {
    remove();
    throw err;
  }
}
