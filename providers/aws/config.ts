/**
 * The one AWS client-config builder, used by both AWS providers and by the CLI, so a setting means
 * the same thing wherever it is read. Imports nothing from the SDK at runtime.
 */

/** Static or provider-chain credentials, in the AWS SDK's own shape. */
export type AwsCredentials =
  | { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  | (() => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>);

/** Connection options every AWS provider accepts. */
export interface AwsConnectionOptions {
  /** AWS region. @default `AWS_REGION`, `AWS_DEFAULT_REGION`, then the SDK's own chain (profile). */
  region?: string | undefined;
  /**
   * Endpoint URL, e.g. LocalStack's `http://localhost:4566`.
   * @default `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL` (both ignored when
   * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`), then AWS's public endpoint.
   */
  endpoint?: string | undefined;
  /** Credentials. @default the SDK's normal chain (env, profile, SSO, container, instance role). */
  credentials?: AwsCredentials | undefined;
  /**
   * Variables the defaults above are read from. When given, static keys in it
   * (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`) are used too, since the
   * SDK's own chain reads only `process.env`. @default process.env
   */
  env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** The service part of `AWS_ENDPOINT_URL_<SERVICE>`. */
export type AwsService = 'SECRETS_MANAGER' | 'SSM';

/** The subset of an SDK client config the providers build. */
export interface AwsClientConfig {
  region?: string;
  endpoint?: string;
  credentials?: AwsCredentials;
}

/**
 * Builds a client config from options and the environment. Only set keys are included, so the
 * SDK's own defaults (profile region, credential chain) still apply to everything left out.
 */
export function awsClientConfig(options: AwsConnectionOptions, service: AwsService): AwsClientConfig {
  const env = options.env ?? process.env;
  const config: AwsClientConfig = {};
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (region) config.region = region;
  // The SDK's own switch for ignoring endpoint variables is honoured here too.
  const fromEnv =
    env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true'
      ? undefined
      : (env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL);
  const endpoint = options.endpoint ?? fromEnv;
  if (endpoint) config.endpoint = endpoint;
  if (options.credentials !== undefined) config.credentials = options.credentials;
  else if (options.env !== undefined && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    config.credentials = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
  }
  return config;
}

/**
 * Where a client built from `options` reads, for messages: its region and any custom endpoint's
 * origin (no path, query or credentials).
 */
export function awsLocation(options: AwsConnectionOptions, service: AwsService): string {
  const { region, endpoint } = awsClientConfig(options, service);
  let origin: string | undefined;
  try {
    origin = endpoint === undefined ? undefined : new URL(endpoint).origin;
  } catch {
    // An endpoint that is not a URL is not printed: it may hold anything.
    origin = undefined;
  }
  return `region ${region ?? '(from the AWS profile)'}${origin ? `, endpoint ${origin}` : ''}`;
}
