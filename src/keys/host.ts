/**
 * What key rings and rotation need from the resolver, and nothing more: its sources by id, a
 * checked read and a cache refresh. The resolver satisfies it structurally, so `src/keys/` never
 * imports `src/resolver/` (dependencies point one way: the resolver may offer key rings, not the
 * reverse).
 */
import type { SecretRef } from '../core/ref.js';
import type { Secret } from '../core/secret.js';
import type { SecretSource } from '../core/source.js';

/** The part of a resolver that `createKeyRing` and `rotateSecret` use. */
export interface KeyHost {
  /** The configured sources, by id. */
  readonly sources: ReadonlyMap<string, SecretSource>;
  /** A checked read (cache and strength policy apply). */
  get(ref: string | SecretRef, options?: { signal?: AbortSignal | undefined }): Promise<Secret>;
  /** Drops cached values of `ref` so the next read goes to the store. */
  refresh(ref?: string | SecretRef): Promise<void>;
}

/**
 * True for a bare source. Reads the contract's declared manifest (every source declares
 * `capabilities.read: true`), never the shape of a host.
 */
export function isSecretSource(target: KeyHost | SecretSource): target is SecretSource {
  return (target as Partial<SecretSource>).capabilities?.read === true;
}
