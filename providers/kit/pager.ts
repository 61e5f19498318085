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

/** The bounds of one listing, for stores whose SDK pages for us (Azure) or that walk folders (Vault). */
export interface ListingBudget {
  /** Runs the request for one more page, bounded by what is left of the deadline; throws past a bound. */
  page<T>(fetch: (timeoutMs: number) => Promise<T>): Promise<T>;
  /** Records the next page's token; throws when the store returned it before. */
  token(next: string | undefined): void;
}

/** A fresh budget for one listing at `site`. */
export function listingBudget(site: CallSite, limits: Limits): ListingBudget {
  const seen = new Set<string>();
  let waited = 0;
  let count = 0;
  return {
    async page(fetch) {
      if (count >= limits.maxPages) {
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
      const left = Math.ceil(limits.listTimeoutMs - waited);
      if (left <= 0) throw timeoutError(site, limits.listTimeoutMs, 'the listing did not finish');
      count++;
      const started = performance.now();
      try {
        return await fetch(Math.min(limits.timeoutMs, left));
      } finally {
        // Only time spent waiting on the store counts, not the time the consumer takes between pages.
        waited += performance.now() - started;
      }
    },
    token(next) {
      if (next === undefined || next === '') return;
      if (seen.has(next)) {
        throw callError(
          'ERR_SOURCE_UNAVAILABLE',
          site,
          `the store returned a page token it had returned before (page ${count})`,
          {
            retryable: false,
            hint: 'the store, or a proxy before it, keeps answering the same page; the listing was stopped',
          },
        );
      }
      seen.add(next);
    },
  };
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
  const budget = listingBudget(site, limits);
  let token: string | undefined;
  for (;;) {
    const got = await budget.page((ms) => fetch(token, ms));
    yield got.page;
    if (got.next === undefined || got.next === '') return;
    budget.token(got.next);
    token = got.next;
  }
}
