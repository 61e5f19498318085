/** JavaScript and TypeScript: `process.env.X || '…'`, `??`, destructuring defaults, schema `.default()`, config getters, literals, signing calls. */
import { readLiteral } from '../literal.js';
import { isSecretName } from '../names.js';
import {
  COMMENT_LINE,
  findSites,
  LineIndex,
  type RawFinding,
  type Recognizer,
  runSigning,
  runSites,
  type SigningRule,
  type SiteRule,
} from '../recognizer.js';

const ENV = String.raw`\b(?:process\s*\.\s*env|import\s*\.\s*meta\s*\.\s*env|Bun\s*\.\s*env)`;
const OR = /\s*!?\s*(?:\|\||\?\?)\s*/y;
/** Not a member (`a.b`): property names in object literals and schema keys. */
const KEY_POSITION = /(?:^|[{,(\n])\s*$/;
/** How far back KEY_POSITION looks: the punctuation and some indentation. */
const KEY_WINDOW = 24;

const RULES: SiteRule[] = [
  {
    id: 'js/env-or',
    kind: 'fallback',
    quoted: false,
    use: 'setting',
    labels: false,
    before: new RegExp(`${ENV}\\s*\\.\\s*$`),
    after: OR,
  },
  {
    id: 'js/env-or',
    kind: 'fallback',
    quoted: true,
    before: new RegExp(`${ENV}\\s*\\[\\s*$`),
    after: /\s*\]\s*!?\s*(?:\|\||\?\?)\s*/y,
  },
  {
    id: 'js/env-or',
    kind: 'fallback',
    quoted: true,
    before: /\bDeno\s*\.\s*env\s*\.\s*get\s*\(\s*$/,
    after: /\s*\)\s*(?:\|\||\?\?)\s*/y,
  },
  {
    // zod / Joi / yup env schemas: `JWT_SECRET: z.string().default('dev')`.
    id: 'js/schema-default',
    kind: 'fallback',
    quoted: false,
    use: 'setting',
    labels: false,
    before: KEY_POSITION,
    window: KEY_WINDOW,
    after: /\s*:\s*(?:z|zod|Joi|joi|yup|v|t)\s*\.[^\n]*?\.default\s*\(\s*/y,
  },
  {
    // envalid: `JWT_SECRET: str({ default: 'dev' })` (`devDefault` only applies in development).
    id: 'js/envalid-default',
    kind: 'fallback',
    quoted: false,
    use: 'setting',
    labels: false,
    before: KEY_POSITION,
    window: KEY_WINDOW,
    after: /\s*:\s*(?:str|url|email|host|json)\s*\(\s*\{[^}]*?\bdefault\s*:\s*/y,
  },
  {
    // NestJS ConfigService, convict, node-config getters with a default argument.
    id: 'js/config-get-default',
    kind: 'fallback',
    quoted: true,
    before:
      /\b\w*(?:[cC]onfig|[sS]ettings|[eE]nv)\w*\s*\.\s*(?:get|getOrThrow|getString)\s*(?:<[^>()]*>)?\s*\(\s*$/,
    after: /\s*,\s*/y,
  },
  {
    id: 'js/declaration',
    kind: 'hardcoded',
    quoted: false,
    before: /\b(?:const|let|var)\s+$/,
    after: /\s*(?::\s*[\w$<>[\]|' .]+)?=(?!=)\s*/y,
  },
  {
    id: 'js/property',
    kind: 'hardcoded',
    quoted: false,
    before: KEY_POSITION,
    window: KEY_WINDOW,
    after: /\s*:\s*/y,
  },
  {
    id: 'js/property',
    kind: 'hardcoded',
    quoted: true,
    before: KEY_POSITION,
    window: KEY_WINDOW,
    after: /\s*:\s*/y,
  },
  { id: 'js/member-assign', kind: 'hardcoded', quoted: false, before: /\.\s*$/, after: /\s*=(?![=>])\s*/y },
  {
    id: 'js/member-assign',
    kind: 'hardcoded',
    quoted: true,
    before: /\[\s*$/,
    after: /\s*\]\s*=(?![=>])\s*/y,
  },
];

const SIGNING: SigningRule[] = [
  {
    id: 'js/jwt-key',
    re: /\b(?:jwt|jsonwebtoken|JWT)\s*\.\s*(?:sign|verify)\s*\(/g,
    hint: ['sign', 'verify'],
    arg: 1,
    name: 'jwt.sign',
  },
  { id: 'js/hmac-key', re: /\bcreateHmac\s*\(/g, arg: 1, name: 'createHmac', hint: ['createHmac'] },
  {
    id: 'js/cookie-parser-secret',
    re: /\bcookieParser\s*\(/g,
    arg: 0,
    name: 'cookieParser',
    hint: ['cookieParser'],
  },
];

/** `const { JWT_SECRET = 'dev', PORT = '3000' } = process.env`: each default of a secret name. */
function destructuringDefaults(text: string, starts: LineIndex): RawFinding[] {
  const out: RawFinding[] = [];
  // `} = process.env` (or `import.meta.env`, `Bun.env`): found from `.env`, a plain substring search.
  for (let at = text.indexOf('.env'); at >= 0; at = text.indexOf('.env', at + 4)) {
    const head = /\}\s*=\s*(?:process|import\s*\.\s*meta|Bun)\s*$/.exec(text.slice(Math.max(0, at - 48), at));
    if (!head || /\w/.test(text[at + 4] ?? '')) continue;
    const close = at - head[0].length;
    const open = text.lastIndexOf('{', close);
    if (open < 0 || close - open > 2000) continue;
    const body = text.slice(open + 1, close);
    if (body.includes('{') || body.includes('}')) continue;
    const base = open + 1;
    const item = /(?:^|,)\s*(?<name>[A-Za-z_$][\w$]*)(?:\s*:\s*[A-Za-z_$][\w$]*)?\s*=\s*/g;
    for (let d = item.exec(body); d; d = item.exec(body)) {
      const name = d.groups!.name!;
      if (!isSecretName(name)) continue;
      const at = base + d.index + d[0].length;
      const lit = readLiteral(text, at, 'js');
      if (!lit || !/^\s*[,}]/.test(text.slice(lit.end, lit.end + 8))) continue;
      const { line, column } = starts.position(at);
      out.push({ kind: 'fallback', rule: 'js/destructure-default', line, column, name, value: lit.value });
    }
  }
  return out;
}

/** The JavaScript / TypeScript recogniser. */
export const javascript: Recognizer = {
  id: 'js',
  match: (f) => /\.(?:[cm]?[jt]sx?)$/.test(f.base) && !/\.min\.js$|\.d\.ts$/.test(f.base),
  scan(text) {
    const starts = new LineIndex(text);
    return [
      ...runSites(text, findSites(text), RULES, 'js', starts, COMMENT_LINE.c),
      ...destructuringDefaults(text, starts),
      ...runSigning(text, SIGNING, 'js', starts),
    ];
  },
};
