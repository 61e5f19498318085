/**
 * Paging for every store that pages: at most `maxPages` pages, a token seen before ends the
 * listing (a store answering the same page forever), and one deadline for the time spent waiting
 * on the store across all pages. Each page is one guarded call, given what is left of that deadline.
 */
import { type CallSite, callError } from './errors.js';
import { type Limits, timeoutError } from './guard.js';

/** One page as the store returned it, and the token of the next one (none: the last page). */
export interface Page<P> {
  page: P;
  next: string | undefined;
}

/**
 * Yields the pages of one listing. `fetch` reads the page after `token` (undefined: the first)
 * as one guarded call bounded by `timeoutMs`.
 */
export async function* pages<P>(
  site: CallSite,
  limits: Limits,
  fetch: (token: string | undefined, timeoutMs: number) => Promise<Page<P>>,
): AsyncGenerator<P> {
  const seen = new Set<string>();
  let waited = 0;
  let token: string | undefined;
  for (let n = 1; ; n++) {
    const left = Math.ceil(limits.listTimeoutMs - waited);
    if (left <= 0) throw timeoutError(site, limits.listTimeoutMs, 'the listing did not finish');
    const started = performance.now();
    const got = await fetch(token, Math.min(limits.timeoutMs, left));
    // Only time spent waiting on the store counts, not the time the consumer takes between pages.
    waited += performance.now() - started;
    yield got.page;
    if (got.next === undefined || got.next === '') return;
    if (seen.has(got.next)) {
      throw callError(
        'ERR_SOURCE_UNAVAILABLE',
        site,
        `the store returned a page token it had returned before (page ${n})`,
        {
          retryable: false,
          hint: 'the store, or a proxy before it, keeps answering the same page; the listing was stopped',
        },
      );
    }
    if (n >= limits.maxPages) {
      throw callError(
        'ERR_SOURCE_UNAVAILABLE',
        site,
        `the store returned more than ${limits.maxPages} pages`,
        {
          retryable: false,
          hint: 'raise maxPages if the store really holds that much, or list a narrower prefix',
        },
      );
    }
    seen.add(got.next);
    token = got.next;
  }
}
