/** WEAK_TOO_SHORT: the value carries fewer bits than the profile needs, counted on its alphabet. */
import { defineRule, roundBits } from '../context.js';

/** Fewer bits than the profile's minimum, after decoding hex and base64 forms. */
export const tooShortRule = defineRule({
  id: 'too-short',
  codes: ['WEAK_TOO_SHORT'],
  check(ctx) {
    if (ctx.text.length === 0) return [];
    const { alphabet, profile } = ctx;
    // Float rounding must not reject 43 random alphanumerics (256.03 bits) or 64 hex digits (256 bits).
    if (alphabet.bits + 1e-9 >= profile.minBits) return [];
    const encoded = alphabet.kind === 'hex' || alphabet.kind === 'base64' || alphabet.kind === 'base64url';
    const decoded = profile.decode && encoded ? ` (${alphabet.decodedBytes} bytes once decoded)` : '';
    return [
      {
        code: 'WEAK_TOO_SHORT',
        message: `the value carries at most ${roundBits(alphabet.bits)} bits as ${alphabet.kind}${decoded}; ${profile.name} needs ${profile.minBits}`,
        estimatedBits: roundBits(alphabet.bits),
        requiredBits: profile.minBits,
        alphabet: alphabet.kind,
      },
    ];
  },
});
