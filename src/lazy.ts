/**
 * The entry's async operations that most apps never call at boot (copy, rotate, key rings): their
 * code loads on the first call, so `import('secretsource')` stays within its boot budget.
 * Each wrapper has the signature and docs of the function it loads.
 */
import type { CopyOptions, CopyReport } from './copy/index.js';
import type { KeyRing, KeyRingOptions } from './keyring.js';
import type { SecretRef } from './ref.js';
import type { Resolver } from './resolver.js';
import type { RotateOptions, RotateResult } from './rotate.js';
import type { SecretSource } from './source.js';

/**
 * Copies secrets between stores: plans first, writes only with `apply`, never overwrites unless
 * asked, refuses weak values, reads every write back. See `src/copy/index.ts`.
 * @example
 * const report = await copySecrets({ from: dotenvSource({ path: '.env' }), to: awsSsm(), toPrefix: '/myapp/prod/', apply: true });
 */
export async function copySecrets(options: CopyOptions): Promise<CopyReport> {
  return (await import('./copy/index.js')).copySecrets(options);
}

/**
 * Writes a newly generated key as a new version of `ref`, keeping the previous one. See `src/rotate.ts`.
 * @example
 * const { version, previousVersion } = await rotateSecret(resolver, 'aws-sm:prod/app#jwt');
 */
export async function rotateSecret(
  target: Resolver | SecretSource,
  ref: string | SecretRef,
  options?: RotateOptions,
): Promise<RotateResult> {
  return (await import('./rotate.js')).rotateSecret(target, ref, options);
}

/**
 * The current key for signing and the previous versions inside the grace window for verifying.
 * See `src/keyring.ts`.
 * @example
 * const ring = await createKeyRing(resolver, 'aws-sm:prod/app#jwt', { graceMs: 86_400_000 });
 */
export async function createKeyRing(
  resolver: Resolver,
  ref: string | SecretRef,
  options?: KeyRingOptions,
): Promise<KeyRing> {
  return (await import('./keyring.js')).createKeyRing(resolver, ref, options);
}
