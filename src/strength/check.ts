/** checkStrength: runs every rule on one value and turns findings into issues for the environment. */
import { isSecret, type Secret } from '../core/secret.js';
import { type AlphabetInfo, bytesAlphabet, classifyAlphabet } from './alphabet.js';
import { matchCandidates } from './candidates.js';
import { ANALYSIS_WINDOW, type Finding, type RuleContext } from './context.js';
import { checkEnvironment, profileSpec } from './profiles.js';
import { knownDefaultRule } from './rules/known-default.js';
import { knownLeakedRule } from './rules/known-leaked.js';
import { lowEntropyRule, tinyAlphabetBits } from './rules/low-entropy.js';
import { ownNameRule } from './rules/own-name.js';
import { MIN_EXPLAINED_SHARE, type PatternVerdict, patternsRule, patternVerdict } from './rules/patterns.js';
import { placeholderRule } from './rules/placeholder.js';
import { emptyRule, tooShortRule } from './rules/too-short.js';
import { unresolvedRefRule } from './rules/unresolved-ref.js';
import { analyseStructure, type StructureResult } from './structure.js';
import type { Environment, StrengthIssue, StrengthOptions, StrengthResult } from './types.js';
import { type Dictionary, loadDictionary } from './words.js';

/**
 * Checks a secret value against the profile's rules. Issues are data (`code`, `severity`,
 * `message`, rule fields) and never hold the value or any part of it. `ok` is false when an issue
 * is an error for the environment: production and staging make every finding an error, development
 * and test make them warnings unless `strict`.
 * @example
 * const r = checkStrength(process.env.JWT_SECRET ?? '', { profile: 'jwt-hs256', environment: 'production' });
 * if (!r.ok) throw new Error(`weak JWT_SECRET: ${r.issues.map((i) => i.code).join(', ')}`);
 */
export function checkStrength(value: string | Secret, options: StrengthOptions = {}): StrengthResult {
  const profile = profileSpec(options.profile ?? 'jwt-hs256');
  const environment = checkEnvironment(options.environment ?? defaultEnvironment());
  const strict = options.strict === true;

  const { text, binary, alphabet } = describe(value, profile.decode);
  const window =
    alphabet.body.length > ANALYSIS_WINDOW ? alphabet.body.slice(0, ANALYSIS_WINDOW) : alphabet.body;
  let structure: StructureResult | undefined;
  let dictionary: Dictionary | undefined;
  let decodedBytes: Buffer | null | undefined;
  const ctx: RuleContext = {
    text,
    window,
    truncated: window.length < alphabet.body.length,
    binary,
    alphabet,
    profile,
    name: options.name,
    dictionary: () => {
      if (binary) return undefined;
      dictionary ??= loadDictionary();
      return dictionary;
    },
    decoded: () => {
      if (decodedBytes === undefined) decodedBytes = decodeBody(alphabet, profile.decode) ?? null;
      return decodedBytes ?? undefined;
    },
    structure: () => {
      structure ??= analyseStructure(window, {
        bitsPerChar: alphabet.bitsPerChar,
        dictionary: ctx.dictionary(),
      });
      return structure;
    },
  };

  let cachedVerdict: PatternVerdict | undefined;
  const verdict = (): PatternVerdict => {
    cachedVerdict ??= patternVerdict(ctx);
    return cachedVerdict;
  };
  const findings: Finding[] = [];
  findings.push(...emptyRule(ctx));
  if (text.length > 0) {
    const candidates = binary ? [] : matchCandidates(text);
    findings.push(
      ...knownLeakedRule(ctx, candidates),
      ...knownDefaultRule(ctx, candidates),
      ...placeholderRule(ctx),
      ...unresolvedRefRule(ctx),
      ...ownNameRule(ctx),
      ...tooShortRule(ctx),
      ...lowEntropyRule(ctx),
      ...patternsRule(ctx, verdict()),
    );
  }

  // A hex or base64 value that decodes to text is that text written another way: judge the text too.
  const inner = innerText(ctx);
  const innerResult =
    inner === undefined ? undefined : checkStrength(inner.text, { ...options, environment });
  if (innerResult) {
    for (const issue of innerResult.issues) {
      const { severity: _s, ...rest } = issue;
      findings.push({
        ...rest,
        message: `once decoded from ${inner!.kind}, ${issue.message}`,
        decodedFrom: inner!.kind,
      });
    }
  }

  const severity: StrengthIssue['severity'] =
    strict || environment === 'production' || environment === 'staging' ? 'error' : 'warning';
  const seen = new Set<string>();
  const issues: StrengthIssue[] = [];
  for (const f of findings) {
    if (seen.has(f.code)) continue;
    seen.add(f.code);
    issues.push({ ...f, severity });
  }
  let estimatedBits = text.length === 0 ? 0 : Math.floor(estimate(ctx, verdict));
  if (innerResult) estimatedBits = Math.min(estimatedBits, innerResult.estimatedBits);
  return { ok: !issues.some((i) => i.severity === 'error'), issues, estimatedBits };
}

