/**
 * Code samples in README.md and docs/ come from files that run as tests. A fenced block preceded by
 *
 *   <!-- sample: examples/testing-locally/emulators.test.ts -->            (the whole file)
 *   <!-- sample: examples/writing-a-source/record-source.ts#get -->        (one region of it)
 *
 * must equal that file, or the lines between `// #region get` and `// #endregion get` in it. A file
 * may hold several regions of one name (imports at the top, code inside a test): the sample is
 * all of them in order, each dedented; region marker lines are never part of a sample. `test/docs/samples.test.ts` checks
 * every page; `npm run docs:samples` rewrites the blocks from their files.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository root. */
export const root = join(import.meta.dirname, '..');

/** One fenced code block of a page. */
export interface FencedBlock {
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  body: string;
  /** The `<!-- sample: … -->` on the line before the fence, if any. */
  sample?: { file: string; region?: string | undefined };
}

const MARKER = /^<!--\s*sample:\s*([^#\s]+)(?:#([\w-]+))?\s*-->\s*$/;
const REGION_LINE = /^\s*\/\/\s*#(?:end)?region\b/;

/** README.md, CONTRIBUTING.md and every page under docs/. */
export function docPages(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : name.endsWith('.md') ? [path] : [];
    });
  return [join(root, 'README.md'), join(root, 'CONTRIBUTING.md'), ...walk(join(root, 'docs'))];
}

/** The fenced blocks of a markdown text, with their sample markers. */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split('\n');
  const out: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})([^`\s]*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    // A fence closes on a line of at least as many backticks, so a longer fence can show a shorter one.
    const fence = open[1]!;
    const end = lines.findIndex((l, j) => j > i && l.startsWith(fence) && /^`+\s*$/.test(l));
    if (end === -1) throw new Error(`unclosed code fence at line ${i + 1}`);
    const marker = MARKER.exec(lines[i - 1] ?? '');
    out.push({
      line: i + 1,
      lang: open[2]!,
      body: lines.slice(i + 1, end).join('\n'),
      ...(marker ? { sample: { file: marker[1]!, region: marker[2] } } : {}),
    });
    i = end;
  }
  return out;
}

/**
 * The text a sample marker names: the whole file, or every region of that name in file order
 * (so a sample can skip test-only lines), without region marker lines, dedented.
 */
export function sampleText(file: string, region?: string): string {
  const lines = readFileSync(join(root, file), 'utf8').replace(/\n$/, '').split('\n');
  if (region === undefined) return dedent(lines);
  const open = new RegExp(`^\\s*//\\s*#region ${region}\\s*$`);
  const close = new RegExp(`^\\s*//\\s*#endregion( ${region})?\\s*$`);
  const pieces: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!open.test(lines[i]!)) continue;
    const end = lines.findIndex((l, j) => j > i && close.test(l));
    if (end === -1) throw new Error(`${file}: region "${region}" is not closed`);
    pieces.push(dedent(lines.slice(i + 1, end)));
    i = end;
  }
  if (pieces.length === 0) throw new Error(`${file} has no region "${region}"`);
  return pieces.join('\n');
}

/** The lines without region markers, less their common indentation. */
function dedent(lines: string[]): string {
  const kept = lines.filter((l) => !REGION_LINE.test(l));
  const indent = Math.min(...kept.filter((l) => l.trim()).map((l) => /^\s*/.exec(l)![0].length));
  return kept.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
}

/** The page with every sample block replaced by its file's current text. */
export function syncedPage(markdown: string): string {
  const lines = markdown.split('\n');
  for (const block of fencedBlocks(markdown).reverse()) {
    if (!block.sample) continue;
    const bodyLines = block.body === '' ? 0 : block.body.split('\n').length;
    lines.splice(block.line, bodyLines, ...sampleText(block.sample.file, block.sample.region).split('\n'));
  }
  return lines.join('\n');
}

if (import.meta.filename === process.argv[1]) {
  for (const page of docPages()) {
    const text = readFileSync(page, 'utf8');
    const synced = syncedPage(text);
    if (synced !== text) {
      writeFileSync(page, synced);
      process.stdout.write(`updated ${relative(root, page)}\n`);
    }
  }
}
