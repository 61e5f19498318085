/**
 * Pure helpers of the miner (scripts/known-defaults/mine.ts): which files count and as what
 * deployment form, which keys look secret, and which assigned values are literal defaults.
 */

import type { FORMS } from './provenance.js';

/** One of the provenance file's deployment forms. */
export type Form = (typeof FORMS)[number];

const SKIP_DIR =
  /(^|\/)(\.github|\.agents|\.claude|\.cursor|\.circleci|tests?|__tests__|spec|specs|fixtures?|testdata|test-data|e2e|cypress|mocks?|__mocks__|testing|snapshots|benchmarks?|node_modules|vendor|third_party|dist|build|locales?|i18n)(\/|$)/i;
const SKIP_FILE =
  /([._-](test|tests|spec|unit|integration|e2e|stories|story)\.[a-z0-9]+$|_test\.go$|(^|\/)test_[^/]*\.py$|Test\.(java|kt|cs)$|Tests?\.cs$|\.gen\.|(^|\/)(generated|gen|lang|langs|languages?|translations?|messages|openapi)(\/|$)|openapi[^/]*\.(json|ya?ml)$|swagger[^/]*\.(json|ya?ml)$)/i;
const DOC = /\.(md|mdx|markdown|rst|adoc|asciidoc|txt|html?)$/i;
const CODE =
  /\.(py|js|jsx|ts|tsx|mjs|cjs|go|java|kt|kts|rb|php|ex|exs|cs|rs|scala|groovy|sh|bash|ps1|erb|eex|heex|jinja2?|j2|tpl|twig)$/i;
const CONFIG =
  /\.(ya?ml|toml|ini|cfg|conf|properties|json|jsonc|json5|xml|hcl|neon|config|cnf|env|dist|example|sample|template|tmpl|default|defaults)$/i;

