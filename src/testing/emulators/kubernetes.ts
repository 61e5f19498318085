/**
 * A loopback Kubernetes API server for Secrets only (core/v1), close enough that the real
 * `@kubernetes/client-node` cannot tell it from a cluster: bearer tokens, Status errors, list
 * paging with `limit`/`continue` (and continue tokens that expire with 410), JSON merge patches,
 * `resourceVersion` preconditions, immutable Secrets, the 1 MiB data limit. Its behaviour is
 * described in docs/protocols/kubernetes.md. Namespaces exist as soon as they are named.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  type Answer,
  type LoopbackServer,
  readBody,
  type SeenRequest,
  startRoutedLoopback,
} from './loopback.js';

/** Options for {@link startKubernetesEmulator}. */
export interface KubernetesEmulatorOptions {
  /** The bearer token allowed everything. @default 'secretsource-k8s-admin' */
  token?: string;
  /** A bearer token allowed `get` and `list` only (403 Forbidden on writes). @default 'secretsource-k8s-reader' */
  readerToken?: string;
  /** Serve https with a fresh self-signed certificate. @default true */
  tls?: boolean;
}

/** What a test may plant with a Secret. */
export interface PlantedSecret {
  labels?: Record<string, string>;
  immutable?: boolean;
  type?: string;
}

/** A running emulator and its test controls. */
export interface KubernetesEmulator {
  /** `https://127.0.0.1:<port>`, the API server. */
  url: string;
  /** PEM of the certificate to trust; undefined over http. */
  ca: string | undefined;
  token: string;
  readerToken: string;
  /** Every request received, oldest first. */
  requests: SeenRequest[];
  /** Stores a Secret directly (no HTTP); text values are stored as UTF-8. */
  plant(
    namespace: string,
    name: string,
    data: Record<string, string | Uint8Array>,
    extra?: PlantedSecret,
  ): void;
  /** Makes every continue token handed out so far answer 410 Expired, as after an etcd compaction. */
  expireContinueTokens(): void;
  /** Forgets every Secret and request. */
  reset(): void;
  stop(): Promise<void>;
}

interface StoredSecret {
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion: string;
    creationTimestamp: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  type: string;
  immutable?: boolean;
  data: Record<string, string>;
}

const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const KEY = /^[-._a-zA-Z0-9]{1,253}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
/** The API server's limit on a Secret's data, all keys together. */
const MAX_DATA_BYTES = 1024 * 1024;
const MAX_BODY = 3 * 1024 * 1024;
const PATH = /^\/api\/v1\/namespaces\/([^/]+)\/secrets(?:\/([^/]+))?$/;

function status(code: number, reason: string, message: string, name?: string): Answer {
  return {
    status: code,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(name === undefined ? {} : { details: { name, kind: 'secrets' } }),
      code,
    },
  };
}

/** Why a Secret is invalid, or undefined. The message quotes the object, as the API server's can. */
function invalid(s: StoredSecret): string | undefined {
  if (!SUBDOMAIN.test(s.metadata.name)) return 'metadata.name: Invalid value';
  let size = 0;
  for (const [k, v] of Object.entries(s.data)) {
    if (!KEY.test(k) || k === '.' || k === '..' || k.startsWith('..')) return `data[${k}]: Invalid value`;
    if (typeof v !== 'string' || !BASE64.test(v)) return `data[${k}]: Invalid value: ${JSON.stringify(v)}`;
    size += Buffer.from(v, 'base64').length;
  }
  if (size > MAX_DATA_BYTES) return `data: Too long: must have at most ${MAX_DATA_BYTES} bytes`;
  for (const [k, v] of Object.entries(s.metadata.labels ?? {})) {
    if (!LABEL_KEY.test(k) || typeof v !== 'string' || !LABEL_VALUE.test(v))
      return `metadata.labels: Invalid value: ${JSON.stringify(v)}`;
  }
  return undefined;
}

