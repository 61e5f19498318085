/**
 * Reads a literal value expression out of source text: a string literal of the language, or a
 * trivial expression over literals (`"x" * 64`, `'ab'.repeat(32)`, `strings.Repeat("x", 64)`,
 * `"a" + "b"`), possibly wrapped in a bytes conversion (`[]byte("k")`, `Encoding.UTF8.GetBytes("k")`,
 * `new TextEncoder().encode('k')`, `b"k"`, `SecretStr("k")`). Anything else (a call, a variable,
 * an f-string, `secrets.token_hex(32)`) is not a literal and yields undefined: a default computed at
 * run time is not a fixed value. Hand-written because no library parses string literals of eight
 * languages, and this needs only their literal grammar.
 */

/** Source languages the literal grammar knows. */
export type Lang = 'python' | 'js' | 'go' | 'java' | 'csharp' | 'php' | 'ruby';

/** A literal read from `text`: its value and the index just past it. */
export interface Literal {
  value: string;
  end: number;
}

const MAX_REPEAT = 4096;

/** Calls that turn a string into bytes or wrap it, by language: the value is the string inside. */
const WRAPPERS: Record<Lang, RegExp> = {
  python: /^(?:SecretStr|str|bytes)\s*\(/,
  js: /^(?:new\s+TextEncoder\s*\(\s*\)\s*\.\s*encode|Buffer\s*\.\s*from|String)\s*\(/,
  go: /^(?:\[\]\s*byte|string)\s*\(/,
  java: /^(?:String\s*\.\s*valueOf)\s*\(/,
  csharp:
    /^(?:Encoding\s*\.\s*(?:UTF8|ASCII|Default|Unicode)\s*\.\s*GetBytes|Convert\s*\.\s*FromBase64String)\s*\(/,
  php: /^(?:base64_decode|strval)\s*\(/,
  ruby: /^(?:String)\s*\(/,
};

/** Method calls after a literal that keep its value (`'k'.encode()`, `"k".getBytes(UTF_8)`, `.freeze`). */
const KEEPERS = /^\s*\.\s*(?:encode|getBytes|freeze|to_s|strip|trim|toString|ToString|b)\b(?:\s*\([^()]*\))?/;

/** Reads a literal expression starting at `pos` (after optional spaces); undefined when there is none. */
export function readLiteral(text: string, pos: number, lang: Lang): Literal | undefined {
  let i = skipSpace(text, pos);
  const first = readTerm(text, i, lang);
  if (!first) return undefined;
  let value = first.value;
  i = first.end;
  // Concatenation of literals: `"a" + "b"` (PHP and Ruby also `.` / `<<` are rarer; + covers the shape).
  for (;;) {
    const j = skipSpace(text, i);
    const op = text[j] === '+' ? 1 : lang === 'php' && text[j] === '.' && text[j + 1] !== '.' ? 1 : 0;
    if (!op) break;
    const next = readTerm(text, skipSpace(text, j + op), lang);
    if (!next) return undefined;
    value += next.value;
    i = next.end;
  }
  return { value, end: i };
}

function readTerm(text: string, pos: number, lang: Lang): Literal | undefined {
  const i = skipSpace(text, pos);
  const rest = text.slice(i, i + 64);
  const wrapper = WRAPPERS[lang].exec(rest);
  if (wrapper) {
    const inner = readLiteral(text, i + wrapper[0].length, lang);
    if (!inner) return undefined;
    const close = skipSpace(text, inner.end);
    if (text[close] !== ')') return undefined;
    return keep(text, { value: inner.value, end: close + 1 });
  }
  if (lang === 'go') {
    const rep = /^strings\s*\.\s*Repeat\s*\(/.exec(rest);
    if (rep) {
      const inner = readLiteral(text, i + rep[0].length, lang);
      if (!inner) return undefined;
      const m = /^\s*,\s*(\d{1,5})\s*\)/.exec(text.slice(inner.end, inner.end + 16));
      if (!m) return undefined;
      return repeat(inner.value, Number(m[1]), inner.end + m[0].length);
    }
  }
  if (text[i] === '[' && (lang === 'js' || lang === 'python' || lang === 'ruby' || lang === 'php')) {
    // An array of literal secrets (`secrets: ['s3cret1']`): judged on its first element.
    const inner = readLiteral(text, i + 1, lang);
    if (!inner) return undefined;
    let j = skipSpace(text, inner.end);
    while (text[j] === ',') {
      const more = readLiteral(text, j + 1, lang);
      if (!more) break;
      j = skipSpace(text, more.end);
    }
    if (text[j] === ',') j = skipSpace(text, j + 1);
    if (text[j] !== ']') return undefined;
    return { value: inner.value, end: j + 1 };
  }
  const lit = readString(text, i, lang);
  if (!lit) return undefined;
  // Repetition: Python `"x" * 64`, JS `'x'.repeat(64)`, Ruby `'x' * 64`.
  const after = text.slice(lit.end, lit.end + 24);
  const star = /^\s*\*\s*(\d{1,5})\b/.exec(after);
  if (star && (lang === 'python' || lang === 'ruby'))
    return repeat(lit.value, Number(star[1]), lit.end + star[0].length);
  const rep = /^\s*\.\s*repeat\s*\(\s*(\d{1,5})\s*\)/.exec(after);
  if (rep && lang === 'js') return repeat(lit.value, Number(rep[1]), lit.end + rep[0].length);
  return keep(text, lit);
}

function keep(text: string, lit: Literal): Literal {
  let end = lit.end;
  for (;;) {
    const m = KEEPERS.exec(text.slice(end, end + 48));
    if (!m) return { value: lit.value, end };
    end += m[0].length;
  }
}

function repeat(value: string, times: number, end: number): Literal | undefined {
  if (times > MAX_REPEAT || value.length * times > 64 * 1024) return undefined;
  return { value: value.repeat(times), end };
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return i;
}

/** One string literal of the language at `i` (no spaces skipped). */
export function readString(text: string, i: number, lang: Lang): Literal | undefined {
  let j = i;
  let raw = false;
  let verbatim = false;
  if (lang === 'python') {
    const m = /^[rRbBuU]{1,2}(?=['"])/.exec(text.slice(i, i + 3));
    if (m) {
      if (/[fF]/.test(m[0])) return undefined;
      raw = /[rR]/.test(m[0]);
      j += m[0].length;
    }
  } else if (lang === 'csharp') {
    if (text[j] === '@' && text[j + 1] === '"') {
      verbatim = true;
      j++;
    } else if (text[j] === '$') return undefined;
  }
  const q = text[j];
  if (q !== '"' && q !== "'" && q !== '`') return undefined;
  if (q === '`' && lang !== 'js' && lang !== 'go') return undefined;
  if (q === "'" && (lang === 'go' || lang === 'java' || lang === 'csharp')) return undefined;
  if (lang === 'python' && text.startsWith(q.repeat(3), j)) return undefined;
  const noEscapes = raw || (lang === 'go' && q === '`');
  let out = '';
  let k = j + 1;
  while (k < text.length) {
    const c = text[k]!;
    if (c === '\n' && q !== '`') return undefined;
    if (c === q) {
      if (verbatim && text[k + 1] === '"') {
        out += '"';
        k += 2;
        continue;
      }
      return interpolated(out, q, lang) ? undefined : { value: out, end: k + 1 };
    }
    if (c === '\\' && !noEscapes && !verbatim) {
      const n = text[k + 1];
      if (n === undefined) return undefined;
      if (q === "'" && (lang === 'php' || lang === 'ruby')) {
        // Single quotes in PHP and Ruby only escape the quote and the backslash.
        out += n === "'" || n === '\\' ? n : `\\${n}`;
        k += 2;
        continue;
      }
      const esc = unescapeAt(text, k);
      out += esc.text;
      k = esc.end;
      continue;
    }
    if (q === '`' && lang === 'js' && c === '$' && text[k + 1] === '{') return undefined;
    out += c;
    k++;
  }
  return undefined;
}

/** True when a double-quoted string would interpolate in its language (PHP `$x`, Ruby `#{x}`). */
function interpolated(value: string, q: string, lang: Lang): boolean {
  if (q !== '"') return false;
  if (lang === 'php') return /\$[A-Za-z_{]/.test(value);
  if (lang === 'ruby') return value.includes('#{');
  return false;
}

const SIMPLE: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f', v: '\v' };

function unescapeAt(text: string, k: number): { text: string; end: number } {
  const n = text[k + 1]!;
  if (n in SIMPLE) return { text: SIMPLE[n]!, end: k + 2 };
  const hex = n === 'x' ? 2 : n === 'u' ? 4 : n === 'U' ? 8 : 0;
  if (hex) {
    const digits = text.slice(k + 2, k + 2 + hex);
    if (new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(digits)) {
      return { text: String.fromCodePoint(Number.parseInt(digits, 16)), end: k + 2 + hex };
    }
  }
  return { text: n, end: k + 2 };
}
