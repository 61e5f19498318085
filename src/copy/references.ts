/**
 * Variable references in a copy from a source whose values may hold them (`capabilities.references`,
 * .env files): which values dotenv-expand would change, and what it would change them to. The rules
 * are dotenv-expand's own (the library, loaded here on first need, only by copy), applied to the whole
 * source in its list order (the order the file defines the names, which is the order dotenv-expand
 * expands them in), as `expand(dotenv.config())` would in an environment holding nothing else.
 */
import type { Secret } from '../core/secret.js';
import { type SecretSource, supports } from '../core/source.js';
import { readMany } from './read.js';
import type { CopyOptions } from './types.js';

/** What dotenv-expand makes of one value that it changes. */
export interface Reference {
  /** The expanded value, with the source's own values as the only variables. */
  expanded: string;
  /** True when the value uses a variable the source does not define (the app's environment may). */
  unresolved: boolean;
}

/** A marker no .env value holds (parseDotenv refuses NUL), and with no `$` to expand again. */
const MARK = '\u0000secretsource-undefined\u0000';

/** Names whose values dotenv-expand would change, with what it makes of them; empty when none. */
export async function findReferences(
  source: SecretSource,
  o: Pick<CopyOptions, 'concurrency' | 'retry' | 'signal'>,
): Promise<Map<string, Reference>> {
  const out = new Map<string, Reference>();
  if (!source.capabilities.references || !supports(source, 'list')) return out;
  const names: string[] = [];
  for await (const meta of source.list({ signal: o.signal })) names.push(meta.name);
  const records = await readMany(source, names, {
    concurrency: o.concurrency ?? 8,
    retry: o.retry,
    signal: o.signal,
  });
  const literal: Record<string, string> = {};
  for (const name of names) {
    const got = records.get(name);
    const value: Secret | undefined = got?.ok ? got.record?.value : undefined;
    if (value && !value.isBinary) literal[name] = value.reveal();
  }
  // dotenv-expand changes only values holding `$` (a reference, or a `\$` escape): skip loading it otherwise.
  if (!Object.values(literal).some((v) => v.includes('$'))) return out;
  const { expand } = await import('dotenv-expand');
  const run = (processEnv: Record<string, string>) =>
    expand({ parsed: { ...literal }, processEnv }).parsed ?? {};
  // dotenv.config() has put every literal value in the environment before expand() runs.
  const own = run({ ...literal });
  // The same, with every name that looks referenced but is not defined here set to a marker: a
  // value that then holds the marker depends on the app's environment. dotenv-expand decides
  // what is a reference; the list of names is only a superset to probe with.
  const probes: Record<string, string> = {};
  for (const v of Object.values(literal)) {
    for (const m of v.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
      if (!Object.hasOwn(literal, m[1]!)) probes[m[1]!] = MARK;
    }
  }
  const probed = run({ ...literal, ...probes });
  for (const name of Object.keys(literal)) {
    if (own[name] === literal[name]) continue;
    out.set(name, { expanded: own[name] ?? '', unresolved: probed[name]?.includes(MARK) ?? false });
  }
  return out;
}
