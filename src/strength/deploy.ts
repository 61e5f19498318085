/**
 * Pre-deploy configuration rules (`secretsource check --deploy`): the environment marker says
 * production, debug is off, CORS neither allows `*` nor `http://` origins, database URLs carry a
 * non-default password and require TLS, and no default admin credentials are configured.
 * Issues name the variable, never its value.
 */

import type { DeployIssueCode, Severity, StrengthIssue } from '../core/issues.js';
import { checkEnvironment, severityOf } from './environment.js';
import { normalizeForMatch } from './normalize.js';
import { placeholderKind } from './rules/placeholder.js';
import type { Environment } from './types.js';

/** Options for {@link checkDeployConfig}. */
export interface DeployCheckOptions {
  /** The environment being deployed to. @default 'production' */
  environment?: Environment | undefined;
  /** Warnings fail too. @default false */
  strict?: boolean | undefined;
}

/** Result of {@link checkDeployConfig}: each issue carries the variable `name` it concerns. */
export interface DeployCheckResult {
  ok: boolean;
  issues: StrengthIssue<DeployIssueCode>[];
}

const ENV_MARKERS = [
  'NODE_ENV',
  'ENVIRONMENT',
  'APP_ENV',
  'ENV',
  'RAILS_ENV',
  'FLASK_ENV',
  'ASPNETCORE_ENVIRONMENT',
];
const PRODUCTION_WORDS = new Set(['production', 'prod', 'live']);
const DEBUG_NAME = /(?:^|_)DEBUG$|^DEBUG(?:_|$)/;
const TRUTHY = new Set(['1', 'true', 'yes', 'on', 'y', 't', '*', 'all', 'enabled']);
const CORS_NAME = /CORS|ALLOWED_ORIGINS?$|ALLOW_ORIGINS?$|ACCESS_CONTROL_ALLOW_ORIGIN/;
const DB_SCHEMES = new Map<string, 'postgres' | 'mysql' | 'mongodb' | 'redis' | 'amqp' | 'mssql'>([
  ['postgres:', 'postgres'],
  ['postgresql:', 'postgres'],
  ['mysql:', 'mysql'],
  ['mariadb:', 'mysql'],
  ['mongodb:', 'mongodb'],
  ['mongodb+srv:', 'mongodb'],
  ['redis:', 'redis'],
  ['rediss:', 'redis'],
  ['amqp:', 'amqp'],
  ['amqps:', 'amqp'],
  ['sqlserver:', 'mssql'],
  ['mssql:', 'mssql'],
]);
/** Passwords that ship as defaults of databases, brokers and admin consoles, or are guessed first. */
const DEFAULT_PASSWORDS = new Set([
  'admin',
  'admin123',
  'admin1234',
  'administrator',
  'password',
  'password1',
  'password123',
  'passw0rd',
  'p@ssw0rd',
  'root',
  'toor',
  'postgres',
  'mysql',
  'mongo',
  'mongodb',
  'redis',
  'guest',
  'changeme',
  'changeit',
  'secret',
  'example',
  'mysecretpassword',
  'my-secret-pw',
  'minioadmin',
  'test',
  'test123',
  'demo',
  'default',
  'letmein',
  'welcome',
  'qwerty',
  '123456',
  '12345678',
  '1234',
  'pass',
  'sa',
  'user',
]);
const ADMIN_PASSWORD_NAME =
  /(?:ADMIN|ROOT|SUPERUSER|DEFAULT|MASTER|INITIAL)[A-Z0-9_]*_?(?:PASS|PASSWORD|PASSWD|PWD)$|^(?:[A-Z0-9]+_)*(?:PASS|PASSWORD|PASSWD|PWD)$/;

/**
 * Checks deploy configuration in `env` (variable name to value). Production and staging make
 * findings errors; `strict` makes warnings errors too.
 * @example checkDeployConfig({ NODE_ENV: 'production', CORS_ORIGIN: '*' }).issues[0].code // 'DEPLOY_CORS_WILDCARD'
 */
