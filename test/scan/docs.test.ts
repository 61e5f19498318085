/**
 * docs/scan.md's before/after runs as written: its file blocks are written into a git repository,
 * `secretsource scan` runs, and the output must equal the page's output blocks (the issue codes in
 * parentheses aside: they come from the strength engine, which may add codes).
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, tree } from './helpers.js';

const page = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'scan.md'), 'utf8');
// Each block follows its caption: `path` (before): or scan output (after):
const blocks = [...page.matchAll(/^`?([^`\n]+?)`? \((before|after)\):\n\n```\w+\n([\s\S]*?)```/gm)].map(
  (m) => ({
    path: m[1]!,
    stage: m[2]!,
    body: m[3]!,
  }),
);
const files = (stage: string) =>
  Object.fromEntries(
    blocks.filter((b) => b.stage === stage && b.path !== 'scan output').map((b) => [b.path, b.body]),
  );
const output = (stage: string) => blocks.find((b) => b.stage === stage && b.path === 'scan output')!.body;
const withoutCodes = (text: string) =>
  text.replace(/\((?:WEAK|DEPLOY)_[A-Z_]+(?:, (?:WEAK|DEPLOY)_[A-Z_]+)*\)/g, '(codes)');

const t = tree(files('before'), { git: true });
afterAll(() => t.cleanup());

describe('docs/scan.md', () => {
  it('has the four before files and both outputs', () => {
    expect(Object.keys(files('before')).sort()).toEqual([
      '.env',
      'app/config.py',
      'docker-compose.yml',
      'manifests/deployment.yml',
    ]);
    expect(output('before')).toContain('4 findings');
  });

  it('before: the scan prints what the page shows', async () => {
    t.git('add', '-f', '.env');
    const r = await cli(t.dir, ['scan', '--workers', '0']);
    expect(r.code).toBe(1);
    expect(withoutCodes(r.stdout)).toBe(withoutCodes(output('before')));
  });

  it('after: the fixed app scans clean', async () => {
    t.write(files('after'));
    t.git('rm', '-q', '--cached', '.env');
    rmSync(join(t.dir, '.env'));
    const r = await cli(t.dir, ['scan', '--workers', '0']);
    expect(r.stdout).toBe(output('after'));
    expect(r.code).toBe(0);
  });
});

describe('README.md scan sample', () => {
  it('every block after the scan-sample marker is a piece of docs/scan.md (so the run above checks it)', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const start = readme.indexOf('<!-- scan-sample:');
    expect(start).toBeGreaterThan(0);
    const section = readme.slice(start, readme.indexOf('\n## ', start));
    const bodies = [...section.matchAll(/```\w+\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(bodies.length).toBe(3);
    for (const body of bodies) {
      for (const line of body.split('\n').filter(Boolean)) expect(page, line).toContain(line);
    }
  });
});
