/** Go: env helpers with a default, `viper.SetDefault`, struct-tag defaults, `cmp.Or`, empty-check defaults, literals, signing calls. */
import { readLiteral } from '../literal.js';
import { isSecretName } from '../names.js';
import {
  COMMENT_LINE,
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

const GETENV = String.raw`\bos\s*\.\s*(?:Getenv|LookupEnv)\s*\(\s*`;

const RULES: SiteRule[] = [
  {
    // `getEnv("JWT_SECRET", "secret")`, `utils.GetEnvOrDefault(...)`, `envOr(...)`: any helper named for env with a second argument.
    id: 'go/env-helper-default',
    kind: 'fallback',
    quoted: true,
    before:
      /\b(?:[A-Za-z_]\w*\s*\.\s*)?(?!Setenv\b|Unsetenv\b|LookupEnv\b)[A-Za-z_]*[Ee]nv[A-Za-z_]*\s*\(\s*$/,
    after: /\s*,\s*/y,
  },
  {
    id: 'go/viper-default',
    kind: 'fallback',
    quoted: true,
    before: /\bSetDefault\s*\(\s*$/,
    after: /\s*,\s*/y,
  },
  {
    id: 'go/cmp-or',
    kind: 'fallback',
    quoted: true,
    before: new RegExp(`\\bcmp\\s*\\.\\s*Or\\s*\\(\\s*${GETENV}$`),
    after: /\s*\)\s*,\s*/y,
  },
  {
    id: 'go/setenv',
    kind: 'hardcoded',
    quoted: true,
    before: /\bos\s*\.\s*Setenv\s*\(\s*$/,
    after: /\s*,\s*/y,
  },
  {
    id: 'go/declaration',
    kind: 'hardcoded',
    quoted: false,
    before: /\b(?:var|const)\s+$/,
    after: /\s*(?:[\w.[\]*]+\s*)?=\s*/y,
  },
  {
    id: 'go/declaration',
    kind: 'hardcoded',
    quoted: false,
    before: /(?:^|[^\w.\s]|[^.]\s+)$/,
    after: /\s*:=\s*/y,
  },
  // Composite literal fields: `Config{Secret: "x"}`.
  { id: 'go/field', kind: 'hardcoded', quoted: false, before: /(?:^|[{,\n])\s*$/, after: /\s*:\s*/y },
  { id: 'go/field', kind: 'hardcoded', quoted: true, before: /(?:^|[{,\n])\s*$/, after: /\s*:\s*/y },
];

/** `secret := os.Getenv("JWT_SECRET")` then `if secret == "" { secret = "default" }`. */
const CONDITIONAL = [
  {
    id: 'go/conditional-default',
    kind: 'fallback' as const,
    re: new RegExp(
      `(?<var>\\b[A-Za-z_]\\w*)\\s*:?=\\s*${GETENV}${QUOTED_NAME}\\s*\\)[^\\n]*\\n(?:[^\\n]*\\n){0,3}?[ \\t]*\\k<var>\\s*=\\s*`,
      'g',
    ),
  },
];

const SIGNING: SigningRule[] = [
  { id: 'go/signed-string-key', re: /(?<=\.\s*)SignedString\s*\(/g, arg: 0, name: 'SignedString' },
  { id: 'go/hmac-key', re: /\bhmac\s*\.\s*New\s*\(/g, arg: 1, name: 'hmac.New' },
];

/**
 * Struct tags with defaults: caarlos0/env `env:"X" envDefault:"v"`, kelseyhightower/envconfig
 * `envconfig:"X" default:"v"` (or the field name), sethvargo/go-envconfig `env:"X, default=v"`.
 */
function tagDefaults(text: string, starts: LineIndex): RawFinding[] {
  const out: RawFinding[] = [];
  const re = /^[ \t]*(?<field>[A-Za-z_]\w*)[ \t]+[\w.[\]*]+[ \t]+`(?<tag>[^`\n]*)`/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const tag = m.groups!.tag!;
    const env = /\b(?:env|envconfig)\s*:\s*"([^",]*)(?:,([^"]*))?"/.exec(tag);
    const name = env?.[1]?.trim() || m.groups!.field!;
    if (!isSecretName(name)) continue;
    const tagStart = m.index + m[0].length - tag.length - 1;
    const def = /\b(?:envDefault|default)\s*:\s*(?="[^"]*")/.exec(tag);
    let value: string | undefined;
    let at = -1;
    if (def) {
      at = tagStart + def.index + def[0].length;
      value = readLiteral(text, at, 'go')?.value;
    } else {
      const inline = /(?:^|,)\s*default=([^,"]*)/.exec(env?.[2] ?? '');
      if (inline) {
        value = inline[1]!.trim();
        at = tagStart + tag.indexOf(inline[0]) + inline[0].indexOf('=') + 1;
      }
    }
    if (value === undefined || value === '' || at < 0) continue;
    const { line, column } = starts.position(at);
    out.push({ kind: 'fallback', rule: 'go/tag-default', line, column, name, value });
  }
  return out;
}

/** The Go recogniser. */
export const go: Recognizer = {
  id: 'go',
  match: (f) => f.base.endsWith('.go'),
  scan(text) {
    const starts = new LineIndex(text);
    return [
      ...runSites(text, findSites(text), RULES, 'go', starts, COMMENT_LINE.c),
      ...(text.includes('Getenv') ? runPatterns(text, CONDITIONAL, 'go', starts) : []),
      ...(text.includes('default') ? tagDefaults(text, starts) : []),
      ...runSigning(text, SIGNING, 'go', starts),
    ];
  },
};
