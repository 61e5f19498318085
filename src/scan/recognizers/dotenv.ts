/**
 * `.env` files tracked by git (`committed-env`): a secret-named key with a value. Example and test
 * files (`.env.example`, `.env.test`, …) are never read (see `files.ts`); a file git does not track
 * is the local file it should be and is not reported. A token instead of a value is `unrendered`.
 */
import { classifyValue, tokenName, unquoteShell } from '../formats/config-values.js';
import { isSecretName } from '../names.js';
import { LineIndex, type RawFinding, type Recognizer } from '../recognizer.js';

/** True for a dotenv file name: `.env`, `.env.production`, `production.env`. */
export function isDotenvName(base: string): boolean {
  return /^\.env(?:\.[\w.-]+)?$|^[\w.-]+\.env$/.test(base);
}

/** The dotenv recogniser. */
export const dotenv: Recognizer = {
  id: 'dotenv',
  match: (f) => isDotenvName(f.base),
  scan(text, file) {
    if (!file.tracked) return [];
    const out: RawFinding[] = [];
    const starts = new LineIndex(text);
    const re = /^[ \t]*(?:export[ \t]+)?(?<name>[A-Za-z_][\w.-]*)[ \t]*[=:][ \t]*(?<value>[^\n]*)$/gm;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const name = m.groups!.name!;
      const raw = m.groups!.value!.replace(/\r$/, '');
      // Quoted values keep what is inside their quotes; unquoted ones end at ` #`.
      const q = raw.trimStart()[0];
      const close = q === '"' || q === "'" ? raw.indexOf(q, raw.indexOf(q) + 1) : -1;
      const word = close > 0 ? raw.slice(0, close + 1).trim() : raw.replace(/\s+#.*$/, '').trim();
      const value = unquoteShell(word) ?? word;
      const cls = classifyValue(value, { dollarToken: false });
      const { line, column } = starts.position(m.index + m[0].length - raw.length);
      if (cls === 'token') {
        const token = tokenName(value);
        if (isSecretName(name) || isSecretName(token)) {
          out.push({ kind: 'unrendered', rule: 'dotenv/token', line, column, name, aliases: [token], value });
        }
      } else if (cls === 'literal' && isSecretName(name)) {
        out.push({ kind: 'committed-env', rule: 'dotenv/committed', line, column, name, value });
      }
    }
    return out;
  },
};
