/**
 * Maintainer tool: how much of the held-out batch (published defaults from projects that never fed
 * the lookup) the checker rejects in production, with the profile each value's key implies.
 * Usage: tsx scripts/known-defaults/measure.ts [held-out.jsonl]
 */
import { join } from 'node:path';
import { checkStrength } from '../../src/strength/index.js';
import type { StrengthProfile } from '../../src/strength/types.js';
import { readProvenance } from './provenance.js';

const path =
  process.argv.slice(2).find((a) => !a.startsWith('--')) ??
  join(import.meta.dirname, '..', '..', 'data', 'known-defaults', 'held-out.jsonl');
const rows = readProvenance(path);
const profileFor = (key: string): StrengthProfile =>
  /jwt/i.test(key) ? 'jwt-hs256' : /pass|pwd/i.test(key) ? 'password' : 'generic';
const seen = new Set<string>();
let total = 0;
let rejected = 0;
let known = 0;
const missed: string[] = [];
for (const r of rows) {
  const id = `${r.value}\u0000${profileFor(r.key)}`;
  if (seen.has(id)) continue;
  seen.add(id);
  total++;
  const res = checkStrength(r.value, { environment: 'production', profile: profileFor(r.key), name: r.key });
  if (!res.ok) rejected++;
  else missed.push(`${r.repo} ${r.key} ${JSON.stringify(r.value)}`);
  if (res.issues.some((i) => i.code === 'WEAK_KNOWN_DEFAULT' || i.code === 'WEAK_KNOWN_LEAKED')) known++;
}
const pct = (n: number) => `${((100 * n) / total).toFixed(1)}%`;
process.stdout.write(
  `${total} distinct held-out (value, profile) pairs from ${new Set(rows.map((r) => r.repo)).size} projects: ` +
    `rejected ${rejected} (${pct(rejected)}), as known ${known} (${pct(known)})\n`,
);
if (process.argv.includes('--missed')) process.stdout.write(`${missed.join('\n')}\n`);
