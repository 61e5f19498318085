/**
 * What a value in a config or deploy file is: a literal, a reference resolved elsewhere (not a
 * finding), or a pipeline/template token left for a later step to replace (`unrendered` when the
 * file is deployed as is). Also the shell / compose `${NAME:-default}` reader and the Spring
 * `${name:default}` reader, shared by several recognisers.
 */

import { isSecretName } from '../names.js';
import { LineIndex, type RawFinding } from '../recognizer.js';

/** Pipeline tokens: Azure DevOps replace-tokens `#{x}#`, Octopus `#{x}`, tokenizer `__X__`. */
const TOKEN = /^(?:#\{\s*[^{}]+?\s*\}#?|__[A-Za-z0-9][\w.-]*__)$/;
/** `${X}` alone: a token wherever nothing expands it (Kubernetes manifests, appsettings, Helm values). */
const DOLLAR_TOKEN = /^\$\{\s*[A-Za-z_][\w.-]*\s*\}$/;

/**
 * References resolved by something else: CI and template expressions, env and command
 * substitution, Kubernetes `$(VAR)`, Azure Key Vault references, 1Password, Vault, AWS ARNs, our refs.
 */
const REFERENCE =
  /\$\{\{|\{\{|\{%|<%|\$\(|\$\{|^\$[A-Za-z_]|^@Microsoft\.KeyVault\(|^op:\/\/|^vault:|^arn:aws:|^ref\+|^(?:aws-sm|aws-ssm|azure-kv|vault|env|dotenv|file):[\w/]/;

/** Values that are no secret: booleans, null-ish words, short numbers (ports, counts). */
const NOT_A_SECRET = /^(?:true|false|yes|no|on|off|null|none|nil|undefined|~|[-+]?\d{1,6}(?:\.\d+)?)$/i;

/** A path to a file holding the secret (`/run/secrets/x`, `./secrets/jwt.txt`), not the secret. */
const FILE_PATH =
  /^(?:\.{1,2}\/|~\/|\/(?:run|etc|var|opt|home|usr|tmp|secrets|mnt|srv|data|config|app)\/)[\w.@\-/]*$/;

/** What a config value is. */
export type ValueClass = 'empty' | 'reference' | 'token' | 'literal' | 'other';

/** Classifies a config value; `dollarToken` makes a lone `${X}` a token (files nothing expands). */
export function classifyValue(value: string, options: { dollarToken?: boolean } = {}): ValueClass {
  const v = value.trim();
  if (v === '') return 'empty';
  if (TOKEN.test(v)) return 'token';
  if (options.dollarToken && DOLLAR_TOKEN.test(v)) return 'token';
  if (REFERENCE.test(v)) return 'reference';
  if (NOT_A_SECRET.test(v) || FILE_PATH.test(v)) return 'other';
  return 'literal';
}

/** The name inside a token (`jwt-secret-key` of `#{jwt-secret-key}#`), for naming and profiles. */
export function tokenName(value: string): string {
  return value
    .trim()
    .replace(/^#\{\s*|\s*\}#?$|^__|__$|^\$\{\s*|\s*\}$/g, '')
    .trim();
}

/**
 * Every `${NAME:-default}`, `${NAME-default}`, `${NAME:=default}` and `${NAME=default}` in `text`
 * whose name is a secret and whose default is a literal (not empty, not itself a `$` expansion or a
 * command substitution). `${NAME:?message}` fails fast and is not matched.
 */
export function defaultExpansions(text: string, rule: string, starts = new LineIndex(text)): RawFinding[] {
  const out: RawFinding[] = [];
  const re = /\$\{(?<name>[A-Za-z_]\w*)(?<op>:?[-=])/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const name = m.groups!.name!;
    if (!isSecretName(name)) continue;
    const start = m.index + m[0].length;
    const end = closingBrace(text, start);
    if (end < 0) continue;
    const value = unquoteShell(text.slice(start, end));
    if (value === undefined || classifyValue(value) !== 'literal') continue;
    const { line, column } = starts.position(start);
    out.push({ kind: 'fallback', rule, line, column, name, value });
  }
  return out;
}

function closingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length && i < from + 1000; i++) {
    const c = text[i];
    if (c === '\n') return -1;
    if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** A shell word with its quotes removed; undefined when it expands something (`$`, backticks). */
export function unquoteShell(word: string): string | undefined {
  let out = '';
  let i = 0;
  const w = word.trim();
  while (i < w.length) {
    const c = w[i]!;
    if (c === "'") {
      const close = w.indexOf("'", i + 1);
      if (close < 0) return undefined;
      out += w.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      let k = i + 1;
      for (; k < w.length && w[k] !== '"'; k++) {
        if (w[k] === '$' || w[k] === '`') return undefined;
        if (w[k] === '\\' && k + 1 < w.length) k++;
        out += w[k];
      }
      if (k >= w.length) return undefined;
      i = k + 1;
    } else if (c === '$' || c === '`') {
      return undefined;
    } else if (c === '\\' && i + 1 < w.length) {
      out += w[i + 1];
      i += 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** A Spring property value: `${ENV:default}` gives the env name and default; anything else is itself. */
export function springValue(value: string): { env?: string; value: string; placeholder: boolean } {
  const m = /^\$\{([\w.-]+)(?::(.*))?\}$/.exec(value.trim());
  if (!m) return { value, placeholder: false };
  return { env: m[1]!, value: m[2] ?? '', placeholder: true };
}

/** `key=value`, `key: value` and `key value` lines of a .properties file, with their lines; continuation lines are joined. */
export function propertiesEntries(
  text: string,
): Array<{ key: string; value: string; line: number; column: number }> {
  const out: Array<{ key: string; value: string; line: number; column: number }> = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!.replace(/\r$/, '');
    const t = raw.trimStart();
    if (t === '' || t[0] === '#' || t[0] === '!') continue;
    const m = /^((?:\\.|[^\s:=\\])+)\s*[:=\s]\s*/.exec(t);
    if (!m) continue;
    let value = t.slice(m[0].length);
    const first = n;
    while (/(?:^|[^\\])(?:\\\\)*\\$/.test(value) && n + 1 < lines.length) {
      value = value.slice(0, -1) + lines[++n]!.replace(/\r$/, '').trimStart();
    }
    const column = raw.length - t.length + m[0].length + 1;
    out.push({ key: m[1]!.replace(/\\(.)/g, '$1'), value: value.trimEnd(), line: first + 1, column });
  }
  return out;
}
