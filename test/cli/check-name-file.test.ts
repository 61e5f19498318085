/**
 * `secretsource check NAME` reads `NAME_FILE` when NAME is unset, as the env source does (Docker
 * and Kubernetes mount secrets as files): the value is judged, never printed; a named file that is
 * missing is a source failure (exit 3), not "not set".
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

async function secretFile(value: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'ss-check-file-')), 'jwt');
  await writeFile(path, `${value}\n`);
  return path;
}

describe('secretsource check NAME with NAME_FILE', () => {
  it('judges the file a weak value is in', async () => {
    const io = memoryIo({ env: { JWT_SECRET_KEY_FILE: await secretFile('changeme') } });
    expect(await runCli(['check', 'JWT_SECRET_KEY', '--format', 'json'], io)).toBe(1);
    const report = JSON.parse(io.stdoutText) as {
      checked: Array<{ name: string }>;
      findings: Array<{ code: string }>;
    };
    expect(report.checked.map((c) => c.name)).toEqual(['JWT_SECRET_KEY']);
    expect(report.findings.map((f) => f.code)).not.toContain('ERR_SECRET_NOT_FOUND');
    expect(report.findings.length).toBeGreaterThan(0);
    expect(io.stdoutText + io.stderrText).not.toContain('changeme');
  });

  it('passes a strong value read from the file, for NAME and env:NAME', async () => {
    const value = randomBytes(48).toString('base64url');
    const env = { JWT_SECRET_KEY_FILE: await secretFile(value) };
    for (const name of ['JWT_SECRET_KEY', 'env:JWT_SECRET_KEY']) {
      const io = memoryIo({ env });
      expect(await runCli(['check', name], io)).toBe(0);
      expect(io.stdoutText).toMatch(/^1 secret checked for production: 0 errors/m);
      expect(io.stdoutText + io.stderrText).not.toContain(value.slice(0, 12));
    }
  });

  it('a NAME_FILE that names no file is a source failure, not "not set"', async () => {
    const io = memoryIo({ env: { JWT_SECRET_KEY_FILE: '/nonexistent/secretsource-canary/jwt' } });
    expect(await runCli(['check', 'JWT_SECRET_KEY'], io)).toBe(3);
    expect(io.stdoutText + io.stderrText).not.toMatch(/not set/);
  });
});
