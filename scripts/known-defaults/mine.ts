/**
 * Maintainer tool (not shipped): mines values assigned to secret-looking keys from a local bare
 * snapshot of a public repository, for data/known-defaults/provenance.jsonl.
 *
 * Usage: tsx scripts/known-defaults/mine.ts <git-dir> <owner/name> <product> <ecosystem> [out.jsonl]
 *
 * It greps the snapshot's HEAD tree for lines that assign a value to a key such as `*SECRET*`,
 * `*JWT*`, `*_KEY`, `*TOKEN*`, `*PASSWORD*`, `*SALT*`, `masterKey`; keeps literal values (quoted or
 * bare, and the defaults inside `${X:-default}` / `${x:default}` / `env('X', 'default')`), drops
 * references, empty values and obvious non-secrets, and prints one JSON line per (value, key, path).
 * Every line is still read by a person (or re-checked at its source) before it is kept.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { classifyForm, cleanValue, isSecretKey } from './extract.js';

const [gitDir, repo, product, ecosystem, out] = process.argv.slice(2);
if (!gitDir || !repo || !product || !ecosystem) {
  process.stderr.write('usage: mine.ts <git-dir> <owner/name> <product> <ecosystem> [out.jsonl]\n');
  process.exit(2);
}
const git = (...args: string[]) =>
  execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });

const INCLUDE = [
  '*.env*',
  '*env',
  '*.example',
  '*.sample',
  '*.dist',
  '*.template',
  '*.tmpl',
  '*.tpl',
  '*.default',
  '*.defaults',
  '*.yml',
  '*.yaml',
  '*.toml',
  '*.ini',
  '*.cfg',
  '*.conf',
  '*.cnf',
  '*.properties',
  '*.json',
  '*.jsonc',
  '*.xml',
  '*.hcl',
  '*.tf',
  '*.tfvars',
  '*.neon',
  '*.config',
  '*.md',
  '*.mdx',
  '*.rst',
  '*.adoc',
  '*.txt',
  'Dockerfile*',
  '*.dockerfile',
  'Containerfile*',
  '*.py',
  '*.js',
  '*.mjs',
  '*.cjs',
  '*.ts',
  '*.go',
  '*.java',
  '*.kt',
  '*.rb',
  '*.php',
  '*.ex',
  '*.exs',
  '*.cs',
  '*.rs',
  '*.scala',
  '*.groovy',
  '*.sh',
  '*.erb',
  '*.j2',
  '*.jinja',
  '*.jinja2',
  '*.twig',
];
const commit = git('rev-parse', 'HEAD').trim();
const KEYS =
  '(secret|jwt|_key|key_|apikey|api_key|token|passw|passwd|salt|masterkey|cipher|signing|encryption|cookie)';
let raw = '';
try {
  raw = git(
    'grep',
    '-I',
    '-n',
    '-i',
    '-E',
    KEYS,
    commit,
    '--',
    ...INCLUDE.map((g) => `:(glob)**/${g}`),
    ':(exclude,glob)**/node_modules/**',
    ':(exclude,glob)**/vendor/**',
    ':(exclude,glob)**/*.min.js',
    ':(exclude,glob)**/*lock*',
    ':(exclude,glob)**/*.svg',
    ':(exclude,glob)**/*.map',
    ':(exclude,glob)**/dist/**',
    ':(exclude,glob)**/locale*/**',
    ':(exclude,glob)**/i18n/**',
    ':(exclude,glob)**/translations/**',
    ':(exclude,glob)**/*.po',
    ':(exclude,glob)**/*.snap',
    ':(exclude,glob)**/*.csv',
    ':(exclude,glob)**/CHANGELOG*',
  );
} catch (err) {
  if ((err as { status?: number }).status !== 1) throw err;
}
const today = new Date().toISOString().slice(0, 10);
const seen = new Set<string>();
const lines: string[] = [];
// Assignment shapes: KEY=value, KEY: value, "key": "value", key = "value", 'key' => 'value', ENV KEY value.
const ASSIGN =
  /(?:^|[\s{,;(\-"'`[]|export\s+|ENV\s+|--set\s+)["'`]?([A-Za-z_][A-Za-z0-9_.-]{1,80})["'`]?\s*(?::=|=>|=|:(?!\/))\s*(.{1,400})$/;
const DOCKER_ENV = /^\s*ENV\s+([A-Za-z_][A-Za-z0-9_]*)\s+(\S.{0,300})$/;
const FALLBACK = /\$\{([A-Za-z_][A-Za-z0-9_.-]*)(?::?-|:)([^}$]{1,200})\}/g;
const CALL_DEFAULT =
  /(?:getenv|env|get|getProperty|GetValue|fetch|Getenv|environ\.get|config)\s*\(\s*["']([A-Za-z_][A-Za-z0-9_.-]*)["']\s*,\s*["']([^"']{1,200})["']/g;
const OR_DEFAULT =
  /(?:process\.env|ENV|os\.environ)(?:\.|\[["'])([A-Za-z_][A-Za-z0-9_]*)["'\]]*\s*(?:\|\||\?\?|\bor\b)\s*["'`]([^"'`]{1,200})["'`]/g;
for (const hit of raw.split('\n')) {
  const m = /^[0-9a-f]{40}:([^:]+):(\d+):(.*)$/.exec(hit);
  if (!m) continue;
  const [, path, lineNo, text] = m as unknown as [string, string, string, string];
  const form = classifyForm(path);
  if (!form) continue;
  const found: Array<[string, string]> = [];
  for (const re of [FALLBACK, CALL_DEFAULT, OR_DEFAULT]) {
    re.lastIndex = 0;
    for (let f = re.exec(text); f; f = re.exec(text)) found.push([f[1]!, f[2]!]);
  }
  const a = DOCKER_ENV.exec(text) ?? ASSIGN.exec(text.trim());
  if (a) found.push([a[1]!, a[2]!]);
  for (const [key, rawValue] of found) {
    if (!isSecretKey(key)) continue;
    const value = cleanValue(rawValue, form.code);
    if (value === undefined) continue;
    const id = `${value}\u0000${key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    lines.push(
      JSON.stringify({
        value,
        key,
        product,
        ecosystem,
        form: form.form,
        repo,
        path,
        line: Number(lineNo),
        commit,
        read: today,
      }),
    );
  }
}
if (out) appendFileSync(out, lines.length ? `${lines.join('\n')}\n` : '');
else process.stdout.write(lines.length ? `${lines.join('\n')}\n` : '');
process.stderr.write(`${repo}: ${lines.length} candidates\n`);
