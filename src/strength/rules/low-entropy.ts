/**
 * WEAK_LOW_ENTROPY: one or two symbols, a tiny alphabet, digits only, or a character distribution
 * far flatter than any random key's (Shannon floor).
 */
import { defineRule, type Finding, type RuleContext, roundBits } from '../context.js';

/** Shannon entropy in bits per character of `s`. Linear. */
export function shannonPerChar(s: string): number {
  if (s.length === 0) return 0;
  const ascii = new Uint32Array(128);
  let other: Map<number, number> | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) ascii[c]!++;
    else {
      other ??= new Map();
      other.set(c, (other.get(c) ?? 0) + 1);
    }
  }
  let h = 0;
  const n = s.length;
  const add = (k: number): void => {
    if (k > 0) {
      const p = k / n;
      h -= p * Math.log2(p);
    }
  };
  for (let c = 0; c < 128; c++) add(ascii[c]!);
  if (other) for (const k of other.values()) add(k);
  return h;
}

/** Number of distinct characters in `s`. */
export function distinctChars(s: string): number {
  const seen = new Uint8Array(128);
  let count = 0;
  let other: Set<number> | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      if (seen[c] === 0) {
        seen[c] = 1;
        count++;
      }
    } else {
      other ??= new Set();
      other.add(c);
    }
  }
  return count + (other?.size ?? 0);
}

/**
 * Fraction of the maximum a random string of this length and alphabet reaches below which the value
 * is flagged. Random keys measure near the maximum (64 hex ≈ 3.8 of 4; 43 base64 ≈ 4.9 of 5.4);
 * 0.5 leaves a wide margin (English passphrases measure about 4.1 bits) so no random key is ever flagged.
 */
const SHANNON_FLOOR = 0.5;

/**
 * Bits the value can carry given how few distinct symbols it uses, when that is far fewer than a
 * random string of its alphabet and length would show (half the expected count: a CSPRNG key is
 * many standard deviations above that), else undefined. One symbol carries only its length.
 */
export function tinyAlphabetBits(ctx: RuleContext): { distinct: number; bits: number } | undefined {
  const s = ctx.alphabet.body;
  const n = s.length;
  if (n < 2) return undefined;
  const distinct = distinctChars(s);
  const k = 2 ** ctx.alphabet.bitsPerChar;
  const expected = k * (1 - (1 - 1 / k) ** n);
  if (distinct > 2 && !(n >= 20 && distinct <= 5) && distinct >= expected / 2) return undefined;
  return { distinct, bits: distinct <= 1 ? Math.log2(n) : n * Math.log2(distinct) };
}

/** Raises WEAK_LOW_ENTROPY for too few symbols, digits only when short, or a Shannon floor breach. */
export const lowEntropyRule = defineRule({
  id: 'low-entropy',
  codes: ['WEAK_LOW_ENTROPY'],
  check: lowEntropy,
});

function lowEntropy(ctx: RuleContext): Finding<'WEAK_LOW_ENTROPY'>[] {
  const s = ctx.alphabet.body;
  const n = s.length;
  if (n === 0) return [];
  // Counting is linear, so the whole body is measured, not just the pattern window.
  const tiny = tinyAlphabetBits(ctx);
  if (tiny && tiny.bits < ctx.profile.minBits) {
    const { distinct } = tiny;
    return [
      finding(
        `the value uses only ${distinct} distinct symbol${distinct === 1 ? '' : 's'} (at most ${roundBits(tiny.bits)} bits)`,
        { distinct, estimatedBits: roundBits(tiny.bits) },
      ),
    ];
  }
  if (ctx.alphabet.kind === 'decimal' && ctx.alphabet.bits < ctx.profile.minBits && n >= 4) {
    return [finding('the value is digits only (3.3 bits per character)', { alphabet: 'decimal' })];
  }
  if (n >= 16) {
    const h = shannonPerChar(s);
    const max = Math.min(ctx.alphabet.bitsPerChar, Math.log2(n));
    if (h < SHANNON_FLOOR * max) {
      return [
        finding(`the characters are unevenly spread (${h.toFixed(2)} bits per character)`, {
          shannonPerChar: Math.round(h * 100) / 100,
          estimatedBits: roundBits(h * n),
        }),
      ];
    }
  }
  return [];
}

function finding(
  reason: string,
  details: Omit<Finding<'WEAK_LOW_ENTROPY'>, 'code' | 'message'>,
): Finding<'WEAK_LOW_ENTROPY'> {
  return { code: 'WEAK_LOW_ENTROPY', message: reason, ...details };
}