/** RFC 7386: `null` removes, objects merge, anything else replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const base =
    target !== null && typeof target === 'object' && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete base[k];
    else base[k] = mergePatch(base[k], v);
  }
  return base;
}

/** Starts the emulator on 127.0.0.1. */
export async function startKubernetesEmulator(
  options: KubernetesEmulatorOptions = {},
): Promise<KubernetesEmulator> {
  const token = options.token ?? 'secretsource-k8s-admin';
  const readerToken = options.readerToken ?? 'secretsource-k8s-reader';
  const secrets = new Map<string, StoredSecret>();
  const requests: SeenRequest[] = [];
  let revision = 1000;
  let tokenGeneration = 0;
  const keyOf = (ns: string, name: string) => `${ns}/${name}`;
  const nextVersion = () => String(++revision);

  /** Stores `s` under a new resourceVersion; returns it as a single read shows it (with kind). */
  function store(s: StoredSecret): Record<string, unknown> {
    s.metadata.resourceVersion = nextVersion();
    secrets.set(keyOf(s.metadata.namespace, s.metadata.name), s);
    return shown(s);
  }
  // A single object carries kind and apiVersion; a list's items do not.
  const shown = (s: StoredSecret) => ({ kind: 'Secret', apiVersion: 'v1', ...s });

  /** Builds a stored Secret from a request body (stringData folded into data). */
  function fromBody(ns: string, body: Record<string, unknown>, existing?: StoredSecret): StoredSecret {
    const meta = (body.metadata ?? {}) as Record<string, unknown>;
    const data: Record<string, string> = { ...((body.data ?? {}) as Record<string, string>) };
    for (const [k, v] of Object.entries((body.stringData ?? {}) as Record<string, unknown>)) {
      data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    }
    const labels = meta.labels as Record<string, string> | undefined;
    return {
      metadata: {
        name: String(meta.name ?? existing?.metadata.name ?? ''),
        namespace: ns,
        uid: existing?.metadata.uid ?? randomUUID(),
        resourceVersion: existing?.metadata.resourceVersion ?? '',
        creationTimestamp: existing?.metadata.creationTimestamp ?? new Date().toISOString(),
        ...(labels && Object.keys(labels).length > 0 ? { labels } : {}),
      },
      type: typeof body.type === 'string' ? body.type : (existing?.type ?? 'Opaque'),
      ...(body.immutable === true ? { immutable: true } : {}),
      data,
    };
  }

  /** The same data, labels and type (an immutable Secret may change only its metadata). */
  const sameData = (a: StoredSecret, b: StoredSecret) =>
    JSON.stringify(Object.entries(a.data).sort()) === JSON.stringify(Object.entries(b.data).sort()) &&
    a.type === b.type;

  function write(name: string, next: StoredSecret, prev: StoredSecret): Answer {
    const why = invalid(next);
    if (why) return status(422, 'Invalid', `Secret "${name}" is invalid: ${why}`, name);
    if (prev.immutable && (!sameData(prev, next) || next.immutable !== true)) {
      return status(
        422,
        'Invalid',
        `Secret "${name}" is invalid: data: Forbidden: field is immutable when \`immutable\` is set`,
        name,
      );
    }
    return { status: 200, body: store(next) };
  }

  async function route(req: IncomingMessage, seen: SeenRequest): Promise<Answer> {
    const auth = String(req.headers.authorization ?? '');
    const role =
      auth === `Bearer ${token}` ? 'admin' : auth === `Bearer ${readerToken}` ? 'reader' : undefined;
    // The real server answers 401 with a Status too; the client drops it.
    if (role === undefined) return status(401, 'Unauthorized', 'Unauthorized');
    const m = PATH.exec(seen.path);
    if (!m) return status(404, 'NotFound', 'the server could not find the requested resource');
    const ns = decodeURIComponent(m[1]!);
    const name = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
    const verb = req.method ?? 'GET';
    if (role === 'reader' && verb !== 'GET') {
      return status(
        403,
        'Forbidden',
        `secrets is forbidden: User "system:serviceaccount:test:reader" cannot ${verb.toLowerCase()} resource "secrets" in API group "" in the namespace "${ns}"`,
        name,
      );
    }
    if (!LABEL.test(ns)) return status(404, 'NotFound', `namespaces "${ns}" not found`);
    const existing = name === undefined ? undefined : secrets.get(keyOf(ns, name));
    const body = async (): Promise<Record<string, unknown> | Answer> => {
      const raw = await readBody(req, MAX_BODY);
      if (raw === undefined) return status(413, 'RequestEntityTooLarge', 'the request is too large');
      try {
        const parsed: unknown = JSON.parse(raw.toString('utf8'));
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
          return parsed as Record<string, unknown>;
      } catch {}
      return status(400, 'BadRequest', 'the body is not a JSON object');
    };
    const isAnswer = (b: unknown): b is Answer => typeof (b as Answer).status === 'number';

    if (name === undefined && verb === 'GET') return list(ns, seen.query);
    if (name === undefined && verb === 'POST') {
      const b = await body();
      if (isAnswer(b)) return b;
      const s = fromBody(ns, b);
      const why = invalid(s);
      if (why)
        return status(422, 'Invalid', `Secret "${s.metadata.name}" is invalid: ${why}`, s.metadata.name);
      if (secrets.has(keyOf(ns, s.metadata.name))) {
        return status(409, 'AlreadyExists', `secrets "${s.metadata.name}" already exists`, s.metadata.name);
      }
      return { status: 201, body: store(s) };
    }
    if (name === undefined) return status(405, 'MethodNotAllowed', 'the method is not allowed');
    if (verb === 'GET') {
      return existing
        ? { status: 200, body: existing }
        : status(404, 'NotFound', `secrets "${name}" not found`, name);
    }
    if (verb === 'DELETE') {
      if (!existing) return status(404, 'NotFound', `secrets "${name}" not found`, name);
      secrets.delete(keyOf(ns, name));
      return {
        status: 200,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details: { name, kind: 'secrets', uid: existing.metadata.uid },
        },
      };
    }
    if (verb === 'PATCH' || verb === 'PUT') {
      if (verb === 'PATCH' && !/^application\/merge-patch\+json/.test(seen.contentType ?? '')) {
        return status(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json`,
        );
      }
      const b = await body();
      if (isAnswer(b)) return b;
      if (!existing) return status(404, 'NotFound', `secrets "${name}" not found`, name);
      const wanted = (b.metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion;
      if (wanted !== undefined && wanted !== existing.metadata.resourceVersion) {
        return status(
          409,
          'Conflict',
          `Operation cannot be fulfilled on secrets "${name}": the object has been modified; please apply your changes to the latest version and try again`,
          name,
        );
      }
      const merged = (
        verb === 'PATCH' ? mergePatch(existing, b) : { ...b, metadata: { ...(b.metadata as object), name } }
      ) as Record<string, unknown>;
      return write(name, fromBody(ns, merged, existing), existing);
    }
    return status(405, 'MethodNotAllowed', 'the method is not allowed');
  }

  /** A page of Secrets in name order, `limit` at most, continuing after the token's name. */
  function list(ns: string, query: Record<string, string>): Answer {
    let after = '';
    if (query.continue) {
      let t: { ns?: string; after?: string; gen?: number } = {};
      try {
        t = JSON.parse(Buffer.from(query.continue, 'base64url').toString('utf8'));
      } catch {}
      if (t.ns !== ns || typeof t.after !== 'string')
        return status(400, 'BadRequest', 'continue key is not valid');
      if (t.gen !== tokenGeneration) {
        return status(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
        );
      }
      after = t.after;
    }
    const all = [...secrets.values()]
      .filter((s) => s.metadata.namespace === ns && s.metadata.name > after)
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    const limit = Number(query.limit ?? 0);
    const items = limit > 0 ? all.slice(0, limit) : all;
    const more = limit > 0 && all.length > limit;
    const cont = more
      ? Buffer.from(
          JSON.stringify({ ns, after: items.at(-1)!.metadata.name, gen: tokenGeneration }),
        ).toString('base64url')
      : undefined;
    return {
      status: 200,
      body: {
        kind: 'SecretList',
        apiVersion: 'v1',
        metadata: {
          resourceVersion: String(revision),
          ...(cont ? { continue: cont, remainingItemCount: all.length - items.length } : {}),
        },
        items,
      },
    };
  }

  const server: LoopbackServer = await startRoutedLoopback(route, requests, { tls: options.tls ?? true });

  return {
    url: server.url,
    ca: server.ca,
    token,
    readerToken,
    requests,
    plant(namespace, name, data, extra = {}) {
      const encoded: Record<string, string> = {};
      for (const [k, v] of Object.entries(data)) {
        encoded[k] = (typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v)).toString('base64');
      }
      store({
        metadata: {
          name,
          namespace,
          uid: randomUUID(),
          resourceVersion: '',
          creationTimestamp: new Date().toISOString(),
          ...(extra.labels ? { labels: { ...extra.labels } } : {}),
        },
        type: extra.type ?? 'Opaque',
        ...(extra.immutable ? { immutable: true } : {}),
        data: encoded,
      });
    },
    expireContinueTokens() {
      tokenGeneration++;
    },
    reset() {
      secrets.clear();
      requests.length = 0;
    },
    stop: () => server.stop(),
  };
}
