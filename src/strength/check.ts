/** checkStrength and the analysis every door shares: runs the registered rules on one value. */

import type { Finding, StrengthIssue, ValueIssueCode } from '../core/issues.js';
import { isSecret, type Secret } from '../core/secret.js';
import { type AlphabetInfo, bytesAlphabet, classifyAlphabet } from './alphabet.js';
import { type Candidate, matchCandidates } from './candidates.js';
import {
  ANALYSIS_WINDOW,
  type PatternVerdict,
  type Rule,
  type RuleContext,
  type SharedWith,
} from './context.js';
import { checkEnvironment, defaultEnvironment, severityOf } from './environment.js';
import { type ProfileSpec, profileSpec } from './profiles.js';
import { RULES } from './rules/index.js';
import { tinyAlphabetBits } from './rules/low-entropy.js';
import { MIN_EXPLAINED_SHARE, patternVerdict } from './rules/patterns.js';
import { analyseStructure, type StructureResult } from './structure.js';
import type { Environment, StrengthOptions, StrengthResult } from './types.js';
import type { KnownValueList } from './user-known.js';
import { type Dictionary, loadDictionary } from './words.js';

/** What the rules found in one value, before the environment gives each finding its severity. */
export interface Analysis {
  /** One finding per code, in registry order. */
  findings: Finding<ValueIssueCode>[];
  /** Estimated entropy in bits, counted on the decoded alphabet. */
  estimatedBits: number;
}

/** Input of {@link analyse}. */
export interface AnalyseOptions {
  profile: ProfileSpec;
  /** Names the value is known by (for the own-name rule). */
  names?: readonly string[] | undefined;
  /** Other environments the door found the same value in. */
  sharedWith?: readonly SharedWith[] | undefined;
  /** The rules to run. @default RULES */
  rules?: readonly Rule[] | undefined;
  /** A caller's own known values (a policy's `knownValues`), rejected like published defaults. */
  knownValues?: KnownValueList | undefined;
}

/**
 * Checks a secret value against the profile's rules. Issues are data (`code`, `severity`,
 * `message`, rule fields) and never hold the value or any part of it. `ok` is false when an issue
 * is an error for the environment: production and staging make every finding an error, development
 * and test make them warnings unless `strict`. Doors that know a value's names use `evaluate`, which
 * also picks the profile.
 * @example
 * const r = checkStrength(process.env.JWT_SECRET ?? '', { profile: 'jwt-hs256', environment: 'production' });
 * if (!r.ok) throw new Error(`weak JWT_SECRET: ${r.issues.map((i) => i.code).join(', ')}`);
 */
export function checkStrength(value: string | Secret, options: StrengthOptions = {}): StrengthResult {
  const profile = profileSpec(options.profile ?? 'jwt-hs256');
  const environment = checkEnvironment(options.environment ?? defaultEnvironment());
  const names = options.name === undefined ? [] : [options.name];
  const { findings, estimatedBits } = analyse(value, { profile, names });
  const issues = withSeverity(findings, environment, options.strict === true);
  return { ok: !issues.some((i) => i.severity === 'error'), issues, estimatedBits };
}

/** Gives each finding its severity from the one severity table. */
export function withSeverity(
  findings: readonly Finding<ValueIssueCode>[],
  environment: Environment,
  strict: boolean,
): StrengthIssue[] {
  return findings.map((f) => ({ ...f, severity: severityOf(f.code, environment, strict) }) as StrengthIssue);
}

/**
 * Runs every registered rule on `value` for `profile`. Never throws for any string or Secret
 * (a TypeError for other types); linear in the value's length.
 */
export function analyse(value: string | Secret, options: AnalyseOptions): Analysis {
  const { profile } = options;
  const { text, binary, alphabet } = describe(value, profile.decode);
  const window =
    alphabet.body.length > ANALYSIS_WINDOW ? alphabet.body.slice(0, ANALYSIS_WINDOW) : alphabet.body;
  let structure: StructureResult | undefined;
  let dictionary: Dictionary | undefined;
  let decodedBytes: Buffer | null | undefined;
  let verdict: PatternVerdict | undefined;
  let candidates: readonly Candidate[] | undefined;
  const ctx: RuleContext = {
    text,
    window,
    truncated: window.length < alphabet.body.length,
    binary,
    alphabet,
    profile,
    names: options.names ?? [],
    sharedWith: options.sharedWith ?? [],
    knownValues: options.knownValues,
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
    verdict: () => {
      verdict ??= patternVerdict(ctx);
      return verdict;
    },
    candidates: () => {
      candidates ??= binary || text.length === 0 ? [] : matchCandidates(text);
      return candidates;
    },
  };

  const findings: Finding<ValueIssueCode>[] = [];
  for (const rule of options.rules ?? RULES) findings.push(...rule.check(ctx));

  // A hex or base64 value that decodes to text is that text written another way: judge the text too.
  const inner = innerText(ctx);
  const innerResult =
    inner === undefined
      ? undefined
      : analyse(inner.text, {
          profile,
          names: options.names,
          rules: options.rules,
          knownValues: options.knownValues,
        });
  if (innerResult) {
    for (const f of innerResult.findings) {
      findings.push({
        ...f,
        message: `once decoded from ${inner!.kind}, ${f.message}`,
        decodedFrom: inner!.kind,
      });
    }
  }

  // One finding per code; reuse is listed once per other environment and name.
  const seen = new Set<string>();
  const unique = findings.filter((f) => {
    const key = f.code === 'WEAK_SHARED' ? `${f.code}\0${f.otherEnvironment}\0${f.otherName ?? ''}` : f.code;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  let estimatedBits = text.length === 0 ? 0 : Math.floor(estimate(ctx));
  if (innerResult) estimatedBits = Math.min(estimatedBits, innerResult.estimatedBits);
  return { findings: unique, estimatedBits };
}

/** The estimate reported: alphabet bits, lowered by the structure estimate when patterns explain a lot. */
function estimate(ctx: RuleContext): number {
  if (ctx.alphabet.body.length === 0) return 0;
  const v = ctx.verdict();
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
