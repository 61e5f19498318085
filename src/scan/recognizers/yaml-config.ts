/**
 * Configuration YAML that ships with the code: Helm `values*.yaml` (read by `helm install` as
 * written), Rails `config/*.yml`, and files named like config, settings or secrets. A secret-named
 * key with a literal is `hardcoded`; a pipeline token (Helm does not expand `${X}` either) is
 * `unrendered`. CI files, compose files, Spring files and Kubernetes manifests have their own
 * recognisers and are left to them.
 */
import { classifyValue, tokenName } from '../formats/config-values.js';
import { yamlEntries } from '../formats/yaml-lines.js';
import { isSecretName } from '../names.js';
import type { RawFinding, Recognizer } from '../recognizer.js';
import { isCiFile } from './ci.js';
import { isHelmTemplate, looksLikeManifest } from './kubernetes.js';

const HELM_VALUES = /^values(?:[-.][\w.-]+)?\.ya?ml$/;
const CONFIG_NAME = /(?:^|[-_.])(?:config|settings|secrets|credentials)(?:[-_.]|$)/i;
const OWNED = /^(?:(?:docker-)?compose(?:[.-][\w.-]+)?|(?:application|bootstrap)(?:[-.][\w-]+)?)\.ya?ml$/;

/** The config YAML recogniser. */
export const yamlConfig: Recognizer = {
  id: 'yaml',
  match: (f) =>
    /\.ya?ml$/.test(f.base) &&
    !OWNED.test(f.base) &&
    !isCiFile(f.path) &&
    (HELM_VALUES.test(f.base) ||
      /(?:^|\/)config\//.test(f.path) ||
      CONFIG_NAME.test(f.base.replace(/\.ya?ml$/, ''))),
  scan(text, file) {
    if (looksLikeManifest(text) || isHelmTemplate(file, text)) return [];
    const helm = HELM_VALUES.test(file.base);
    const out: RawFinding[] = [];
    for (const e of yamlEntries(text)) {
      if (e.key === '') continue;
      const name = e.path.join('.');
      const cls = classifyValue(e.value, { dollarToken: helm });
      if (cls === 'token') {
        const token = tokenName(e.value);
        if (!isSecretName(name) && !isSecretName(token)) continue;
        out.push({
          kind: 'unrendered',
          rule: 'yaml/token',
          line: e.line,
          column: e.column,
          name,
          aliases: [token],
          value: e.value,
        });
      } else if (cls === 'literal' && isSecretName(e.key)) {
        const rule = helm ? 'helm/values' : 'yaml/config';
        out.push({ kind: 'hardcoded', rule, line: e.line, column: e.column, name, value: e.value });
      }
    }
    return out;
  },
};
