/** Every stable issue code the strength and deploy checks emit, with a one-line meaning. */
export const ISSUE_CODES = {
  WEAK_EMPTY: 'the value is empty or whitespace only',
  WEAK_TOO_SHORT: 'fewer bits than the profile needs, counted on the decoded alphabet',
  WEAK_LOW_ENTROPY:
    'one or two symbols, a tiny alphabet, digits only, long runs of one character, or a Shannon floor breach',
  WEAK_REPEATED: 'a shorter unit repeated (including a random half written twice)',
  WEAK_SEQUENCE: 'ordered runs, an alphabet written out, counting',
  WEAK_KEYBOARD_WALK: 'keyboard walks on QWERTY, AZERTY, QWERTZ or the keypad',
  WEAK_DICTIONARY: 'dictionary words, phrases or a passphrase with too few words',
  WEAK_PLACEHOLDER: 'a placeholder, mask or unrendered template',
  WEAK_UNRESOLVED_REF: 'a secret-manager reference used as the value',
  WEAK_OWN_NAME: "the variable's own name, a variable name or a source expression",
  WEAK_KNOWN_DEFAULT: 'a default or example key printed in public docs',
  WEAK_KNOWN_LEAKED: 'on the public list of leaked JWT secrets',
  WEAK_SHARED: 'the same value (by fingerprint) in two environments',
  DEPLOY_ENV_MARKER_MISSING: 'no NODE_ENV / ENVIRONMENT / APP_ENV marker',
  DEPLOY_ENV_NOT_PRODUCTION: 'the environment marker is not production',
  DEPLOY_DEBUG_ENABLED: 'a debug flag or inspector is on',
  DEPLOY_CORS_WILDCARD: 'CORS allows any origin (*)',
  DEPLOY_CORS_INSECURE_ORIGIN: 'CORS allows an http:// origin',
  DEPLOY_DB_WEAK_PASSWORD: 'a database URL with no, a default or a weak password',
  DEPLOY_DB_TLS_DISABLED: 'a database URL that does not require TLS',
  DEPLOY_DEFAULT_CREDENTIALS: 'default admin credentials (admin/admin123 style)',
} as const;

/** A stable issue code. */
export type IssueCode = keyof typeof ISSUE_CODES;
