/** Types of `copySecrets()`: options, the masked plan and the report. Never a value. */
import type { SecretEvent } from '../core/events.js';
import type { StrengthIssue } from '../core/issues.js';
import type { SecretSource } from '../core/source.js';
import type { PolicyOptions } from '../resolver/policy.js';

/** What to do when the target already holds a different value. */
export type ConflictPolicy = 'skip' | 'overwrite' | 'fail';

/** What the plan will do with one secret. */
export type CopyAction = 'create' | 'update' | 'unchanged' | 'skip' | 'conflict' | 'refused' | 'reference';

/**
 * Values that dotenv-expand would change (a `${VAR}`/`$VAR` reference or a `\$` escape, from a
 * source with `capabilities.references`): `hold` plans them as `reference` (when no other check refuses the value as read) and writes none,
 * `expand` writes the expanded value (refused when it uses a variable the source does not define),
 * `literal` writes the text as dotenv reads it.
 */
export type ReferencePolicy = 'hold' | 'expand' | 'literal';

/** Where one item stands: planned (dry run), done, failed, or not attempted. */
export type CopyStatus = 'planned' | 'done' | 'failed' | 'not-run';

/** Backoff for retryable failures (throttling, 5xx, timeouts). */
export interface RetryOptions {
  /** Attempts after the first. @default 6 */
  retries?: number | undefined;
  /** First delay; doubles each attempt, with full jitter. @default 100 */
  baseMs?: number | undefined;
  /** Longest single delay. @default 5000 */
  maxMs?: number | undefined;
}

/** Options for {@link copySecrets}. */
export interface CopyOptions {
  /** Where secrets come from. */
  from: SecretSource;
  /** Only names starting with this; it is stripped before `toPrefix` is added. @default '' */
  fromPrefix?: string | undefined;
  /** Where secrets go. Needs `capabilities.write`. */
  to: SecretSource;
  /** Prepended to every name in the target (`/myapp/prod/`). @default '' */
  toPrefix?: string | undefined;
  /** Copy only these names (relative to `fromPrefix`); otherwise everything `from.list()` yields. */
  names?: readonly string[] | undefined;
  /** Execute the plan. @default false (plan only: nothing is written) */
  apply?: boolean | undefined;
  /** An existing, different value in the target. @default 'fail' */
  onConflict?: ConflictPolicy | undefined;
  /** Values holding variable references. @default 'hold' (planned as `reference`, not written) */
  references?: ReferencePolicy | undefined;
  /** Copy values the strength policy refuses (they are still listed). @default false */
  allowWeak?: boolean | undefined;
  /** The strength policy (profiles by name). @default environment 'production' */
  policy?: PolicyOptions | undefined;
  /** Most store calls in flight at once. @default 8 */
  concurrency?: number | undefined;
  /** Backoff on retryable failures. */
  retry?: RetryOptions | undefined;
  /** Called after each item is settled while applying. */
  onProgress?: ((progress: { done: number; total: number; item: CopyItem }) => void) | undefined;
  /** Receives a `write` event per write (never a value). */
  onEvent?: ((event: SecretEvent) => void) | undefined;
  /** Copied into every event. */
  context?: Readonly<Record<string, unknown>> | undefined;
  signal?: AbortSignal | undefined;
}

/** One secret in a plan or report: names, action and fingerprints, never a value. */
export interface CopyItem {
  /** Name in the source (relative to `fromPrefix`). */
  name: string;
  /** Caller-side name in the target (with `toPrefix`, after mapping to the target's rule). */
  target: string;
  action: CopyAction;
  status: CopyStatus;
  /** Fingerprint of the source value. */
  fingerprint?: string | undefined;
  /** Fingerprint of the value the target held before, when different. */
  targetFingerprint?: string | undefined;
  /** Why the item was refused, skipped or failed. */
  code?: string | undefined;
  reason?: string | undefined;
  /** Strength findings (refused, or copied anyway with `allowWeak`). */
  issues?: readonly StrengthIssue[] | undefined;
  /** The strength profile the value was judged with (`none`: not a secret name, not judged). */
  profile?: string | undefined;
  /** True when the value written is the expanded one (`references: 'expand'`). */
  expanded?: boolean | undefined;
  /** True when the name had to be changed to fit the target's rule. */
  renamed?: boolean | undefined;
  /** Version the write created. */
  version?: string | undefined;
  /** Store writes this item took (0 when nothing was written; a retry after a lost answer counts none twice). */
  writes?: number | undefined;
}

/** Counts per action. */
export type CopyCounts = Record<CopyAction, number>;

/** What {@link copySecrets} returns; safe to print or serialise as JSON. */
export interface CopyReport {
  /** `plan` when nothing was written, `apply` otherwise. */
  mode: 'plan' | 'apply';
  from: string;
  to: string;
  items: CopyItem[];
  counts: CopyCounts;
  /** Items that failed while applying. */
  failed: number;
  /** Store writes made. */
  writes: number;
  /** True when nothing was refused, held as a reference, in conflict or failed. */
  ok: boolean;
}
