/**
 * WEAK_SHARED: the same value is used in another environment. The door compares (by keyed
 * fingerprint, never by printing) and passes what it found as `sharedWith`; this rule turns each
 * match into a finding, so reuse gets one code and one severity table wherever it is found.
 */
import { defineRule } from '../context.js';

/** One WEAK_SHARED finding per other environment (or file) that holds the same value. */
export const sharedRule = defineRule({
  id: 'shared',
  codes: ['WEAK_SHARED'],
  check: (ctx) =>
    ctx.sharedWith.map((s) => ({
      code: 'WEAK_SHARED' as const,
      message: `the same value is used in ${s.environment}${s.name ? ` as ${s.name}` : ''}${s.file ? ` (${s.file})` : ''} (${s.fingerprint}); each environment needs its own secret`,
      fingerprint: s.fingerprint,
      otherEnvironment: s.environment,
      ...(s.name === undefined ? {} : { otherName: s.name }),
      ...(s.file === undefined ? {} : { otherFile: s.file }),
    })),
});
