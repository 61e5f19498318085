/**
 * WEAK_KNOWN_LEAKED: the value is on the public list of JWT secrets attackers run through hashcat
 * mode 16500 (Wallarm jwt.secrets.list, MIT, ~104k entries), however random it looks.
 */
import { defineRule } from '../context.js';
import { isKnownLeaked } from '../known-keys.js';

/** Raises WEAK_KNOWN_LEAKED when any lookup form of the value is on the public list. */
export const knownLeakedRule = defineRule({
  id: 'known-leaked',
  codes: ['WEAK_KNOWN_LEAKED'],
  check(ctx) {
    for (const c of ctx.candidates()) {
      if (isKnownLeaked(c.text)) {
        const how = c.via === 'normalized' ? '' : ` (matched via ${c.via})`;
        return [
          {
            code: 'WEAK_KNOWN_LEAKED',
            message: `the value is on the public list of leaked JWT secrets${how}`,
            list: 'wallarm/jwt-secrets',
            via: c.via,
          },
        ];
      }
    }
    return [];
  },
});
