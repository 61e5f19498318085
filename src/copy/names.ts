/**
 * Target names for a copy: prefix, then the target's own mapping (`toStoreName`) and name rule.
 * A name the rule refuses is tried once more with every character outside `A-Z a-z 0-9 _ /`
 * written as `_`; two names that land on the same store name are both refused, before any write.
 */
import { isSecretError } from '../core/errors.js';
import { validateName } from '../core/names.js';
import type { SecretSource } from '../core/source.js';

/** The outcome of mapping one name. */
export type MappedName =
  | { ok: true; target: string; storeName: string; renamed: boolean }
  | { ok: false; target: string; code: string; reason: string };

/** Checks one caller-side name against the target; returns the store-side name or the refusal. */
function tryName(
  target: SecretSource,
  name: string,
): { storeName: string } | { code: string; reason: string } {
  try {
    const storeName = target.toStoreName ? target.toStoreName(name) : name;
    validateName(target.id, storeName, target.capabilities.nameRule);
    return { storeName };
  } catch (err) {
    if (isSecretError(err)) return { code: err.code, reason: err.message };
    return { code: 'ERR_SECRET_NAME_INVALID', reason: `source "${target.id}" refused the name` };
  }
}

/** Maps every name; names whose store names collide (exactly, or ignoring case) are refused. */
export function mapNames(
  target: SecretSource,
  names: readonly string[],
  toPrefix: string,
): Map<string, MappedName> {
  const out = new Map<string, MappedName>();
  for (const name of names) {
    const direct = `${toPrefix}${name}`;
    let got = tryName(target, direct);
    let chosen = direct;
    if (!('storeName' in got)) {
      const safe = `${toPrefix}${name.replace(/[^A-Za-z0-9_/]/g, '_')}`;
      const second = safe === direct ? got : tryName(target, safe);
      if ('storeName' in second) {
        got = second;
        chosen = safe;
      }
    }
    out.set(
      name,
      'storeName' in got
        ? { ok: true, target: chosen, storeName: got.storeName, renamed: chosen !== direct }
        : { ok: false, target: direct, code: got.code, reason: got.reason },
    );
  }
  // Case-insensitive on purpose: some stores (Key Vault) fold case, and two keys differing only in
  // case are a mistake worth stopping for in any store.
  const byStore = new Map<string, string[]>();
  for (const [name, m] of out) {
    if (!m.ok) continue;
    const key = m.storeName.toLowerCase();
    byStore.set(key, [...(byStore.get(key) ?? []), name]);
  }
  for (const group of byStore.values()) {
    if (group.length < 2) continue;
    for (const name of group) {
      const m = out.get(name)!;
      const others = group.filter((n) => n !== name).map((n) => `"${n}"`);
      out.set(name, {
        ok: false,
        target: m.target,
        code: 'ERR_SECRET_NAME_INVALID',
        reason: `"${name}" and ${others.join(', ')} would be stored as the same name in source "${target.id}"`,
      });
    }
  }
  return out;
}
