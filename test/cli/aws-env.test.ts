/**
 * The CLI and the library read AWS settings with one builder, so they agree on every variable:
 * measured here by where their requests land. Before the builder was shared, the CLI honoured
 * AWS_ENDPOINT_URL under AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true and the library did not.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { awsSecretsManager } from '../../providers/aws/sm.js';
import { awsSsm } from '../../providers/aws/ssm.js';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { codeOf } from '../helpers/assertions.js';

let server: Server;
let url: string;
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    req.resume();
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify({ __type: 'AccessDeniedException', message: 'no' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function envWith(extra: Record<string, string>): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL: url,
    SECRETSOURCE_TIMEOUT_MS: '5000',
    ...extra,
  };
}

/** Where one read goes, through the library (process.env) and through the CLI (its io.env). */
async function both(source: 'aws-sm' | 'aws-ssm', env: Record<string, string>) {
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  for (const k of ['AWS_ENDPOINT_URL_SECRETS_MANAGER', 'AWS_ENDPOINT_URL_SSM', 'AWS_PROFILE']) {
    if (!(k in env)) vi.stubEnv(k, undefined);
  }
  hits = 0;
  const lib = source === 'aws-sm' ? awsSecretsManager() : awsSsm();
  const libErr = await codeOf(lib.get(source === 'aws-sm' ? 'app/x' : '/app/x'));
  await lib.close();
  const libHits = hits;
  hits = 0;
  const io = memoryIo({ env });
  const exit = await runCli(['get', `${source}:${source === 'aws-sm' ? 'app/x' : '/app/x'}`], io);
  const cliCode = /ERR_[A-Z_]+/.exec(io.stderrText)?.[0];
  return { libHits, cliHits: hits, libCode: libErr.code, cliCode, exit };
}

describe('AWS settings: the CLI and the library agree', () => {
  for (const source of ['aws-sm', 'aws-ssm'] as const) {
    it(`${source}: AWS_ENDPOINT_URL is used by both`, async () => {
      const r = await both(source, envWith({}));
      expect(r).toMatchObject({ libCode: 'ERR_SOURCE_ACCESS_DENIED', cliCode: 'ERR_SOURCE_ACCESS_DENIED' });
      expect(r.libHits).toBeGreaterThan(0);
      expect(r.cliHits).toBe(r.libHits);
    });

    it(`${source}: AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true makes both ignore it`, async () => {
      const r = await both(source, envWith({ AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }));
      expect(r.libHits).toBe(0);
      expect(r.cliHits).toBe(0);
      // Both went to AWS's public endpoint, which this machine cannot reach: the same code either way.
      expect(r.cliCode).toBe(r.libCode);
      expect(r.exit).not.toBe(0);
    });
  }
});
