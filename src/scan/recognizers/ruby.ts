/**
 * Ruby and Rails: `ENV.fetch('X', '…')`, `ENV.fetch('X') { '…' }`, `ENV['X'] || '…'` (also inside
 * ERB in config YAML such as `database.yml`), assignments and hash entries, signing calls.
 */
import {
  lineStarts,
  type PatternRule,
  QUOTED_NAME,
  type Recognizer,
  runPatterns,
  runSigning,
  type SigningRule,
} from '../recognizer.js';

const ENV_RULES: PatternRule[] = [
  {
    id: 'ruby/fetch-default',
    kind: 'fallback',
    re: new RegExp(`\\bENV\\s*\\.\\s*fetch\\s*\\(\\s*${QUOTED_NAME}\\s*,\\s*`, 'g'),
  },
  {
    id: 'ruby/fetch-block',
    kind: 'fallback',
    re: new RegExp(
      `\\bENV\\s*\\.\\s*fetch\\s*\\(\\s*${QUOTED_NAME}\\s*\\)\\s*(?:\\{|do\\b)\\s*(?:\\|\\w*\\|\\s*)?`,
      'g',
    ),
  },
  {
    id: 'ruby/env-or',
    kind: 'fallback',
    re: new RegExp(`\\bENV\\s*\\[\\s*${QUOTED_NAME}\\s*\\]\\s*(?:\\|\\||\\bor\\b)\\s*`, 'g'),
  },
];

const RULES: PatternRule[] = [
  ...ENV_RULES,
  {
    id: 'ruby/assign',
    kind: 'hardcoded',
    use: 'identifier',
    re: /^[ \t]*(?:@{1,2}|\$|[A-Za-z_][\w.]*\.)?(?<name>[A-Za-z_]\w*)\s*(?:\|\|)?=(?![=~>])\s*/gm,
  },
  { id: 'ruby/hash-entry', kind: 'hardcoded', re: /(?<![\w:])(?<name>[A-Za-z_]\w*):\s+/g },
  { id: 'ruby/hash-entry', kind: 'hardcoded', re: new RegExp(`${QUOTED_NAME}\\s*=>\\s*`, 'g') },
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
    const starts = lineStarts(text);
    return [...runPatterns(text, RULES, 'ruby', starts), ...runSigning(text, SIGNING, 'ruby', starts)];
  },
};

/** ERB inside YAML and templates (`config/database.yml`: `<%= ENV.fetch("X") { "postgres" } %>`). */
export const erb: Recognizer = {
  id: 'erb',
  match: (f) => /\.(?:ya?ml|erb)$/.test(f.base),
  scan(text) {
    if (!text.includes('<%')) return [];
    return runPatterns(text, ENV_RULES, 'ruby', lineStarts(text));
  },
};
