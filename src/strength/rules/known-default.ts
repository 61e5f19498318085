/**
 * WEAK_KNOWN_DEFAULT: a default or example key printed in public docs (see `known-defaults.ts`),
 * matched after normalisation, affixes, quotes and `KEY=` prefixes, through hex and base64 encodings,
 * and as the md5, sha1 or sha256 hex digest of a known value.
 */
import { createHash } from 'node:crypto';
import { type Candidate, matchCandidates } from '../candidates.js';
import { defineRule } from '../context.js';
import { KNOWN_DEFAULTS, KNOWN_PREFIXES } from '../known-defaults.js';
import { normalizeForMatch } from '../normalize.js';

interface DefaultsIndex {
  /** Normalised value -> source. */
  values: Map<string, string>;
  /** Lower-case hex digest -> source and algorithm. */
  digests: Map<string, { source: string; algorithm: string }>;
}

let index: DefaultsIndex | undefined;

function buildIndex(): DefaultsIndex {
  const values = new Map<string, string>();
  const digests = new Map<string, { source: string; algorithm: string }>();
  for (const { value, source } of KNOWN_DEFAULTS) {
    const norm = normalizeForMatch(value);
    if (!values.has(norm)) values.set(norm, source);
    for (const form of new Set([value, norm])) {
      for (const algorithm of ['md5', 'sha1', 'sha256']) {
        const hex = createHash(algorithm).update(form, 'utf8').digest('hex');
        if (!digests.has(hex)) digests.set(hex, { source, algorithm });
      }
    }
  }
  return { values, digests };
}

/** Looks the candidates up; returns the first match. Exported for the deploy rules. */
export function findKnownDefault(
  value: string,
  candidates: readonly Candidate[] = matchCandidates(value),
): { source: string; via: string } | undefined {
  index ??= buildIndex();
  for (const c of candidates) {
    const source = index.values.get(c.text);
    if (source) return { source, via: c.via };
  }
  const first = candidates[0]?.text;
  if (first) {
    for (const p of KNOWN_PREFIXES) if (first.startsWith(p.value)) return { source: p.source, via: 'prefix' };
    if (first.length === 32 || first.length === 40 || first.length === 64) {
      const d = index.digests.get(first);
      if (d) return { source: d.source, via: d.algorithm };
    }
  }
  return undefined;
}

/** Raises WEAK_KNOWN_DEFAULT when any lookup form of the value is a documented default. */
export const knownDefaultRule = defineRule({
  id: 'known-default',
  codes: ['WEAK_KNOWN_DEFAULT'],
  check(ctx) {
    if (ctx.text.length === 0 || ctx.binary) return [];
    const hit = findKnownDefault(ctx.text, ctx.candidates());
    if (!hit) return [];
    const how = hit.via === 'normalized' ? '' : ` (matched via ${hit.via})`;
    return [
      {
        code: 'WEAK_KNOWN_DEFAULT',
        message: `the value is a publicly documented default or example: ${hit.source}${how}`,
        source: hit.source,
        via: hit.via,
      },
    ];
  },
});
