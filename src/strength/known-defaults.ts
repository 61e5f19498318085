/**
 * Defaults and example keys printed in public docs, curated by hand. Each entry records where it is
 * printed. Matched after normalisation (see `candidates.ts`), so case, quotes, affixes such as
 * `-prod` and `KEY=` prefixes do not hide them. Add entries with their source; never remove one
 * because a product changed its default: old copies stay deployed.
 *
 * Provenance check, 2026-11-23: these values were confirmed as printed in public configs, docs or
 * code by exact-string lookups in a public code index (many hits each, beside the named product):
 * the Grafana, Ory Kratos and Hydra, Supabase, jwt.io, FastAPI, Symfony, CakePHP (salt and
 * cipherSeed), LoopBack, hapi-auth-jwt2, PostgREST, Authelia, Outline, Strapi, Superset, BezKoder,
 * Hasura, Koa, Airflow and express-jwt entries.
 * The rest are recorded from the named docs and still to be checked against them one by one.
 */

/** One known value and where it is published (the source never repeats the value: it is shown in issues). */
export interface KnownDefault {
  value: string;
  /** Who prints it (a product, library or guide); shown in issues instead of the value. */
  source: string;
}

/** Exact known values. */
export const KNOWN_DEFAULTS: readonly KnownDefault[] = [
  // The jwt.io debugger's sample keys (the most common cracked JWT key in 2024 surveys).
  { value: 'your-256-bit-secret', source: 'jwt.io debugger (https://jwt.io)' },
  { value: 'your-384-bit-secret', source: 'jwt.io debugger (https://jwt.io)' },
  { value: 'your-512-bit-secret', source: 'jwt.io debugger (https://jwt.io)' },
  { value: 'a-string-secret-at-least-256-bits-long', source: 'jwt.io debugger (https://jwt.io)' },
  // Library READMEs.
  { value: 'shhhhh', source: 'jsonwebtoken README (https://github.com/auth0/node-jsonwebtoken)' },
  { value: 'shhhhhhared-secret', source: 'express-jwt README (https://github.com/auth0/express-jwt)' },
  { value: 'keyboard cat', source: 'express-session README (https://github.com/expressjs/session)' },
  { value: 'secret', source: 'passport-jwt and PyJWT docs (https://pyjwt.readthedocs.io)' },
  { value: 'supersecret', source: '@fastify/jwt README (https://github.com/fastify/fastify-jwt)' },
  { value: 'NeverShareYourSecret', source: 'hapi-auth-jwt2 README (https://github.com/dwyl/hapi-auth-jwt2)' },
  { value: 'super-secret', source: 'Flask-JWT-Extended docs (https://flask-jwt-extended.readthedocs.io)' },
  { value: 'xxx', source: 'jwt-simple README (https://github.com/hokaccha/node-jwt-simple)' },
  { value: 'myjwts3cr3t', source: 'LoopBack 4 authentication-jwt (https://loopback.io/doc/en/lb4/)' },
  {
    value:
      'DO NOT USE THIS VALUE. INSTEAD, CREATE A COMPLEX SECRET AND KEEP IT SAFE OUTSIDE OF THE SOURCE CODE.',
    source: 'NestJS authentication guide (https://docs.nestjs.com/security/authentication)',
  },
  { value: 'secretKey', source: 'NestJS authentication guide, older versions (https://docs.nestjs.com)' },
  { value: 'some secret hurr', source: 'Koa docs, app.keys (https://koajs.com)' },
  { value: 'im a newer secret', source: 'Koa docs, app.keys (https://koajs.com)' },
  { value: 'i like turtle', source: 'Koa docs, app.keys (https://koajs.com)' },
  // Framework tutorials.
  {
    value: '09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7',
    source: 'FastAPI tutorial, OAuth2 with JWT (https://fastapi.tiangolo.com/tutorial/security/oauth2-jwt/)',
  },
  {
    value: 'dev',
    source: 'Flask tutorial, SECRET_KEY (https://flask.palletsprojects.com/tutorial/factory/)',
  },
  {
    value: '_5#y2L"F4Q8z\\n\\xec]/',
    source: 'Flask quickstart, sessions (https://flask.palletsprojects.com/quickstart/)',
  },
  { value: 'ThisTokenIsNotSoSecretChangeIt', source: 'Symfony standard edition, parameters.yml.dist' },
  { value: 'SomeRandomString', source: 'Laravel 5.0/5.1 .env.example (APP_KEY)' },
  {
    value: 'DYhG93b0qyJfIxfs2guVoUubWwvniR2G0FgaC9mi',
    source: 'CakePHP 2 app/Config/core.php (Security.salt)',
  },
  { value: '76859309657453542496749683645', source: 'CakePHP 2 app/Config/core.php (Security.cipherSeed)' },
  {
    value: 'reallyreallyreallyreallyverysafe',
    source: 'PostgREST tutorial, jwt-secret (https://postgrest.org)',
  },
  { value: 'secret key', source: 'gin-jwt README (https://github.com/appleboy/gin-jwt)' },
  { value: 'javainuse', source: 'a widely copied Spring Boot JWT tutorial (jwt.secret)' },
  { value: 'bezKoderSecretKey', source: 'BezKoder Spring Boot JWT tutorials (app.jwtSecret)' },
  // Products.
  {
    value: 'super-secret-jwt-token-with-at-least-32-characters-long',
    source:
      'Supabase self-hosting .env.example and local CLI (https://supabase.com/docs/guides/self-hosting/docker)',
  },
  {
    value: '\\2\\1thisismyscretkey\\1\\2\\e\\y\\y\\h',
    source: 'Apache Superset default SECRET_KEY before 1.4 (superset/UPDATING.md, PR 17984)',
  },
  {
    value: 'CHANGE_ME_TO_A_COMPLEX_RANDOM_SECRET',
    source: 'Apache Superset default SECRET_KEY since 1.4 (https://superset.apache.org/docs/configuration)',
  },
  {
    value: 'thisISaSECRET_1234',
    source: 'Apache Superset deployment templates (docker and helm) SECRET_KEY',
  },
  {
    value: 'YOUR_OWN_RANDOM_GENERATED_SECRET_KEY',
    source: 'Apache Superset configuration docs, example SECRET_KEY',
  },
  { value: 'TEST_NON_DEV_SECRET', source: 'Apache Superset test configuration SECRET_KEY' },
  { value: 'thisismyscretkey', source: 'Apache Superset default SECRET_KEY before 1.4, its core' },
  { value: 'SW2YcwTIb9zpOOhoPsMm', source: 'Grafana conf/defaults.ini [security] secret_key' },
  {
    value: 'PLEASE-CHANGE-ME-I-AM-VERY-INSECURE',
    source: 'Ory Kratos quickstart config (https://www.ory.sh/docs/kratos)',
  },
  { value: '32-LONG-SECRET-NOT-SECURE-AT-ALL', source: 'Ory Kratos quickstart config, secrets.cipher' },
  {
    value: 'youReallyNeedToChangeThis',
    source: 'Ory Hydra quickstart, SECRETS_SYSTEM (https://www.ory.sh/docs/hydra)',
  },
  { value: 'tobemodified', source: 'Strapi .env.example (JWT_SECRET, ADMIN_JWT_SECRET, APP_KEYS)' },
  { value: 'toBeModified1,toBeModified2', source: 'Strapi .env.example (APP_KEYS)' },
  { value: 'temporary_key', source: 'Apache Airflow webserver secret_key default (airflow.cfg, before 2.x)' },
  { value: 'myadminsecretkey', source: 'Hasura docker-compose quickstart (HASURA_GRAPHQL_ADMIN_SECRET)' },
  { value: 'myMasterKey', source: 'Parse Server README (masterKey example)' },
  { value: 'a_very_important_secret', source: 'Authelia configuration template (jwt_secret)' },
  { value: 'generate_a_new_key', source: 'Outline .env.sample (SECRET_KEY, UTILS_SECRET)' },
  { value: 'Harbor12345', source: 'Harbor harbor.yml default admin password' },
  { value: 'neo4j', source: 'default password of a popular graph database image' },
  // Cloud and secret-management guides' example keys.
  { value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', source: 'AWS docs example secret access key' },
  { value: 'AKIAIOSFODNN7EXAMPLE', source: 'AWS docs example access key id' },
  {
    value: '1f2d1e2e67df',
    source: 'Kubernetes Secrets guide (https://kubernetes.io/docs/concepts/configuration/secret/)',
  },
  {
    value: 'S!B\\*d$zDsb=',
    source: 'Kubernetes kubectl create secret guide (https://kubernetes.io/docs/tasks/configmap-secret/)',
  },
  {
    value: 'root',
    source: 'HashiCorp Vault dev server token in its docs',
  },
  // Container images' documented defaults.
  { value: 'mysecretpassword', source: 'Docker Hub postgres image docs (POSTGRES_PASSWORD)' },
  { value: 'my-secret-pw', source: 'Docker Hub mysql image docs (MYSQL_ROOT_PASSWORD)' },
  { value: 'example', source: 'Docker Hub postgres, mongo and mysql compose files (POSTGRES_PASSWORD)' },
  { value: 'minioadmin', source: 'MinIO default root credentials' },
  { value: 'changeme', source: 'Elasticsearch 5/6 default elastic password; many quickstarts' },
  { value: 'guest', source: 'RabbitMQ default user and password' },
  { value: 'admin', source: 'Grafana, Keycloak and Superset default console credential' },
  { value: 'admin123', source: 'common default admin password (Nexus Repository and others)' },
  { value: 'password', source: 'the most common default credential' },
  // Well-known guides' example keys, confirmed at their source (2026-11-29).
  {
    value: 'KYkbbclxtjJMiHzoPvuahOfarej0VV-nQZPFxK0hyro=',
    source:
      'OWASP JSON Web Token Cheat Sheet, "Using a hardcoded secret is not OK" example (https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_Cheat_Sheet.html)',
  },
  {
    value: 'MyProject2026',
    source:
      'OWASP JSON Web Token Cheat Sheet, "Using a password/passphrase is not OK" example (https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_Cheat_Sheet.html)',
  },
  {
    value: 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow',
    source: 'RFC 7515 Appendix A.1 (JWS HMAC example key), reprinted in RFC 7517 and 7797 and many libraries',
  },
  { value: 'GawgguFyGrWKav7AX4VKUg', source: 'RFC 7517 Appendix A.3 (example symmetric key)' },
  {
    value: 'cc7e0d44fd473002f1c42167459001140ec6389b7353f8088f4d9a95f2f596f2',
    source: 'jose (panva) SignJWT docs, symmetric secret example (https://github.com/panva/jose)',
  },
  // The public write-ups this project started from print these as their keys, fallbacks and
  // examples; every one is public, so none may guard anything (recorded by what each write-up is).
  {
    value: 'insecure-default-key-change-this',
    source: 'public write-up examples: an API/JWT secrets migration report (the code fallback it replaced)',
  },
  {
    value: 'dev-secret-key-change-in-production',
    source: 'public write-up examples: a JWT secret management guide (os.environ.get fallback)',
  },
  {
    value: 'a7f3e5c9b2d1f8e4a6c3b9d2e5f8a1c4d7e9f0b2c4d6e8f9a1b3c5d7e9f0b2',
    source:
      'public write-up examples: a secrets and credentials guide (its "openssl rand -hex 32" example output)',
  },
  {
    value: 'demo123',
    source: 'public write-up examples: a secrets and credentials guide (default founder password)',
  },
  {
    value: 'newpassword123',
    source: 'public write-up examples: a secrets and credentials guide (admin password reset example)',
  },
  {
    value: 'your-secret-key-change-this-in-production',
    source:
      'public write-up examples: a JWT_SECRET_KEY explainer (os.getenv fallback and docker-compose default)',
  },
  {
    value: 'secret123',
    source: 'public write-up examples: a JWT_SECRET_KEY explainer (its "too weak" example)',
  },
  {
    value: 'sk8dKj29mN3pQ7vX2zY9wR5uT8sL6fH4jK2nM9pQ3rT7vY',
    source: 'public write-up examples: a JWT_SECRET_KEY explainer (its "good" example key)',
  },
  {
    value: 'k8dKj29mN3pQ7vX2zY9wR5uT8sL6fH4jK2nM9pQ3rT7vY12wE5rT9',
    source:
      'public write-up examples: a JWT_SECRET_KEY explainer (its secrets.token_urlsafe(32) example output)',
  },
  {
    value: 'dev_key_sk8dKj29mN3pQ7vX2zY9wR5uT8sL6fH4j',
    source: 'public write-up examples: a JWT_SECRET_KEY explainer (its development key example)',
  },
  {
    value: 'staging_key_X7zY9wR5uT8sL6fH4jK2nM9pQ3rT7vY12w',
    source: 'public write-up examples: a JWT_SECRET_KEY explainer (its staging key example)',
  },
  {
    value: 'prod_key_Y9wR5uT8sL6fH4jK2nM9pQ3rT7vY12wE5rT9',
    source: 'public write-up examples: a JWT_SECRET_KEY explainer (its production key example)',
  },
  // The same three without their `<env>_key_` prefixes, as people paste them.
  {
    value: 'sk8dKj29mN3pQ7vX2zY9wR5uT8sL6fH4j',
    source: 'public write-up examples: a JWT_SECRET_KEY explainer (its development key example)',
  },
  {
    value: 'X7zY9wR5uT8sL6fH4jK2nM9pQ3rT7vY12w',
    source: 'public write-up examples: a JWT_SECRET_KEY explainer (its staging key example)',
  },
  {
    value: 'Y9wR5uT8sL6fH4jK2nM9pQ3rT7vY12wE5rT9',
    source: 'public write-up examples: a JWT_SECRET_KEY explainer (its production key example)',
  },
  {
    value: 'z8Fm1r4XyH_MolPsuOiFT5av6x0wBdDXMLB9k0sKpyc8_aSZ-Wn2kXg2h-BWMze1ElM4mXzk3InpUFiMWwwkGA',
    source: 'public write-up examples: a SECRET_KEY implementation summary (its "development key" example)',
  },
  {
    value: 'G2QGNvTZumg4V2mhvCWmhKPpn8Y7SEjZl69geJnzrs1aICzv8z-KsoDL6Z8xpNnuyhSgOXIQor-TN0xRwnJYgg',
    source: 'public write-up examples: a SECRET_KEY implementation summary (its "production key" example)',
  },
  {
    value: 'INSECURE_DEFAULT_KEY_REPLACE_IN_PRODUCTION',
    source: 'public write-up examples: a SECRET_KEY implementation summary (its insecure default)',
  },
  { value: 'your-key', source: 'public write-up examples: a SECRET_KEY implementation summary (CI example)' },
];

/** Known prefixes: any value starting with one is a generated-for-development default. */
export const KNOWN_PREFIXES: readonly KnownDefault[] = [
  { value: 'django-insecure-', source: "Django startproject's development SECRET_KEY (Django 3.2+)" },
  {
    // Only the first 8 hex digits were printed: a key starting with them keeps at most 224 unknown bits.
    value: '68be464f',
    source:
      'public write-up examples: an API/JWT secrets migration report (the start of its API_SECRET_KEY, printed in a log line)',
  },
];
