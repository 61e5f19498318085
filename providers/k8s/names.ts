/**
 * Names of the `k8s` source. A name is one of:
 *
 *   <secret>                     the whole Secret, in the source's namespace
 *   <namespace>/<secret>         the whole Secret
 *   <namespace>/<secret>/<key>   one key of a Secret
 *
 * so `k8s:prod/app#jwt` reads Secret `app` in `prod` and the resolver selects its `jwt` field, and
 * `k8s:prod/app/jwt` reads the key alone (bytes stay bytes). Two segments always mean
 * namespace/secret: a key is always named with its namespace, so no name means two things.
 */
import { SecretError } from '../../src/core/errors.js';
import type { NameRule } from '../../src/core/source.js';

const LABEL = '[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?';
const SUBDOMAIN = `${LABEL}(?:\\.${LABEL})*`;
const KEY = '[-._a-zA-Z0-9]+';

/** The names the source accepts (lengths and the key's dot rules are checked by {@link parseName}). */
export const NAME_RULE: NameRule = {
  pattern: new RegExp(`^(?:${SUBDOMAIN}|${LABEL}/${SUBDOMAIN}|${LABEL}/${SUBDOMAIN}/${KEY})$`),
  // namespace (63) + "/" + secret (253) + "/" + key (253)
  maxLength: 571,
  description:
    'secret, namespace/secret or namespace/secret/key: namespace a DNS label, secret a DNS subdomain (lowercase), key of A-Z a-z 0-9 . _ -',
};

/** A parsed name: the Secret, and the key when the name names one. */
export interface SecretAddress {
  namespace: string;
  secret: string;
  key?: string | undefined;
}

/**
 * Splits a name already checked against {@link NAME_RULE}; `namespace` fills in a one-segment name.
 * Throws `ERR_SECRET_NAME_INVALID` for what the pattern cannot say (lengths, a key of dots).
 */
export function parseName(source: string, name: string, namespace: string): SecretAddress {
  const parts = name.split('/');
  const [ns, secret, key] = (parts.length === 1 ? [namespace, parts[0]] : parts) as [
    string,
    string,
    string | undefined,
  ];
  if (secret.length > 253 || (key !== undefined && (key.length > 253 || key.startsWith('..')))) {
    throw new SecretError(
      'ERR_SECRET_NAME_INVALID',
      `source "${source}" refused secret name: "${name}" is not a Kubernetes Secret or key name`,
      { source, secretName: name, hint: NAME_RULE.description },
    );
  }
  return key === undefined ? { namespace: ns, secret } : { namespace: ns, secret, key };
}

/** `namespace/secret`, the cache and grouping key of a Secret. */
export const secretKey = (a: SecretAddress): string => `${a.namespace}/${a.secret}`;

const LABEL_KEY =
  /^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(?:(?:[A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/** True when every tag is a valid Kubernetes label (key with optional DNS prefix, value of 63 at most). */
export function validLabels(tags: Readonly<Record<string, string>>): boolean {
  return Object.entries(tags).every(
    ([k, v]) => k.length <= 317 && LABEL_KEY.test(k) && typeof v === 'string' && LABEL_VALUE.test(v),
  );
}
