/** Pre-deploy configuration rules, both outcomes for each. */
import { describe, expect, it } from 'vitest';
import { checkDeployConfig } from '../../src/strength/index.js';

const GOOD = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://app:Vq8wN2rT6yLp3ZkX@db.internal.example.com:5432/app?sslmode=verify-full',
  CORS_ORIGINS: 'https://app.example.com,https://admin.example.com',
  REDIS_URL: 'rediss://:Vq8wN2rT6yLp3ZkXh@cache.example.com:6380',
  DEBUG: 'false',
  ADMIN_PASSWORD: 'Vq8wN2rT6yLp3ZkX9s',
};

const codesOf = (env: Record<string, string>, strict = false) =>
  checkDeployConfig(env, { environment: 'production', strict }).issues.map(
    (i) => `${i.code}:${i.name ?? ''}`,
  );

describe('checkDeployConfig', () => {
  it('passes a production configuration', () => {
    expect(checkDeployConfig(GOOD)).toEqual({ ok: true, issues: [] });
  });

  it.each([
    ['missing marker', { NODE_ENV: undefined }, 'DEPLOY_ENV_MARKER_MISSING:'],
    ['development marker', { NODE_ENV: 'development' }, 'DEPLOY_ENV_NOT_PRODUCTION:NODE_ENV'],
    ['ENVIRONMENT=staging', { ENVIRONMENT: 'staging' }, 'DEPLOY_ENV_NOT_PRODUCTION:ENVIRONMENT'],
    ['DEBUG=true', { DEBUG: 'true' }, 'DEPLOY_DEBUG_ENABLED:DEBUG'],
    ['FLASK_DEBUG=1', { FLASK_DEBUG: '1' }, 'DEPLOY_DEBUG_ENABLED:FLASK_DEBUG'],
    ['inspector', { NODE_OPTIONS: '--inspect=0.0.0.0:9229' }, 'DEPLOY_DEBUG_ENABLED:NODE_OPTIONS'],
    ['CORS *', { CORS_ORIGINS: '*' }, 'DEPLOY_CORS_WILDCARD:CORS_ORIGINS'],
    [
      'CORS http',
      { CORS_ORIGINS: 'https://a.example.com,http://b.example.com' },
      'DEPLOY_CORS_INSECURE_ORIGIN:CORS_ORIGINS',
    ],
    [
      'DB default password',
      { DATABASE_URL: 'postgres://postgres:postgres@db.example.com/app?sslmode=require' },
      'DEPLOY_DB_WEAK_PASSWORD:DATABASE_URL',
    ],
    [
      'DB no password',
      { DATABASE_URL: 'postgres://app@db.example.com/app?sslmode=require' },
      'DEPLOY_DB_WEAK_PASSWORD:DATABASE_URL',
    ],
    [
      'DB no TLS',
      { DATABASE_URL: 'postgres://app:Vq8wN2rT6yLp3ZkX@db.example.com/app' },
      'DEPLOY_DB_TLS_DISABLED:DATABASE_URL',
    ],
    [
      'mysql no TLS',
      { MYSQL_URL: 'mysql://app:Vq8wN2rT6yLp3ZkX@db.example.com/app' },
      'DEPLOY_DB_TLS_DISABLED:MYSQL_URL',
    ],
    [
      'redis plain',
      { REDIS_URL: 'redis://:Vq8wN2rT6yLp3ZkXh@cache.example.com:6379' },
      'DEPLOY_DB_TLS_DISABLED:REDIS_URL',
    ],
    [
      'mongo no TLS',
      { MONGO_URL: 'mongodb://app:Vq8wN2rT6yLp3ZkX@mongo.example.com/app' },
      'DEPLOY_DB_TLS_DISABLED:MONGO_URL',
    ],
    ['admin123', { ADMIN_PASSWORD: 'admin123' }, 'DEPLOY_DEFAULT_CREDENTIALS:ADMIN_PASSWORD'],
    [
      'grafana admin',
      { GF_SECURITY_ADMIN_PASSWORD: 'admin' },
      'DEPLOY_DEFAULT_CREDENTIALS:GF_SECURITY_ADMIN_PASSWORD',
    ],
    [
      'user-equal password',
      { ADMIN_USER: 'ops', ADMIN_PASSWORD: 'ops' },
      'DEPLOY_DEFAULT_CREDENTIALS:ADMIN_PASSWORD',
    ],
    ['rabbit guest', { RABBITMQ_DEFAULT_PASS: 'guest' }, 'DEPLOY_DEFAULT_CREDENTIALS:RABBITMQ_DEFAULT_PASS'],
  ])('%s', (_name, patch, expected) => {
    const env = { ...GOOD, ...patch } as Record<string, string>;
    for (const [k, v] of Object.entries(patch)) if (v === undefined) delete env[k];
    const r = checkDeployConfig(env);
    expect(r.ok).toBe(false);
    expect(codesOf(env)).toContain(expected);
  });

  it('accepts TLS forms of every database', () => {
    expect(
      codesOf({
        NODE_ENV: 'production',
        A: 'mysql://app:Vq8wN2rT6yLp3ZkX@db.example.com/app?ssl-mode=REQUIRED',
        B: 'mongodb+srv://app:Vq8wN2rT6yLp3ZkX@cluster0.example.mongodb.net/app',
        C: 'mongodb://app:Vq8wN2rT6yLp3ZkX@mongo.example.com/app?tls=true',
        D: 'amqps://app:Vq8wN2rT6yLp3ZkX@mq.example.com',
      }),
    ).toEqual([]);
  });

  it('a local database without TLS is a warning, failing only with strict', () => {
    const env = { NODE_ENV: 'production', DATABASE_URL: 'postgres://app:Vq8wN2rT6yLp3ZkX@localhost/app' };
    const r = checkDeployConfig(env);
    expect(r.ok).toBe(true);
    expect(r.issues).toMatchObject([{ code: 'DEPLOY_DB_TLS_DISABLED', severity: 'warning' }]);
    expect(checkDeployConfig(env, { strict: true }).ok).toBe(false);
  });

  it('DEBUG namespaces and debug log level are warnings', () => {
    const r = checkDeployConfig({ NODE_ENV: 'production', DEBUG: 'app:*', LOG_LEVEL: 'debug' });
    expect(r.ok).toBe(true);
    expect(r.issues.map((i) => [i.code, i.severity])).toEqual([
      ['DEPLOY_DEBUG_ENABLED', 'warning'],
      ['DEPLOY_DEBUG_ENABLED', 'warning'],
    ]);
  });

  it('a malformed database URL is skipped without echoing it', () => {
    const r = checkDeployConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://a:b@[bad' });
    expect(JSON.stringify(r)).not.toContain('a:b');
  });
});