/** The deployment form of a path, or undefined when the file is not a place defaults live. */
export function classifyForm(path: string): { form: Form; code: boolean } | undefined {
  if (SKIP_DIR.test(path) || SKIP_FILE.test(path)) return undefined;
  const lower = path.toLowerCase();
  const base = lower.slice(lower.lastIndexOf('/') + 1);
  if (
    /^(package|composer|tsconfig|jsconfig|\.eslintrc|renovate|lerna|angular|nx|turbo)[^/]*\.json$/.test(base)
  )
    return undefined;
  if (/(^|[._-])env($|[._-])|^env\b|\.env$|^dotenv/.test(base) && !CODE.test(base))
    return { form: 'env-example', code: false };
  if (/^(docker-)?compose[^/]*\.ya?ml$/.test(base) || /^docker-compose/.test(base))
    return { form: 'compose', code: false };
  if (/^dockerfile|\.dockerfile$|^containerfile/.test(base)) return { form: 'dockerfile', code: false };
  if (/\.(tf|tfvars)$/.test(base) || /\.tfvars\.(example|sample)$/.test(base))
    return { form: 'terraform', code: false };
  if (/\.ya?ml$/.test(base) || /\.tpl$/.test(base)) {
    if (/(^|\/)(charts?|helm)(\/|$)/.test(lower) || /^values[^/]*\.ya?ml$/.test(base))
      return { form: 'helm', code: false };
    if (/(^|\/)(k8s|kubernetes|kube|manifests?|kustomize|kustomization|overlays|openshift)(\/|$)/.test(lower))
      return { form: 'kubernetes', code: false };
    return { form: 'config', code: false };
  }
  if (DOC.test(base)) return { form: 'docs', code: false };
  if (/\.(ex|exs)$/.test(base) && /(^|\/)config\//.test(lower)) return { form: 'config', code: true };
  // Code holds defaults only in its configuration and setup files; elsewhere string constants are noise.
  if (CODE.test(base))
    return /(config|settings|conf|default|example|sample|env|setup|docker|deploy|constants?|secret|auth|app|server|main|index|init|install)/i.test(
      base,
    )
      ? { form: 'code', code: true }
      : undefined;
  if (CONFIG.test(base) || /^[^.]+$/.test(base)) return { form: 'config', code: false };
  return undefined;
}

const SECRET_KEY =
  /(secret|jwt|(^|[_.-])key$|^key[_.-]|apikey|api[_.-]?key|token|passw|passwd|(^|[_.-])pass$|(^|[_.-])pwd$|salt|master[_.-]?key|cipher|signing[_.-]?key|encryption[_.-]?key|enc[_.-]?key|private[_.-]?key|access[_.-]?key|auth[_.-]?key|hmac|credential)/i;
const NOT_SECRET_KEY =
  /(url|uri|path|file|files|dir|directory|enabled|enable|disabled|ttl|expir|length|lifetime|header|name|type|algorithm|alg|issuer|audience|(^|[_.-])id|size|timeout|time|ms|secs?|seconds|minutes|hours|days|count|max|min|policy|reset|strength|hint|field|regex|pattern|format|prefix|suffix|location|mode|store|provider|endpoint|host|port|user|username|login|email|query|param|env|var|version|rotation|interval|validator|required|label|description|placeholder|help|source|ref|kind|class|method|scheme|storage|table|column|limit|duration|period|attempts|retries|rules|usage|length|backend|manager|handler|service|generator|encoder|factory|class|strategy|verify|verification|validation|expires?|existing|secretref|keyref|lookup|mount|volume|annotation|annotations|selector|selectors|separator|delimiter|key_?id|keys|tokens|usage|cost|price|budget|fee|write|read|aud|lifespan|rate|style|configured|set|present|exists|status|state|ops|crv|kty|kid|use|error|message|msg|text|title)$/i;
const NOT_SECRET_ANYWHERE =
  /(existing|secretkeyref|secretref|secret_?name|secretname|keyref|configmap|tokenizer|tokens?_?(url|endpoint|uri)|_file$|password_?reset|reset_?password|forgot|confirm_?password|password_?confirm|cache_?key|sort_?key|primary_?key|partition_?key|foreign_?key|hotkey|shortcut|keyboard|keycode|keymap|monkey|turkey|whiskey|hockey|jockey|donkey)/i;

/** True when a key's name suggests its value is a secret (and not a setting about one). */
export function isSecretKey(key: string): boolean {
  if (key.length < 2 || key.length > 80) return false;
  if (key.toLowerCase() === 'key') return false;
  if (!SECRET_KEY.test(key)) return false;
  if (/access[_.-]?key[_.-]?id$/i.test(key)) return true;
  if (NOT_SECRET_ANYWHERE.test(key)) return false;
  const last = key.split(/[_.-]|(?<=[a-z])(?=[A-Z])/).pop() ?? key;
  if (NOT_SECRET_KEY.test(last)) return false;
  return true;
}

const WORDLIKE_NONVALUES = new Set([
  'true',
  'false',
  'yes',
  'no',
  'null',
  'none',
  'nil',
  'undefined',
  'on',
  'off',
  '~',
  'required',
  'optional',
  'string',
  'str',
  'bool',
  'boolean',
  'int',
  'number',
  'object',
  'secret_key',
  'password',
  'env',
  'self',
  'this',
  'value',
  'values',
  'default',
  'empty',
  'auto',
  'random',
  'generate',
  'generated',
  'unset',
  'nan',
]);

/** The literal value in `raw` (the text after the assignment), or undefined when it is not a default. */
export function cleanValue(raw: string, code: boolean): string | undefined {
  let s = raw.trim();
  let value: string;
  const q = s[0];
  if (q === '"' || q === "'" || q === '`') {
    let end = -1;
    for (let i = 1; i < s.length; i++) {
      if (s[i] === '\\' && q === '"') {
        i++;
        continue;
      }
      if (s[i] === q) {
        end = i;
        break;
      }
    }
    if (end < 0) return undefined;
    value = s.slice(1, end);
    if (q === '"') value = value.replace(/\\(["\\])/g, '$1');
  } else {
    if (code) return undefined;
    s = s
      .replace(/\s+(#|\/\/|;).*$/, '')
      .replace(/[,;]$/, '')
      .trim();
    if (/["'`(){};]/.test(s.slice(1, -1)) || (/\s/.test(s) && /=/.test(s))) return undefined;
    if (/\s/.test(s) && s.split(/\s+/).length > 4) return undefined;
    value = s.replace(/^["'`]+|["'`]+$/g, '');
  }
  value = value.trim();
  if (value.length < 3 || value.length > 200) return undefined;
  const lower = value.toLowerCase();
  if (WORDLIKE_NONVALUES.has(lower) || /^[.x*•_-]+$/i.test(value)) return undefined;
  if (code && /\s/.test(value) && value.length > 24) return undefined;
  if (/^[$%@!&*|>[{(<#?=:]/.test(value)) return undefined;
  if (/\$\{|\{\{|\}\}|\$\(|%\(|<%|#\{|\{%|\$[A-Z_]{2,}|process\.env|os\.environ|getenv|\benv\(/i.test(value))
    return undefined;
  if (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ||
    /^(arn|op|vault|ref\+|projects\/|secretsmanager|ssm):/i.test(value)
  )
    return undefined;
  if (
    /^(\/|\.\/|\.\.\/|~\/|[a-z]:\\)/i.test(value) ||
    /\.(pem|key|crt|cer|json|txt|ya?ml|p12|pfx|jks|der|db|sqlite|log)$/i.test(value)
  )
    return undefined;
  if (/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+(\(\))?$/.test(value) && !/\d/.test(value)) return undefined;
  if (/^\d{1,5}$/.test(value)) return undefined;
  if (/^[A-Za-z_][\w.-]*\(/.test(value)) return undefined;
  if (/^(secretKeyRef|valueFrom|secretRef)$/i.test(value)) return undefined;
  if (/\?\.|=>|\([^)]*\)|\s[/*+]\s|\|\|/.test(value)) return undefined;
  // Live credentials of a provider are never recorded, even when a repository printed one.
  if (LIVE_SHAPES.test(value)) return undefined;
  return value;
}

/** Shapes of live provider credentials (their public example keys come from vendor docs instead). */
const LIVE_SHAPES =
  /^(sk_live_|rk_live_|ghp_|gho_|ghs_|ghu_|github_pat_|glpat-|xox[abposr]-|AIza[0-9A-Za-z_-]{35}$|GOCSPX-|sk-ant-|sk-proj-|ya29\.|AKIA(?!.*EXAMPLE)[0-9A-Z]{16}$|ASIA[0-9A-Z]{16}$|npm_[A-Za-z0-9]{36}$|SG\.[\w-]{22}\.[\w-]{43}$|hf_[A-Za-z]{34}$|dop_v1_|shpat_|pypi-AgE)/;

/**
 * Second pass over a mined row, with its key and form: true for what a reading at the source showed
 * to be noise rather than a default (labels and messages, names of Kubernetes Secret objects, paths,
 * environment variable names, OAuth flow outputs, values spelled from the key's own name).
 */
export function isNoise(value: string, key: string, form: string): boolean {
  if (/[^\x20-\x7e]/.test(value)) return true;
  if (/\s/.test(value) && (/[A-Z]/.test(value) || value.split(/\s+/).length >= 3 || / -/.test(value)))
    return true;
  if (/[()[\]]|\s\|\s|\?$|\s\\$|\\u[0-9a-f]{4}/i.test(value)) return true;
  // In code, only keys that name a secret outright; the rest are map keys and header names.
  if (
    form === 'code' &&
    !/(secret|passw|pwd|jwt|salt|api_?key|apikey|private|signing|encrypt|master|app_?key|access_?key|credential|auth_?token|cookie)/i.test(
      key,
    )
  )
    return true;
  if (/^(access|id|refresh)[_-]?token$/i.test(key.split('.').pop() ?? key)) return true;
  if (
    (form === 'helm' || form === 'kubernetes') &&
    /([a-z]Secret|_secret)$/.test(key) &&
    /^[a-z0-9]+(-[a-z0-9]+)+$/.test(value)
  )
    return true;
  if (/^[a-z_.-]+(\/[a-z_.-]+)+$/.test(value)) return true;
  if (
    /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(value) &&
    !/(CHANGE|REPLACE|YOUR|EXAMPLE|DEFAULT|INSECURE|NOT|DUMMY|SAMPLE|TODO|ME$|TEST)/.test(value)
  )
    return true;
  const letters = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const v = letters(value);
  const k = letters(key);
  if (v.length >= 4 && (k.includes(v) || (v.includes(k) && v.length <= k.length + 2))) return true;
  return false;
}
