/**
 * Baselines: the findings a team has accepted for now, so CI reports only new ones. An entry is
 * the keyed fingerprint of (kind, setting name, value) with a count; no path or line is part of it,
 * so moving code around (or into another file) changes nothing, while a changed value, a new
 * setting on an already-baselined line, or one more copy of a baselined fallback is reported.
 * Findings of real values (`value`) are never baselined: a real secret in the tree is rotated, not
 * accepted. The key is either kept in the file (the values it covers are in the tree anyway) or
 * taken from `SECRETSOURCE_FINGERPRINT_KEY` when the baseline was written with it set.
 */
import { randomBytes } from 'node:crypto';
import { SecretError } from '../core/errors.js';
import type { Baseline, BaselineEntry, ScanFinding } from './types.js';

export type { Baseline, BaselineEntry };

/** The key marker of a baseline keyed by the environment variable. */
export const ENV_KEY = 'env:SECRETSOURCE_FINGERPRINT_KEY';

/** A fresh random key for a new baseline, base64. */
export function newBaselineKey(): string {
  return randomBytes(32).toString('base64');
}

/** The key bytes of a baseline, or undefined when it is keyed by the environment variable. */
export function baselineKey(b: Baseline): Uint8Array | undefined {
  return b.key === ENV_KEY ? undefined : Buffer.from(b.key, 'base64');
}

/**
 * A baseline accepting `findings`, whose fingerprints must have been made with `key` (the scan's
 * `fingerprintKey`), or with the environment variable when `key` is `ENV_KEY`.
 * @example const b = createBaseline((await scanTree({ fingerprintKey: Buffer.from(k, 'base64') })).all, k);
 */
export function createBaseline(findings: readonly ScanFinding[], key: string): Baseline {
  const byId = new Map<string, BaselineEntry>();
  for (const f of findings) {
    if (f.kind === 'value') continue;
    const e = byId.get(f.fingerprint);
    if (e) {
      e.count++;
      if (!e.files.includes(f.file)) e.files.push(f.file);
    } else {
      byId.set(f.fingerprint, {
        fingerprint: f.fingerprint,
        kind: f.kind,
        name: f.name,
        files: [f.file],
        count: 1,
      });
    }
  }
  const entries = [...byId.values()].sort(
    (a, b) =>
      a.files[0]!.localeCompare(b.files[0]!) ||
      a.name.localeCompare(b.name) ||
      a.fingerprint.localeCompare(b.fingerprint),
  );
  return { version: 1, key, findings: entries };
}

/** Reads a baseline file's text; a malformed one is a usage error (exit 2), never an empty baseline. */
export function parseBaseline(text: string, file = 'baseline'): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new SecretError('ERR_USAGE', `${file} is not a secretsource baseline (not JSON)`, {
      hint: 'write one with `secretsource scan --write-baseline FILE`',
    });
  }
  const b = data as Partial<Baseline>;
  const entriesOk =
    Array.isArray(b.findings) &&
    b.findings.every(
      (e) =>
        typeof e?.fingerprint === 'string' &&
        typeof e.name === 'string' &&
        typeof e.kind === 'string' &&
        Array.isArray(e.files) &&
        Number.isInteger(e.count) &&
        e.count > 0,
    );
  if (b.version !== 1 || typeof b.key !== 'string' || !entriesOk) {
    throw new SecretError(
      'ERR_USAGE',
      `${file} is not a secretsource baseline (version 1 with key and findings)`,
      {
        hint: 'write one with `secretsource scan --write-baseline FILE`',
      },
    );
  }
  return b as Baseline;
}

/**
 * Splits findings into those the baseline accepts and the new ones. Each entry accepts up to
 * `count` findings of its fingerprint, those in its recorded files first.
 */
export function applyBaseline(
  findings: readonly ScanFinding[],
  baseline: Baseline | undefined,
): { reported: ScanFinding[]; suppressed: number } {
  if (!baseline) return { reported: [...findings], suppressed: 0 };
  const left = new Map(baseline.findings.map((e) => [e.fingerprint, { entry: e, left: e.count }]));
  const accepted = new Set<ScanFinding>();
  for (const pass of [true, false]) {
    for (const f of findings) {
      if (f.kind === 'value' || accepted.has(f)) continue;
      const slot = left.get(f.fingerprint);
      if (!slot || slot.left === 0 || slot.entry.files.includes(f.file) !== pass) continue;
      slot.left--;
      accepted.add(f);
    }
  }
  return { reported: findings.filter((f) => !accepted.has(f)), suppressed: accepted.size };
}
