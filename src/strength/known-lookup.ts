/**
 * The mined corpus lookups behind WEAK_KNOWN_DEFAULT, as text: a value (any of its lookup forms,
 * see `candidates.ts`) that a user list or the corpus holds, or one made only of the words of
 * published defaults. The same values' digests and their bytes in other encodings are the
 * `known-digest` rule's (`digests.ts`: one table for every encoding and digest lookup).
 */
import type { Candidate } from './candidates.js';
import { defaultsVocabulary, lookupKnownValue } from './known-table.js';
import { madeOfWords } from './known-words.js';
import { type KnownValueList, lookupUserKnown, userLists } from './user-known.js';

/** A corpus match: who publishes the value (shown instead of it) and how it was matched. */
export interface CorpusHit {
  source: string;
  via: string;
}

/** How a published value is named in issues: its product, and how many other projects publish it. */
export function publishedBy(product: string, projects: number): string {
  const others = projects - 1;
  return others > 0
    ? `published as a default by ${product} and ${others} other project${others === 1 ? '' : 's'}`
    : `published as a default by ${product}`;
}

/**
 * Looks the value's forms up in the user lists (`extra`: a policy's `knownValues`), then in the
 * mined corpus; the first match, or undefined.
 */
export function findInCorpus(
  text: string,
  candidates: readonly Candidate[],
  extra?: KnownValueList,
): CorpusHit | undefined {
  const lists = userLists(extra);
  if (lists.length > 0) {
    const user = lookupUserKnown(lists, text, candidates);
    if (user) return { source: user, via: 'user list' };
  }
  for (const c of candidates) {
    const hit = lookupKnownValue(c.text);
    if (hit) return { source: publishedBy(hit.product, hit.projects), via: c.via };
  }
  const first = candidates[0]?.text;
  if (first && madeOfWords(first, defaultsVocabulary())) {
    return {
      source: 'made only of the words that published defaults of three or more projects use',
      via: 'words',
    };
  }
  return undefined;
}
