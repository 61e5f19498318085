/**
 * The Key Vault name rule and the documented, reversible mapping for env-style names
 * (`JWT_SECRET_KEY` ↔ `JWT-SECRET-KEY`), shared by the provider, the resolver and copy.
 */
import { SecretError } from '../../src/core/errors.js';
import { printableName, validateName } from '../../src/core/names.js';
import type { NameRule } from '../../src/core/source.js';

const ID = 'azure-kv';

/** What Key Vault accepts as a secret name: letters, digits and `-`, 1–127 characters, case-insensitive. */
export const AZURE_KEY_VAULT_NAME_RULE: NameRule = {
  pattern: /^[0-9A-Za-z-]{1,127}$/,
  maxLength: 127,
  description: 'letters, digits and "-", 1-127 characters; Key Vault compares names case-insensitively',
};

function nameError(name: string, why: string, hint: string, source = ID): SecretError {
  return new SecretError(
    'ERR_SECRET_NAME_INVALID',
    `source "${source}" refused secret name "${printableName(name)}": ${why}`,
    {
      source,
      secretName: printableName(name),
      hint,
    },
  );
}

/**
 * Maps an env-style name to its Key Vault name: every `_` becomes `-`, everything else stays as it is
 * (`JWT_SECRET_KEY` → `JWT-SECRET-KEY`). A name that already contains `-` throws
 * `ERR_SECRET_NAME_INVALID`, because it could not be mapped back; with that rule
 * {@link fromAzureSecretName} is the exact inverse. Other characters pass through unchanged and are then
 * refused by {@link AZURE_KEY_VAULT_NAME_RULE} when the name is used (see {@link checkAzureSecretName}).
 * @example toAzureSecretName('JWT_SECRET_KEY') // 'JWT-SECRET-KEY'
 */
export function toAzureSecretName(name: string, sourceId = ID): string {
  if (typeof name !== 'string')
    throw nameError(
      String(name),
      'the name is not a string',
      AZURE_KEY_VAULT_NAME_RULE.description,
      sourceId,
    );
  if (name.includes('-')) {
    throw nameError(
      name,
      'names used with Azure Key Vault may not contain "-" (it could not be mapped back)',
      `write "${printableName(name.replaceAll('-', '_'))}": "_" is stored as "-" in Key Vault`,
      sourceId,
    );
  }
  return name.replaceAll('_', '-');
}

/**
 * Maps a caller-side name and checks the result against Key Vault's rule: the Key Vault name, or
 * `ERR_SECRET_NAME_INVALID` (empty, too long, `..`, spaces, `/`, anything but letters, digits and `_`).
 */
export function checkAzureSecretName(name: string, sourceId = ID): string {
  const storeName = toAzureSecretName(name, sourceId);
  validateName(sourceId, storeName, AZURE_KEY_VAULT_NAME_RULE);
  return storeName;
}

/**
 * Inverse of {@link toAzureSecretName}: `-` becomes `_` (`JWT-SECRET-KEY` → `JWT_SECRET_KEY`).
 * Throws `ERR_SECRET_NAME_INVALID` for anything Key Vault itself would not accept.
 */
export function fromAzureSecretName(storeName: string, sourceId = ID): string {
  if (typeof storeName !== 'string' || !AZURE_KEY_VAULT_NAME_RULE.pattern.test(storeName)) {
    throw nameError(
      storeName,
      'not a Key Vault secret name',
      AZURE_KEY_VAULT_NAME_RULE.description,
      sourceId,
    );
  }
  return storeName.replaceAll('-', '_');
}

/**
 * Throws `ERR_SECRET_NAME_INVALID` when two names would land on the same Key Vault secret. Key Vault
 * compares names case-insensitively, so `jwt_secret` and `JWT_SECRET` collide. Also validates each name.
 * Used before writing a set of names (copy, import).
 */
export function assertNoAzureNameCollisions(names: Iterable<string>): void {
  const seen = new Map<string, string>();
  for (const name of names) {
    const key = checkAzureSecretName(name).toLowerCase();
    const other = seen.get(key);
    if (other !== undefined && other !== name) {
      throw nameError(
        name,
        `it collides with "${printableName(other)}": Key Vault names are case-insensitive`,
        'rename one of them; both would be stored as the same Key Vault secret',
      );
    }
    seen.set(key, name);
  }
}
