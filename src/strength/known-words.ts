/**
 * The words a value is made of, for the "built like a published default" lookup: split on
 * separators (`-_. /:`) and camelCase, lower-cased. Published defaults are mostly made of a few
 * dozen words (your, secret, key, here, change, me, super, put, secure ...); a value made only of
 * words that the defaults of three or more projects use is one more such default. A random key
 * never splits into such words, and a random passphrase of enough words from a large list almost
 * never draws only from this small vocabulary.
 */

/** Most words a published default has; a random key splits into more and is dropped early. */
const MAX_WORDS = 10;

/** The value's words, or undefined when it has fewer than two, more than MAX_WORDS or is too long. */
export function valueWords(value: string): string[] | undefined {
  if (value.length < 6 || value.length > 100) return undefined;
  const words: string[] = [];
  // Words are sliced from `start`, not built a character at a time: most values checked are keys.
  let start = -1;
  let prevLower = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const upper = c >= 65 && c <= 90;
    const lower = c >= 97 && c <= 122;
    const digit = c >= 48 && c <= 57;
    if (words.length > MAX_WORDS) return undefined;
    if (!upper && !lower && !digit) {
      if (start >= 0) words.push(value.slice(start, i).toLowerCase());
      start = -1;
      prevLower = false;
      continue;
    }
    // camelCase boundary: a capital after a small letter starts a new word.
    if (upper && prevLower && start >= 0) {
      words.push(value.slice(start, i).toLowerCase());
      start = i;
    }
    if (start < 0) start = i;
    prevLower = lower || digit;
  }
  if (start >= 0) words.push(value.slice(start).toLowerCase());
  return words.length >= 2 && words.length <= MAX_WORDS ? words : undefined;
}

/** Words that say "this is a credential"; with one of them, one unknown word (a product name) may stand beside. */
const CREDENTIAL_WORDS = new Set([
  'pass',
  'password',
  'passwd',
  'pwd',
  'pw',
  'secret',
  'key',
  'token',
  'salt',
  'admin',
  'root',
]);

/**
 * True when the value is made of words that published defaults use: every word in `vocab` (with
 * at least two of them), or one unknown word beside a credential word (`teslamate-pass`,
 * `Password123@apisix`), in at most five words. Digits of up to four places may be glued on
 * (`secret123`).
 */
export function madeOfWords(value: string, vocab: ReadonlySet<string>): boolean {
  const words = valueWords(value);
  if (!words) return false;
  let known = 0;
  let unknown = 0;
  let credential = false;
  for (const w of words) {
    if (vocab.has(w)) {
      known++;
      if (CREDENTIAL_WORDS.has(w)) credential = true;
      continue;
    }
    const m = /^([a-z]*)(\d{0,4})$/.exec(w);
    const letters = m ? m[1]! : undefined;
    // Digits alone and one-letter words ("a", "i") say nothing either way.
    if (letters !== undefined && letters.length <= 1) continue;
    if (letters !== undefined && vocab.has(letters)) {
      known++;
      if (CREDENTIAL_WORDS.has(letters)) credential = true;
    } else if (letters !== undefined && letters.length >= 3 && letters.length <= 20 && unknown === 0) {
      unknown++;
    } else {
      return false;
    }
  }
  if (unknown === 0) return known >= 2;
  return unknown === 1 && credential && words.length <= 5;
}
