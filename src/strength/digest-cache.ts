/**
 * SHA-256 of the lookup forms, shared by the known lists: the leaked-JWT list and the
 * known-defaults corpus both key their entries by the first 8 bytes of SHA-256 of a normalised
 * form, and one check looks the same forms up in both. A hash crosses into OpenSSL, the costliest
 * step of a lookup, so the last few are kept.
 */
import { nodeCrypto } from '../core/builtins.js';

const KEEP = 32;
const recent = new Map<string, Buffer>();

/** SHA-256 of `text` (UTF-8), from the last {@link KEEP} computed when it is among them. */
export function sha256Of(text: string): Buffer {
  let d = recent.get(text);
  if (d) return d;
  d = nodeCrypto().createHash('sha256').update(text, 'utf8').digest();
  if (recent.size >= KEEP) recent.delete(recent.keys().next().value as string);
  recent.set(text, d);
  return d;
}
