/**
 * Which names hold secrets. Names come as env vars (`JWT_SECRET_KEY`), config paths (`jwt.secret`,
 * `Jwt:Key`, `app.jwtSecret`), or code identifiers (`jwtKey`, `SECRET_KEY`); each is split into
 * upper-case words and judged on them. Written by hand: no library classifies setting names, and
 * the word tables below are the whole rule (kept here, in one place, so every recogniser agrees).
 */

/** Words that make a name a secret on their own. */
const SECRET_WORDS = new Set([
  'SECRET',
  'SECRETS',
  'PASSWORD',
  'PASSWORDS',
  'PASSWD',
  'PASSPHRASE',
  'PASS',
  'PWD',
  'TOKEN',
  'TOKENS',
  'CREDENTIAL',
  'CREDENTIALS',
  'APIKEY',
  'PEPPER',
  'SALT',
  'HMAC',
]);

/** Long words also found glued to others (`SECRETKEY`, `DBPASSWORD`, `AUTHTOKEN`). */
const GLUED_WORDS = ['SECRET', 'PASSWORD', 'PASSWD', 'PASSPHRASE', 'TOKEN', 'APIKEY'];
/** What may follow a glued word inside one token (`SECRETKEY`, `SECRETS`); `TOKENIZER` is not a token. */
const GLUED_TAILS = new Set(['', 'S', 'KEY', 'KEYS', 'BASE']);

/** Words before a final `KEY` that make it a secret in code identifiers (`jwtKey`, `signingKey`). */
const KEY_QUALIFIERS = new Set([
  'API',
  'APP',
  'JWT',
  'SECRET',
  'SIGNING',
  'SIGN',
  'ENCRYPTION',
  'ENCRYPT',
  'CRYPTO',
  'CIPHER',
  'HMAC',
  'SESSION',
  'AUTH',
  'ACCESS',
  'MASTER',
  'PRIVATE',
  'LICENSE',
  'AES',
  'FERNET',
  'TOKEN',
  'CLIENT',
  'SHARED',
  'WEBHOOK',
  'SERVER',
  'COOKIE',
]);

/** Words that make a name not a secret wherever they stand: a public half, a pointer to a secret kept elsewhere, a bound. */
const NOT_SECRET_ANYWHERE = new Set([
  'PUBLIC',
  'PUBLISHABLE',
  'SITE',
  'EXISTING',
  'MIN',
  'MAX',
  'NUM',
  // About a secret, not one: messages, error codes, UI labels.
  'WEAK',
  'INVALID',
  'MISSING',
  'BAD',
  'WRONG',
  'EMPTY',
  'UNKNOWN',
  'ERR',
  'ERROR',
  'MSG',
  'MESSAGE',
  'LABEL',
  'HINT',
  'HELP',
  'TITLE',
  'PROMPT',
  'PLACEHOLDER',
]);

/**
 * Words that may follow the secret word (`SECRET_KEY_BASE`, `AWS_SECRET_ACCESS_KEY`,
 * `secretOrKey`, `API_TOKEN_VALUE`). Any other word makes the name about the secret, not the
 * secret itself: `PASSWORD_TOO_SHORT`, `TOKEN_QUERY_PARAM`, `REFRESH_TOKEN_GRANT`.
 */
const TAIL_WORDS = new Set([
  'KEY',
  'KEYS',
  'BASE',
  'VALUE',
  'VAL',
  'STRING',
  'STR',
  'BYTES',
  'B64',
  'BASE64',
  'HEX',
  'RAW',
  'TEXT',
  'PLAIN',
  'ENCODED',
  'DEFAULT',
  'DEV',
  'DEVELOPMENT',
  'PROD',
  'PRODUCTION',
  'STAGING',
  'TEST',
  'LIVE',
  'SANDBOX',
  'LOCAL',
  'OLD',
  'NEW',
  'CURRENT',
  'PREV',
  'PREVIOUS',
  'NEXT',
  'PRIMARY',
  'SECONDARY',
  'ACCESS',
  'OR',
  'PRIVATE',
]);

/** Names that are exactly a shell variable, not a secret. */
const SHELL_NAMES = new Set(['PWD', 'OLDPWD']);

/** Splits a name into upper-case words: `jwtSecretKey`, `JWT_SECRET_KEY`, `Jwt:Key`, `app.jwt-secret` alike. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toUpperCase());
}

/** How a name is used: a setting (env var, config key) or an identifier in code. */
export type NameUse = 'setting' | 'identifier';

function isSecretWord(word: string): boolean {
  if (SECRET_WORDS.has(word)) return true;
  for (const g of GLUED_WORDS) {
    if (word.length > g.length && word.startsWith(g) && GLUED_TAILS.has(word.slice(g.length))) return true;
    if (word.length > g.length && word.endsWith(g)) return true;
  }
  return false;
}

/**
 * True when the name holds a secret. A final `KEY` counts for settings (`APP_KEY`, `STRIPE_KEY`)
 * and, in code, only after a qualifier that makes it a secret (`jwtKey`, not `cacheKey`).
 * @example isSecretName('JWT_SECRET_KEY') // true
 * @example isSecretName('JWT_ALGORITHM') // false
 */
export function isSecretName(name: string, use: NameUse = 'setting'): boolean {
  if (name.length === 0 || name.length > 256 || SHELL_NAMES.has(name)) return false;
  const words = nameWords(name);
  if (words.length === 0 || words.some((w) => NOT_SECRET_ANYWHERE.has(w))) return false;
  let at = -1;
  for (let i = words.length - 1; i >= 0 && at < 0; i--) if (isSecretWord(words[i]!)) at = i;
  if (at < 0) {
    // `STRIPE_API_KEY`, `Jwt:Key`, `API_KEY_LIVE`: the last KEY word, after at least one other word.
    let k = -1;
    for (let i = words.length - 1; i >= 1 && k < 0; i--) if (/^KEYS?$/.test(words[i]!)) k = i;
    if (k < 0 || (use === 'identifier' && !KEY_QUALIFIERS.has(words[k - 1]!))) return false;
    at = k;
  }
  if (at < 0) return false;
  return words.slice(at + 1).every((w) => TAIL_WORDS.has(w) || /^(?:V?\d+)$/.test(w));
}
