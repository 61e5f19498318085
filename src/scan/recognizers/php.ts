/** PHP and Laravel: `env('X', 'default')`, `getenv('X') ?: '…'`, `$_ENV['X'] ?? '…'`, `define()`, literals, signing calls. */
import {
  lineStarts,
  type PatternRule,
  QUOTED_NAME,
  type Recognizer,
  runPatterns,
  runSigning,
  type SigningRule,
} from '../recognizer.js';

const RULES: PatternRule[] = [
  {
    id: 'php/env-default',
    kind: 'fallback',
    re: new RegExp(`\\benv\\s*\\(\\s*${QUOTED_NAME}\\s*,\\s*`, 'g'),
  },
  {
    id: 'php/getenv-default',
    kind: 'fallback',
    re: new RegExp(`\\bgetenv\\s*\\(\\s*${QUOTED_NAME}\\s*\\)\\s*(?:\\?:|\\?\\?)\\s*`, 'g'),
  },
  {
    id: 'php/superglobal-default',
    kind: 'fallback',
    re: new RegExp(`\\$_(?:ENV|SERVER)\\s*\\[\\s*${QUOTED_NAME}\\s*\\]\\s*(?:\\?:|\\?\\?)\\s*`, 'g'),
  },
  { id: 'php/define', kind: 'hardcoded', re: new RegExp(`\\bdefine\\s*\\(\\s*${QUOTED_NAME}\\s*,\\s*`, 'g') },
  {
    id: 'php/assign',
    kind: 'hardcoded',
    use: 'identifier',
    re: /(?:\$|\bconst\s+)(?<name>[A-Za-z_]\w*)\s*=(?![=>])\s*/g,
  },
  { id: 'php/array-entry', kind: 'hardcoded', re: new RegExp(`${QUOTED_NAME}\\s*=>\\s*`, 'g') },
];

const SIGNING: SigningRule[] = [
  { id: 'php/jwt-key', re: /\bJWT\s*::\s*(?:encode|decode)\s*\(/g, arg: 1, name: 'JWT::encode' },
  { id: 'php/jwt-key-object', re: /\bnew\s+Key\s*\(/g, arg: 0, name: 'Firebase\\JWT\\Key' },
  { id: 'php/hmac-key', re: /\bhash_hmac\s*\(/g, arg: 2, name: 'hash_hmac' },
];

/** The PHP recogniser. */
export const php: Recognizer = {
  id: 'php',
  match: (f) => f.base.endsWith('.php'),
  scan(text) {
    const starts = lineStarts(text);
    return [...runPatterns(text, RULES, 'php', starts), ...runSigning(text, SIGNING, 'php', starts)];
  },
};
