/** Every declared code is documented in docs/strength.md (which codes are emitted is proven by registry.test.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/internal/package-root.js';
import { ISSUE_CODES } from '../../src/strength/index.js';

describe('issue codes', () => {
  it('docs/strength.md documents every declared code', () => {
    const page = readFileSync(join(packageRoot(), 'docs', 'strength.md'), 'utf8');
    for (const code of Object.keys(ISSUE_CODES)) expect(page).toContain(`\`${code}\``);
  });
});
