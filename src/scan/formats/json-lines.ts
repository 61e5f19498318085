/**
 * Every string value of a JSON (or JSONC: comments and trailing commas allowed, as in .NET's
 * appsettings) document with its key path and line. Hand-written because `JSON.parse` gives no
 * positions and rejects comments; this walks tokens once and never throws (malformed input yields
 * what was read so far).
 */

/** One string value. */
export interface JsonEntry {
  path: string[];
  key: string;
  value: string;
  line: number;
  column: number;
}

/** Reads the string values of `text`; `null`, numbers and booleans are left out. */
export function jsonEntries(text: string): JsonEntry[] {
  const out: JsonEntry[] = [];
  // Each open container: its key in the parent and, for objects, the key awaiting a value.
  const stack: Array<{ array: boolean; key: string; pending: string | undefined }> = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      lineStart = ++i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === ',' || c === ':') {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let k = i; k < stop; k++) {
        if (text[k] === '\n') {
          line++;
          lineStart = k + 1;
        }
      }
      i = stop;
      continue;
    }
    const top = stack.at(-1);
    if (c === '{' || c === '[') {
      const key = top ? (top.array ? '' : (top.pending ?? '')) : '';
      if (top && !top.array) top.pending = undefined;
      stack.push({ array: c === '[', key, pending: undefined });
      i++;
      continue;
    }
    if (c === '}' || c === ']') {
      stack.pop();
      i++;
      continue;
    }
    if (c === '"') {
      const start = i;
      let value = '';
      let k = i + 1;
      for (; k < n && text[k] !== '"' && text[k] !== '\n'; k++) {
        if (text[k] === '\\' && k + 1 < n) {
          const e = text[++k]!;
          if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(k + 1, k + 5))) {
            value += String.fromCharCode(Number.parseInt(text.slice(k + 1, k + 5), 16));
            k += 4;
          } else value += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
        } else value += text[k];
      }
      i = k + 1;
      if (top && !top.array && top.pending === undefined) {
        top.pending = value;
        continue;
      }
      const key = top && !top.array ? top.pending! : '';
      if (top && !top.array) top.pending = undefined;
      const path = [...stack.slice(1).map((f) => f.key), key].filter(
        (p, idx, all) => p !== '' || idx === all.length - 1,
      );
      out.push({ path, key, value, line, column: start - lineStart + 1 });
      continue;
    }
    // A bare literal (number, true, false, null): consumes a pending key.
    while (i < n && !/[\s,}\]]/.test(text[i]!)) i++;
    if (top && !top.array) top.pending = undefined;
  }
  return out;
}
