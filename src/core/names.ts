/** Name validation shared by every source, so each store refuses bad names the same way. */
import { SecretError } from './errors.js';
import type { NameRule } from './source.js';

/** Characters no store should ever see in a name: C0/C1 controls, DEL, NUL. */

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Half of a surrogate pair with no other half: not a character, and not encodable in a URL. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Throws `ERR_SECRET_NAME_INVALID` unless `name` is non-empty, has no control characters,
 * no `.`/`..` path segment, and fits the store's rule. Returns the name unchanged.
 */
export function validateName(sourceId: string, name: string, rule: NameRule): string {
  const fail = (why: string): never => {
    throw new SecretError('ERR_SECRET_NAME_INVALID', `source "${sourceId}" refused secret name: ${why}`, {
      source: sourceId,
      // Names are not secret, but an invalid one may be garbage: keep a short printable form only.
      secretName: printableName(name),
      hint: rule.description,
    });
  };
  if (typeof name !== 'string' || name.length === 0) fail('the name is empty');
  if (name.trim() !== name || name.trim().length === 0) fail('the name has leading or trailing spaces');
  if (CONTROL.test(name)) fail('the name contains control characters');
  if (LONE_SURROGATE.test(name)) fail('the name is not well-formed Unicode (a lone surrogate)');
  if (name.split('/').some((seg) => seg === '..' || seg === '.'))
    fail('the name contains a "." or ".." segment');
  if (name.length > rule.maxLength) fail(`the name is longer than ${rule.maxLength} characters`);
  if (!rule.pattern.test(name)) fail(`"${printableName(name)}" does not match: ${rule.description}`);
  return name;
}

/** A short, printable rendering of a name for messages. */
export function printableName(name: unknown): string {
  if (typeof name !== 'string') return `<${typeof name}>`;

  const clean = name
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')
    .replace(new RegExp(LONE_SURROGATE, 'g'), '?');
  return clean.length > 80 ? `${clean.slice(0, 77)}...` : clean;
}
