/** `envSource()`: process environment variables, with the `NAME_FILE=/path` convention. */
import { validateName } from '../src/core/names.js';
import { Secret } from '../src/core/secret.js';
import type {
  GetOptions,
  ListOptions,
  SecretMetadata,
  SecretRecord,
  SecretSource,
} from '../src/core/source.js';
import { own } from '../src/internal/own.js';
import { DEFAULT_SECRET_FILE_BYTES, readSecretFile } from '../src/internal/read-file.js';
import { capabilities } from './kit/capabilities.js';

/** Options for {@link envSource}. */
export interface EnvSourceOptions {
  /** Variables to read. @default process.env (read at each call, so later changes are seen) */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Source id. @default 'env' */
  id?: string | undefined;
  /** Honour `NAME_FILE=/path`: when NAME is unset, read the value from that file. @default true */
  files?: boolean | undefined;
  /** Largest `NAME_FILE` read, in bytes; a larger file (or `/dev/zero`) is refused unread. @default 1048576 */
  maxFileBytes?: number | undefined;
}

const CAPABILITIES = capabilities({
  list: true,
  nameRule: {
    pattern: /^[A-Za-z_][A-Za-z0-9_.-]*$/,
    maxLength: 1024,
    description: 'an environment variable name: letters, digits, _ . -, not starting with a digit',
  },
});

/**
 * Reads secrets from environment variables. When `NAME` is unset and `NAME_FILE` names a file
 * (the Docker and Kubernetes convention), the file's content is the value.
 * @example
 * const resolver = createResolver({ sources: [envSource()] });
 */
export function envSource(options: EnvSourceOptions = {}): SecretSource {
  const id = options.id ?? 'env';
  const env = () => options.env ?? process.env;
  return {
    id,
    capabilities: CAPABILITIES,
    async get(name: string, opts: GetOptions = {}): Promise<SecretRecord | undefined> {
      validateName(id, name, CAPABILITIES.nameRule);
      const vars = env();
      const value = own(vars, name);
      if (value !== undefined) return { name, value: new Secret(value, { name }) };
      const file = options.files === false ? undefined : own(vars, `${name}_FILE`);
      if (file === undefined || file === '') return undefined;
      // The user pointed at this file: a missing file is a misconfiguration, not an absent secret.
      const secret = await readSecretFile(file, {
        source: id,
        name,
        missing: 'error',
        maxBytes: options.maxFileBytes ?? DEFAULT_SECRET_FILE_BYTES,
        signal: opts.signal,
      });
      return secret ? { name, value: secret } : undefined;
    },
    async *list(opts: ListOptions = {}): AsyncIterable<SecretMetadata> {
      const vars = env();
      for (const name of Object.keys(vars).sort()) {
        if (vars[name] === undefined || !CAPABILITIES.nameRule.pattern.test(name)) continue;
        if (opts.prefix !== undefined && !name.startsWith(opts.prefix)) continue;
        yield { name };
      }
    },
  };
}
