// biome-ignore-all assist/source/organizeImports: the first imports are the page's, in its order
/** docs/known-defaults.md's sample: a resolver's own known values are rejected, naming their source. */
// #region known-values
import { createResolver } from 'secretsource';
// #endregion known-values
import { memorySource } from 'secretsource/testing';
import { expect, it } from 'vitest';

it('rejects a value of policy.knownValues as WEAK_KNOWN_DEFAULT, naming the source, never the value', async () => {
  const store = memorySource({ initial: { JWT_SECRET_KEY: 'the-old-signing-key' } });
  // #region known-values

  const resolver = createResolver({
    sources: [store],
    policy: {
      environment: 'production',
      knownValues: ['acme-dev-secret', { value: 'the-old-signing-key', source: 'the key leaked in INC-42' }],
    },
  });
  // #endregion known-values

  const err = await resolver.get('memory:JWT_SECRET_KEY').catch((e: unknown) => e);
  expect(err).toMatchObject({ code: 'ERR_SECRET_WEAK' });
  const issues = (err as { issues: Array<{ code: string; source?: string }> }).issues;
  expect(issues).toContainEqual(
    expect.objectContaining({ code: 'WEAK_KNOWN_DEFAULT', source: 'the key leaked in INC-42' }),
  );
  expect(JSON.stringify(issues)).not.toContain('the-old-signing-key');
});
