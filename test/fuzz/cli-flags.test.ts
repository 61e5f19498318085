/**
 * Fuzzing every CLI command's flag parsing (the list is read from the program itself, so a new
 * command is covered the day it is registered): unknown flags, values outside a flag's choices,
 * missing values and missing arguments exit 2 before anything runs; random argv never throws,
 * never rejects unhandled, and never exits 0 when it holds a garbage flag.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { buildProgram, runCli } from '../../src/cli/program.js';

interface CommandShape {
  name: string;
  required: number;
  options: Array<{ long: string; takesValue: boolean; choices: readonly string[] | undefined }>;
}

function commandShapes(): CommandShape[] {
  const program = buildProgram({ io: memoryIo(), exitCode: 0 });
  return program.commands.map((c) => ({
    name: c.name(),
    required: c.registeredArguments.filter((a) => a.required).length,
    options: c.options
      .filter((o) => o.long !== undefined && o.long !== '--help')
      .map((o) => ({ long: o.long!, takesValue: o.required || o.optional, choices: o.argChoices })),
  }));
}

const COMMANDS = commandShapes();
/** Commands that write or spawn when their flags parse: fuzzed only with argv that must fail parsing. */
const SIDE_EFFECTS = new Set(['copy', 'run', 'rotate']);

let cwd: string;
const unhandled: unknown[] = [];
const onUnhandled = (r: unknown) => unhandled.push(r);
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'secretsource-cli-fuzz-'));
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  await new Promise((r) => setTimeout(r, 50));
  process.off('unhandledRejection', onUnhandled);
  rmSync(cwd, { recursive: true, force: true });
  expect(unhandled.map((u) => inspect(u))).toEqual([]);
});

/** Runs the CLI; a throw out of runCli is a failure of the property. */
async function exitOf(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ env: {}, cwd });
  const code = await runCli(argv, io);
  return { code, out: io.stdoutText, err: io.stderrText };
}

const garbageFlag = fc.oneof(
  fc.stringMatching(/^[a-z][a-z-]{1,12}$/).map((s) => `--zz-${s}`),
  fc.constantFrom('-Q', '-Z', '---', '--=x', '--Format', '--REVEAL'),
);
const word = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_:/#?.=-]{1,12}$/),
  fc.constantFrom('', ' ', '0', '-1', '1e309', 'NaN', '999999999999', '\u0000', 'é', '😀'),
);

describe.each(COMMANDS.map((c) => [c.name, c] as const))('secretsource %s', (_name, cmd) => {
  it('an unknown flag right after the command exits 2 and runs nothing (property)', async () => {
    await fc.assert(
      fc.asyncProperty(garbageFlag, fc.array(word, { maxLength: 4 }), async (flag, rest) => {
        const r = await exitOf([cmd.name, flag, ...rest]);
        expect(r.code, r.err).toBe(2);
        expect(r.out).toBe('');
      }),
      { numRuns: 60, seed: 71 },
    );
  });

  const withChoices = cmd.options.filter((o) => o.choices);
  if (withChoices.length > 0) {
    it('a value outside a flag’s choices exits 2 (property)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...withChoices), word, async (opt, v) => {
          fc.pre(!opt.choices!.includes(v));
          const r = await exitOf([cmd.name, `${opt.long}=${v}`]);
          expect(r.code, r.err).toBe(2);
          expect(r.out).toBe('');
        }),
        { numRuns: 60, seed: 72 },
      );
    });
  }

  const valued = cmd.options.filter((o) => o.takesValue);
  if (valued.length > 0) {
    it('a flag missing its value at the end exits 2', async () => {
      for (const opt of valued) {
        const r = await exitOf([cmd.name, opt.long]);
        expect(r.code, `${opt.long}: ${r.err}`).toBe(2);
      }
    });
  }

  if (cmd.required > 0) {
    it('missing required arguments exit 2', async () => {
      for (let n = 0; n < cmd.required; n++) {
        const r = await exitOf([cmd.name, ...Array.from({ length: n }, (_, i) => `arg${i}`)]);
        expect(r.code, r.err).toBe(2);
        expect(r.out).toBe('');
      }
    });
  }

  if (!SIDE_EFFECTS.has(cmd.name)) {
    it('random argv from its own flags and garbage: a known exit code, never 0 with a garbage flag (property)', async () => {
      const token = fc.oneof(
        fc.constantFrom(...cmd.options.map((o) => o.long)),
        ...cmd.options.filter((o) => o.choices).map((o) => fc.constantFrom(...o.choices!)),
        word,
        garbageFlag,
      );
      await fc.assert(
        fc.asyncProperty(fc.array(token, { maxLength: 7 }), async (argv) => {
          const r = await exitOf([cmd.name, ...argv]);
          expect([0, 1, 2, 3]).toContain(r.code);
          const hasGarbage = argv.some((a) => /^--zz-|^-[QZ]$|^--Format$|^--REVEAL$|^---|^--=/.test(a));
          if (hasGarbage) expect(r.code, `${JSON.stringify(argv)}: ${r.err}`).not.toBe(0);
        }),
        { numRuns: 150, seed: 73 },
      );
      // Whatever ran, nothing was written outside the run's own temporary directory.
      expect(readdirSync(cwd).every((f) => !f.startsWith('..'))).toBe(true);
    });
  }
});

describe('top level', () => {
  it('an unknown command or a garbage top-level flag exits 2', async () => {
    for (const argv of [['nope'], ['--zz-x'], ['-Q', 'get', 'x'], ['GET', 'x']]) {
      const r = await exitOf(argv);
      expect(r.code, `${argv.join(' ')}: ${r.err}`).toBe(2);
    }
  });

  it('covers every registered command', () => {
    expect(COMMANDS.map((c) => c.name)).toEqual(expect.arrayContaining(['get', 'generate', 'check']));
  });
});
