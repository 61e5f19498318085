/** The shipped word list is sorted, unique and lower-case; the binary-search set finds exactly its words. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDictionary, MAX_WORD, MIN_WORD, wordListPath } from '../../src/strength/words.js';

describe('word list', () => {
  const words = readFileSync(wordListPath(), 'utf8').split('\n').filter(Boolean);

  it('is sorted by code unit, unique, lower-case a-z of 4 to 10 letters', () => {
    expect(words.length).toBe(51_606);
    for (let i = 0; i < words.length; i++) {
      expect(words[i]).toMatch(new RegExp(`^[a-z]{${MIN_WORD},${MAX_WORD}}$`));
      if (i > 0) expect(words[i - 1]! < words[i]!).toBe(true);
    }
  });

  it('the loaded set has every word and nothing else', () => {
    const d = loadDictionary();
    expect(d.words.size).toBe(words.length);
    expect(words.every((w) => d.words.has(w))).toBe(true);
    for (const w of ['', 'a', 'zzzzzz', 'qwxz', `${words[0]}x`, `${words[words.length - 1]!}z`, 'Apple']) {
      expect(d.words.has(w)).toBe(false);
    }
    expect(d.wordBits).toBeCloseTo(Math.log2(51_606), 6);
  });
});
