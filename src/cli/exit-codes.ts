/** Exit codes shared by every command. */
export const EXIT = {
  /** Everything done, nothing found. */
  OK: 0,
  /** Findings: weak secrets, refused or failed items. */
  FINDINGS: 1,
  /** Bad flags or arguments. */
  USAGE: 2,
  /** A source could not be reached or refused access. */
  SOURCE_FAILED: 3,
} as const;
