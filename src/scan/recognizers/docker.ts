/**
 * Dockerfiles: `ARG NAME=default` (used when no `--build-arg` is given) and `ENV NAME=value` /
 * `ENV NAME value` (baked into the image, used whenever the container is started without it), plus
 * `${NAME:-default}` inside instructions. Both are defaults that apply when the secret is unset.
 */
import { classifyValue, defaultExpansions, unquoteShell } from '../formats/config-values.js';
import { isSecretName } from '../names.js';
import { LineIndex, type RawFinding, type Recognizer } from '../recognizer.js';

/** `ARG` and `ENV` instructions, continuation lines joined (their pairs keep their own offsets). */
function argsAndEnv(text: string, starts: LineIndex): RawFinding[] {
  const out: RawFinding[] = [];
  const re = /^[ \t]*(?<op>ARG|ENV)[ \t]+/gim;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    // The instruction runs to the first line not ending in a backslash.
    let end = m.index + m[0].length;
    for (;;) {
      const nl = text.indexOf('\n', end);
      const lineEnd = nl < 0 ? text.length : nl;
      if (!/\\\s*$/.test(text.slice(end, lineEnd)) || nl < 0) {
        end = lineEnd;
        break;
      }
      end = nl + 1;
    }
    const body = text.slice(m.index + m[0].length, end);
    const base = m.index + m[0].length;
    const legacy =
      m.groups!.op!.toUpperCase() === 'ENV' &&
      /^\s*[A-Za-z_]\w*\s+[^=\s]/.test(body) &&
      !/^\s*[A-Za-z_]\w*=/.test(body);
    const pairRe = legacy
      ? /^\s*(?<name>[A-Za-z_]\w*)\s+(?<value>.+?)\s*$/gm
      : /(?<name>[A-Za-z_]\w*)=(?<value>(?:"(?:\\.|[^"\\])*"|'[^']*'|\\\s|[^\s\\])*)/g;
    for (let p = pairRe.exec(body); p; p = pairRe.exec(body)) {
      const name = p.groups!.name!;
      if (!isSecretName(name)) continue;
      const value = legacy ? p.groups!.value!.trim() : unquoteShell(p.groups!.value!);
      if (value === undefined || classifyValue(value) !== 'literal') continue;
      const { line, column } = starts.position(base + p.index + p[0].length - p.groups!.value!.length);
      out.push({
        kind: 'fallback',
        rule: `docker/${m.groups!.op!.toLowerCase()}-default`,
        line,
        column,
        name,
        value,
      });
      if (legacy) break;
    }
  }
  return out;
}

/** The Dockerfile recogniser. */
export const docker: Recognizer = {
  id: 'docker',
  match: (f) => /^(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$|\.(?:dockerfile|Dockerfile)$/.test(f.base),
  scan(text) {
    const starts = new LineIndex(text);
    return [...argsAndEnv(text, starts), ...defaultExpansions(text, 'docker/default-expansion', starts)];
  },
};
