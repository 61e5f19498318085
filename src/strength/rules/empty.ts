/** WEAK_EMPTY: the value is empty or whitespace only. */
import { defineRule } from '../context.js';

/** Raises WEAK_EMPTY for an empty or whitespace-only value. */
export const emptyRule = defineRule({
  id: 'empty',
  codes: ['WEAK_EMPTY'],
  check: (ctx) =>
    ctx.text.length > 0 ? [] : [{ code: 'WEAK_EMPTY', message: 'the value is empty or only whitespace' }],
});
