/** Counts a peer SDK's modules in a fresh process before and after a provider's first call. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Runs `setup` (which must define `source`) then `await firstCall` in a child process under tsx, and
 * reports how many required modules matched `pkg` before and after that call.
 */
export async function sdkModulesAroundFirstCall(
  setup: string,
  firstCall: string,
  pkg = '@aws-sdk',
): Promise<{ before: number; after: number }> {
  const script = `
    import { createRequire } from 'node:module';
    const req = createRequire(import.meta.url);
    const loaded = () => Object.keys(req.cache).filter((k) => k.includes(${JSON.stringify(pkg)})).length;
    ${setup}
    const before = loaded();
    await ${firstCall};
    console.log(JSON.stringify({ before, after: loaded() }));
  `;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: fileURLToPath(new URL('../../', import.meta.url)), env: process.env },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as { before: number; after: number };
}
