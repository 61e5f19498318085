/** JavaScript and TypeScript: `process.env.X || '…'`, `??`, destructuring defaults, schema `.default()`, config getters, literals, signing calls. */
import { readLiteral } from '../literal.js';
import { isSecretName } from '../names.js';
import {
  lineStarts,
  type PatternRule,
  position,
  QUOTED_NAME,
  type RawFinding,
  type Recognizer,
  runPatterns,
  runSigning,
  type SigningRule,
} from '../recognizer.js';

const ENV = String.raw`\b(?:process\s*\.\s*env|import\s*\.\s*meta\s*\.\s*env|Bun\s*\.\s*env)`;
const OR = String.raw`\s*!?\s*(?:\|\||\?\?)\s*`;

const RULES: PatternRule[] = [
  {
    id: 'js/env-or',
    kind: 'fallback',
    re: new RegExp(`${ENV}\\s*\\.\\s*(?<name>[A-Za-z_$][\\w$]*)${OR}`, 'g'),
  },
  { id: 'js/env-or', kind: 'fallback', re: new RegExp(`${ENV}\\s*\\[\\s*${QUOTED_NAME}\\s*\\]${OR}`, 'g') },
  {
    id: 'js/env-or',
    kind: 'fallback',
    re: new RegExp(`\\bDeno\\s*\\.\\s*env\\s*\\.\\s*get\\s*\\(\\s*${QUOTED_NAME}\\s*\\)${OR}`, 'g'),
  },
  {
    // zod / Joi / yup env schemas: `JWT_SECRET: z.string().default('dev')`.
    id: 'js/schema-default',
    kind: 'fallback',
    re: /(?<![\w$.])(?<name>[A-Za-z_$][\w$]*)\s*:\s*(?:z|zod|Joi|joi|yup|v|t)\s*\.[^\n]*?\.default\s*\(\s*/g,
  },
  {
    // envalid: `JWT_SECRET: str({ default: 'dev' })` (`devDefault` only applies in development).
    id: 'js/envalid-default',
    kind: 'fallback',
    re: /(?<![\w$.])(?<name>[A-Za-z_$][\w$]*)\s*:\s*(?:str|url|email|host|json)\s*\(\s*\{[^}]*?\bdefault\s*:\s*/g,
  },
  {
    // NestJS ConfigService, convict, node-config getters with a default argument.
    id: 'js/config-get-default',
    kind: 'fallback',
    re: new RegExp(
      `\\b\\w*(?:[cC]onfig|[sS]ettings|[eE]nv)\\w*\\s*\\.\\s*(?:get|getOrThrow|getString)\\s*(?:<[^>()]*>)?\\s*\\(\\s*${QUOTED_NAME}\\s*,\\s*`,
      'g',
    ),
  },
  {
    id: 'js/declaration',
    kind: 'hardcoded',
    use: 'identifier',
    re: /\b(?:const|let|var)\s+(?<name>[A-Za-z_$][\w$]*)\s*(?::\s*[\w$<>[\]|' .]+)?=(?!=)\s*/g,
  },
  {
    id: 'js/property',
    kind: 'hardcoded',
    use: 'identifier',
    re: /(?<=[{,(]\s*|^\s*)(?<name>[A-Za-z_$][\w$]*)\s*:\s*/gm,
  },
  {
    id: 'js/property',
    kind: 'hardcoded',
    re: new RegExp(`(?<=[{,]\\s*|^\\s*)${QUOTED_NAME}\\s*:\\s*`, 'gm'),
  },
  {
    id: 'js/member-assign',
    kind: 'hardcoded',
    use: 'identifier',
    re: /\.\s*(?<name>[A-Za-z_$][\w$]*)\s*=(?![=>])\s*/g,
  },
  {
    id: 'js/member-assign',
    kind: 'hardcoded',
    re: new RegExp(`\\[\\s*${QUOTED_NAME}\\s*\\]\\s*=(?![=>])\\s*`, 'g'),
  },
];

const SIGNING: SigningRule[] = [
  {
    id: 'js/jwt-key',
    re: /\b(?:jwt|jsonwebtoken|JWT)\s*\.\s*(?:sign|verify)\s*\(/g,
    arg: 1,
    name: 'jwt.sign',
  },
  { id: 'js/hmac-key', re: /\bcreateHmac\s*\(/g, arg: 1, name: 'createHmac' },
  { id: 'js/cookie-parser-secret', re: /\bcookieParser\s*\(/g, arg: 0, name: 'cookieParser' },
];

/** `const { JWT_SECRET = 'dev', PORT = '3000' } = process.env`: each default of a secret name. */
function destructuringDefaults(text: string, starts: readonly number[]): RawFinding[] {
  const out: RawFinding[] = [];
  const re = new RegExp(`\\{([^{}]{1,2000})\\}\\s*=\\s*${ENV}\\b`, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const body = m[1]!;
    const base = m.index + 1;
    const item = /(?:^|,)\s*(?<name>[A-Za-z_$][\w$]*)(?:\s*:\s*[A-Za-z_$][\w$]*)?\s*=\s*/g;
    for (let d = item.exec(body); d; d = item.exec(body)) {
      const name = d.groups!.name!;
      if (!isSecretName(name)) continue;
      const at = base + d.index + d[0].length;
      const lit = readLiteral(text, at, 'js');
      if (!lit || !/^\s*[,}]/.test(text.slice(lit.end, lit.end + 8))) continue;
      const { line, column } = position(starts, at);
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
    const starts = lineStarts(text);
    return [
      ...runPatterns(text, RULES, 'js', starts),
      ...destructuringDefaults(text, starts),
      ...runSigning(text, SIGNING, 'js', starts),
    ];
  },
};
