/**
 * The shape of data/known-defaults/provenance.jsonl and held-out.jsonl, shared by the maintainer
 * script (scripts/known-defaults.ts) and its test. One JSON object a line: the value, the key it
 * was assigned to, who publishes it, and where and when it was read.
 */
import { readFileSync } from 'node:fs';

/** Ecosystems of the projects the corpus was read from. */
export const ECOSYSTEMS = [
  'node',
  'python',
  'go',
  'java',
  'dotnet',
  'php',
  'ruby',
  'elixir',
  'rust',
  'infra',
  'multi',
  'other',
  'vendor',
] as const;
/** Deployment forms the values were published in. */
export const FORMS = [
  'env-example',
  'compose',
  'helm',
  'kubernetes',
  'terraform',
  'dockerfile',
  'config',
  'code',
  'docs',
] as const;

/** One provenance row. Exactly one of `repo`+`path`+`commit`, `url` or `cite` says where it was read. */
export interface ProvenanceRow {
  value: string;
  key: string;
  product: string;
  ecosystem: (typeof ECOSYSTEMS)[number];
  form: (typeof FORMS)[number];
  repo?: string;
  path?: string;
  commit?: string;
  line?: number;
  url?: string;
  cite?: string;
  read: string;
}

const FIELDS = new Set([
  'value',
  'key',
  'product',
  'ecosystem',
  'form',
  'repo',
  'path',
  'commit',
  'line',
  'url',
  'cite',
  'read',
]);

/** The problems of one parsed row (empty when its shape is right). */
export function rowProblems(row: unknown): string[] {
  const p: string[] = [];
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return ['not an object'];
  const r = row as Record<string, unknown>;
  for (const k of Object.keys(r)) if (!FIELDS.has(k)) p.push(`unknown field ${k}`);
  const str = (k: string, max: number) => {
    const v = r[k];
    if (typeof v !== 'string' || v.length === 0 || v.length > max)
      p.push(`${k} must be a string of 1..${max}`);
  };
  str('value', 512);
  str('key', 128);
  str('product', 120);
  if (typeof r.value === 'string' && r.value !== r.value.trim()) p.push('value has surrounding spaces');
  if (!ECOSYSTEMS.includes(r.ecosystem as never)) p.push(`ecosystem must be one of ${ECOSYSTEMS.join(', ')}`);
  if (!FORMS.includes(r.form as never)) p.push(`form must be one of ${FORMS.join(', ')}`);
  if (typeof r.read !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(r.read)) p.push('read must be YYYY-MM-DD');
  const kinds = [r.repo !== undefined, r.url !== undefined, r.cite !== undefined].filter(Boolean).length;
  if (kinds !== 1) p.push('exactly one of repo, url or cite');
  if (r.repo !== undefined) {
    if (typeof r.repo !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(r.repo)) p.push('repo must be owner/name');
    if (typeof r.path !== 'string' || r.path.length === 0) p.push('path is required with repo');
    if (typeof r.commit !== 'string' || !/^[0-9a-f]{40}$/.test(r.commit))
      p.push('commit must be 40 hex digits');
    if (r.line !== undefined && !(Number.isInteger(r.line) && (r.line as number) > 0))
      p.push('line must be a positive integer');
  } else if (r.path !== undefined || r.commit !== undefined || r.line !== undefined) {
    p.push('path, commit and line go with repo');
  }
  if (r.url !== undefined && (typeof r.url !== 'string' || !/^https:\/\/\S+$/.test(r.url)))
    p.push('url must be https');
  if (r.cite !== undefined) str('cite', 300);
  return p;
}

/** Reads and checks a provenance file; throws listing the first problems with their line numbers. */
export function readProvenance(path: string): ProvenanceRow[] {
  const rows: ProvenanceRow[] = [];
  const problems: string[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim().length === 0) return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      problems.push(`${path}:${i + 1}: not JSON`);
      return;
    }
    const p = rowProblems(row);
    if (p.length) problems.push(`${path}:${i + 1}: ${p.join('; ')}`);
    else rows.push(row as ProvenanceRow);
  });
  if (problems.length) throw new Error(`${problems.length} bad rows\n${problems.slice(0, 20).join('\n')}`);
  return rows;
}
