/** Bounds a store call in time, whether or not the store honours its abort signal. */
import { SourceError } from '../core/errors.js';

/**
 * Runs `call` with a signal that aborts after `ms` (or when `outer` aborts) and rejects with
 * `ERR_SOURCE_TIMEOUT` at that moment even if the call ignores the signal and hangs.
 */
export async function withTimeout<T>(
  call: (signal: AbortSignal) => Promise<T>,
  ms: number,
  context: { source: string; secretName?: string | undefined; action: string },
  outer?: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Settled before the call is aborted: a call that rejects at once on abort must not win the race.
  const aborted = new Promise<never>((_, reject) => {
    if (outer?.aborted) reject(abortError(context));
    outer?.addEventListener('abort', () => reject(abortError(context)), { once: true });
  });
  const onOuterAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new SourceError(
        'ERR_SOURCE_TIMEOUT',
        `${context.action}${context.secretName === undefined ? '' : ` "${context.secretName}"`} in source "${context.source}" took longer than ${ms} ms`,
        {
          source: context.source,
          secretName: context.secretName,
          hint: 'raise timeoutMs or check the store',
        },
      );
      reject(err);
      controller.abort(err);
    }, ms);
  });
  try {
    return await Promise.race([call(controller.signal), timedOut, aborted]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuterAbort);
  }
}

function abortError(context: {
  source: string;
  secretName?: string | undefined;
  action: string;
}): SourceError {
  return new SourceError(
    'ERR_SOURCE_TIMEOUT',
    `${context.action} in source "${context.source}" was aborted by the caller`,
    {
      source: context.source,
      secretName: context.secretName,
      retryable: false,
    },
  );
}
