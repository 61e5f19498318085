/**
 * Which alphabet a key is written in, and so how many bits each character can carry at most.
 * Bits are counted on the alphabet, not measured per character (Shannon under-reads random keys).
 */

import type { AlphabetKind } from '../core/issues.js';

export type { AlphabetKind };

/** Result of {@link classifyAlphabet}. */
export interface AlphabetInfo {
  kind: AlphabetKind;
  /** Bits a uniformly random character of this alphabet carries. */
  bitsPerChar: number;
  /** The characters that carry entropy: without `0x`, base64 padding and surrounding spaces. */
  body: string;
  /** Entropy bound in bits: body length × bits per char, capped at the decoded size for encodings. */
  bits: number;
  /** Decoded byte length for hex and base64 forms. */
  decodedBytes?: number;
}

import { isBase32, MATH_RANDOM_BITS, mathRandomCount } from './generators.js';
import { parseUuidKey } from './uuid.js';

const LOG2_10 = Math.log2(10);
const NAMED_PREFIX = /^(base64|hex):/i;
const LOG2_62 = Math.log2(62);

/** Character class flags for ASCII codes, built once. */
const DIGIT = 1;
const LOWER_HEX = 2;
const UPPER_HEX = 4;
const LOWER = 8;
const UPPER = 16;
const PLUS_SLASH = 32;
const DASH_UNDERSCORE = 64;
const OTHER_SYMBOL = 128;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (ch >= '0' && ch <= '9') CLASS[c] = DIGIT;
  // a-f and A-F carry only their hex flag, so "only hex letters" is a simple mask test.
  else if (ch >= 'a' && ch <= 'z') CLASS[c] = ch <= 'f' ? LOWER_HEX : LOWER;
  else if (ch >= 'A' && ch <= 'Z') CLASS[c] = ch <= 'F' ? UPPER_HEX : UPPER;
  else if (ch === '+' || ch === '/') CLASS[c] = PLUS_SLASH;
  else if (ch === '-' || ch === '_') CLASS[c] = DASH_UNDERSCORE;
  else if (c > 32 && c < 127) CLASS[c] = OTHER_SYMBOL;
}

