/**
 * Revocation in AWS terms, shared by Secrets Manager and Parameter Store: one label draws the line
 * below which every version counts as revoked.
 */
import type { SecretVersionInfo } from '../../src/core/source.js';

/**
 * The label (a Secrets Manager staging label, a Parameter Store label) that `revokeVersions` puts on
 * the newest revoked version: it and every older version count as revoked. A label is on one version
 * at a time in both stores, so one label marks the line. It goes below the kept version, not on it,
 * so a later write that moves the current stage never touches it.
 */
export const REVOKED = 'secretsource-revoked';

/** Marks the version labelled {@link REVOKED} and every one after it disabled, in a newest-first list. */
export function applyRevocationLine(newestFirst: SecretVersionInfo[]): void {
  const line = newestFirst.findIndex((v) => v.stages?.includes(REVOKED));
  if (line >= 0) for (const v of newestFirst.slice(line)) v.enabled = false;
}

/**
 * Where `keep` is in a newest-first list (-1: absent), the version the {@link REVOKED} label must
 * move to (`target`, the one right below `keep`; undefined when nothing changes: no older version, or
 * the line is already there or higher, and it never moves down), its current `holder`, and the
 * versions this revokes.
 */
export function revocationPlan(
  newestFirst: readonly SecretVersionInfo[],
  keep: string,
): { at: number; target: string | undefined; holder: string | undefined; newly: string[] } {
  const at = newestFirst.findIndex((v) => v.version === keep);
  const line = newestFirst.findIndex((v) => v.stages?.includes(REVOKED));
  const below = at >= 0 ? newestFirst[at + 1] : undefined;
  const move = below !== undefined && (line < 0 || line > at + 1);
  return {
    at,
    target: move ? below.version : undefined,
    holder: line >= 0 ? newestFirst[line]!.version : undefined,
    newly: move
      ? newestFirst
          .slice(at + 1)
          .filter((v) => v.enabled)
          .map((v) => v.version)
      : [],
  };
}
