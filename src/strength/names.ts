/**
 * The one rule that picks a strength profile: an explicit profile, then the caller's own name
 * rules, then what the names imply, in the order config key or variable name, JSON field name,
 * store name; then the caller's default. Names are plain data, so a door reading a store, a .env
 * file or (for `scan`) source code fills them the same way.
 */
import type { StrengthProfile } from './types.js';

/** The names a value is known by. Plain data: no door-specific objects. */
export interface PolicyNames {
  /** The config key or variable name the app reads it as (`JWT_SECRET_KEY`, `jwtSecret`). */
  key?: string | undefined;
  /** The JSON field selected from the stored value (`jwt` of `aws-sm:prod/app#jwt`). */
  field?: string | undefined;
  /** The name in the store (`prod/app`, `/myapp/prod/JWT_SECRET`). */
  store?: string | undefined;
}

/** A profile, or `'none'`: not a secret, do not check. */
export type ProfileOrNone = StrengthProfile | 'none';

/** Where the profile came from. */
export type ProfileSource = 'explicit' | 'rule' | 'key' | 'field' | 'store' | 'default';

/** The profile that applies and which name decided it. */
export interface ProfileChoice {
  profile: ProfileOrNone;
  from: ProfileSource;
}

/** Caller rules: exact names or `/regex/flags` strings, to a profile or `'none'`. */
export type ProfileRules = Readonly<Record<string, ProfileOrNone>>;

/** Options of {@link pickProfile}. */
export interface PickOptions {
  /** Wins over everything. */
  profile?: ProfileOrNone | undefined;
  /** The caller's own name rules, tried on every name before the built-in rule. */
  rules?: ProfileRules | CompiledRules | undefined;
  /** When no name implies a profile. @default 'generic' */
  defaultProfile?: ProfileOrNone | undefined;
}

const ORDER = ['key', 'field', 'store'] as const;

/**
 * Picks the profile for a value known by `names`.
 * @example pickProfile({ key: 'JWT_SECRET_KEY', store: 'prod/app' }) // { profile: 'jwt-hs256', from: 'key' }
 */
export function pickProfile(names: PolicyNames, options: PickOptions = {}): ProfileChoice {
  if (options.profile !== undefined) return { profile: options.profile, from: 'explicit' };
  const rules = options.rules === undefined ? undefined : compileRules(options.rules);
  if (rules && rules.length > 0) {
    for (const level of ORDER) {
      const name = names[level];
      if (name === undefined) continue;
      for (const [rule, profile] of rules) {
        if (typeof rule === 'string' ? rule === name : rule.test(name)) return { profile, from: 'rule' };
      }
    }
  }
  for (const level of ORDER) {
    const name = names[level];
    if (name === undefined) continue;
    const implied = profileForName(name);
    if (implied !== undefined) return { profile: implied, from: level };
  }
  return { profile: options.defaultProfile ?? 'generic', from: 'default' };
}

/** Compiled caller rules (see {@link compileRules}). */
export type CompiledRules = ReadonlyArray<readonly [RegExp | string, ProfileOrNone]> & { compiled: true };

/** Compiles `/regex/flags` keys once; exact names stay strings. */
export function compileRules(rules: ProfileRules | CompiledRules): CompiledRules {
  if (Array.isArray(rules)) return rules as CompiledRules;
  const out = Object.entries(rules as ProfileRules).map(([k, v]) => {
    const m = /^\/(.+)\/([a-z]*)$/.exec(k);
    return [m ? new RegExp(m[1]!, m[2]) : k, v] as const;
  });
  return Object.assign(out, { compiled: true as const });
}

/**
 * `PASS` as a word, last or followed only by words that say which one (`DB_PASS_PROD`,
 * `ADMIN_PASS_DEFAULT`, `SMTP_PASS_2`); `TEST_PASS_RATE` and `BYPASS` are not passwords.
 */
const PASS =
  /(?:^|_)PASS(?:_(?:DEFAULT|DEV|DEVELOPMENT|PROD|PRODUCTION|STAGE|STAGING|TEST|QA|UAT|LIVE|LOCAL|OLD|NEW|CURRENT|PREV|PREVIOUS|NEXT|PRIMARY|SECONDARY|V?\d+))*$/
    .source;
/** Names that hold secrets. */
const SECRET_NAME = new RegExp(
  `SECRET|TOKEN|PASSWORD|PASSWD|(?:^|_)PWD$|PASSPHRASE|PRIVATE|CREDENTIAL|SALT|PEPPER|SIGNING|JWT|(?:^|_)(?:API_?)?KEY$|(?:^|_)KEY_|${PASS}|(?:^|_)AUTH(?:_|$)`,
);
/** Names that look secret but hold public or non-secret settings. */
const NOT_SECRET_NAME =
  /PUBLIC|_ID$|_PATH$|_FILE$|_DIR$|_URL$|_URI$|_HOST$|_PORT$|_ALGORITHM$|_ALG$|_EXPIRES|_EXPIRY|_TTL$|_ISSUER$|_AUDIENCE$|_LENGTH$|_NAME$|_TYPE$/;
const JWT_NAME = /JWT|SECRET_KEY/;
const PASSWORD_NAME = new RegExp(`PASSWORD|PASSWD|(?:^|_)PWD$|PASSPHRASE|${PASS}`);
const API_KEY_NAME = /API_?KEY|TOKEN/;

/**
 * What one name implies: a profile, `'none'` for a name that holds a public or non-secret setting
 * (`JWT_ALGORITHM`, `JWT_PUBLIC_KEY`, `AWS_ACCESS_KEY_ID`), or undefined when the name says nothing
 * (`prod/app`). Only the last path segment counts; camelCase, dashes and dots read as words.
 * @example profileForName('jwtSecret') // 'jwt-hs256'
 */
export function profileForName(name: string): ProfileOrNone | undefined {
  const words = nameWords(name);
  // The shell's working directories, not passwords.
  if (words.length === 0 || words === 'PWD' || words === 'OLDPWD') return undefined;
  if (!SECRET_NAME.test(words)) return undefined;
  if (NOT_SECRET_NAME.test(words)) return 'none';
  if (JWT_NAME.test(words)) {
    if (/HS512|(?:^|_)512(?:_|$)/.test(words)) return 'jwt-hs512';
    if (/HS384|(?:^|_)384(?:_|$)/.test(words)) return 'jwt-hs384';
    return 'jwt-hs256';
  }
  if (PASSWORD_NAME.test(words)) return 'password';
  if (API_KEY_NAME.test(words)) return 'api-key';
  return 'generic';
}

/** `prod/app/jwtSigning-key` -> `JWT_SIGNING_KEY`: last segment, words joined by `_`, upper case. */
function nameWords(name: string): string {
  if (name.length > 256) return '';
  const last = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf(':')) + 1);
  return last
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}