/** Classifies a text value. Linear in its length; one pass over the char codes. */
export function classifyAlphabet(value: string): AlphabetInfo {
  const body = value.trim();
  if (body.length === 0) return { kind: 'empty', bitsPerChar: 0, body, bits: 0 };
  // `base64:` (Laravel's APP_KEY) and `hex:` name the encoding: like `0x`, the prefix carries
  // nothing, and counted as text it let chance patterns ("base" + a walk) reject random keys.
  const named = NAMED_PREFIX.exec(body);
  if (named && body.length > named[0].length) {
    const rest = classifyAlphabet(body.slice(named[0].length));
    if (named[1]!.toLowerCase() === 'hex') {
      if (rest.kind === 'hex' || rest.kind === 'decimal') return hexInfo(rest.body);
    } else if (rest.kind === 'base64' || rest.kind === 'base64url' || rest.kind === 'alphanumeric') {
      return rest;
    }
  }
  let hexPrefix = false;
  if (body.length > 2 && body[0] === '0' && (body[1] === 'x' || body[1] === 'X')) {
    hexPrefix = true;
  }
  // Strip base64 padding (at most two '=') before classifying: padding carries no entropy.
  let pad = 0;
  while (pad < 2 && body.length - pad > 1 && body.charCodeAt(body.length - 1 - pad) === 61) pad++;
  const core = pad > 0 ? body.slice(0, body.length - pad) : body;

  let flags = 0;
  let nonAscii = false;
  let space = false;
  for (let i = 0; i < core.length; i++) {
    const c = core.charCodeAt(i);
    if (c >= 128) nonAscii = true;
    else if (c === 32) space = true;
    else flags |= CLASS[c]! === 0 ? OTHER_SYMBOL : CLASS[c]!;
  }
  const only = (allowed: number): boolean => !nonAscii && !space && (flags & ~allowed) === 0;

  if (pad === 0 && hexPrefix && core.length > 2) {
    const rest = core.slice(2);
    const restInfo = classifyAlphabet(rest);
    if (restInfo.kind === 'hex' || restInfo.kind === 'decimal') {
      return hexInfo(rest);
    }
  }
  // Keys made of UUIDs: counted for the randomness of each UUID, not for their hex digits.
  if (pad === 0 && core.length >= 36) {
    const u = parseUuidKey(core);
    if (u) {
      const digits = core.replace(/[^0-9a-fA-F]/g, '');
      return { kind: 'hex', bitsPerChar: 4, body: digits, bits: u.bits, decodedBytes: u.hexDigits / 2 };
    }
  }
  // Math.random() numbers: a predictable generator, at most 52 bits each however many digits.
  const randoms = pad === 0 && body[0] === '0' ? mathRandomCount(core) : 0;
  if (randoms > 0) {
    return { kind: 'charset', bitsPerChar: LOG2_10, body: core, bits: randoms * MATH_RANDOM_BITS };
  }
  if (pad === 0 && only(DIGIT)) {
    return { kind: 'decimal', bitsPerChar: LOG2_10, body, bits: body.length * LOG2_10 };
  }
  // Hex in either case; mixed case is still counted at 4 bits (a hex key in mixed case is still hex).
  if (
    pad === 0 &&
    (only(DIGIT | LOWER_HEX) || only(DIGIT | UPPER_HEX) || only(DIGIT | LOWER_HEX | UPPER_HEX))
  ) {
    return hexInfo(body);
  }
  // Hex written in groups (UUIDs, `de:ad:be:ef`): the separators carry nothing.
  const grouped = separatedHex(core, pad);
  if (grouped) return grouped;
  const alnum = DIGIT | LOWER | UPPER | LOWER_HEX | UPPER_HEX;
  if (only(alnum | PLUS_SLASH) && (flags & PLUS_SLASH) !== 0) return base64Info('base64', core);
  if (only(alnum | DASH_UNDERSCORE) && (flags & DASH_UNDERSCORE) !== 0) return base64Info('base64url', core);
  if (only(alnum)) {
    if (pad > 0) return base64Info('base64', core);
    // Letters of one case (with or without digits): a smaller alphabet. Random base64 and alphanumeric
    // keys of 20+ characters always have both cases (a missing case: < 1e-6), though often no digit.
    const lower = (flags & (LOWER | LOWER_HEX)) !== 0;
    const upper = (flags & (UPPER | UPPER_HEX)) !== 0;
    // Base32 (letters of one case and the digits 2-7) carries 5 bits a character, not log2(36).
    if (lower !== upper && isBase32(core)) {
      const decodedBytes = Math.floor((core.length * 5) / 8);
      return { kind: 'alphanumeric', bitsPerChar: 5, body: core, bits: core.length * 5, decodedBytes };
    }
    if (lower !== upper) {
      const perChar = Math.log2(26 + (flags & DIGIT ? 10 : 0));
      return { kind: 'alphanumeric', bitsPerChar: perChar, body: core, bits: core.length * perChar };
    }
    // Base64 of random bytes lacks + / - _ often (13% of 48-byte keys): at a base64 length, count it
    // as base64, or those keys would miss HS384 by 3 bits. A random alphanumeric string of that
    // length is over-read by under 1% (64 characters: 384 instead of 381 bits).
    const alnumBits = core.length * LOG2_62;
    const b64 = base64Info('base64', core);
    const bits = core.length % 4 === 1 ? alnumBits : Math.max(alnumBits, b64.bits);
    return { kind: 'alphanumeric', bitsPerChar: LOG2_62, body: core, bits, decodedBytes: b64.decodedBytes! };
  }
  // Anything else: size the alphabet from the character classes present (lower, upper, digits, symbols).
  let size = 0;
  if (flags & (LOWER | LOWER_HEX)) size += 26;
  if (flags & (UPPER | UPPER_HEX)) size += 26;
  if (flags & DIGIT) size += 10;
  const symbols = (flags & (PLUS_SLASH | DASH_UNDERSCORE | OTHER_SYMBOL)) !== 0 || space || pad > 0;
  if (symbols) size += 33;
  // A random printable key misses a whole letter case by chance (40 characters: 1 in 200,000);
  // while that is plausible (p ≥ 1e-9), count the case as present, or such keys would miss HS256.
  const oneCase = ((flags & (LOWER | LOWER_HEX)) !== 0) !== ((flags & (UPPER | UPPER_HEX)) !== 0);
  if (symbols && oneCase && (size / (size + 26)) ** body.length >= 1e-9) size += 26;
  if (nonAscii) size += 100;
  const bitsPerChar = Math.log2(Math.max(size, 2));
  return { kind: 'charset', bitsPerChar, body, bits: body.length * bitsPerChar };
}

const HEX_GROUPED = /^[0-9a-fA-F]{2,}(?:[-:][0-9a-fA-F]{2,})+$/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/gi;

/**
 * Hex digits in groups separated by `-` or `:`; each UUID in it carries 122 bits, not 128
 * (version and variant are fixed), so two UUIDs are 244 bits, short of HS256.
 */
function separatedHex(core: string, pad: number): AlphabetInfo | undefined {
  if (pad > 0 || core.length > 8192 || !HEX_GROUPED.test(core)) return undefined;
  const digits = core.replace(/[-:]/g, '');
  const uuids = core.match(UUID)?.length ?? 0;
  const info = hexInfo(digits);
  return { ...info, bits: Math.max(0, info.bits - 6 * uuids) };
}

function hexInfo(hex: string): AlphabetInfo {
  const decodedBytes = Math.floor(hex.length / 2);
  return { kind: 'hex', bitsPerChar: 4, body: hex, bits: hex.length * 4, decodedBytes };
}

function base64Info(kind: 'base64' | 'base64url', core: string): AlphabetInfo {
  const decodedBytes = Math.floor((core.length * 6) / 8);
  // A base64 string carries at most 6 bits a character and at most 8 bits per decoded byte.
  const bits = Math.min(core.length * 6, decodedBytes * 8);
  return { kind, bitsPerChar: 6, body: core, bits, decodedBytes };
}

/** Alphabet of a binary value: 8 bits a byte. */
export function bytesAlphabet(byteLength: number, body: string): AlphabetInfo {
  return { kind: 'bytes', bitsPerChar: 8, body, bits: byteLength * 8, decodedBytes: byteLength };
}
