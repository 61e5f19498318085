/** Types of `scanTree` and `secretsource scan`: findings are data and never hold a value. */
import type { Secret } from '../core/secret.js';
import type { Environment, StrengthProfile } from '../strength/types.js';

/**
 * What a finding is:
 * - `fallback`: a secret-named setting read with a literal default that applies when it is unset;
 * - `hardcoded`: a literal assigned to a secret-named setting, or passed straight to a signing call;
 * - `committed-env`: a secret-named key with a value in a `.env` file tracked by git;
 * - `unrendered`: a pipeline or template token used as the value in a file deployed as is;
 * - `value`: one of the app's real secrets (`values` option) found in the tree or in git history.
 */
export type FindingKind = 'fallback' | 'hardcoded' | 'committed-env' | 'unrendered' | 'value';

/** The kinds the recognisers report (all but `value`). */
export const STATIC_KINDS = ['fallback', 'hardcoded', 'committed-env', 'unrendered'] as const;

/**
 * The strength engine's word on the value: `weak` when it has any issue for the environment,
 * `strong` when it has none (still a finding: the value is in the repository).
 */
export type ScanVerdict = 'weak' | 'strong';

/** One finding. Data only: it never holds the value, a slice of it or an unkeyed hash of it. */
export interface ScanFinding {
  kind: FindingKind;
  /** Recogniser rule that fired, e.g. `python/getenv-default`. */
  rule: string;
  /** Path relative to the scan root, with `/` separators. */
  file: string;
  /** 1-based line of the value (of the setting for multi-line shapes). */
  line: number;
  /** 1-based column where the match starts. */
  column: number;
  /** The setting: env var, config key or variable name; for signing calls the callee. */
  name: string;
  verdict: ScanVerdict;
  /**
   * The strength engine's verdict for the scan's environment (`evaluate(value, …).ok`, the same as
   * every other door): false when any issue is an error there.
   */
  ok: boolean;
  /** Strength issue codes (e.g. `WEAK_KNOWN_DEFAULT`), empty when the verdict is `strong`. */
  codes: string[];
  /** Profile the value was judged with. */
  profile: StrengthProfile;
  /** One sentence for people; never the value. */
  message: string;
  /** Keyed fingerprint of (kind, name, value): stable across runs and code moves, used by baselines and SARIF. */
  fingerprint: string;
  /** `value` findings: which encoding of the secret was found. */
  form?: string;
  /** `value` findings from history: the commit that added it. */
  commit?: string;
}

/** A real secret to look for (`values` option): its name for reports and the value, kept in a Secret. */
export interface ScanValue {
  name: string;
  secret: Secret;
}

/** Something the scan wants the user to know that is not a finding (a refused ignore comment, an unreadable file). */
export interface ScanNote {
  file: string;
  line?: number;
  message: string;
}

/** What `scanTree` returns. */
export interface ScanReport {
  /** Findings not suppressed by a baseline or a reasoned ignore comment, sorted by file and line. */
  findings: ScanFinding[];
  /** How many findings were suppressed, and by what. */
  suppressed: { baseline: number; inline: number };
  /** Every finding before suppression (for writing a baseline). */
  all: ScanFinding[];
  notes: ScanNote[];
  stats: ScanStats;
}

/** Counters of one scan. */
export interface ScanStats {
  /** Files read and run through the recognisers (or searched for values). */
  files: number;
  bytes: number;
  skipped: {
    /** Over `maxFileBytes`. */
    huge: number;
    binary: number;
    /** Test fixtures and example files (not scanned for the four static kinds). */
    fixtures: number;
  };
  /** Worker threads used (0: the main thread only). */
  workers: number;
  /** Commits searched for values. */
  commits: number;
}

/** Options of `scanTree`. */
export interface ScanOptions {
  /** Directory that paths in findings are relative to. @default process.cwd() */
  root?: string | undefined;
  /** Files or directories to scan, relative to `root`. @default ['.'] */
  paths?: readonly string[] | undefined;
  /** Honour .gitignore (through git inside a repository, else the `ignore` package). @default true */
  gitignore?: boolean | undefined;
  /** Files larger than this are skipped. @default 1048576 (1 MiB) */
  maxFileBytes?: number | undefined;
  /** Environment the values are judged for. @default 'production' */
  environment?: Environment | undefined;
  /**
   * Key for the findings' fingerprints. `null`: no key (fingerprints then hold no value, only kind,
   * name and file). @default the baseline's key, else `SECRETSOURCE_FINGERPRINT_KEY`, else none
   */
  fingerprintKey?: string | Uint8Array | null | undefined;
  /** A baseline (from `createBaseline`) whose findings are not reported again. */
  baseline?: Baseline | undefined;
  /** Key for the fingerprints of `value` findings: they equal `secret.fingerprint(key)`, as `secretsource get` prints. @default Secret.fingerprint's default */
  valueFingerprintKey?: string | Uint8Array | undefined;
  /** Real secrets to look for in the tree (and in git history, see `history`). */
  values?: readonly ScanValue[] | undefined;
  /** Search git history for `values`. @default true when `values` are given and root is in a git repository */
  history?: boolean | undefined;
  /** Worker threads: a number, or 'auto' (both cores when the tree is large). @default 'auto' */
  workers?: number | 'auto' | undefined;
}

/** One accepted finding. */
export interface BaselineEntry {
  fingerprint: string;
  kind: FindingKind;
  name: string;
  /** Where it was when the baseline was written (for people, and to match moved findings in the right order). */
  files: string[];
  /** How many findings with this fingerprint are accepted. */
  count: number;
}

/** A baseline file's content. */
export interface Baseline {
  version: 1;
  /** The fingerprint key, base64; or `"env:SECRETSOURCE_FINGERPRINT_KEY"` when that variable keyed it. */
  key: string;
  findings: BaselineEntry[];
}
