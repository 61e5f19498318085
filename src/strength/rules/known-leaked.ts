/**
 * WEAK_KNOWN_LEAKED: the value is on the public list of JWT secrets attackers run through hashcat
 * mode 16500 (Wallarm jwt.secrets.list, MIT, ~104k entries), however random it looks.
 */
import type { Candidate } from '../candidates.js';
import type { Finding, RuleContext } from '../context.js';
import { isKnownLeaked } from '../known-keys.js';

/** Raises WEAK_KNOWN_LEAKED when any lookup form of the value is on the public list. */
export function knownLeakedRule(_ctx: RuleContext, candidates: Candidate[]): Finding[] {
  for (const c of candidates) {
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
}