/** Default environment: production when NODE_ENV says so, else development. */
function defaultEnvironment(): Environment {
  return process.env.NODE_ENV === 'production' ? 'production' : 'development';
}

/** The estimate reported: alphabet bits, lowered by the structure estimate when patterns explain a lot. */
function estimate(ctx: RuleContext, verdict: () => PatternVerdict): number {
  if (ctx.alphabet.body.length === 0) return 0;
  const v = verdict();
  const tiny = tinyAlphabetBits(ctx);
  const alphabetBits = tiny ? Math.min(ctx.alphabet.bits, tiny.bits) : ctx.alphabet.bits;
  return v.share >= MIN_EXPLAINED_SHARE ? Math.min(alphabetBits, v.bits) : alphabetBits;
}

/** Text, binary flag and alphabet of a string or Secret. */
function describe(
  value: string | Secret,
  decode: boolean,
): { text: string; binary: boolean; alphabet: AlphabetInfo } {
  if (isSecret(value)) {
    if (value.isBinary) {
      const bytes = value.bytes();
      const text = printableText(bytes);
      if (text === undefined) {
        // Latin-1 keeps one character per byte, so sequence and repeat checks see the bytes.
        const body = Buffer.from(bytes).toString('latin1');
        return { text: body, binary: true, alphabet: bytesAlphabet(bytes.length, body) };
      }
      return textInfo(text, decode);
    }
    return textInfo(value.reveal(), decode);
  }
  if (typeof value !== 'string') {
    throw new TypeError('checkStrength expects a string or a Secret');
  }
  return textInfo(value, decode);
}

function textInfo(raw: string, decode: boolean): { text: string; binary: boolean; alphabet: AlphabetInfo } {
  const text = raw.trim();
  let alphabet = classifyAlphabet(text);
  if (!decode && (alphabet.kind === 'hex' || alphabet.kind === 'base64' || alphabet.kind === 'base64url')) {
    // Passwords are typed, not decoded: count their characters on the letters and digits they use.
    alphabet = { ...alphabet, bits: alphabet.body.length * alphabet.bitsPerChar };
  }
  return { text, binary: false, alphabet };
}

/** Decoded bytes of a hex or base64 body, for profiles that count keys on their bytes. */
function decodeBody(alphabet: AlphabetInfo, decode: boolean): Buffer | undefined {
  if (!decode || alphabet.body.length > 2 * ANALYSIS_WINDOW) return undefined;
  if (alphabet.kind === 'hex')
    return Buffer.from(alphabet.body.length % 2 ? alphabet.body.slice(0, -1) : alphabet.body, 'hex');
  // Alphanumeric keys may be base64 that happens to lack + / - _; decoding random text is harmless.
  if (alphabet.kind === 'base64' || alphabet.kind === 'base64url' || alphabet.kind === 'alphanumeric') {
    return Buffer.from(alphabet.body, 'base64');
  }
  return undefined;
}

/** The text a decoded key holds, when it is printable UTF-8 of at least 8 characters. */
function innerText(ctx: RuleContext): { text: string; kind: string } | undefined {
  const bytes = ctx.decoded();
  if (!bytes || bytes.length < 8) return undefined;
  const text = printableText(bytes);
  return text === undefined ? undefined : { text, kind: ctx.alphabet.kind };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text when they are valid UTF-8 without control characters. */
function printableText(bytes: Uint8Array): string | undefined {
  // Control bytes are never part of a multi-byte sequence: rejecting them first skips most decodes.
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c < 32 || c === 127) return undefined;
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}
