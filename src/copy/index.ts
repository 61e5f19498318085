/** `copySecrets()`: plan, then (with `apply`) write, verify and report. */
import { formatRef } from '../core/ref.js';
import type { SecretSource } from '../core/source.js';
import { applyPlan } from './apply.js';
import { planCopy } from './plan.js';
import type { CopyAction, CopyCounts, CopyOptions, CopyReport } from './types.js';

export { type Location, parseLocation } from './location.js';
export type {
  ConflictPolicy,
  CopyAction,
  CopyCounts,
  CopyItem,
  CopyOptions,
  CopyReport,
  CopyStatus,
  ReferencePolicy,
  RetryOptions,
} from './types.js';

const ACTIONS: readonly CopyAction[] = [
  'create',
  'update',
  'unchanged',
  'skip',
  'conflict',
  'refused',
  'reference',
];

/**
 * Copies secrets from one source to another. Without `apply` it only plans: reads both sides and
 * returns the masked plan (names, actions, fingerprints), writing nothing. With `apply` it writes
 * the creates and updates with bounded concurrency and backoff, reads each one back, and reports.
 * Unchanged values are never written, so a re-run after an interruption finishes the rest.
 * @example
 * const report = await copySecrets({
 *   from: dotenvSource({ path: '.env' }),
 *   to: awsSsm(),
 *   toPrefix: '/myapp/prod/',
 *   apply: true,
 * });
 * report.ok; // false when anything was refused, in conflict or failed (each item says why)
 */
export async function copySecrets(options: CopyOptions): Promise<CopyReport> {
  const plan = await planCopy(options);
  if (options.apply) await applyPlan(plan, options);
  const counts = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as CopyCounts;
  for (const item of plan.items) counts[item.action]++;
  const failed = plan.items.filter((i) => i.status === 'failed').length;
  return {
    mode: options.apply ? 'apply' : 'plan',
    from: where(options.from, options.fromPrefix),
    to: where(options.to, options.toPrefix),
    items: plan.items,
    counts,
    failed,
    writes: plan.items.reduce((n, i) => n + (i.writes ?? 0), 0),
    ok: failed === 0 && counts.refused === 0 && counts.conflict === 0 && counts.reference === 0,
  };
}

function where(source: SecretSource, prefix: string | undefined): string {
  return prefix ? formatRef({ source: source.id, name: prefix }) : `${source.id}:`;
}
