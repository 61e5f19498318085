/**
 * Kubernetes Secrets as a SecretSource (id `k8s`), on `@kubernetes/client-node` loaded on first
 * use. A name is a whole Secret (`prod/app`, read as a JSON object of its keys so `#field` works)
 * or one key of it (`prod/app/jwt`, bytes or text); see names.ts. What every store needs (guard,
 * pager, batch skeleton, values, messages) comes from the kit; this file keeps what is Secrets'.
 */
import type * as K8s from '@kubernetes/client-node';
import type { SecretError } from '../../src/core/errors.js';
import { validateName } from '../../src/core/names.js';
import type { Secret } from '../../src/core/secret.js';
import type {
  BatchEntry,
  DeleteOptions,
  GetOptions,
  ListOptions,
  SecretMetadata,
  SecretRecord,
  SecretSource,
  SetOptions,
  SetResult,
} from '../../src/core/source.js';
import { batchGet } from '../kit/batch.js';
import { capabilities } from '../kit/capabilities.js';
import { type CallSite, callError, readdressed } from '../kit/errors.js';
import { type CallLimits, callLimits } from '../kit/guard.js';
import { pages } from '../kit/pager.js';
import { readValue, writeValue } from '../kit/value.js';
import { immutable, type KubeCall, kubernetesSession, reasonOf, statusOf } from './connection.js';
import { NAME_RULE, parseName, type SecretAddress, secretKey, validLabels } from './names.js';
import type { KubernetesConnectionOptions } from './options.js';

export type { CallLimits } from '../kit/guard.js';
export type { KubernetesConnectionOptions } from './options.js';

/** The API server's limit on a Secret's data, all keys together. */
const MAX_DATA_BYTES = 1024 * 1024;
/** A listing restarts at most this often after its continue token expired (410). */
const MAX_LIST_RESTARTS = 3;
const MERGE_PATCH = 'application/merge-patch+json';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Options for {@link kubernetesSecrets}. */
export interface KubernetesSecretsOptions extends KubernetesConnectionOptions, CallLimits {
  /** Source id, for more than one cluster in a resolver. @default 'k8s' */
  id?: string | undefined;
  /** Namespace of one-segment names (`k8s:app#jwt`) and of `list()` without a namespaced prefix. @default the kubeconfig context's, the pod's, else 'default' */
  namespace?: string | undefined;
}

/** A Kubernetes Secrets source: reads, batches, lists, writes and deletes; no versions. */
export interface KubernetesSecretsSource extends SecretSource {
  getMany(names: readonly string[], options?: GetOptions): Promise<Map<string, BatchEntry>>;
  list(options?: ListOptions): AsyncIterable<SecretMetadata>;
  set(name: string, value: string | Uint8Array | Secret, options?: SetOptions): Promise<SetResult>;
  delete(name: string, options?: DeleteOptions): Promise<boolean>;
  close(): Promise<void>;
}

const CAPABILITIES = capabilities({
  write: true,
  delete: true,
  list: true,
  batchGet: true,
  binary: true,
  tags: true,
  maxValueBytes: MAX_DATA_BYTES,
  // `copy … k8s:prod/app` writes the keys of Secret prod/app.
  prefixSeparator: '/',
  nameRule: NAME_RULE,
});

/** A Secret as this source uses it, checked: the client's deserialiser takes whatever comes. */
interface Checked {
  name: string;
  data: Record<string, string>;
  labels: Record<string, string> | undefined;
  resourceVersion: string | undefined;
  immutable: boolean;
  createdAt: Date | undefined;
}

/**
 * A SecretSource backed by Kubernetes Secrets. Reads take one API call per Secret, however many
 * of its keys are asked for (`getMany`, and the resolver's `#field` on a whole Secret); writes
 * are JSON merge patches of one key; labels are the tags of every key of a Secret.
 * @example
 * import { kubernetesSecrets } from 'secretsource/providers/k8s';
 * const k8s = kubernetesSecrets(); // in a pod: its service account; elsewhere: KUBECONFIG
 * const resolver = createResolver({ sources: [k8s] });
 * const jwt = await resolver.get('k8s:prod/app#JWT_SECRET');
 */
