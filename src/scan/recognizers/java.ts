/**
 * Java and Spring: `@Value("${k:default}")`, `System.getenv` defaults, constants, signing calls;
 * `application*.properties` and `application*.yml`, where a literal is the default an env var
 * overrides (relaxed binding) and `${ENV:default}` spells the default out.
 */

import { classifyValue, propertiesEntries, springValue, tokenName } from '../formats/config-values.js';
import { yamlEntries } from '../formats/yaml-lines.js';
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

const GETENV = String.raw`System\s*\.\s*getenv\s*\(\s*`;

const RULES: SiteRule[] = [
  {
    id: 'java/getenv-default',
    kind: 'fallback',
    quoted: true,
    before: /System\s*\.\s*getenv\s*\(\s*\)\s*\.\s*getOrDefault\s*\(\s*$/,
    after: /\s*,\s*/y,
  },
  {
    id: 'java/optional-or-else',
    kind: 'fallback',
    quoted: true,
    before: new RegExp(`Optional\\s*\\.\\s*ofNullable\\s*\\(\\s*${GETENV}$`),
    after: /\s*\)\s*\)\s*\.\s*orElse\s*\(\s*/y,
  },
  {
    id: 'java/require-non-null-else',
    kind: 'fallback',
    quoted: true,
    before: /requireNonNullElse\s*\(\s*System\s*\.\s*get(?:env|Property)\s*\(\s*$/,
    after: /\s*\)\s*,\s*/y,
  },
  {
    id: 'java/property-default',
    kind: 'fallback',
    quoted: true,
    before: /\b(?:System|env|environment)\s*\.\s*getProperty\s*\(\s*$/,
    after: /\s*,\s*/y,
  },
  {
    id: 'java/field',
    kind: 'hardcoded',
    quoted: false,
    before: /\b(?:String|char\s*\[\s*\]|byte\s*\[\s*\]|var)\s+$/,
    after: /\s*=\s*/y,
  },
];

const SIGNING: SigningRule[] = [
  { id: 'java/sign-with', re: /(?<=\.\s*)signWith\s*\(/g, arg: 'any', name: 'signWith' },
  { id: 'java/signing-key', re: /(?<=\.\s*)setSigningKey\s*\(/g, arg: 0, name: 'setSigningKey' },
  {
    id: 'java/hmac-algorithm',
    re: /\bAlgorithm\s*\.\s*HMAC(?:256|384|512)\s*\(/g,
    arg: 0,
    name: 'Algorithm.HMAC256',
  },
  { id: 'java/secret-key-spec', re: /\bnew\s+SecretKeySpec\s*\(/g, arg: 0, name: 'SecretKeySpec' },
  { id: 'java/hmac-sha-key', re: /\bKeys\s*\.\s*hmacShaKeyFor\s*\(/g, arg: 0, name: 'Keys.hmacShaKeyFor' },
];

/** `@Value("${jwt.secret:default}")`: the default after the colon, up to the closing brace. */
function valueAnnotations(text: string, starts: LineIndex): RawFinding[] {
  const out: RawFinding[] = [];
  const re = /@Value\s*\(\s*"\$\{(?<name>[\w.-]+):(?<value>[^}"]*)\}"/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const { name, value } = m.groups as { name: string; value: string };
    if (!isSecretName(name) || classifyValue(value) !== 'literal') continue;
    const { line, column } = starts.position(m.index + m[0].length - value.length - 2);
    out.push({ kind: 'fallback', rule: 'java/value-default', line, column, name, value });
  }
  return out;
}

/** One Spring setting: `${ENV:default}` defaults, literals (overridable by env), tokens. */
function springSetting(
  name: string,
  raw: string,
  line: number,
  column: number,
  rule: string,
): RawFinding | undefined {
  const v = springValue(raw);
  const aliases = v.env ? [v.env] : [];
  if (!isSecretName(name) && !(v.env && isSecretName(v.env))) return undefined;
  const cls = classifyValue(v.value);
  if (cls === 'token') {
    return {
      kind: 'unrendered',
      rule: `${rule}-token`,
      line,
      column,
      name,
      aliases: [tokenName(v.value)],
      value: v.value,
    };
  }
  if (cls !== 'literal') return undefined;
  return { kind: 'fallback', rule, line, column, name, aliases, value: v.value };
}

/** The Java source recogniser. */
export const java: Recognizer = {
  id: 'java',
  match: (f) => /\.(?:java|kt)$/.test(f.base),
  scan(text) {
    const starts = new LineIndex(text);
    return [
      ...runSites(text, findSites(text), RULES, 'java', starts, COMMENT_LINE.c),
      ...valueAnnotations(text, starts),
      ...runSigning(text, SIGNING, 'java', starts),
    ];
  },
};

const SPRING_FILE = /^(?:application|bootstrap)(?:[-.][\w-]+)?\.(?:properties|ya?ml)$/;

/** Spring Boot's `application*.properties` / `application*.yml` recogniser. */
export const spring: Recognizer = {
  id: 'spring',
  match: (f) => SPRING_FILE.test(f.base),
  scan(text, file) {
    const out: RawFinding[] = [];
    if (file.base.endsWith('.properties')) {
      for (const e of propertiesEntries(text)) {
        const f = springSetting(e.key, e.value, e.line, e.column, 'spring/properties-default');
        if (f) out.push(f);
      }
      return out;
    }
    for (const e of yamlEntries(text)) {
      if (e.key === '' || (!e.quoted && classifyValue(e.value) === 'other')) continue;
      const f = springSetting(e.path.join('.'), e.value, e.line, e.column, 'spring/yaml-default');
      if (f) out.push(f);
    }
    return out;
  },
};
