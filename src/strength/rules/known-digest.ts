/**
 * WEAK_KNOWN_DEFAULT, through encodings and digests: the digest of a known default (curated or
 * mined) or common word under any family of `DIGEST_ALGORITHMS` (md5, sha1, sha2, sha3, blake2), in
 * hex (either case), base64 or base64url, with or without a prefix, or written twice
 * (`base64(hex(md5(x)))`); or a published key's bytes in another encoding. One decode and one
 * binary search per value (see `digests.ts`).
 */
import { defineRule } from '../context.js';
import { findKnownDigest, KEY_BYTES, type KnownDigestMatch, lookupDigest } from '../digests.js';

/** Raises WEAK_KNOWN_DEFAULT when the value's bytes are a known digest or a published key. */
export const knownDigestRule = defineRule({
  id: 'known-digest',
  codes: ['WEAK_KNOWN_DEFAULT'],
  check(ctx) {
    if (ctx.text.length === 0) return [];
    // A binary Secret holds its bytes directly (a raw digest); text is decoded from hex or base64.
    let hit: KnownDigestMatch | undefined;
    if (ctx.binary) {
      const raw = lookupDigest(Buffer.from(ctx.text, 'latin1'));
      hit = raw && { ...raw, encoding: 'bytes' };
    } else {
      hit = findKnownDigest(ctx.text);
    }
    if (!hit) return [];
    const message =
      hit.algorithm === KEY_BYTES
        ? `the value is a published example key, written as ${hit.encoding}: ${hit.source}`
        : `the value is the ${hit.algorithm} digest (${hit.encoding}) of a known default or common word: ${hit.source}`;
    return [
      {
        code: 'WEAK_KNOWN_DEFAULT',
        message,
        source: hit.source,
        via: hit.algorithm,
        encoding: hit.encoding,
      },
    ];
  },
});
