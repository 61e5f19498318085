/**
 * Shapes of non-cryptographic generators that can be recognised from the value alone, counted for
 * what they carry. `Math.random()` (or its `toString(36)`) gives a number in [0, 1) from a 52-bit
 * state draw of a predictable generator (V8's xorshift128+): a key made of such numbers, joined or
 * not, carries at most 52 bits each, and fewer against anyone who has seen other outputs.
 */

/** Bits a `Math.random()` number carries at most. */
export const MATH_RANDOM_BITS = 52;

/** How many `Math.random()` numbers make up the whole value, or 0 when it is not that shape. */
export function mathRandomCount(body: string): number {
  if (body.length < 8 || body.length > 4096) return 0;
  let i = 0;
  let count = 0;
  while (i < body.length) {
    if (body.charCodeAt(i) !== 48 || body.charCodeAt(i + 1) !== 46) return 0; // "0."
    i += 2;
    const start = i;
    while (
      i < body.length &&
      isBase36(body.charCodeAt(i)) &&
      !(body.charCodeAt(i) === 48 && body.charCodeAt(i + 1) === 46)
    )
      i++;
    if (i - start < 6 || i - start > 24) return 0;
    count++;
    if (
      i < body.length &&
      (body.charCodeAt(i) === 45 || body.charCodeAt(i) === 95 || body.charCodeAt(i) === 32)
    )
      i++;
  }
  return count;
}

function isBase36(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122);
}

/** True for base32 (RFC 4648) in one case: letters and the digits 2-7 only, with both present. */
export function isBase32(core: string): boolean {
  if (core.length < 16) return false;
  let upper = false;
  let lower = false;
  let digit = false;
  for (let i = 0; i < core.length; i++) {
    const c = core.charCodeAt(i);
    if (c >= 65 && c <= 90) upper = true;
    else if (c >= 97 && c <= 122) lower = true;
    else if (c >= 50 && c <= 55) digit = true;
    else return false;
  }
  return digit && upper !== lower;
}
