/**
 * Known values a user adds to the built-in lists: their own leaked keys, an internal product's
 * shipped defaults. Given to one resolver as `policy.knownValues`, registered for the process with
 * {@link registerKnownValues}, or read from the file the `SECRETSOURCE_KNOWN_VALUES` environment
 * variable names (one value a line, optionally followed by a tab and the source to name in issues;
 * `#` starts a comment line). Matched like the corpus: after normalisation, through affixes and
 * quotes, and as the same bytes in any encoding.
 */
import { nodeFs } from '../core/builtins.js';
import { SecretError } from '../core/errors.js';
import type { Candidate } from './candidates.js';
import { canonicalBytes } from './digests.js';
import { normalizeForMatch } from './normalize.js';

/** A value to reject, and what to name in issues instead of it. */
export interface UserKnownValue {
  value: string;
  /** Shown in issues. @default 'your known-values list' */
  source?: string;
}

/** A compiled list of known values: lookup form -> the source to name. */
export type KnownValueList = ReadonlyMap<string, string>;

const DEFAULT_SOURCE = 'your known-values list';
const registered = new Map<string, string>();
let fileLoaded: string | undefined;
const fromFile = new Map<string, string>();

function add(into: Map<string, string>, value: string, source: string): void {
  const norm = normalizeForMatch(value);
  if (norm.length === 0) return;
  into.set(norm, source);
  const canonical = canonicalBytes(value);
  if (canonical) into.set(canonical, source);
}

/**
 * Compiles values into a list for `policy.knownValues` (or `evaluate`'s `knownValues`).
 * @example const list = compileKnownValues(['acme-dev-secret', { value: oldKey, source: 'INC-42' }]);
 */
export function compileKnownValues(values: ReadonlyArray<string | UserKnownValue>): KnownValueList {
  const list = new Map<string, string>();
  for (const v of values) {
    if (typeof v === 'string') add(list, v, DEFAULT_SOURCE);
    else add(list, v.value, v.source ?? DEFAULT_SOURCE);
  }
  return list;
}

/**
 * Adds values every strength check in this process rejects as WEAK_KNOWN_DEFAULT, naming `source`
 * (never the value).
 * @example registerKnownValues(['acme-dev-secret', { value: oldKey, source: 'the key leaked in INC-42' }]);
 */
export function registerKnownValues(values: ReadonlyArray<string | UserKnownValue>): void {
  for (const [form, source] of compileKnownValues(values)) registered.set(form, source);
}

/** Forgets every registered value (tests). */
export function clearKnownValues(): void {
  registered.clear();
  fromFile.clear();
  fileLoaded = undefined;
}

function loadFile(): void {
  const path = process.env.SECRETSOURCE_KNOWN_VALUES;
  if (!path || path === fileLoaded) return;
  let text: string;
  try {
    text = nodeFs().readFileSync(path, 'utf8');
  } catch (err) {
    throw new SecretError(
      'ERR_CONFIG_INVALID',
      'the known-values file named by SECRETSOURCE_KNOWN_VALUES could not be read',
      {
        cause: err,
        hint: 'point SECRETSOURCE_KNOWN_VALUES at a readable file with one value a line',
      },
    );
  }
  fromFile.clear();
  for (const line of text.split(/\r?\n/)) {
    if (line.trim().length === 0 || line.trimStart().startsWith('#')) continue;
    const tab = line.indexOf('\t');
    const value = tab < 0 ? line : line.slice(0, tab);
    const source = tab < 0 ? '' : line.slice(tab + 1).trim();
    add(fromFile, value, source || `the known-values file ${path}`);
  }
  fileLoaded = path;
}

/** The non-empty user lists for one check: `extra` (a policy's), the registered values, the file's. */
export function userLists(extra?: KnownValueList): KnownValueList[] {
  loadFile();
  const lists: KnownValueList[] = [];
  if (extra && extra.size > 0) lists.push(extra);
  if (registered.size > 0) lists.push(registered);
  if (fromFile.size > 0) lists.push(fromFile);
  return lists;
}

/** The source the first list names for any lookup form of the value (or its bytes), or undefined. */
export function lookupUserKnown(
  lists: readonly KnownValueList[],
  text: string,
  candidates: readonly Candidate[],
): string | undefined {
  const forms = candidates.map((c) => c.text);
  const canonical = canonicalBytes(text);
  if (canonical) forms.push(canonical);
  for (const list of lists) {
    for (const form of forms) {
      const source = list.get(form);
      if (source) return source;
    }
  }
  return undefined;
}
