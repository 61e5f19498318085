/**
 * Ruby and Rails: `ENV.fetch('X', '…')`, `ENV.fetch('X') { '…' }`, `ENV['X'] || '…'` (also inside
 * ERB in config YAML such as `database.yml`), assignments and hash entries, signing calls.
 */
import {
  COMMENT_LINE,
  findSites,
  LineIndex,
  type Recognizer,
  runSigning,
  runSites,
  type SigningRule,
  type SiteRule,
} from '../recognizer.js';

const ENV_RULES: SiteRule[] = [
  {
    id: 'ruby/fetch-default',
    kind: 'fallback',
    quoted: true,
    before: /\bENV\s*\.\s*fetch\s*\(\s*$/,
    after: /\s*,\s*/y,
  },
  {
    id: 'ruby/fetch-block',
    kind: 'fallback',
    quoted: true,
    before: /\bENV\s*\.\s*fetch\s*\(\s*$/,
    after: /\s*\)\s*(?:\{|do\b)\s*(?:\|\w*\|\s*)?/y,
  },
  {
    id: 'ruby/env-or',
    kind: 'fallback',
    quoted: true,
    before: /\bENV\s*\[\s*$/,
    after: /\s*\]\s*(?:\|\||\bor\b)\s*/y,
  },
];

const RULES: SiteRule[] = [
  ...ENV_RULES,
  {
    id: 'ruby/assign',
    kind: 'hardcoded',
    quoted: false,
    before: /(?:^|\n)[ \t]*(?:@{1,2}|\$|[A-Za-z_][\w.]*\.)?$/,
    after: /\s*(?:\|\|)?=(?![=~>])\s*/y,
  },
  { id: 'ruby/hash-entry', kind: 'hardcoded', quoted: false, before: /(?:^|[^\w:])$/, after: /:\s+/y },
  { id: 'ruby/hash-entry', kind: 'hardcoded', quoted: true, after: /\s*=>\s*/y },
];

const SIGNING: SigningRule[] = [
  { id: 'ruby/jwt-key', re: /\bJWT\s*\.\s*(?:encode|decode)\s*\(/g, arg: 1, name: 'JWT.encode' },
  {
    id: 'ruby/hmac-key',
    re: /\bOpenSSL\s*::\s*HMAC\s*\.\s*(?:hexdigest|digest|base64digest)\s*\(/g,
    arg: 1,
    name: 'OpenSSL::HMAC',
  },
];

/** The Ruby recogniser. */
export const ruby: Recognizer = {
  id: 'ruby',
  match: (f) => /\.(?:rb|rake)$/.test(f.base),
  scan(text) {
    const starts = new LineIndex(text);
    return [
      ...runSites(text, findSites(text), RULES, 'ruby', starts, COMMENT_LINE.hash),
      ...runSigning(text, SIGNING, 'ruby', starts),
    ];
  },
};

/** ERB inside YAML and templates (`config/database.yml`: `<%= ENV.fetch("X") { "postgres" } %>`). */
export const erb: Recognizer = {
  id: 'erb',
  match: (f) => /\.(?:ya?ml|erb)$/.test(f.base),
  scan(text) {
    if (!text.includes('<%')) return [];
    return runSites(text, findSites(text), ENV_RULES, 'ruby', new LineIndex(text), COMMENT_LINE.hash);
  },
};
