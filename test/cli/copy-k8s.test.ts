/**
 * `secretsource copy dotenv:.env k8s:prod/app` end to end through the CLI, the real
 * @kubernetes/client-node and a kubeconfig pointing at the run's Kubernetes emulator: the plan
 * writes nothing, `--apply` writes every key of one Secret byte for byte as dotenv reads the file,
 * and a second `--apply` writes nothing at all.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { generateKey } from '../../src/keys/keygen.js';
import { k8sTestOptions, k8sTestSource } from '../helpers/k8s.js';

const SENTINEL = 'SENTINEL-cli-copy-k8s-7e21-never-print';

/** A kubeconfig for the emulator: its server, its CA inline, the admin token. */
function kubeconfig(): string {
  const o = k8sTestOptions();
  const ca = Buffer.from(String(o.ca)).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: emulator\n  cluster:\n    server: ${o.server}\n    certificate-authority-data: ${ca}`,
    `users:\n- name: admin\n  user:\n    token: ${o.token}`,
    'contexts:',
    '- name: test\n  context:\n    cluster: emulator\n    user: admin\n    namespace: default',
    'current-context: test',
    '',
  ].join('\n');
}

/** Raw `data` of a Secret, straight from the API server: key -> bytes, and its resourceVersion. */
async function rawSecret(namespace: string, name: string) {
  const o = k8sTestOptions();
  const { Agent, request } = await import('node:https');
  const agent = new Agent({ ca: String(o.ca) });
  const body = await new Promise<string>((resolve, reject) => {
    const req = request(
      `${o.server}/api/v1/namespaces/${namespace}/secrets/${name}`,
      { agent, headers: { authorization: `Bearer ${o.token}` } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString('utf8');
        });
        res.on('end', () => resolve(text));
      },
    );
    req.on('error', reject);
    req.end();
  });
  agent.destroy();
  const s = JSON.parse(body) as { data: Record<string, string>; metadata: { resourceVersion: string } };
  const data = Object.fromEntries(Object.entries(s.data).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
  return { data, resourceVersion: s.metadata.resourceVersion };
}

describe('secretsource copy dotenv:.env k8s:<namespace>/<secret>', () => {
  it('plans, applies byte for byte, and a second --apply writes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ss-copy-k8s-'));
    await writeFile(join(dir, 'kubeconfig'), kubeconfig());
    const env = [
      `JWT_SECRET_KEY=${generateKey()}`,
      `DB_PASSWORD='${SENTINEL}'`,
      'GREETING="héllo wörld\\nsecond line"',
      'PORT=3000',
      'EMPTY_NOTE= spaced value with # not a comment ',
      '',
    ].join('\n');
    await writeFile(join(dir, '.env'), env);
    const expected = parse(await readFile(join(dir, '.env')));
    const secret = `app${randomBytes(4).toString('hex')}`;
    const to = `k8s:prod/${secret}`;
    const io = () => memoryIo({ env: { KUBECONFIG: join(dir, 'kubeconfig'), HOME: dir }, cwd: dir });

    const plan = io();
    expect(await runCli(['copy', 'dotenv:.env', to], plan), plan.stderrText).toBe(0);
    expect(plan.stdoutText).toContain(`create    JWT_SECRET_KEY -> prod/${secret}/JWT_SECRET_KEY`);
    expect(plan.stdoutText).toContain('5 create, 0 update, 0 unchanged');
    expect(await k8sTestSource().get(`prod/${secret}`)).toBeUndefined();

    const apply = io();
    expect(await runCli(['copy', 'dotenv:.env', to, '--apply'], apply), apply.stderrText).toBe(0);
    expect(apply.stdoutText).toContain('; 5 written, 0 failed\n');
    const first = await rawSecret('prod', secret);
    expect(Object.keys(first.data).sort()).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) {
      expect(first.data[k]?.equals(Buffer.from(v, 'utf8')), k).toBe(true);
    }

    const again = io();
    expect(await runCli(['copy', 'dotenv:.env', to, '--apply', '--format', 'json'], again)).toBe(0);
    expect(JSON.parse(again.stdoutText)).toMatchObject({ ok: true, writes: 0, counts: { unchanged: 5 } });
    const second = await rawSecret('prod', secret);
    // Nothing was written: the Secret did not even get a new resourceVersion.
    expect(second.resourceVersion).toBe(first.resourceVersion);
    for (const [k, v] of Object.entries(first.data)) expect(second.data[k]?.equals(v)).toBe(true);

    for (const out of [plan, apply, again]) expect(out.stdoutText + out.stderrText).not.toContain(SENTINEL);
  });
});
