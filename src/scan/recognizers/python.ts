/** Python: `os.getenv`/`os.environ.get` defaults, decouple/environ `default=`, settings classes, assignments, signing calls. */
import { readLiteral } from '../literal.js';
import { isSecretName } from '../names.js';
import {
  COMMENT_LINE,
  END,
  findSites,
  LineIndex,
  QUOTED_NAME,
  type RawFinding,
  type Recognizer,
  runPatterns,
  runSigning,
  runSites,
  type SigningRule,
  type SiteRule,
} from '../recognizer.js';

const LOOKUP = String.raw`\b(?:os\s*\.\s*)?(?:getenv|environ\s*\.\s*get)\s*\(\s*`;

const RULES: SiteRule[] = [
  {
    id: 'python/getenv-default',
    kind: 'fallback',
    quoted: true,
    before: new RegExp(`${LOOKUP}$`),
    after: /\s*,\s*(?:default\s*=\s*)?/y,
  },
  {
    id: 'python/getenv-or',
    kind: 'fallback',
    quoted: true,
    before: new RegExp(`${LOOKUP}$`),
    after: /\s*\)\s*or\s+/y,
  },
  {
    id: 'python/environ-setdefault',
    kind: 'fallback',
    quoted: true,
    before: /\benviron\s*\.\s*setdefault\s*\(\s*$/,
    after: /\s*,\s*/y,
  },
  {
    // python-decouple `config('X', default=...)`, django-environ `env('X', default=...)` / `env.str(...)`.
    id: 'python/config-default',
    kind: 'fallback',
    quoted: true,
    before: /\b(?:config|env(?:\s*\.\s*\w+)?)\s*\(\s*$/,
    after: /\s*,(?:[^()\n]|\([^()\n]*\))*?\bdefault\s*=\s*/y,
  },
  {
    id: 'python/assign',
    kind: 'hardcoded',
    quoted: false,
    before: /(?:^|\n)[ \t]*(?:[A-Za-z_][\w.]*\.)?$/,
    after: /\s*(?::\s*[\w[\]|., ]+)?=(?!=)\s*/y,
  },
  {
    id: 'python/subscript-assign',
    kind: 'hardcoded',
    quoted: true,
    before: /\[\s*$/,
    after: /\s*\]\s*=(?!=)\s*/y,
  },
  { id: 'python/dict-entry', kind: 'hardcoded', quoted: true, before: /[{,]\s*$/, after: /\s*:\s*/y },
  {
    id: 'python/keyword-argument',
    kind: 'hardcoded',
    quoted: false,
    before: /[(,]\s*$/,
    after: /\s*=(?!=)\s*/y,
  },
];

/** `key = os.environ.get("X")` then, a few lines on, `key = "literal"` (under `if not key:`). */
const CONDITIONAL = [
  {
    id: 'python/conditional-default',
    kind: 'fallback' as const,
    re: new RegExp(
      `(?<var>\\b[A-Za-z_]\\w*)\\s*=\\s*${LOOKUP}${QUOTED_NAME}\\s*\\)[^\\n]*\\n(?:[^\\n]*\\n){0,4}?[ \\t]*\\k<var>\\s*=\\s*(?!=)`,
      'g',
    ),
  },
];

const SIGNING: SigningRule[] = [
  { id: 'python/jwt-key', re: /\bjwt\s*\.\s*(?:encode|decode)\s*\(/g, arg: 1, name: 'jwt.encode' },
  { id: 'python/hmac-key', re: /\bhmac\s*\.\s*new\s*\(/g, arg: 0, name: 'hmac.new' },
  {
    id: 'python/serializer-key',
    re: /\b(?:Fernet|URLSafeTimedSerializer|URLSafeSerializer|TimedSerializer|Serializer|Signer|TimestampSigner)\s*\(/g,
    arg: 0,
    name: 'serializer',
  },
];

/** Fields with a default inside a pydantic `BaseSettings` (or similar) class: the default applies when the env var is unset. */
function settingsFields(text: string, starts: LineIndex): RawFinding[] {
  const out: RawFinding[] = [];
  const classRe = /^([ \t]*)class\s+\w+\s*\(([^)]*)\)\s*:/gm;
  for (let c = classRe.exec(text); c; c = classRe.exec(text)) {
    if (!/Settings|BaseConfig/.test(c[2]!)) continue;
    const indent = c[1]!.length;
    const bodyStart = c.index + c[0].length;
    const fieldRe = /^([ \t]+)(?<name>[A-Za-z_]\w*)\s*:\s*[^=\n]+?=\s*/gm;
    fieldRe.lastIndex = bodyStart;
    for (let m = fieldRe.exec(text); m; m = fieldRe.exec(text)) {
      // The class ends at the first non-blank line indented no deeper than `class`.
      const between = text.slice(bodyStart, m.index);
      if (new RegExp(`^[ \\t]{0,${indent}}\\S`, 'm').test(between)) break;
      if (m[1]!.length <= indent) break;
      const name = m.groups!.name!;
      if (!isSecretName(name)) continue;
      const at = m.index + m[0].length;
      const lit = readLiteral(text, at, 'python');
      if (!lit || !END.test(text.slice(lit.end, lit.end + 80))) continue;
      const { line, column } = starts.position(at);
      out.push({ kind: 'fallback', rule: 'python/settings-default', line, column, name, value: lit.value });
    }
  }
  return out;
}

/** The Python recogniser. */
export const python: Recognizer = {
  id: 'python',
  match: (f) => f.base.endsWith('.py'),
  scan(text) {
    const starts = new LineIndex(text);
    return [
      ...runSites(text, findSites(text), RULES, 'python', starts, COMMENT_LINE.hash),
      ...(/getenv|environ/.test(text) ? runPatterns(text, CONDITIONAL, 'python', starts) : []),
      ...(text.includes('Settings') || text.includes('BaseConfig') ? settingsFields(text, starts) : []),
      ...runSigning(text, SIGNING, 'python', starts),
    ];
  },
};
