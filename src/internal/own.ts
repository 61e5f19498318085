/**
 * The one lookup for names that come from outside (env names, source ids, keys): a value stored
 * under the key itself, never one inherited from `Object.prototype` (`constructor`, `__proto__`,
 * `toString` are names like any other, and absent unless set).
 */
export function own<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
