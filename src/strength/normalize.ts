/**
 * The one normalisation used to match a value against known lists. The build script of the
 * known-keys lookup imports it too, so the lookup and the checker always agree.
 */

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Zero-width and invisible format characters that copy-paste adds without anyone seeing them. */
const INVISIBLE = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x00ad, 0x180e]);

/** Removes zero-width characters (ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen). */
export function stripInvisible(value: string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    if (INVISIBLE.has(value.charCodeAt(i))) {
      out += value.slice(start, i);
      start = i + 1;
    }
  }
  return start === 0 ? value : out + value.slice(start);
}

/**
 * Normalised form for matching: NFKC, zero-width characters removed, trimmed, case folded
 * (`toLowerCase`, which is what ECMAScript offers for full case folding of the characters that matter here).
 * @example normalizeForMatch('  Your-256-Bit-Secret\u200b ') // 'your-256-bit-secret'
 */
export function normalizeForMatch(value: string): string {
  // Printable ASCII is already NFKC and has no invisible characters: skip the costly steps.
  if (PRINTABLE_ASCII.test(value)) return value.trim().toLowerCase();
  return stripInvisible(value.normalize('NFKC')).trim().toLowerCase();
}
