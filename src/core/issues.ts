/**
 * Every stable issue code, with a one-line meaning, and the details each code's issues carry.
 * Issues are a union discriminated by `code` (the shape of zod's issue types): narrowing on
 * `issue.code === 'WEAK_TOO_SHORT'` types `issue.requiredBits` as a number.
 *
 * They live in core, not in `src/strength/`, because events and copy plans carry issues and core
 * imports nothing of ours; the strength engine emits them.
 */

/**
 * The alphabet a value was classified in (`src/strength/alphabet.ts` decides it); its size is what
 * entropy is counted on.
 */
export type AlphabetKind =
  | 'empty'
  | 'decimal'
  | 'hex'
  | 'base64'
  | 'base64url'
  | 'alphanumeric'
  | 'charset'
  | 'bytes';

/** A structure found in a value (`src/strength/structure.ts` finds them). */
export type PatternKind = 'run' | 'repeat' | 'sequence' | 'keyboard' | 'word';

/** Every stable issue code the strength and deploy checks emit, with a one-line meaning. */
export const ISSUE_CODES = {
  WEAK_EMPTY: 'the value is empty or whitespace only',
  WEAK_TOO_SHORT: 'fewer bits than the profile needs, counted on the decoded alphabet',
  WEAK_LOW_ENTROPY:
    'one or two symbols, a tiny alphabet, digits only, long runs of one character, or a Shannon floor breach',
  WEAK_REPEATED: 'a shorter unit repeated (including a random half written twice)',
  WEAK_SEQUENCE: 'ordered runs, an alphabet written out, counting',
  WEAK_KEYBOARD_WALK: 'keyboard walks on QWERTY, AZERTY, QWERTZ or the keypad',
  WEAK_DICTIONARY: 'dictionary words, phrases or a passphrase with too few words',
  WEAK_PLACEHOLDER: 'a placeholder, mask or unrendered template',
  WEAK_UNRESOLVED_REF: 'a secret-manager reference used as the value',
  WEAK_OWN_NAME: "the variable's own name, a variable name or a source expression",
  WEAK_KNOWN_DEFAULT: 'a default or example key printed in public docs, or a digest of one',
  WEAK_KNOWN_LEAKED: 'on the public list of leaked JWT secrets',
  WEAK_SHARED: 'the same value (by fingerprint) in two environments',
  WEAK_TOKEN: 'a compact JWS or JWE (a token, not a key) used as the value',
  DEPLOY_ENV_MARKER_MISSING: 'no NODE_ENV / ENVIRONMENT / APP_ENV marker',
  DEPLOY_ENV_NOT_PRODUCTION: 'the environment marker is not production',
  DEPLOY_DEBUG_ENABLED: 'a debug flag or inspector is on',
  DEPLOY_CORS_WILDCARD: 'CORS allows any origin (*)',
  DEPLOY_CORS_INSECURE_ORIGIN: 'CORS allows an http:// origin',
  DEPLOY_DB_WEAK_PASSWORD: 'a database URL with no, a default or a weak password',
  DEPLOY_DB_TLS_DISABLED: 'a database URL that does not require TLS',
  DEPLOY_DEFAULT_CREDENTIALS: 'default admin credentials (admin/admin123 style)',
} as const;

/** A stable issue code. */
export type IssueCode = keyof typeof ISSUE_CODES;

/** Codes of the value rules (everything but the deploy configuration rules). */
export type ValueIssueCode = Extract<IssueCode, `WEAK_${string}`>;

/** Codes of the deploy configuration rules. */
export type DeployIssueCode = Extract<IssueCode, `DEPLOY_${string}`>;

/** How serious a finding is in the environment it was judged for. */
export type Severity = 'error' | 'warning';

/** Details of the pattern findings (repeats, sequences, walks, words, runs). */
export interface PatternDetails {
  pattern: PatternKind;
  /** Share of the value the pattern family covers, 0..1. */
  coverage: number;
  estimatedBits: number;
  requiredBits: number;
}

/** The details each code's issues carry, beside `code`, `severity` and `message`. Never the value. */
export interface IssueDetails {
  WEAK_EMPTY: Record<never, never>;
  WEAK_TOO_SHORT: { estimatedBits: number; requiredBits: number; alphabet: AlphabetKind };
  WEAK_LOW_ENTROPY: {
    distinct?: number;
    estimatedBits?: number;
    alphabet?: 'decimal';
    shannonPerChar?: number;
  } & Partial<PatternDetails>;
  WEAK_REPEATED: PatternDetails;
  WEAK_SEQUENCE: PatternDetails;
  WEAK_KEYBOARD_WALK: PatternDetails & { layouts: readonly string[] };
  WEAK_DICTIONARY: PatternDetails & { words: number; commonWords: number };
  WEAK_PLACEHOLDER: { kind: string };
  WEAK_UNRESOLVED_REF: { kind: string };
  WEAK_OWN_NAME: { kind: 'own-name' | 'expression' | 'variable-name' };
  WEAK_KNOWN_DEFAULT: { source: string; via: string; encoding?: string };
  WEAK_KNOWN_LEAKED: { list: string; via: string };
  WEAK_SHARED: {
    fingerprint: string;
    otherEnvironment: string;
    otherName?: string | undefined;
    otherFile?: string | undefined;
  };
  WEAK_TOKEN: { format: 'jws' | 'jwe'; alg?: string };
  DEPLOY_ENV_MARKER_MISSING: { name?: string };
  DEPLOY_ENV_NOT_PRODUCTION: { name?: string };
  DEPLOY_DEBUG_ENABLED: { name?: string };
  DEPLOY_CORS_WILDCARD: { name?: string };
  DEPLOY_CORS_INSECURE_ORIGIN: { name?: string };
  DEPLOY_DB_WEAK_PASSWORD: { name?: string };
  DEPLOY_DB_TLS_DISABLED: { name?: string };
  DEPLOY_DEFAULT_CREDENTIALS: { name?: string };
}

/** Present on a value finding that was found in the text a hex or base64 value decodes to. */
interface DecodedFrom {
  /** The encoding the value was decoded from (`hex`, `base64`, ...). */
  decodedFrom?: string;
}

/** A finding before the environment gives it a severity. */
export type Finding<C extends IssueCode = IssueCode> = {
  [K in C]: { code: K; message: string } & IssueDetails[K] & DecodedFrom;
}[C];

/** One finding with its severity. Data only: it never holds the value or any slice of it. */
export type StrengthIssue<C extends IssueCode = IssueCode> = {
  [K in C]: { code: K; severity: Severity; message: string } & IssueDetails[K] & DecodedFrom;
}[C];

/** True when `code` is a declared issue code. */
export function isIssueCode(code: unknown): code is IssueCode {
  return typeof code === 'string' && Object.hasOwn(ISSUE_CODES, code);
}
