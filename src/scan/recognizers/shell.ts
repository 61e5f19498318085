/**
 * Shell scripts and Docker Compose: `${NAME:-default}` / `${NAME-default}` / `${NAME:=default}`
 * (a default applied when the variable is unset), and literals assigned to secret names
 * (`export ADMIN_PASSWORD=admin123`, a compose `environment:` entry `POSTGRES_PASSWORD: postgres`).
 */
import { classifyValue, defaultExpansions, tokenName, unquoteShell } from '../formats/config-values.js';
import { yamlEntries } from '../formats/yaml-lines.js';
import { isSecretName } from '../names.js';
import { LineIndex, type RawFinding, type Recognizer } from '../recognizer.js';

/** `NAME=value` / `export NAME=value` lines whose value is a literal word (no expansion). */
function shellAssignments(text: string, starts: LineIndex): RawFinding[] {
  const out: RawFinding[] = [];
  const re =
    /^[ \t]*(?:export[ \t]+|readonly[ \t]+|local[ \t]+|declare[ \t]+(?:-\w+[ \t]+)*)?(?<name>[A-Za-z_]\w*)=(?<value>(?:"[^"\n]*"|'[^'\n]*'|[^\s;&|#])+)/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const name = m.groups!.name!;
    if (!isSecretName(name)) continue;
    const value = unquoteShell(m.groups!.value!);
    if (value === undefined || classifyValue(value) !== 'literal') continue;
    const { line, column } = starts.position(m.index + m[0].length - m.groups!.value!.length);
    out.push({ kind: 'hardcoded', rule: 'shell/assign', line, column, name, value });
  }
  return out;
}

/** The shell script recogniser. */
export const shell: Recognizer = {
  id: 'shell',
  match: (f) =>
    /\.(?:sh|bash|zsh|ksh|envrc)$/.test(f.base) || /^(?:\.envrc|entrypoint|docker-entrypoint)$/.test(f.base),
  scan(text) {
    const starts = new LineIndex(text);
    return [...defaultExpansions(text, 'shell/default-expansion', starts), ...shellAssignments(text, starts)];
  },
};

/** Compose `environment:` (map or `- KEY=value` list) and `build.args:` entries. */
function composeEnvironment(text: string): RawFinding[] {
  const out: RawFinding[] = [];
  for (const e of yamlEntries(text)) {
    const where = e.path.at(-1) === 'environment' || e.path.at(-1) === 'args' ? e.path : e.path.slice(0, -1);
    const section = where.at(-1);
    if (where[0] !== 'services' || (section !== 'environment' && section !== 'args')) continue;
    let name = e.key;
    let value = e.value;
    let column = e.column;
    if (e.key === '') {
      const eq = e.value.indexOf('=');
      if (eq <= 0) continue;
      name = e.value.slice(0, eq);
      value = e.value.slice(eq + 1);
      column += eq + 1;
    }
    const cls = classifyValue(value);
    if (cls === 'token') {
      const token = tokenName(value);
      if (!isSecretName(name) && !isSecretName(token)) continue;
      out.push({
        kind: 'unrendered',
        rule: 'compose/token',
        line: e.line,
        column,
        name,
        aliases: [token],
        value,
      });
    } else if (cls === 'literal' && isSecretName(name)) {
      out.push({ kind: 'hardcoded', rule: 'compose/environment', line: e.line, column, name, value });
    }
  }
  return out;
}

/** The Docker Compose recogniser. */
export const compose: Recognizer = {
  id: 'compose',
  match: (f) => /^(?:docker-)?compose(?:[.-][\w.-]+)?\.ya?ml$/.test(f.base),
  scan(text) {
    return [...defaultExpansions(text, 'compose/default-expansion'), ...composeEnvironment(text)];
  },
};
