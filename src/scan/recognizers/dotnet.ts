/**
 * .NET: `configuration["Jwt:Key"] ?? "…"`, `GetEnvironmentVariable(…) ?? "…"`, options-class
 * property defaults, constants, `SymmetricSecurityKey(Encoding.UTF8.GetBytes("…"))`; and
 * `appsettings*.json`, whose values are defaults that environment variables (`Jwt__Key`) override.
 */
import { classifyValue, tokenName } from '../formats/config-values.js';
import { jsonEntries } from '../formats/json-lines.js';
import { readLiteral } from '../literal.js';
import { isSecretName } from '../names.js';
import {
  COMMENT_LINE,
  END,
  findSites,
  LineIndex,
  type RawFinding,
  type Recognizer,
  runSigning,
  runSites,
  type SigningRule,
  type SiteRule,
} from '../recognizer.js';

const RULES: SiteRule[] = [
  {
    id: 'dotnet/config-coalesce',
    kind: 'fallback',
    quoted: true,
    before: /\[\s*$/,
    after: /\s*\]\s*\?\?\s*/y,
  },
  {
    id: 'dotnet/config-coalesce',
    kind: 'fallback',
    quoted: true,
    before: /\bGetValue\s*<\s*string\??\s*>\s*\(\s*$/,
    after: /\s*\)\s*\?\?\s*/y,
  },
  {
    id: 'dotnet/get-value-default',
    kind: 'fallback',
    quoted: true,
    before: /\bGetValue\s*<\s*string\??\s*>\s*\(\s*$/,
    after: /\s*,\s*/y,
  },
  {
    id: 'dotnet/env-coalesce',
    kind: 'fallback',
    quoted: true,
    before: /\bGetEnvironmentVariable\s*\(\s*$/,
    after: /\s*\)\s*\?\?\s*/y,
  },
  {
    id: 'dotnet/field',
    kind: 'hardcoded',
    quoted: false,
    before: /\b(?:const\s+string|static\s+readonly\s+string|readonly\s+string|string|var)\s+$/,
    after: /\s*=(?!=)\s*/y,
  },
];

const SIGNING: SigningRule[] = [
  {
    id: 'dotnet/symmetric-key',
    re: /\bnew\s+SymmetricSecurityKey\s*\(/g,
    arg: 0,
    name: 'SymmetricSecurityKey',
  },
  { id: 'dotnet/hmac-key', re: /\bnew\s+HMACSHA(?:1|256|384|512)\s*\(/g, arg: 0, name: 'HMACSHA256' },
];

/** `public string Key { get; set; } = "…";` in an options class: the default when configuration has no value. */
function propertyDefaults(text: string, starts: LineIndex): RawFinding[] {
  const out: RawFinding[] = [];
  const re = /\bpublic\s+(?:required\s+)?string\??\s+(?<prop>[A-Za-z_]\w*)\s*\{[^}\n]*\}\s*=\s*/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const prop = m.groups!.prop!;
    const owner = [...text.slice(0, m.index).matchAll(/\b(?:class|record|struct)\s+([A-Za-z_]\w*)/g)].at(
      -1,
    )?.[1];
    const name = owner ? `${owner}.${prop}` : prop;
    if (!isSecretName(name)) continue;
    const at = m.index + m[0].length;
    const lit = readLiteral(text, at, 'csharp');
    if (!lit || !END.test(text.slice(lit.end, lit.end + 80))) continue;
    const { line, column } = starts.position(at);
    out.push({ kind: 'fallback', rule: 'dotnet/options-default', line, column, name, value: lit.value });
  }
  return out;
}

/** The C# recogniser. */
export const csharp: Recognizer = {
  id: 'dotnet',
  match: (f) => f.base.endsWith('.cs'),
  scan(text) {
    const starts = new LineIndex(text);
    return [
      ...runSites(text, findSites(text), RULES, 'csharp', starts, COMMENT_LINE.c),
      ...propertyDefaults(text, starts),
      ...runSigning(text, SIGNING, 'csharp', starts),
    ];
  },
};

/** `appsettings.json` and `appsettings.{Environment}.json`. */
export const appsettings: Recognizer = {
  id: 'appsettings',
  match: (f) => /^appsettings(?:\.[\w-]+)?\.json$/i.test(f.base),
  scan(text) {
    const out: RawFinding[] = [];
    for (const e of jsonEntries(text)) {
      const name = e.path.join(':');
      const cls = classifyValue(e.value, { dollarToken: true });
      if (cls === 'token') {
        const token = tokenName(e.value);
        if (!isSecretName(name) && !isSecretName(token)) continue;
        const { line, column } = e;
        out.push({
          kind: 'unrendered',
          rule: 'appsettings/token',
          line,
          column,
          name,
          aliases: [token],
          value: e.value,
        });
      } else if (cls === 'literal' && isSecretName(name)) {
        out.push({
          kind: 'fallback',
          rule: 'appsettings/default',
          line: e.line,
          column: e.column,
          name,
          value: e.value,
        });
      }
    }
    return out;
  },
};
