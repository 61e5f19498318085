/**
 * A line-oriented YAML reader for config files: every `key: scalar` and `- scalar` with its key
 * path, line, column and the mapping it belongs to (so a Kubernetes `- name: X` / `value: Y` pair
 * can be read together). Written by hand rather than with a YAML library because the files it reads
 * are often not valid YAML until a pipeline renders them (`value: #{token}#` is a comment to a
 * parser, Helm templates hold `{{ }}`), because findings need exact line numbers of raw text, and
 * because it must keep up with the scan's speed target. Flow collections and multi-line scalars
 * are skipped (secrets in config are single-line scalars).
 */

/** One scalar of a YAML file. */
export interface YamlEntry {
  /** Keys from the document root to this entry; list items add no key. */
  path: string[];
  /** The last key, or '' for a `- scalar` list item. */
  key: string;
  /** The scalar as written (quotes removed and unescaped; '' when absent). */
  value: string;
  /** True when the scalar was quoted (so `"8000"` is a string, `8000` a number). */
  quoted: boolean;
  /** 1-based line and column of the scalar (of the key when there is none). */
  line: number;
  column: number;
  /** Id of the mapping (or list item) holding the key: siblings share it. */
  container: number;
  /** Index of the `---` separated document, from 0. */
  doc: number;
}

interface Frame {
  indent: number;
  item: boolean;
  key: string;
  container: number;
}

/** Reads every scalar entry of `text`. Never throws. */
export function yamlEntries(text: string): YamlEntry[] {
  const out: YamlEntry[] = [];
  const lines = text.split('\n');
  let stack: Frame[] = [];
  let nextContainer = 1;
  let rootContainer = 0;
  let doc = 0;
  let blockIndent = -1;
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!.replace(/\r$/, '');
    let indent = 0;
    while (indent < raw.length && raw[indent] === ' ') indent++;
    if (blockIndent >= 0) {
      if (indent > blockIndent || raw.trim() === '') continue;
      blockIndent = -1;
    }
    const content = raw.slice(indent);
    if (content === '' || content.startsWith('#')) continue;
    if (indent === 0 && (content.startsWith('---') || content.startsWith('...'))) {
      stack = [];
      doc++;
      rootContainer = nextContainer++;
      continue;
    }
    let col = indent;
    let rest = content;
    let container: number | undefined;
    // `- ` starts a list item (possibly several: `- - x`); each item is a container of its own.
    while (rest === '-' || rest.startsWith('- ')) {
      while (
        stack.length &&
        (stack.at(-1)!.indent > col || (stack.at(-1)!.indent === col && stack.at(-1)!.item))
      )
        stack.pop();
      container = nextContainer++;
      stack.push({ indent: col, item: true, key: '', container });
      const skip = rest === '-' ? 1 : 2 + (rest.slice(2).length - rest.slice(2).trimStart().length);
      col += skip;
      rest = rest.slice(skip);
    }
    if (rest === '') continue;
    const kv = splitKey(rest);
    if (!kv) {
      if (container !== undefined) {
        const s = scalar(rest);
        if (s) out.push(entry(stack, '', s, n, col, container, doc));
      }
      continue;
    }
    if (container === undefined) {
      while (stack.length && stack.at(-1)!.indent >= col) stack.pop();
      container = stack.length ? stack.at(-1)!.container : rootContainer;
    }
    const valueCol = col + kv.valueAt;
    const valueText = rest.slice(kv.valueAt);
    const trimmed = valueText.trim();
    if (trimmed === '' || trimmed.startsWith('&') || (trimmed.startsWith('#') && !trimmed.startsWith('#{'))) {
      // A block opener: its children live in a new mapping.
      stack.push({ indent: col, item: false, key: kv.key, container: nextContainer++ });
      continue;
    }
    if (/^[|>][-+0-9]*\s*(?:#.*)?$/.test(trimmed)) {
      blockIndent = col;
      continue;
    }
    const s = scalar(valueText);
    if (!s) continue;
    const path = [...stack.filter((f) => !f.item).map((f) => f.key), kv.key];
    out.push({
      path,
      key: kv.key,
      value: s.value,
      quoted: s.quoted,
      line: n + 1,
      column: valueCol + 1 + s.offset,
      container,
      doc,
    });
  }
  return out;
}

function entry(
  stack: Frame[],
  key: string,
  s: { value: string; quoted: boolean; offset: number },
  n: number,
  col: number,
  container: number,
  doc: number,
): YamlEntry {
  const path = stack.filter((f) => !f.item).map((f) => f.key);
  return {
    path,
    key,
    value: s.value,
    quoted: s.quoted,
    line: n + 1,
    column: col + 1 + s.offset,
    container,
    doc,
  };
}

/** `key: rest` → the key and where the value starts; undefined when the line is not a mapping entry. */
function splitKey(text: string): { key: string; valueAt: number } | undefined {
  const q = text[0];
  if (q === '"' || q === "'") {
    const close = text.indexOf(q, 1);
    if (close < 0 || text[close + 1] !== ':') return undefined;
    if (text.length > close + 2 && text[close + 2] !== ' ') return undefined;
    return { key: text.slice(1, close), valueAt: close + 2 };
  }
  if (q === '{' || q === '[' || q === '|' || q === '>' || q === '!' || q === '*') return undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === ':' && (i + 1 === text.length || text[i + 1] === ' ' || text[i + 1] === '\t')) {
      const key = text.slice(0, i).trim();
      return key ? { key, valueAt: i + 1 } : undefined;
    }
    if (c === '#' && i > 0 && text[i - 1] === ' ') return undefined;
  }
  return undefined;
}

/** A scalar's text: quotes removed, a trailing comment dropped; undefined for flow collections and aliases. */
function scalar(text: string): { value: string; quoted: boolean; offset: number } | undefined {
  const lead = text.length - text.trimStart().length;
  const t = text.trim();
  if (t === '' || t[0] === '{' || t[0] === '[' || t[0] === '*' || t[0] === '&') return undefined;
  if (t[0] === '"') {
    let out = '';
    for (let i = 1; i < t.length; i++) {
      const c = t[i]!;
      if (c === '\\' && i + 1 < t.length) {
        const n = t[++i]!;
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
      } else if (c === '"') return { value: out, quoted: true, offset: lead };
      else out += c;
    }
    return undefined;
  }
  if (t[0] === "'") {
    let out = '';
    for (let i = 1; i < t.length; i++) {
      if (t[i] === "'") {
        if (t[i + 1] === "'") {
          out += "'";
          i++;
        } else return { value: out, quoted: true, offset: lead };
      } else out += t[i];
    }
    return undefined;
  }
  // Tags (`!!str x`) keep the value after them.
  const tagged = /^!\S*\s+/.exec(t);
  const body = tagged ? t.slice(tagged[0].length) : t;
  // A plain scalar ends at ` #` (a comment), except a value that is a `#{token}#` as a whole.
  const hash = body.startsWith('#{') ? -1 : body.search(/\s#/);
  const value = (hash < 0 ? body : body.slice(0, hash)).trim();
  return { value, quoted: false, offset: lead + (tagged ? tagged[0].length : 0) };
}