export function checkDeployConfig(
  env: Readonly<Record<string, string | undefined>>,
  options: DeployCheckOptions = {},
): DeployCheckResult {
  const environment = checkEnvironment(options.environment ?? 'production');
  const strict = options.strict === true;
  const issues: StrengthIssue<DeployIssueCode>[] = [];
  const add: Add = (code, name, message, severity) => {
    // The environment's severity table caps the rule's own: a rule's warning stays a warning.
    const sev = strict ? 'error' : severityOf(code, environment) === 'error' ? severity : 'warning';
    issues.push({ code, severity: sev, message, ...(name === undefined ? {} : { name }) });
  };
  const entries = Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string');

  // Environment marker.
  const markers = entries.filter(([k]) => ENV_MARKERS.includes(k.toUpperCase()));
  if (environment === 'production') {
    if (markers.length === 0) {
      add(
        'DEPLOY_ENV_MARKER_MISSING',
        undefined,
        'no NODE_ENV, ENVIRONMENT or APP_ENV is set; set NODE_ENV=production',
        'error',
      );
    }
    for (const [k, v] of markers) {
      if (!PRODUCTION_WORDS.has(v.trim().toLowerCase())) {
        add('DEPLOY_ENV_NOT_PRODUCTION', k, `${k} is not "production"`, 'error');
      }
    }
  }

  for (const [name, value] of entries) {
    // Name patterns are not anchored both ends: keep them on names of sane length.
    if (name.length > 256) continue;
    const upper = name.toUpperCase();
    const v = value.trim();
    const lower = v.toLowerCase();

    // Debug flags and inspectors.
    if (DEBUG_NAME.test(upper) && TRUTHY.has(lower))
      add('DEPLOY_DEBUG_ENABLED', name, `${name} turns debug on`, 'error');
    if (
      upper === 'DEBUG' &&
      v.length > 0 &&
      !TRUTHY.has(lower) &&
      !['0', 'false', 'no', 'off'].includes(lower)
    ) {
      // The `debug` package's namespaces (DEBUG=app:*) log internals, a warning rather than an error.
      add('DEPLOY_DEBUG_ENABLED', name, `${name} enables debug logging namespaces`, 'warning');
    }
    if (upper === 'NODE_OPTIONS' && /--inspect(?:-brk)?(?:[=\s]|$)/.test(v)) {
      add('DEPLOY_DEBUG_ENABLED', name, `${name} enables the Node inspector`, 'error');
    }
    if ((upper === 'LOG_LEVEL' || upper.endsWith('_LOG_LEVEL')) && (lower === 'debug' || lower === 'trace')) {
      add('DEPLOY_DEBUG_ENABLED', name, `${name} logs at ${lower} level`, 'warning');
    }

    // CORS origins.
    if (CORS_NAME.test(upper)) {
      const origins = v.split(/[\s,]+/).filter((o) => o.length > 0);
      if (origins.some((o) => o === '*' || o.includes('*'))) {
        add('DEPLOY_CORS_WILDCARD', name, `${name} allows any origin`, 'error');
      }
      if (origins.some((o) => o.toLowerCase().startsWith('http://'))) {
        add('DEPLOY_CORS_INSECURE_ORIGIN', name, `${name} allows an http:// origin`, 'error');
      }
    }

    // Database URLs.
    const scheme = /^([a-z][a-z0-9+.-]{0,20}:)\/\//i.exec(v)?.[1]?.toLowerCase();
    const kind = scheme ? DB_SCHEMES.get(scheme) : undefined;
    if (kind && scheme) checkDatabaseUrl(name, v, scheme, kind, add);

    // Default admin credentials.
    if (ADMIN_PASSWORD_NAME.test(upper) && !kind) {
      const norm = normalizeForMatch(v);
      const userName = upper.replace(/_?(?:PASS|PASSWORD|PASSWD|PWD)$/, '_USER');
      const user = env[userName] ?? env[userName.replace(/_USER$/, '_USERNAME')];
      if (
        norm.length === 0 ||
        DEFAULT_PASSWORDS.has(norm) ||
        (user !== undefined && normalizeForMatch(user) === norm)
      ) {
        add(
          'DEPLOY_DEFAULT_CREDENTIALS',
          name,
          `${name} is a default, empty or user-equal password`,
          'error',
        );
      } else if (placeholderKind(v)) {
        add('DEPLOY_DEFAULT_CREDENTIALS', name, `${name} is a placeholder, not a password`, 'error');
      }
    }
  }
  return { ok: !issues.some((i) => i.severity === 'error'), issues };
}

type Add = (code: DeployIssueCode, name: string | undefined, message: string, severity: Severity) => void;

/** A URL part percent-decoded, or as written when its escapes are broken (a `%` typo is not a crash). */
function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function checkDatabaseUrl(name: string, value: string, scheme: string, kind: string, add: Add): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Never echo the URL: it holds the password.
    return;
  }
  const password = decoded(url.password);
  const user = decoded(url.username);
  const host = url.hostname.toLowerCase();
  const local = host === 'localhost' || host === '127.0.0.1' || host === '::1' || host === '[::1]';
  const norm = normalizeForMatch(password);
  if (kind !== 'redis' || user.length > 0 || password.length > 0) {
    if (password.length === 0) {
      add('DEPLOY_DB_WEAK_PASSWORD', name, `${name} has no password`, local ? 'warning' : 'error');
    } else if (DEFAULT_PASSWORDS.has(norm) || norm === normalizeForMatch(user) || password.length < 12) {
      add('DEPLOY_DB_WEAK_PASSWORD', name, `${name} has a default, user-equal or short password`, 'error');
    }
  } else {
    add('DEPLOY_DB_WEAK_PASSWORD', name, `${name} connects without a password`, local ? 'warning' : 'error');
  }

  const q = url.searchParams;
  const get = (k: string): string => (q.get(k) ?? '').toLowerCase();
  let tls = false;
  switch (kind) {
    case 'postgres':
      tls = ['require', 'verify-ca', 'verify-full'].includes(get('sslmode')) || get('ssl') === 'true';
      break;
    case 'mysql':
      tls =
        ['required', 'verify_ca', 'verify_identity'].includes(get('ssl-mode') || get('sslmode')) ||
        get('ssl') === 'true' ||
        get('sslaccept') === 'strict';
      break;
    case 'mongodb':
      tls =
        scheme === 'mongodb+srv:'
          ? get('tls') !== 'false' && get('ssl') !== 'false'
          : get('tls') === 'true' || get('ssl') === 'true';
      break;
    case 'redis':
      tls = scheme === 'rediss:';
      break;
    case 'amqp':
      tls = scheme === 'amqps:';
      break;
    case 'mssql':
      tls = get('encrypt') === 'true';
      break;
  }
  if (!tls) {
    add('DEPLOY_DB_TLS_DISABLED', name, `${name} does not require TLS`, local ? 'warning' : 'error');
  }
}
