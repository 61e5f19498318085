/** `aws-ssm:/myapp/prod/`, `azure-kv:`, `dotenv:.env`: a source id and a name prefix (or a path). */
import { SecretError } from '../core/errors.js';
import { parseRef } from '../core/ref.js';

/** A parsed copy endpoint. */
export interface Location {
  source: string;
  /** Everything after the `:`; empty for the whole store. */
  prefix: string;
}

/**
 * Parses `source:prefix` with the one reference grammar; an empty prefix is allowed here (it means
 * the whole store), a `#field` or `?version=` is not.
 * @example parseLocation('aws-ssm:/myapp/prod/') // { source: 'aws-ssm', prefix: '/myapp/prod/' }
 */
export function parseLocation(text: string): Location {
  const bare = /^([a-z][a-z0-9-]*):$/.exec(text);
  if (bare) return { source: bare[1]!, prefix: '' };
  const ref = parseRef(text);
  if (ref.source === undefined) {
    throw new SecretError(
      'ERR_USAGE',
      'a copy location names its source: source:prefix, e.g. aws-ssm:/myapp/prod/',
    );
  }
  if (ref.field !== undefined || ref.version !== undefined) {
    throw new SecretError(
      'ERR_USAGE',
      `a copy location takes no #field or ?version= (source "${ref.source}")`,
    );
  }
  return { source: ref.source, prefix: ref.name };
}
