/**
 * Every value rule, in the order their findings are listed. A new rule adds one file in this folder
 * and one entry here; `test/strength/registry.test.ts` fails on a code that no rule emits or a rule
 * whose codes are not declared.
 */
import type { Rule } from '../context.js';
import { emptyRule } from './empty.js';
import { knownDefaultRule } from './known-default.js';
import { knownDigestRule } from './known-digest.js';
import { knownLeakedRule } from './known-leaked.js';
import { lowEntropyRule } from './low-entropy.js';
import { ownNameRule } from './own-name.js';
import { patternsRule } from './patterns.js';
import { placeholderRule } from './placeholder.js';
import { sharedRule } from './shared.js';
import { tokenRule } from './token.js';
import { tooShortRule } from './too-short.js';
import { unresolvedRefRule } from './unresolved-ref.js';

/** The registered value rules. */
export const RULES: readonly Rule[] = [
  emptyRule,
  knownLeakedRule,
  knownDefaultRule,
  knownDigestRule,
  placeholderRule,
  unresolvedRefRule,
  tokenRule,
  ownNameRule,
  tooShortRule,
  lowEntropyRule,
  patternsRule,
  sharedRule,
];
