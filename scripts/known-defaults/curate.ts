/**
 * Maintainer tool (not shipped): turns the miner's candidate lines into provenance rows.
 * Usage: tsx scripts/known-defaults/curate.ts <out.jsonl> <candidates.jsonl>... (drops: reviewed-drops.txt beside this file)
 *
 * Keeps one row per (repository, value, key), maps the repository's ecosystem label to the
 * provenance vocabulary, drops the values a reviewer listed in reviewed-drops.txt (one
 * `owner/name<TAB>value` or `*<TAB>value` a line: values read at their source and found not to
 * be a default, e.g. a version string assigned to a key that merely contains TOKEN), and sorts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isNoise } from './extract.js';
import { type ProvenanceRow, rowProblems } from './provenance.js';

const [output, ...inputs] = process.argv.slice(2);
if (!output || inputs.length === 0) {
  process.stderr.write('usage: curate.ts <out.jsonl> <candidates.jsonl>...\n');
  process.exit(2);
}
const dropsPath = join(dirname(fileURLToPath(import.meta.url)), 'reviewed-drops.txt');
const ECO: Record<string, ProvenanceRow['ecosystem']> = { helm: 'infra', k8s: 'infra', terraform: 'infra' };
const drops = new Set<string>();
if (existsSync(dropsPath)) {
  for (const line of readFileSync(dropsPath, 'utf8').split('\n')) {
    if (line.trim() && !line.startsWith('#')) drops.add(line);
  }
}
const seen = new Set<string>();
const rows: ProvenanceRow[] = [];
const lines = inputs.flatMap((f) => readFileSync(f, 'utf8').split('\n'));
for (const line of lines) {
  if (!line.trim()) continue;
  const c = JSON.parse(line) as ProvenanceRow;
  c.ecosystem = ECO[c.ecosystem] ?? c.ecosystem;
  if (drops.has(`${c.repo}\t${c.value}`) || drops.has(`*\t${c.value}`)) continue;
  if (c.repo !== undefined && isNoise(c.value, c.key, c.form)) continue;
  const id = `${c.repo ?? c.url ?? c.cite}\u0000${c.value}\u0000${c.key}`;
  if (seen.has(id)) continue;
  seen.add(id);
  const problems = rowProblems(c);
  if (problems.length) {
    process.stderr.write(`dropped (${problems.join('; ')}): ${c.repo} ${c.path}:${c.line}\n`);
    continue;
  }
  rows.push(c);
}
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
rows.sort(
  (a, b) =>
    cmp(a.repo ?? '', b.repo ?? '') || cmp(a.path ?? '', b.path ?? '') || (a.line ?? 0) - (b.line ?? 0),
);
writeFileSync(output, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
process.stderr.write(
  `${rows.length} rows from ${new Set(rows.map((r) => r.repo ?? r.product)).size} projects -> ${output}\n`,
);
