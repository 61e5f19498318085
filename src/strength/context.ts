/** What every rule sees about one value, computed once per check, and the shape of a rule. */

import type { Finding, ValueIssueCode } from '../core/issues.js';
import type { AlphabetInfo } from './alphabet.js';
import type { Candidate } from './candidates.js';
import type { ProfileSpec } from './profiles.js';
import type { StructureResult } from './structure.js';
import type { KnownValueList } from './user-known.js';
import type { Dictionary } from './words.js';

export type { Finding } from '../core/issues.js';

/** Pattern rules look at most at this many characters; length and known-value checks see all. */
/** Verdict of the structure estimate for one value. */
export interface PatternVerdict {
  /** Structure-aware bits for the whole body (window estimate plus the rest counted as random). */
  bits: number;
  /** Share of the window's random-character bits the patterns explain. */
  share: number;
  /** True when the patterns explain enough and leave too few bits. */
  weak: boolean;
  structure: StructureResult;
}

export const ANALYSIS_WINDOW = 4096;

/** Another environment where the same value was found (compared by fingerprint by the door). */
export interface SharedWith {
  /** The other environment (`staging`) or file. */
  environment: string;
  /** The value's fingerprint (keyed; safe to print). */
  fingerprint: string;
  /** The name it has there, when different. */
  name?: string | undefined;
  /** The file it was found in, for env-file comparisons. */
  file?: string | undefined;
}

/** Input to a rule. */
export interface RuleContext {
  /** The value as text, trimmed. */
  text: string;
  /** The first {@link ANALYSIS_WINDOW} characters of the entropy-carrying body. */
  window: string;
  /** True when the body is longer than the window. */
  truncated: boolean;
  /** True for a binary Secret that is not printable UTF-8. */
  binary: boolean;
  alphabet: AlphabetInfo;
  profile: ProfileSpec;
  /** Every name the value is known by (config key, field, store name), for the own-name rule. */
  names: readonly string[];
  /** Environments that hold the same value, as found by the door. */
  sharedWith: readonly SharedWith[];
  /** The caller's own known values (a policy's `knownValues`), if any. */
  knownValues?: KnownValueList | undefined;
  /** Structure estimate of the window (computed lazily and shared). */
  structure(): StructureResult;
  /** The structure verdict over the whole value (computed lazily and shared). */
  verdict(): PatternVerdict;
  /** The forms of the value looked up in the known lists (computed lazily and shared). */
  candidates(): readonly Candidate[];
  /** The bytes a hex or base64 key decodes to (profiles that decode only), else undefined. */
  decoded(): Buffer | undefined;
  /** The word lists, or undefined for binary values. */
  dictionary(): Dictionary | undefined;
}

/**
 * A rule: one file in `rules/`, one entry in `rules/index.ts`. Every rule has this signature: it
 * reads the context and returns findings with the codes it declares. A finding must never hold
 * the value or a slice of it.
 */
export interface Rule<C extends ValueIssueCode = ValueIssueCode> {
  /** The rule's file name. */
  readonly id: string;
  /** Every code the rule can emit (the registry test proves each one is emitted). */
  readonly codes: readonly C[];
  readonly check: (ctx: RuleContext) => Finding<C>[];
}

/** Declares a rule, keeping its codes as literal types. */
export function defineRule<C extends ValueIssueCode>(rule: Rule<C>): Rule<C> {
  return rule;
}

/** Rounds bits for messages and issue fields. */
export function roundBits(bits: number): number {
  return Math.floor(bits);
}
