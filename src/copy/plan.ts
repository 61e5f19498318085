/**
 * The copy plan: read the source, map names, check sizes and strength, read the target and decide
 * one action per secret. Reads only; the values stay in a private map beside the masked items.
 */
import { OperationUnsupportedError } from '../core/errors.js';
import { Secret } from '../core/secret.js';
import { type SecretSource, supports } from '../core/source.js';
import { StrengthPolicy } from '../resolver/policy.js';
import { mapNames } from './names.js';
import { readMany } from './read.js';
import { findReferences } from './references.js';
import type { CopyAction, CopyItem, CopyOptions } from './types.js';

/** A plan: masked items, plus the values to write, kept out of anything printable. */
export interface CopyPlan {
  items: CopyItem[];
  /** Source value per item name; never serialised. */
  values: ReadonlyMap<string, Secret>;
}

/** Items the apply step writes. */
export const WRITING: ReadonlySet<CopyAction> = new Set(['create', 'update']);

/** Builds the plan; throws only when a source cannot be read (unreachable, denied, unsupported). */
export async function planCopy(o: CopyOptions): Promise<CopyPlan> {
  const fromPrefix = asContainer(o.from, o.fromPrefix ?? '');
  const toPrefix = asContainer(o.to, o.toPrefix ?? '');
  const concurrency = o.concurrency ?? 8;
  if (!supports(o.to, 'set')) throw new OperationUnsupportedError(o.to.id, 'writing (set)');
  const relative = o.names ? [...o.names] : await listNames(o.from, fromPrefix, o.signal);
  const read = { concurrency, retry: o.retry, signal: o.signal };
  const records = await readMany(
    o.from,
    relative.map((n) => fromPrefix + n),
    read,
  );
  const mapped = mapNames(o.to, relative, toPrefix);
  const references = await findReferences(o.from, { ...read, concurrency });
  const policy = new StrengthPolicy(
    { ...o.policy, environment: o.policy?.environment ?? 'production' },
    () => {},
  );
  const max = o.to.capabilities.maxValueBytes;

  const values = new Map<string, Secret>();
  const items: CopyItem[] = [];
  for (const name of relative) {
    const m = mapped.get(name)!;
    const got = records.get(fromPrefix + name);
    const item: CopyItem = { name, target: m.target, action: 'refused', status: 'planned' };
    items.push(item);
    if (got && !got.ok) {
      // This item alone could not be read (after retries, and on its own): the others go on.
      refuse(item, got.error.code, got.error.message);
      continue;
    }
    const record = got?.record;
    if (!record) {
      refuse(item, 'ERR_SECRET_NOT_FOUND', `"${name}" is not in source "${o.from.id}"`);
      continue;
    }
    let secret = record.value;
    const reference = references.get(fromPrefix + name);
    const mode = o.references ?? 'hold';
    if (reference && mode === 'expand') {
      if (reference.unresolved) {
        item.fingerprint = secret.fingerprint();
        refuse(
          item,
          'ERR_SECRET_MALFORMED',
          "it refers to a variable the file does not define, so its expanded value depends on the app's environment",
        );
        continue;
      }
      secret = new Secret(reference.expanded, { name });
      item.expanded = true;
    }
    item.fingerprint = secret.fingerprint();
    if (!m.ok) {
      refuse(item, m.code, m.reason);
      continue;
    }
    if (m.renamed) item.renamed = true;
    if (max !== undefined && secret.byteLength > max) {
      refuse(
        item,
        'ERR_SECRET_MALFORMED',
        `${secret.byteLength} bytes is over the ${max}-byte limit of "${o.to.id}"`,
      );
      continue;
    }
    if (secret.byteLength === 0 && o.to.capabilities.emptyValues === false) {
      refuse(item, 'ERR_SECRET_MALFORMED', `the value is empty and "${o.to.id}" keeps no empty values`);
      continue;
    }
    if (secret.isBinary && !o.to.capabilities.binary) {
      refuse(item, 'ERR_OPERATION_UNSUPPORTED', `the value is binary and "${o.to.id}" stores text only`);
      continue;
    }
    // The same verdict as the resolver and `check` give this name (see src/strength/engine.ts).
    const verdict = policy.judge(secret, { names: { store: fromPrefix + name }, profile: undefined });
    item.profile = verdict.profile;
    if (verdict.issues.length > 0) item.issues = verdict.issues;
    if (!verdict.ok && !o.allowWeak) {
      const codes = verdict.issues.filter((i) => i.severity === 'error').map((i) => i.code);
      refuse(
        item,
        'ERR_SECRET_WEAK',
        `fails the ${verdict.profile} policy in ${policy.environment}: ${codes.join(', ')}` +
          (reference && mode === 'hold'
            ? '; as read, before expansion (--expand judges the expanded value)'
            : ''),
      );
      continue;
    }
    // Judged and checked as read (as `check` sees it), held until the caller chooses how to write it.
    if (reference && mode === 'hold') {
      hold(item);
      continue;
    }
    values.set(name, secret);
  }

  const targets = items.filter((i) => values.has(i.name));
  const existing = await readMany(
    o.to,
    targets.map((i) => i.target),
    read,
  );
  for (const item of targets) {
    const current = existing.get(item.target);
    if (current && !current.ok) {
      // What the target holds under this name is unknown: nothing is decided, nothing written.
      values.delete(item.name);
      refuse(item, current.error.code, `the target could not be read: ${current.error.message}`);
      continue;
    }
    decide(item, current?.record?.value, o);
  }
  return { items, values };
}

/** The action for an item whose target holds `current` (undefined: absent). */
export function decide(
  item: CopyItem,
  current: Secret | undefined,
  o: Pick<CopyOptions, 'onConflict'>,
): void {
  if (current === undefined) {
    item.action = 'create';
    return;
  }
  const theirs = current.fingerprint();
  if (theirs === item.fingerprint) {
    item.action = 'unchanged';
    return;
  }
  item.targetFingerprint = theirs;
  const policy = o.onConflict ?? 'fail';
  if (policy === 'overwrite') item.action = 'update';
  else if (policy === 'skip') {
    item.action = 'skip';
    item.reason = 'the target holds a different value (--on-conflict skip)';
  } else {
    item.action = 'conflict';
    item.code = 'ERR_SECRET_CONFLICT';
    item.reason = 'the target holds a different value; choose --on-conflict overwrite or skip';
  }
}

/** A value dotenv-expand would change: planned as its own state until the caller chooses. */
function hold(item: CopyItem): void {
  item.action = 'reference';
  item.reason =
    'dotenv-expand would change this value (a variable reference or a \\$ escape); --expand writes the expanded value, --literal the text as written';
}

function refuse(item: CopyItem, code: string, reason: string): void {
  item.action = 'refused';
  item.code = code;
  item.reason = reason;
}

/** The prefix as a container when the store joins names with a separator (`prod/app` -> `prod/app/`). */
function asContainer(source: SecretSource, prefix: string): string {
  const sep = source.capabilities.prefixSeparator;
  return sep && prefix !== '' && !prefix.endsWith(sep) ? prefix + sep : prefix;
}

async function listNames(source: SecretSource, prefix: string, signal?: AbortSignal): Promise<string[]> {
  if (!supports(source, 'list')) throw new OperationUnsupportedError(source.id, 'listing names');
  const names: string[] = [];
  for await (const meta of source.list({ prefix: prefix || undefined, signal })) {
    if (meta.name.startsWith(prefix)) names.push(meta.name.slice(prefix.length));
  }
  return names.filter((n) => n.length > 0).sort();
}
