/**
 * The one race every bounded call uses: a deadline and the caller's signal, either of which
 * rejects at once (even when the call ignores its signal) and aborts the signal handed to the call,
 * so a client that honours it cancels the real request instead of leaving it running.
 */

/** Longest delay `setTimeout` keeps; Node turns anything larger into 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** How a bounded call reports why it stopped. */
export interface GuardSettings {
  /** The deadline in ms (1 to {@link MAX_TIMER_MS}). */
  timeoutMs: number;
  /** The caller's signal; its abort ends the call too. */
  signal?: AbortSignal | undefined;
  /** The error for "the deadline passed". */
  timeoutError(): Error;
  /** The error for "the caller aborted", given the signal's reason. */
  abortError(reason: unknown): Error;
}

/**
 * Runs `call` with a signal that aborts when the deadline passes or the caller's signal aborts.
 * The returned promise settles with the guard's error at that moment; the call's own rejection
 * (its AbortError) is then ignored.
 */
export async function guard<T>(call: (signal: AbortSignal) => Promise<T>, s: GuardSettings): Promise<T> {
  if (s.signal?.aborted) throw s.abortError(s.signal.reason);
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  // Settled before the call's signal aborts: a call that rejects at once on abort must not win.
  const stopped = new Promise<never>((_, reject) => {
    const stop = (err: Error) => {
      reject(err);
      controller.abort(err);
    };
    timer = setTimeout(() => stop(s.timeoutError()), Math.min(Math.max(1, s.timeoutMs), MAX_TIMER_MS));
    onAbort = () => stop(s.abortError(s.signal?.reason));
    s.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const running = call(controller.signal);
    // Whatever the call does after the guard settled must not surface as an unhandled rejection.
    running.catch(() => {});
    return await Promise.race([running, stopped]);
  } finally {
    clearTimeout(timer);
    if (onAbort) s.signal?.removeEventListener('abort', onAbort);
  }
}

/** Waits for `p`, rejecting with `abortError()` as soon as `signal` aborts (the work itself goes on). */
export function untilAborted<T>(
  p: Promise<T>,
  signal: AbortSignal | undefined,
  abortError: (reason: unknown) => Error,
): Promise<T> {
  if (signal === undefined) return p;
  if (signal.aborted) return Promise.reject(abortError(signal.reason));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
