/**
 * Rebuilds `data/known-digests.bin` from the known defaults and common words
 * (`src/strength/digest-inputs.ts`) under every family in `DIGEST_ALGORITHMS`.
 * Run: `tsx scripts/build-known-digests.ts`. `test/strength/known-digest.test.ts` fails when the
 * shipped file differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { knownDigestInputs } from '../src/strength/digest-inputs.js';
import { buildDigestTable, knownDigestsPath } from '../src/strength/digests.js';

const table = buildDigestTable(knownDigestInputs());
writeFileSync(knownDigestsPath(), table);
process.stdout.write(
  `wrote ${knownDigestsPath()}: ${table.readUInt32BE(8)} entries, ${table.length} bytes\n`,
);
