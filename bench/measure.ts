/** Measuring helpers shared by the bench files (not a bench itself: run.ts runs `*.bench.ts` only). */

/** Median of a sample. */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A rate or count for a table: 2.41 M, 383.3 k, 67.3. */
export const fmt = (n: number) =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(1);

/**
 * Calls per second of `fn`, awaited one at a time, after 20,000 warm-up calls. With `turn`, the event
 * loop turns after every 1000 calls, so timers and background work (a key ring's reads) progress.
 */
export async function opsPerSecond(fn: () => unknown, ms = 1500, turn = false): Promise<number> {
  for (let i = 0; i < 20_000; i++) await fn();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 1000; i++) await fn();
    n += 1000;
    if (turn) await new Promise((r) => setImmediate(r));
  }
  return n / ((performance.now() - start) / 1000);
}
