/**
 * Sharing a scan between threads: every thread takes the next batch from one counter, so a thread
 * that starts late (a cold worker on a busy machine) takes only what is left, and the threads
 * together read every file once (the built CLI's worker run is compared with a single thread in
 * cli.test.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineSettings } from '../../src/scan/engine.js';
import { listFiles } from '../../src/scan/files.js';
import { drain } from '../../src/scan/parallel.js';
import { runJobs, selectJobs } from '../../src/scan/runner.js';
import { tree } from './helpers.js';

const files: Record<string, string> = {};
for (let i = 0; i < 150; i++)
  files[`svc${i}/config.py`] = `import os\nSVC${i}_API_KEY = os.getenv("SVC${i}_API_KEY", "weak-${i}")\n`;
const t = tree(files);
afterAll(() => t.cleanup());
const settings: EngineSettings = { environment: 'production', fingerprint: { kind: 'none' } };

describe('scan threads share one queue', () => {
  it('a thread that starts after others took batches scans only the files left', async () => {
    const { jobs } = selectJobs((await listFiles(t.dir, ['.'], { gitignore: false })).files);
    expect(jobs).toHaveLength(150);
    const next = new Int32Array(new SharedArrayBuffer(4));
    // Another thread has already taken the first 100 files.
    next[0] = 100;
    const late = drain(jobs, next, settings, 1 << 20);
    expect(late.files).toBe(50);
    expect(late.findings.map((f) => f.file).sort()).toEqual(
      runJobs(jobs.slice(100), settings, 1 << 20)
        .findings.map((f) => f.file)
        .sort(),
    );
    // Nothing is left for a thread that comes after it.
    expect(drain(jobs, next, settings, 1 << 20).files).toBe(0);
  });
});
