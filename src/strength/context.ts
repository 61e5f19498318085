/** What every rule sees about one value, computed once per check. */
import type { AlphabetInfo } from './alphabet.js';
import type { ProfileSpec } from './profiles.js';
import type { StructureResult } from './structure.js';
import type { Dictionary } from './words.js';

/** Pattern rules look at most at this many characters; length and known-value checks see all. */
export const ANALYSIS_WINDOW = 4096;

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
  /** The variable's name, when known. */
  name: string | undefined;
  /** Structure estimate of the window (computed lazily by the pattern rule and shared). */
  structure(): StructureResult;
  /** The bytes a hex or base64 key decodes to (profiles that decode only), else undefined. */
  decoded(): Buffer | undefined;
  /** The word lists, or undefined for binary values. */
  dictionary(): Dictionary | undefined;
}

/** A finding before its severity is decided by the environment. */
export interface Finding {
  code: string;
  message: string;
  [detail: string]: unknown;
}

/** A rule: reads the context, returns findings. Must never put the value or a slice of it in a finding. */
export type Rule = (ctx: RuleContext) => Finding[];

/** Rounds bits for messages and issue fields. */
export function roundBits(bits: number): number {
  return Math.floor(bits);
}
