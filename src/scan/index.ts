/**
 * `scanTree`: finds insecure fallbacks, hard-coded secrets, committed .env secrets and unrendered
 * tokens in a source tree, judges each value with the strength engine, and optionally looks for
 * the app's real secrets in the tree and in git history. Loaded on first use by the main entry.
 */
import { resolve } from 'node:path';
import { SecretError } from '../core/errors.js';
import { checkEnvironment } from '../strength/environment.js';
import { applyBaseline, baselineKey, ENV_KEY } from './baseline.js';
import type { EngineSettings, FingerprintKey } from './engine.js';
import { listFiles } from './files.js';
import { runParallel, workerCount } from './parallel.js';
import { selectJobs } from './runner.js';
import type { ScanFinding, ScanNote, ScanOptions, ScanReport } from './types.js';
import { prepareValues, searchFiles, searchHistory } from './values.js';

export {
  applyBaseline,
  type Baseline,
  type BaselineEntry,
  baselineKey,
  createBaseline,
  ENV_KEY,
  newBaselineKey,
  parseBaseline,
} from './baseline.js';
export { isExampleFile, isTestFixture } from './files.js';
export { isSecretName } from './names.js';
export { type SarifLog, toSarif } from './sarif.js';
export * from './types.js';

/** Default size limit: larger files are skipped (generated bundles, data dumps). */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

const ENV_VAR = 'SECRETSOURCE_FINGERPRINT_KEY';

/**
 * Scans a tree. Paths in findings are relative to `root`; findings never hold a value.
 * @example
 * const report = await scanTree({ root: '.', environment: 'production' });
 * const lines = report.findings.map((f) => `${f.file}:${f.line} ${f.kind} ${f.name}: ${f.message}`);
 */
export async function scanTree(options: ScanOptions = {}): Promise<ScanReport> {
  const root = resolve(options.root ?? process.cwd());
  const paths = options.paths?.length ? options.paths : ['.'];
  const environment = checkEnvironment(options.environment ?? 'production');
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const envKey = options.fingerprintKey === null ? undefined : process.env[ENV_VAR] || undefined;
  const fingerprint = staticKey(options, envKey);
  const settings: EngineSettings = { environment, fingerprint };

  const { files, git } = await listFiles(root, paths, { gitignore: options.gitignore !== false });
  const notes: ScanNote[] = [];
  const { jobs, fixtures } = selectJobs(files);

  const workers = workerCount(jobs, options.workers ?? 'auto');
  const run = await runParallel(jobs, settings, maxBytes, workers);
  const all: ScanFinding[] = [...run.findings];
  // Threads take batches as they free up: put notes back in path order, so every run prints the same.
  notes.push(...run.notes.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0)));
  let commits = 0;
  let valueFiles = 0;
  let valueBytes = 0;
  let valueHuge = 0;

  if (options.values?.length) {
    const { prepared, notes: valueNotes } = prepareValues(
      options.values,
      environment,
      options.valueFingerprintKey,
    );
    notes.push(...valueNotes);
    const tree = searchFiles(files, prepared, maxBytes);
    all.push(...tree.findings);
    valueFiles = tree.files;
    valueBytes = tree.bytes;
    valueHuge = tree.huge;
    if (options.history !== false && git) {
      const h = await searchHistory(root, prepared);
      all.push(...h.findings);
      commits = h.commits;
    }
  }

  all.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.commit ?? '').localeCompare(b.commit ?? ''),
  );
  const { reported, suppressed } = applyBaseline(all, options.baseline);
  return {
    findings: reported,
    all,
    suppressed: { baseline: suppressed, inline: run.ignored },
    notes,
    stats: {
      files: Math.max(run.files, valueFiles),
      bytes: Math.max(run.bytes, valueBytes),
      skipped: { huge: Math.max(run.huge, valueHuge), binary: run.binary, fixtures },
      workers,
      commits,
    },
  };
}

/** The key for static findings: explicit, the baseline's, the environment's, or none (value-free fingerprints). */
function staticKey(options: ScanOptions, envKey: string | undefined): FingerprintKey {
  if (options.fingerprintKey) return { kind: 'key', key: options.fingerprintKey };
  if (options.baseline) {
    const key = baselineKey(options.baseline);
    if (key) return { kind: 'key', key };
    if (!envKey) {
      throw new SecretError(
        'ERR_USAGE',
        `the baseline was written with ${ENV_VAR} set; set it to the same key`,
        {
          hint: `the baseline's key is "${ENV_KEY}"`,
        },
      );
    }
    return { kind: 'key', key: envKey };
  }
  return envKey ? { kind: 'key', key: envKey } : { kind: 'none' };
}
