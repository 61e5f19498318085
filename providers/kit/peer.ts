/** Loads an optional peer dependency (a store SDK) on first use, once per source. */
import { DependencyMissingError } from '../../src/core/errors.js';

/**
 * `await import(pkg)`, turning "module not found" into `ERR_PROVIDER_DEPENDENCY_MISSING`
 * naming the `npm i` command. Other load failures are rethrown as they are.
 */
export async function loadPeer<T>(sourceId: string, pkg: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new DependencyMissingError(sourceId, [pkg], err);
    }
    throw err;
  }
}

/** Memoises an async factory: concurrent and later callers share one promise; a failure is not kept. */
export function once<T>(factory: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= factory().catch((err: unknown) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };
}

/** A loader for `pkg` shared by every call of one source: loaded on the first call, once. */
export function lazyPeer<T>(sourceId: string, pkg: string, load: () => Promise<T>): () => Promise<T> {
  return once(() => loadPeer(sourceId, pkg, load));
}
