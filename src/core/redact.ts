/**
 * The two guards every message passes before it leaves the library, and the list of forms a value
 * can take in text, shared with the run's leak scan (`scripts/leak-scan.ts`):
 *
 * - {@link maskValueLike}: hides words that look like secret values (long, random-looking tokens).
 *   Refs, names and CLI arguments are echoed in messages, and a value passed where a ref belongs
 *   (`resolver.get(process.env.JWT_SECRET_KEY)`) would otherwise be printed whole.
 * - {@link mentionsValue}: true when a text may hold any form of a known value (any case, trimmed,
 *   a prefix, JSON- or URL-escaped, base64, hex), so a foreign message (a schema's, an SDK's) is
 *   shown only when it provably does not quote the value. Callers withhold it, never patch it:
 *   replacing the value in a message reveals what surrounds it (`expected [value]`).
 *
 * Hand-written: no library decides "does this text hold any encoding of this value", and the rules
 * must be the same here and in the leak scan.
 */

/** What a hidden word is replaced with. */
export const HIDDEN = '[hidden: looks like a secret value]';

/** The hint given when a name or ref looks like a value. */
export const VALUE_AS_NAME_HINT =
  'the name looks like a secret value: pass a reference (e.g. "env:JWT_SECRET_KEY"), not the value it resolves to';

const LONG_TOKEN = /[A-Za-z0-9+=]{16,}/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const PIECE = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+|[+=]+/g;

/** A run of 16+ characters that reads like random output rather than words. */
function randomLooking(token: string): boolean {
  const n = token.length;
  if (/^[0-9]+$/.test(token)) return true;
  if (/^(?:[0-9a-f]+|[0-9A-F]+)$/.test(token)) {
    // Hex: keys from `openssl rand -hex` and digests. Words spelled in a-f are rare at this length.
    return n >= 24 && /[0-9]/.test(token) && /[a-fA-F]/.test(token);
  }
  // Words (camelCase, ALLCAPS, digit runs) give pieces of 3+ characters; random text gives 1-2.
  const pieces = token.match(PIECE)?.length ?? 1;
  if (n / pieces < 2.5) return true;
  // Long runs mixing all three classes with many distinct characters (base64 of DER, as in PEM).
  if (n >= 32 && /[a-z]/.test(token) && /[A-Z]/.test(token) && /[0-9]/.test(token)) {
    if (new Set(token).size * 2 >= n) return true;
  }
  // Letters all in one case with few vowels or six consonants in a row are not words either (base32,
  // lowercase random): measured, this catches ~80% of random lowercase and ~1% of joined English words.
  const letters = token.replace(/[^A-Za-z]/g, '');
  if (letters.length < 12 || (/[a-z]/.test(letters) && /[A-Z]/.test(letters))) return false;
  const folded = letters.toLowerCase();
  const vowels = folded.replace(/[^aeiouy]/g, '').length;
  return vowels / folded.length < 0.2 || /[^aeiouy]{6}/.test(folded);
}

/**
 * True when `text` (a name, a ref, one word of a message) contains a token that looks like a secret
 * value: 16+ characters of digits, hex (24+), or letters and digits mixed like random output.
 * Words, paths and identifiers (`prod/app/JWT_SECRET_KEY`, `ResourceNotFoundException`) do not.
 * @example looksLikeValue('Zq8vN3xKp2LmR7tYw4HcB9dF') // true
 */
export function looksLikeValue(text: string): boolean {
  if (typeof text !== 'string' || text.length < 16) return false;
  for (const token of text.match(LONG_TOKEN) ?? []) if (randomLooking(token)) return true;
  // base64url and base64 split by "-", "_" or "/" into short pieces: judge them joined. UUIDs are
  // left alone: in messages they are version and request ids far more often than secrets.
  const joined = text.replace(UUID, '').replace(/[^A-Za-z0-9+=]/g, '');
  return joined.length >= 24 && joined !== text && (joined.match(PIECE)?.length ?? 1) * 2.5 > joined.length;
}

/**
 * Replaces every whitespace-delimited word of `text` that looks like a secret value with
 * {@link HIDDEN}; the rest is returned unchanged. Idempotent.
 */
