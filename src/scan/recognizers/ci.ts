/**
 * CI pipelines (GitHub Actions, GitLab CI, Azure Pipelines, Bitbucket, CircleCI): expressions
 * that replace a missing secret with a literal (`${{ secrets.X || 'dev' }}`, Azure's
 * `coalesce(variables.x, 'dev')`) and `${X:-default}` in their scripts. Plain literal values in CI
 * files are not reported: they configure the CI run itself (a throwaway test database's password),
 * they are not deployed, and CI is where the project's test fixtures live.
 */

import { defaultExpansions } from '../formats/config-values.js';
import { yamlEntries } from '../formats/yaml-lines.js';
import { readString } from '../literal.js';
import { isSecretName } from '../names.js';
import type { RawFinding, Recognizer } from '../recognizer.js';

/** The literal an expression falls back to: `… || 'lit'` or `coalesce(…, 'lit')` at its end. */
function expressionDefault(expr: string): { value: string; offset: number } | undefined {
  const or = /\|\|\s*(?=['"][^'"]*['"]\s*$)/.exec(expr);
  const co = /,\s*(?=['"][^'"]*['"]\s*\)\s*$)/.exec(expr);
  const m = or ?? (/^\s*coalesce\s*\(/.test(expr) ? co : null);
  if (!m) return undefined;
  const at = m.index + m[0].length;
  const lit = readString(expr, at, 'js');
  return lit ? { value: lit.value, offset: at } : undefined;
}

/** Every `name: ${{ … || 'literal' }}` entry with a secret name. */
function expressionDefaults(text: string): RawFinding[] {
  const out: RawFinding[] = [];
  for (const e of yamlEntries(text)) {
    if (!isSecretName(e.key)) continue;
    const m = /^\$\{\{(.*)\}\}$/.exec(e.value.trim());
    if (!m) continue;
    const def = expressionDefault(m[1]!);
    if (!def || def.value === '') continue;
    const column = e.column + e.value.indexOf(m[1]!) + def.offset;
    out.push({
      kind: 'fallback',
      rule: 'ci/expression-default',
      line: e.line,
      column,
      name: e.key,
      value: def.value,
    });
  }
  return out;
}

const CI_FILE =
  /(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$|(?:^|\/)\.gitlab-ci\.ya?ml$|(?:^|\/)azure-pipelines[\w.-]*\.ya?ml$|(?:^|\/)bitbucket-pipelines\.ya?ml$|(?:^|\/)\.circleci\/config\.ya?ml$|(?:^|\/)action\.ya?ml$/;

/** True for a CI pipeline file. */
export function isCiFile(path: string): boolean {
  return CI_FILE.test(path);
}

/** The CI recogniser. */
export const ci: Recognizer = {
  id: 'ci',
  match: (f) => isCiFile(f.path),
  scan(text) {
    return [...expressionDefaults(text), ...defaultExpansions(text, 'ci/default-expansion')];
  },
};
