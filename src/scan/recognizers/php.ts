/** PHP and Laravel: `env('X', 'default')`, `getenv('X') ?: '…'`, `$_ENV['X'] ?? '…'`, `define()`, literals, signing calls. */
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

const RULES: SiteRule[] = [
  { id: 'php/env-default', kind: 'fallback', quoted: true, before: /\benv\s*\(\s*$/, after: /\s*,\s*/y },
  {
    id: 'php/getenv-default',
    kind: 'fallback',
    quoted: true,
    before: /\bgetenv\s*\(\s*$/,
    after: /\s*\)\s*(?:\?:|\?\?)\s*/y,
  },
  {
    id: 'php/superglobal-default',
    kind: 'fallback',
    quoted: true,
    before: /\$_(?:ENV|SERVER)\s*\[\s*$/,
    after: /\s*\]\s*(?:\?:|\?\?)\s*/y,
  },
  { id: 'php/define', kind: 'hardcoded', quoted: true, before: /\bdefine\s*\(\s*$/, after: /\s*,\s*/y },
  {
    id: 'php/assign',
    kind: 'hardcoded',
    quoted: false,
    before: /(?:\$|\bconst\s+)$/,
    after: /\s*=(?![=>])\s*/y,
  },
  { id: 'php/array-entry', kind: 'hardcoded', quoted: true, after: /\s*=>\s*/y },
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
    const starts = new LineIndex(text);
    return [
      ...runSites(text, findSites(text), RULES, 'php', starts, COMMENT_LINE.php),
      ...runSigning(text, SIGNING, 'php', starts),
    ];
  },
};