export function maskValueLike(text: string): string {
  if (typeof text !== 'string' || text.length < 16) return text;
  return text.replace(/\S{16,}/g, (word) => (looksLikeValue(word) ? HIDDEN : word));
}

/** One encoded form of a value, as a string to look for (case-folded where `folded`). */
export interface ValueForm {
  /** raw, json, json-u, url, base64+N, base64url+N, hex, utf16le, utf16be */
  form: string;
  /** The text (for utf16 forms, a latin1 string of the bytes). */
  text: string;
}

const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * The forms in which `value` (or a `window`-character piece of it: a prefix, a line of a split
 * value, V8's quoted first characters) can appear in text: raw, JSON-escaped (plain and with every
 * non-ASCII or every character as `\uXXXX`), URL-encoded, base64 and base64url at each byte
 * alignment, hex, and UTF-16 (LE and BE, as latin1 strings of the bytes). All ASCII-case-folded,
 * so look in case-folded text. Duplicates removed.
 */
export function valueForms(value: string, window: number): ValueForm[] {
  const seen = new Set<string>();
  const out: ValueForm[] = [];
  const add = (form: string, text: string) => {
    const t = fold(text);
    if (t.length === 0 || seen.has(t)) return;
    seen.add(t);
    out.push({ form, text: t });
  };
  const chars = Array.from(value);
  const w = Math.max(1, Math.min(window, chars.length));
  for (let i = 0; i + w <= chars.length; i++) {
    const piece = chars.slice(i, i + w).join('');
    add('raw', piece);
    add('json', JSON.stringify(piece).slice(1, -1));
    add(
      'json-u',
      JSON.stringify(piece)
        .slice(1, -1)
        .replace(/[^\x20-\x7e]/g, uEscape),
    );
    add('json-u', piece.split('').map(uEscape).join(''));
    add('url', encodeURIComponent(piece));
    const bytes = Buffer.from(piece, 'utf8');
    add('hex', bytes.toString('hex'));
    add('utf16le', Buffer.from(piece, 'utf16le').toString('latin1'));
    add('utf16be', Buffer.from(piece, 'utf16le').swap16().toString('latin1'));
    for (let pad = 0; pad < 3; pad++) {
      for (const enc of ['base64', 'base64url'] as const) {
        // The piece after `pad` other bytes: keep the characters only the piece's bytes decide.
        const text = Buffer.concat([Buffer.alloc(pad), bytes])
          .toString(enc)
          .replace(/=+$/, '');
        const start = Math.ceil((pad * 4) / 3);
        const endBits = ((pad + bytes.length) * 8) % 6;
        const core = text.slice(start, endBits === 0 ? text.length : text.length - 1);
        if (core.length >= 8) add(`${enc}+${pad}`, core);
      }
    }
  }
  return out;
}

function uEscape(unit: string): string {
  return `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * True when `text` may hold `value` in any form: case-folded and with punctuation removed, every
 * 4-character piece of the value (all of it when shorter) and of each of its alphanumeric runs;
 * and every 8-character piece in the encoded forms of {@link valueForms}. Errs on the side of
 * "yes": a caller withholds the text then.
 */
export function mentionsValue(text: string, value: string): boolean {
  if (typeof text !== 'string' || typeof value !== 'string' || value.length === 0 || text.length === 0)
    return false;
  const hay = fold(text);
  const hayAlnum = hay.replace(/[^a-z0-9]/g, '');
  const folded = fold(value);
  const windows = (s: string, w: number) => {
    const n = Math.min(w, s.length);
    const out: string[] = [];
    for (let i = 0; i + n <= s.length; i++) out.push(s.slice(i, i + n));
    return out;
  };
  for (const piece of windows(folded, 4)) if (hay.includes(piece)) return true;
  for (const run of folded.split(/[^a-z0-9]+/)) {
    if (run.length === 0) continue;
    for (const piece of windows(run, 4)) if (hayAlnum.includes(piece)) return true;
  }
  if (value.length >= 8) {
    for (const f of valueForms(value, 8)) if (hay.includes(f.text)) return true;
  }
  return false;
}
