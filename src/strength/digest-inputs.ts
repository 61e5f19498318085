/**
 * What `data/known-digests.bin` is built from: every known default (with its source) and every
 * common word. The build script and the freshness test both call this, so the shipped table can
 * never drift from the lists. To add a hash family, extend `DIGEST_ALGORITHMS`; to add values,
 * extend the lists; then run `tsx scripts/build-known-digests.ts`.
 */
import { COMMON_WORDS } from './common-words.js';
import type { DigestInput } from './digests.js';
import { KNOWN_DEFAULTS } from './known-defaults.js';

/** The values whose digests are looked up, each with who publishes it. */
export function knownDigestInputs(): DigestInput[] {
  return [
    ...KNOWN_DEFAULTS.map(({ value, source }) => ({ value, source })),
    ...COMMON_WORDS.map((value) => ({ value, source: 'a common word (src/strength/common-words.ts)' })),
  ];
}
