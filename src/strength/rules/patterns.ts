/**
 * WEAK_REPEATED, WEAK_SEQUENCE, WEAK_KEYBOARD_WALK, WEAK_DICTIONARY (and WEAK_LOW_ENTROPY for long
 * runs of one character): the structure estimate explains a large share of the value and leaves
 * fewer bits than the profile needs. Presence alone never fires: a random key contains `abc`, `qwe`
 * or a four-letter word by chance, and those explain a few bits out of hundreds.
 */
import { defineRule, type Finding, type PatternVerdict, type RuleContext, roundBits } from '../context.js';
import { wholePeriod } from '../repetition.js';
import { analyseStructure, PATTERN_KINDS, type PatternKind, type StructureResult } from '../structure.js';

/**
 * Share of the random-character bits that patterns must explain before they count. In 100,000
 * CSPRNG keys of five encodings, chance patterns explained at most 16% (99.9th percentile 11%);
 * the weak examples of the test corpus start at 28%.
 */
export const MIN_EXPLAINED_SHARE = 0.25;

/** A family is named when it saved at least this share of all pattern savings, or covers this share of the value. */
const FAMILY_SHARE = 0.2;

const CODES = {
  run: 'WEAK_LOW_ENTROPY',
  repeat: 'WEAK_REPEATED',
  sequence: 'WEAK_SEQUENCE',
  keyboard: 'WEAK_KEYBOARD_WALK',
  word: 'WEAK_DICTIONARY',
} as const satisfies Record<PatternKind, string>;

type PatternCode = (typeof CODES)[PatternKind];

const REASONS: Record<PatternKind, string> = {
  run: 'long runs of one character',
  repeat: 'a shorter unit repeated',
  sequence: 'ordered sequences (abc..., 123..., counting)',
  keyboard: 'keyboard walks',
  word: 'dictionary words',
};

/** Computes the structure verdict (sentence-aware: common words cost less when they dominate). */
export function patternVerdict(ctx: RuleContext): PatternVerdict {
  const first = verdictOf(ctx, ctx.structure());
  if (first.weak) return first;
  // Keys written as hex or base64: look for structure in the bytes too (000102..., the same byte).
  const bytes = ctx.decoded();
  if (bytes && bytes.length >= 8 && adjacentShare(bytes) >= MIN_EXPLAINED_SHARE) {
    // Runs of one byte and counting bytes; repeated units also repeat in the hex or base64 text.
    const st = analyseStructure(bytes.toString('latin1'), { bitsPerChar: 8, keyboard: false, maxPeriod: 1 });
    const share = st.randomBits > 0 ? (st.randomBits - st.bits) / st.randomBits : 0;
    const bits = Math.min(ctx.alphabet.bits, st.bits);
    if (share >= MIN_EXPLAINED_SHARE && bits < ctx.profile.minBits)
      return { bits, share, weak: true, structure: st };
  }
  if (first.structure.words < 3) return first;
  // A phrase made mostly of common words is a sentence: cost those words at the common list's size.
  const dictionary = ctx.dictionary();
  if (!dictionary) return first;
  const second = analyseStructure(ctx.window, {
    bitsPerChar: ctx.alphabet.bitsPerChar,
    dictionary,
    discountCommon: true,
  });
  if (second.words > 0 && second.commonWords * 3 >= second.words) {
    const v = verdictOf(ctx, second);
    if (v.weak) return v;
  }
  return first;
}

/**
 * Share of bytes equal to or one away from the byte before: runs and counting need it to be high,
 * random bytes have about 1%, so most keys skip the byte-level analysis.
 */
function adjacentShare(bytes: Uint8Array): number {
  let near = 0;
  for (let i = 1; i < bytes.length; i++) {
    const d = bytes[i]! - bytes[i - 1]!;
    if (d >= -1 && d <= 1) near++;
  }
  return near / bytes.length;
}

/** Whole period per check (the two verdict passes share it); weak keys so no value outlives its check. */
const periods = new WeakMap<RuleContext, number>();
function periodOf(ctx: RuleContext): number {
  let p = periods.get(ctx);
  if (p === undefined) {
    // The whole value can only repeat with period p if its first window does: test that first (cheap).
    p = wholePeriod(ctx.window);
    const body = ctx.alphabet.body;
    for (let j = ctx.window.length; p > 0 && j < body.length; j++) {
      if (body.charCodeAt(j) !== body.charCodeAt(j - p)) p = 0;
    }
    periods.set(ctx, p);
  }
  return p;
}

function verdictOf(ctx: RuleContext, st: StructureResult): PatternVerdict {
  const rest = ctx.alphabet.body.length - ctx.window.length;
  // Past the window, count the rest as random, unless the whole value is one unit repeated.
  const restBits = rest <= 0 ? 0 : periodOf(ctx) > 0 ? Math.log2(rest) : rest * ctx.alphabet.bitsPerChar;
  const bits = Math.min(ctx.alphabet.bits, st.bits + restBits);
  const share = st.randomBits > 0 ? (st.randomBits - st.bits) / st.randomBits : 0;
  const weak = share >= MIN_EXPLAINED_SHARE && bits < ctx.profile.minBits;
  return { bits, share, weak, structure: st };
}

/** The pattern rule: one finding per pattern family that explains enough of a weak value. */
export const patternsRule = defineRule({
  id: 'patterns',
  codes: ['WEAK_LOW_ENTROPY', 'WEAK_REPEATED', 'WEAK_SEQUENCE', 'WEAK_KEYBOARD_WALK', 'WEAK_DICTIONARY'],
  check: patterns,
});

function patterns(ctx: RuleContext): Finding<PatternCode>[] {
  if (ctx.alphabet.body.length === 0) return [];
  const v = ctx.verdict();
  if (!v.weak) return [];
  const st = v.structure;
  const total = PATTERN_KINDS.reduce((sum, k) => sum + Math.max(0, st.savings[k]), 0);
  const out: Finding<PatternCode>[] = [];
  for (const kind of PATTERN_KINDS) {
    const saved = st.savings[kind];
    const covered = st.coverage[kind] / Math.max(1, ctx.window.length);
    if (saved < 4 || (saved < FAMILY_SHARE * total && covered < FAMILY_SHARE)) continue;
    const details = {
      message: `${REASONS[kind]} explain ${Math.round(covered * 100)}% of the value; about ${roundBits(v.bits)} bits remain, ${ctx.profile.name} needs ${ctx.profile.minBits}`,
      pattern: kind,
      coverage: Math.round(covered * 100) / 100,
      estimatedBits: roundBits(v.bits),
      requiredBits: ctx.profile.minBits,
    };
    if (kind === 'keyboard') out.push({ code: CODES[kind], ...details, layouts: st.layouts });
    else if (kind === 'word')
      out.push({ code: CODES[kind], ...details, words: st.words, commonWords: st.commonWords });
    else out.push({ code: CODES[kind], ...details });
  }
  return out;
}