export function kubernetesSecrets(options: KubernetesSecretsOptions = {}): KubernetesSecretsSource {
  const id = options.id ?? 'k8s';
  const limits = callLimits(options);
  const session = kubernetesSession(id, options, limits);
  // The API server's origin when given; a kubeconfig's or a pod's is known only on the first call.
  const location =
    options.server !== undefined && URL.canParse(options.server) ? new URL(options.server).origin : undefined;
  const at = (action: string, name?: string): CallSite => ({ source: id, action, name, where: location });

  async function address(name: string): Promise<SecretAddress> {
    validateName(id, name, NAME_RULE);
    return parseName(id, name, name.includes('/') ? '' : await session.namespace());
  }

  /** One call, failures mapped. */
  async function call<T>(
    site: CallSite,
    signal: AbortSignal | undefined,
    fn: (c: KubeCall) => Promise<T>,
    timeoutMs?: number,
  ): Promise<T> {
    try {
      return await session.attempt(site, signal, fn, timeoutMs);
    } catch (err) {
      throw session.mapError(err, site);
    }
  }

  /** A bad answer: never a value, never "absent". */
  const garbage = (site: CallSite) =>
    callError('ERR_SOURCE_UNAVAILABLE', site, 'the API server answered with something that is not a Secret', {
      retryable: true,
      hint: 'check for a proxy between the app and the API server',
    });

  function check(site: CallSite, s: unknown, name: string): Checked {
    const o = s as Partial<K8s.V1Secret> | null;
    const meta = o?.metadata;
    const data: unknown = o?.data ?? {};
    // The client's deserialiser drops kind and apiVersion: the name is what says it is the Secret asked for.
    if (o === null || typeof o !== 'object' || meta?.name !== name || name === '') throw garbage(site);
    if (typeof data !== 'object' || data === null || Object.values(data).some((v) => typeof v !== 'string'))
      throw garbage(site);
    const labels = meta.labels;
    return {
      name,
      data: data as Record<string, string>,
      labels: labels && typeof labels === 'object' ? { ...labels } : undefined,
      resourceVersion: meta.resourceVersion,
      immutable: o.immutable === true,
      createdAt: meta.creationTimestamp instanceof Date ? meta.creationTimestamp : undefined,
    };
  }

  /** The Secret, or undefined on 404. */
  async function readSecret(
    a: SecretAddress,
    site: CallSite,
    signal?: AbortSignal,
  ): Promise<Checked | undefined> {
    try {
      const s = await session.attempt(site, signal, (c) =>
        c.api.readNamespacedSecret({ name: a.secret, namespace: a.namespace }, c.options()),
      );
      return check(site, s, a.secret);
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw session.mapError(err, site);
    }
  }

  /** The bytes of one base64 `data` entry (the API server only ever sends canonical base64). */
  function bytesOf(site: CallSite, b64: string): Buffer {
    if (!BASE64.test(b64)) throw garbage(site);
    return Buffer.from(b64, 'base64');
  }

  /** Text when the bytes are UTF-8, else the bytes. */
  function textOrBytes(bytes: Buffer): string | Uint8Array {
    try {
      return utf8.decode(bytes);
    } catch {
      return new Uint8Array(bytes);
    }
  }

  /** The record `name` (a key, or the whole Secret as JSON) holds in `s`, or undefined. */
  function recordOf(name: string, a: SecretAddress, s: Checked): SecretRecord | undefined {
    const site = at('read', name);
    let value: string | Uint8Array;
    if (a.key !== undefined) {
      const b64 = s.data[a.key];
      if (b64 === undefined) return undefined;
      value = textOrBytes(bytesOf(site, b64));
    } else {
      const fields: Record<string, string> = {};
      for (const [k, b64] of Object.entries(s.data)) {
        const v = textOrBytes(bytesOf(site, b64));
        if (typeof v !== 'string') {
          throw callError(
            'ERR_SECRET_MALFORMED',
            site,
            `key "${k}" holds bytes that are not text, so the Secret cannot be read as JSON`,
            {
              hint: `read the key alone: ${a.namespace}/${a.secret}/${k}`,
            },
          );
        }
        fields[k] = v;
      }
      value = JSON.stringify(fields);
    }
    return {
      name,
      value: readValue(site, value, a.key === undefined ? undefined : MAX_DATA_BYTES),
      tags: s.labels ?? {},
      createdAt: s.createdAt,
    };
  }

  async function get(name: string, opts: GetOptions = {}): Promise<SecretRecord | undefined> {
    const a = await address(name);
    if (opts.version !== undefined) {
      throw callError(
        'ERR_SECRET_VERSION_NOT_FOUND',
        at('read', name),
        'Kubernetes Secrets keep no versions',
      );
    }
    const s = await readSecret(a, at('read', name), opts.signal);
    return s === undefined ? undefined : recordOf(name, a, s);
  }

  function getMany(names: readonly string[], opts: GetOptions = {}): Promise<Map<string, BatchEntry>> {
    return batchGet(names, {
      site: { source: id },
      validate: (n) => validateName(id, n, NAME_RULE),
      // Every name goes in one chunk, read as one call per Secret.
      chunkSize: opts.version === undefined ? Number.MAX_SAFE_INTEGER : 0,
      readOne: (n) => get(n, opts),
      async readChunk(chunk, out) {
        const groups = new Map<string, Array<[string, SecretAddress]>>();
        for (const n of chunk) {
          try {
            const a = await address(n);
            const k = secretKey(a);
            groups.set(k, [...(groups.get(k) ?? []), [n, a]]);
          } catch (err) {
            out.set(n, { ok: false, error: err as SecretError });
          }
        }
        await Promise.all(
          [...groups.values()].map(async (group) => {
            const site = at('read', group[0]![0]);
            let s: Checked | undefined;
            try {
              s = await readSecret(group[0]![1], site, opts.signal);
            } catch (err) {
              const e = err as SecretError;
              for (const [n] of group)
                out.set(n, { ok: false, error: n === site.name ? e : readdressed(e, at('read', n)) });
              return;
            }
            for (const [n, a] of group) {
              try {
                out.set(n, { ok: true, record: s === undefined ? undefined : recordOf(n, a, s) });
              } catch (err) {
                out.set(n, { ok: false, error: err as SecretError });
              }
            }
          }),
        );
      },
    });
  }

  async function* list(opts: ListOptions = {}): AsyncIterable<SecretMetadata> {
    const prefix = opts.prefix ?? '';
    const slash = prefix.indexOf('/');
    const namespace = slash >= 0 ? prefix.slice(0, slash) : await session.namespace();
    if (!/^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) return;
    const limit = Math.min(Math.max(Math.trunc(opts.pageSize ?? 20), 1), 100);
    const site = at('list');
    const yielded = new Set<string>();
    for (let restart = 0; ; restart++) {
      const listing = pages<K8s.V1SecretList>(site, limits, async (token, timeoutMs) => {
        const page = await session.attempt(
          site,
          opts.signal,
          (c) =>
            c.api.listNamespacedSecret(
              { namespace, limit, ...(token ? { _continue: token } : {}) },
              c.options(),
            ),
          timeoutMs,
        );
        if (page === null || typeof page !== 'object' || !Array.isArray(page.items)) throw garbage(site);
        return { page, next: page.metadata?._continue };
      });
      try {
        for await (const page of listing) {
          for (const item of page.items) {
            const s = check(site, item, item?.metadata?.name ?? '');
            for (const key of Object.keys(s.data).sort()) {
              const name = `${namespace}/${s.name}/${key}`;
              if (!name.startsWith(prefix) || yielded.has(name)) continue;
              yielded.add(name);
              yield { name, createdAt: s.createdAt, tags: s.labels ?? {} };
            }
          }
        }
        return;
      } catch (err) {
        // 410 Expired: the continue token outlived etcd's history. Start again; names already given are skipped.
        if (statusOf(err) === 410 && restart < MAX_LIST_RESTARTS) continue;
        throw session.mapError(err, site);
      }
    }
  }

  // Writes to one Secret from this source run one at a time: keys share the Secret's
  // resourceVersion, so two concurrent ifAbsent writes (a copy with concurrency) would refuse each
  // other, and the single re-read retry is meant for other writers, not for ourselves.
  const writing = new Map<string, Promise<unknown>>();
  function oneAtATime<T>(secret: string, fn: () => Promise<T>): Promise<T> {
    const before = writing.get(secret) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    writing.set(secret, settled);
    void settled.then(() => {
      if (writing.get(secret) === settled) writing.delete(secret);
    });
    return run;
  }

  /** `set` on a key: create the Secret, or merge-patch the key in. */
  async function set(
    name: string,
    value: string | Uint8Array | Secret,
    opts: SetOptions = {},
  ): Promise<SetResult> {
    const a = await address(name);
    return oneAtATime(`${a.namespace}/${a.secret}`, () => write(name, a, value, opts));
  }

  async function write(
    name: string,
    a: Awaited<ReturnType<typeof address>>,
    value: string | Uint8Array | Secret,
    opts: SetOptions,
  ): Promise<SetResult> {
    const site = at('write', name);
    if (a.key === undefined) {
      throw callError('ERR_SECRET_NAME_INVALID', site, 'a write names one key: namespace/secret/key', {
        hint: NAME_RULE.description,
      });
    }
    const raw = writeValue(site, value, CAPABILITIES);
    const b64 = Buffer.from(typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw).toString('base64');
    const labels =
      opts.tags === undefined || Object.keys(opts.tags).length === 0 ? undefined : { ...opts.tags };
    if (labels !== undefined && !validLabels(labels)) {
      throw callError(
        'ERR_SECRET_MALFORMED',
        site,
        'tags must be valid Kubernetes labels (names and values of 63 characters at most)',
      );
    }
    const key = a.key;
    for (let attempt = 0; ; attempt++) {
      const current = await readSecret(a, at('read', name), opts.signal);
      if (current === undefined) {
        try {
          await call(site, opts.signal, (c) =>
            c.api.createNamespacedSecret(
              {
                namespace: a.namespace,
                body: {
                  apiVersion: 'v1',
                  kind: 'Secret',
                  type: 'Opaque',
                  metadata: { name: a.secret, namespace: a.namespace, ...(labels ? { labels } : {}) },
                  data: { [key]: b64 },
                },
              },
              c.options(),
            ),
          );
          return { created: true };
        } catch (err) {
          // Created by someone else meanwhile: read it and write the key in.
          if ((err as SecretError).code === 'ERR_SECRET_CONFLICT' && attempt === 0) continue;
          throw err;
        }
      }
      if (current.immutable) throw immutable(site);
      const existed = Object.hasOwn(current.data, key);
      if (opts.ifAbsent && existed) {
        throw callError('ERR_SECRET_CONFLICT', site, 'refused: the key already exists');
      }
      // ifAbsent pins the resourceVersion read above, so a key added meanwhile cannot be overwritten;
      // a plain write patches one key only and needs no pin (it cannot lose a concurrent write).
      const pin = opts.ifAbsent ? { resourceVersion: current.resourceVersion } : {};
      try {
        await call(site, opts.signal, (c) =>
          c.api.patchNamespacedSecret(
            {
              name: a.secret,
              namespace: a.namespace,
              body: { metadata: { ...pin, ...(labels ? { labels } : {}) }, data: { [key]: b64 } },
            },
            c.options(MERGE_PATCH),
          ),
        );
        return { created: !existed };
      } catch (err) {
        // Changed between the read and the patch: read again once (the checks above run again).
        if ((err as SecretError).code === 'ERR_SECRET_CONFLICT' && attempt === 0) continue;
        throw err;
      }
    }
  }

  async function remove(name: string, opts: DeleteOptions = {}): Promise<boolean> {
    const a = await address(name);
    const site = at('delete', name);
    if (a.key === undefined) {
      try {
        await session.attempt(site, opts.signal, (c) =>
          c.api.deleteNamespacedSecret({ name: a.secret, namespace: a.namespace }, c.options()),
        );
        return true;
      } catch (err) {
        if (statusOf(err) === 404 && reasonOf(err) !== 'MethodNotAllowed') return false;
        throw session.mapError(err, site);
      }
    }
    const current = await readSecret(a, at('read', name), opts.signal);
    if (current === undefined || !Object.hasOwn(current.data, a.key)) return false;
    if (current.immutable) throw immutable(site);
    try {
      await session.attempt(site, opts.signal, (c) =>
        c.api.patchNamespacedSecret(
          { name: a.secret, namespace: a.namespace, body: { data: { [a.key!]: null } } },
          c.options(MERGE_PATCH),
        ),
      );
      return true;
    } catch (err) {
      // The Secret went away meanwhile: the key is gone either way.
      if (statusOf(err) === 404) return false;
      throw session.mapError(err, site);
    }
  }

  return {
    id,
    location,
    capabilities: CAPABILITIES,
    get,
    getMany,
    list,
    set,
    delete: remove,
    async close() {
      session.close();
    },
  };
}
