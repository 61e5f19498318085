/** JSON field selection for `#field` refs. Lives in the resolver layer, never in a provider. */
import { SecretError } from '../core/errors.js';
import { Secret } from '../core/secret.js';

/**
 * Returns the top-level `field` of the JSON object held in `value`, as a Secret.
 * Strings are returned as they are, other JSON values as their JSON text.
 * A parse failure never quotes the value (Node's own JSON.parse message does, so it is dropped).
 */
export function selectField(value: Secret, field: string, where: { source: string; name: string }): Secret {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.reveal());
  } catch {
    throw new SecretError(
      'ERR_SECRET_MALFORMED',
      `secret "${where.name}" in source "${where.source}" is not JSON, so field "${field}" cannot be selected`,
      { source: where.source, secretName: where.name },
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SecretError(
      'ERR_SECRET_MALFORMED',
      `secret "${where.name}" in source "${where.source}" is JSON but not an object, so field "${field}" cannot be selected`,
      { source: where.source, secretName: where.name },
    );
  }
  if (!Object.hasOwn(parsed, field)) {
    throw new SecretError(
      'ERR_SECRET_MALFORMED',
      `secret "${where.name}" in source "${where.source}" has no field "${field}"`,
      { source: where.source, secretName: where.name, hint: 'check the #field part of the reference' },
    );
  }
  const picked = (parsed as Record<string, unknown>)[field];
  if (picked === null || picked === undefined) {
    throw new SecretError(
      'ERR_SECRET_MALFORMED',
      `field "${field}" of secret "${where.name}" in source "${where.source}" is null`,
      {
        source: where.source,
        secretName: where.name,
      },
    );
  }
  const text = typeof picked === 'string' ? picked : JSON.stringify(picked);
  return new Secret(text, { name: `${where.name}#${field}` });
}
