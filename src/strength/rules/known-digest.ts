/**
 * WEAK_KNOWN_DEFAULT, through digests: the md5, sha1, sha224, sha256, sha384 or sha512 digest of a
 * known default or common word, in hex (either case), base64 or base64url, or a published example
 * key written in another encoding. One decode and one binary search per value (see `digests.ts`).
 */
import { defineRule } from '../context.js';
import { decodeBytes, KEY_BYTES, lookupDigest } from '../digests.js';

/** Raises WEAK_KNOWN_DEFAULT when the value's bytes are a known digest or a published key. */
export const knownDigestRule = defineRule({
  id: 'known-digest',
  codes: ['WEAK_KNOWN_DEFAULT'],
  check(ctx) {
    if (ctx.text.length === 0) return [];
    // A binary Secret holds its bytes directly (a raw digest); text is decoded from hex or base64.
    const decoded = ctx.binary
      ? { bytes: Buffer.from(ctx.text, 'latin1'), encoding: 'bytes' }
      : decodeBytes(ctx.text);
    if (!decoded) return [];
    const hit = lookupDigest(decoded.bytes);
    if (!hit) return [];
    const message =
      hit.algorithm === KEY_BYTES
        ? `the value is a published example key, written as ${decoded.encoding}: ${hit.source}`
        : `the value is the ${hit.algorithm} digest (${decoded.encoding}) of a known default or common word: ${hit.source}`;
    return [
      {
        code: 'WEAK_KNOWN_DEFAULT',
        message,
        source: hit.source,
        via: hit.algorithm,
        encoding: decoded.encoding,
      },
    ];
  },
});
