/**
 * A third-party source in full: read-only secrets from a plain record (say, parsed from a config
 * service's answer). `record-source.test.ts` proves it with the conformance suite.
 */
import { type Capabilities, Secret, type SecretSource, validateName } from 'secretsource';

// #region capabilities
const CAPABILITIES: Capabilities = {
  read: true,
  write: false,
  delete: false,
  list: true,
  versions: false,
  batchGet: false,
  binary: true,
  tags: false,
  maxValueBytes: undefined,
  nameRule: { pattern: /^[\w./-]+$/, maxLength: 256, description: 'letters, digits and _ . / -' },
};
// #endregion capabilities

/** Reads secrets from `values`; a name that is not there is definitely absent. */
export function recordSource(
  values: Readonly<Record<string, string | Uint8Array>>,
  id = 'record',
): SecretSource {
  const check = (name: string) => validateName(id, name, CAPABILITIES.nameRule);
  // #region get
  return {
    id,
    capabilities: CAPABILITIES,
    async get(name) {
      const value = values[check(name)];
      if (value === undefined) return undefined; // absent: the only case that may be undefined
      return { name, value: new Secret(value, { name }) };
    },
    async *list(options = {}) {
      for (const name of Object.keys(values).sort()) {
        if (options.prefix === undefined || name.startsWith(options.prefix)) yield { name };
      }
    },
  };
  // #endregion get
}
