/**
 * Lists the names each public subpath exports, read from the built declaration files with the
 * TypeScript checker, so a refactor can prove the public surface did not change.
 * `tsx scripts/public-api.ts` prints the JSON; `test/package/public-api.test.ts` compares it with
 * `test/package/public-api.json`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = join(import.meta.dirname, '..');

/** `{ subpath: ['name (kind)', …] }` for every `exports` entry with types, sorted. */
export function publicApi(): Record<string, string[]> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { types: string }>;
  };
  const entries = Object.entries(pkg.exports).flatMap(([k, t]) =>
    typeof t === 'string' ? [] : [[k, join(root, t.types)] as const],
  );
  const program = ts.createProgram(
    entries.map(([, f]) => f),
    {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      noEmit: true,
      skipLibCheck: true,
    },
  );
  const checker = program.getTypeChecker();
  const out: Record<string, string[]> = {};
  for (const [subpath, file] of entries) {
    const sf = program.getSourceFile(file);
    if (!sf) throw new Error(`no declaration file for ${subpath}: ${file}`);
    const mod = checker.getSymbolAtLocation(sf);
    if (!mod) throw new Error(`${file} is not a module`);
    out[subpath] = checker
      .getExportsOfModule(mod)
      .map((s) => {
        const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
        const kinds = [
          target.flags & ts.SymbolFlags.Value ? 'value' : '',
          target.flags & ts.SymbolFlags.Type ? 'type' : '',
        ].filter(Boolean);
        return `${s.name} (${kinds.join('+')})`;
      })
      .sort();
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(publicApi(), null, 2)}\n`);
}
