/**
 * Kubernetes manifests, deployed as is: `Secret` `data` (base64, decoded before judging) and
 * `stringData`, secret-named `ConfigMap` data, container `env` values, kustomize
 * `secretGenerator` literals. A pipeline token as a value (`#{x}#`, `__X__`, and `${X}`, which
 * Kubernetes does not expand; `$(X)` it does) is `unrendered`. Helm templates are not manifests
 * until Helm renders them and are skipped.
 */
import { classifyValue, tokenName } from '../formats/config-values.js';
import { type YamlEntry, yamlEntries } from '../formats/yaml-lines.js';
import { isSecretName } from '../names.js';
import type { FileInfo, RawFinding, Recognizer } from '../recognizer.js';

/** True for text holding at least one Kubernetes object. */
export function looksLikeManifest(text: string): boolean {
  return /^apiVersion:\s*\S/m.test(text) && /^kind:\s*\S/m.test(text);
}

/** A Helm chart template: rendered by Helm, never applied as written. */
export function isHelmTemplate(file: FileInfo, text: string): boolean {
  return /(?:^|\/)templates\//.test(file.path) && text.includes('{{');
}

function decodeBase64(value: string): string {
  const v = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) return value;
  return Buffer.from(v, 'base64').toString('utf8');
}

/** One value of a manifest under the setting `name`. */
function judgeValue(
  e: YamlEntry,
  name: string,
  value: string,
  rule: string,
  out: RawFinding[],
  decode = false,
): void {
  const cls = classifyValue(value, { dollarToken: true });
  if (cls === 'token') {
    const token = tokenName(value);
    if (!isSecretName(name) && !isSecretName(token)) return;
    out.push({
      kind: 'unrendered',
      rule: `${rule}-token`,
      line: e.line,
      column: e.column,
      name,
      aliases: [token],
      value,
    });
    return;
  }
  if (!isSecretName(name)) return;
  const plain = decode ? decodeBase64(value) : value;
  if (cls !== 'literal' || classifyValue(plain) === 'empty') return;
  out.push({ kind: 'hardcoded', rule, line: e.line, column: e.column, name, value: plain });
}

/** The Kubernetes manifest recogniser. */
export const kubernetes: Recognizer = {
  id: 'kubernetes',
  match: (f) => /\.ya?ml$/.test(f.base),
  scan(text, file) {
    if (!looksLikeManifest(text) || isHelmTemplate(file, text)) return [];
    const out: RawFinding[] = [];
    const entries = yamlEntries(text);
    const kinds = new Map<number, string>();
    const names = new Map<number, string>();
    for (const e of entries) {
      if (e.path.length === 1 && e.key === 'kind') kinds.set(e.doc, e.value);
      if (e.key === 'name') names.set(e.container, e.value);
    }
    for (const e of entries) {
      const kind = kinds.get(e.doc);
      const [top] = e.path;
      if (kind === 'Secret' && (top === 'data' || top === 'stringData') && e.path.length === 2) {
        judgeValue(
          e,
          e.key,
          e.value,
          `kubernetes/secret-${top === 'data' ? 'data' : 'string-data'}`,
          out,
          top === 'data',
        );
      } else if (kind === 'ConfigMap' && top === 'data' && e.path.length === 2) {
        judgeValue(e, e.key, e.value, 'kubernetes/configmap-data', out);
      } else if (e.key === 'value' && e.path.at(-2) === 'env' && names.has(e.container)) {
        judgeValue(e, names.get(e.container)!, e.value, 'kubernetes/env-value', out);
      } else if (e.key === '' && e.path.at(-1) === 'literals' && /Generator$/.test(e.path.at(-2) ?? '')) {
        const eq = e.value.indexOf('=');
        if (eq > 0)
          judgeValue(
            { ...e, column: e.column + eq + 1 },
            e.value.slice(0, eq),
            e.value.slice(eq + 1),
            'kustomize/literal',
            out,
          );
      }
    }
    return out;
  },
};
