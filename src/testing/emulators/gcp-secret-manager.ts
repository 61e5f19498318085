/**
 * A loopback Google Secret Manager (v1 REST, the surface `@google-cloud/secret-manager` uses with
 * `fallback: true`): secrets with labels and automatic replication, numbered versions with
 * ENABLED / DISABLED / DESTROYED states, the `latest` alias (the newest version whatever its
 * state), CRC-32C checksums kept with each payload and checked on add, paged listings, google.rpc
 * errors. Its behaviour is described in docs/protocols/gcp-secret-manager.md. Answers name
 * projects by number, as the service does, whatever the request named them by.
 */
import type { IncomingMessage } from 'node:http';
import { crc32c } from '../../internal/crc32c.js';
import { type Answer, readBody, type SeenRequest, startRoutedLoopback } from './loopback.js';

/** Options for {@link startGcpSecretManagerEmulator}. */
export interface GcpSecretManagerEmulatorOptions {
  /** The bearer token allowed everything. @default 'secretsource-gcp-admin' */
  token?: string;
  /** A bearer token allowed reads only (403 PERMISSION_DENIED on writes). @default 'secretsource-gcp-reader' */
  readerToken?: string;
  /** Serve https with a self-signed certificate instead of http. @default false */
  tls?: boolean;
}

/** Version states, as the API names them. */
export type VersionState = 'ENABLED' | 'DISABLED' | 'DESTROYED';

/** A running emulator and its test controls. */
export interface GcpSecretManagerEmulator {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** For the client: `apiEndpoint` (host), `port` and `protocol`. */
  endpoint: { apiEndpoint: string; port: number; protocol: 'http' | 'https' };
  ca: string | undefined;
  token: string;
  readerToken: string;
  requests: SeenRequest[];
  /** Adds a version directly (creating the secret); returns its number. */
  plant(project: string, secret: string, value: string | Uint8Array, labels?: Record<string, string>): string;
  /** Sets one version's state (DESTROYED also drops its payload). */
  setState(project: string, secret: string, version: string, state: VersionState): void;
  /** The project number answers use for `project`. */
  projectNumber(project: string): string;
  reset(): void;
  stop(): Promise<void>;
}

interface Version {
  n: number;
  state: VersionState;
  data: Buffer | undefined;
  crc: number;
  createTime: string;
  destroyTime?: string;
}

interface StoredSecret {
  id: string;
  labels: Record<string, string>;
  createTime: string;
  etag: string;
  versions: Version[];
}

const SECRET_ID = /^[A-Za-z0-9_-]{1,255}$/;
const LABEL_KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u;
const LABEL_VALUE = /^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;
const MAX_PAYLOAD = 64 * 1024;
const STATUS_HTTP: Record<string, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
};

function rpcError(status: string, message: string): Answer {
  const code = STATUS_HTTP[status] ?? 500;
  return { status: code, body: { error: { code, message, status } } };
}

/** Starts the emulator on 127.0.0.1. */
export async function startGcpSecretManagerEmulator(
  options: GcpSecretManagerEmulatorOptions = {},
): Promise<GcpSecretManagerEmulator> {
  const token = options.token ?? 'secretsource-gcp-admin';
  const readerToken = options.readerToken ?? 'secretsource-gcp-reader';
  const secrets = new Map<string, StoredSecret>();
  const numbers = new Map<string, string>();
  const requests: SeenRequest[] = [];
  const projectNumber = (p: string) => {
    if (/^\d+$/.test(p)) return p;
    if (!numbers.has(p)) numbers.set(p, String(100_000_000_001 + numbers.size));
    return numbers.get(p)!;
  };
  const keyOf = (p: string, s: string) => `${projectNumber(p)}/${s}`;
  const now = () => new Date().toISOString();

  const secretJson = (p: string, s: StoredSecret) => ({
    name: `projects/${projectNumber(p)}/secrets/${s.id}`,
    replication: { automatic: {} },
    createTime: s.createTime,
    labels: s.labels,
    etag: s.etag,
  });
  const versionJson = (p: string, s: StoredSecret, v: Version) => ({
    name: `projects/${projectNumber(p)}/secrets/${s.id}/versions/${v.n}`,
    createTime: v.createTime,
    ...(v.destroyTime ? { destroyTime: v.destroyTime } : {}),
    state: v.state,
    replicationStatus: { automatic: {} },
    etag: `"${v.n}-${v.state}"`,
    clientSpecifiedPayloadChecksum: true,
  });

  function create(p: string, id: string, labels: Record<string, string>): StoredSecret {
    const s: StoredSecret = { id, labels, createTime: now(), etag: `"${Date.now()}"`, versions: [] };
    secrets.set(keyOf(p, id), s);
    return s;
  }
  function addVersion(s: StoredSecret, data: Buffer): Version {
    const v: Version = {
      n: s.versions.length + 1,
      state: 'ENABLED',
      data,
      crc: crc32c(data),
      createTime: now(),
    };
    s.versions.push(v);
    return v;
  }
  const badLabels = (labels: Record<string, unknown>) =>
    Object.keys(labels).length > 64 ||
    Object.entries(labels).some(
      ([k, v]) => !LABEL_KEY.test(k) || typeof v !== 'string' || !LABEL_VALUE.test(v),
    );

  /** The version a path names: a number, or `latest` (the newest, whatever its state). */
  const versionOf = (s: StoredSecret, v: string): Version | undefined =>
    v === 'latest' ? s.versions.at(-1) : /^[1-9]\d*$/.test(v) ? s.versions[Number(v) - 1] : undefined;

  async function route(req: IncomingMessage, seen: SeenRequest): Promise<Answer> {
    const auth = String(req.headers.authorization ?? '');
    const role =
      auth === `Bearer ${token}` ? 'admin' : auth === `Bearer ${readerToken}` ? 'reader' : undefined;
    if (role === undefined)
      return rpcError('UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    const m =
      /^\/v1\/projects\/([^/]+)\/secrets(?:\/([^/:]+)(?:\/versions(?:\/([^/:]+))?)?)?(?::(\w+))?$/.exec(
        seen.path,
      );
    if (!m) return rpcError('NOT_FOUND', 'The requested URL was not found on this server.');
    const [, p = '', id, version, verb] = m;
    const method = req.method ?? 'GET';
    const writes = method !== 'GET';
    if (writes && role === 'reader') {
      return rpcError(
        'PERMISSION_DENIED',
        "Permission 'secretmanager.versions.add' denied for resource (or it may not exist).",
      );
    }
    const readJson = async (): Promise<Record<string, unknown> | undefined> => {
      const raw = await readBody(req, 1024 * 1024);
      try {
        const parsed: unknown = JSON.parse(raw?.toString('utf8') || '{}');
        return parsed !== null && typeof parsed === 'object'
          ? (parsed as Record<string, unknown>)
          : undefined;
      } catch {
        return undefined;
      }
    };
    if (id === undefined) {
      if (method === 'GET') return listSecrets(p, seen.query);
      if (method === 'POST') {
        const body = await readJson();
        const secretId = seen.query.secretId ?? '';
        if (!body || !SECRET_ID.test(secretId))
          return rpcError('INVALID_ARGUMENT', 'Invalid secret id or body.');
        if (
          !(body.replication as { automatic?: unknown } | undefined)?.automatic &&
          !(body.replication as { userManaged?: unknown } | undefined)?.userManaged
        )
          return rpcError('INVALID_ARGUMENT', 'Secret.replication is required.');
        const labels = (body.labels ?? {}) as Record<string, string>;
        if (badLabels(labels)) return rpcError('INVALID_ARGUMENT', 'Invalid labels.');
        if (secrets.has(keyOf(p, secretId))) {
          return rpcError(
            'ALREADY_EXISTS',
            `Secret [projects/${projectNumber(p)}/secrets/${secretId}] already exists.`,
          );
        }
        return { status: 200, body: secretJson(p, create(p, secretId, { ...labels })) };
      }
      return rpcError('NOT_FOUND', 'Method not found.');
    }
    const s = secrets.get(keyOf(p, id));
    const missing = () =>
      rpcError(
        'NOT_FOUND',
        `Secret [projects/${projectNumber(p)}/secrets/${id}] not found or has no versions.`,
      );
    if (!s) return missing();
    if (version === undefined && seen.path.endsWith('/versions') && method === 'GET')
      return listVersions(p, s, seen.query);
    if (version === undefined) {
      if (verb === 'addVersion' && method === 'POST') {
        const body = await readJson();
        const payload = body?.payload as { data?: unknown; dataCrc32c?: unknown } | undefined;
        if (typeof payload?.data !== 'string')
          return rpcError('INVALID_ARGUMENT', 'Secret Payload cannot be empty.');
        const data = Buffer.from(payload.data, 'base64');
        if (data.length === 0) return rpcError('INVALID_ARGUMENT', 'Secret Payload cannot be empty.');
        if (data.length > MAX_PAYLOAD)
          return rpcError('INVALID_ARGUMENT', 'Secret payload data length must be less than 65536 bytes.');
        if (payload.dataCrc32c !== undefined && String(payload.dataCrc32c) !== String(crc32c(data))) {
          return rpcError('INVALID_ARGUMENT', 'Checksum mismatch on the received secret payload data.');
        }
        return { status: 200, body: versionJson(p, s, addVersion(s, data)) };
      }
      if (verb !== undefined) return rpcError('NOT_FOUND', 'Method not found.');
      if (method === 'GET') return { status: 200, body: secretJson(p, s) };
      if (method === 'DELETE') {
        secrets.delete(keyOf(p, id));
        return { status: 200, body: {} };
      }
      if (method === 'PATCH') {
        const body = await readJson();
        if (seen.query.updateMask !== 'labels' || !body)
          return rpcError('INVALID_ARGUMENT', 'Only labels can be updated here.');
        const labels = (body.labels ?? {}) as Record<string, string>;
        if (badLabels(labels)) return rpcError('INVALID_ARGUMENT', 'Invalid labels.');
        s.labels = { ...labels };
        s.etag = `"${Date.now()}"`;
        return { status: 200, body: secretJson(p, s) };
      }
      return rpcError('NOT_FOUND', 'Method not found.');
    }
    const v = versionOf(s, version);
    const vname = `projects/${projectNumber(p)}/secrets/${id}/versions/${version}`;
    if (!v) return rpcError('NOT_FOUND', `Secret Version [${vname}] not found.`);
    if (verb === 'access' && method === 'GET') {
      if (v.state !== 'ENABLED' || v.data === undefined) {
        return rpcError('FAILED_PRECONDITION', `Secret Version [${vname}] is in ${v.state} state.`);
      }
      return {
        status: 200,
        body: {
          name: `projects/${projectNumber(p)}/secrets/${id}/versions/${v.n}`,
          payload: { data: v.data.toString('base64'), dataCrc32c: String(v.crc) },
        },
      };
    }
    if (verb === undefined && method === 'GET') return { status: 200, body: versionJson(p, s, v) };
    if (method === 'POST' && (verb === 'enable' || verb === 'disable' || verb === 'destroy')) {
      if (v.state === 'DESTROYED')
        return rpcError('FAILED_PRECONDITION', `Secret Version [${vname}] is in DESTROYED state.`);
      setVersionState(v, verb === 'enable' ? 'ENABLED' : verb === 'disable' ? 'DISABLED' : 'DESTROYED');
      return { status: 200, body: versionJson(p, s, v) };
    }
    return rpcError('NOT_FOUND', 'Method not found.');
  }

  function setVersionState(v: Version, state: VersionState) {
    v.state = state;
    if (state === 'DESTROYED') {
      v.data = undefined;
      v.destroyTime = now();
    }
  }

  /** Pages are `pageSize` long (25 by default); the token is the offset. */
  function page<T>(
    all: T[],
    query: Record<string, string>,
  ): { items: T[]; next: string | undefined } | Answer {
    const size = Math.min(Math.max(Number(query.pageSize ?? 25) || 25, 1), 25_000);
    const start = query.pageToken ? Number(Buffer.from(query.pageToken, 'base64url').toString('utf8')) : 0;
    if (!Number.isInteger(start) || start < 0) return rpcError('INVALID_ARGUMENT', 'Invalid page token.');
    const items = all.slice(start, start + size);
    const more = start + size < all.length;
    return { items, next: more ? Buffer.from(String(start + size)).toString('base64url') : undefined };
  }

  function listSecrets(p: string, query: Record<string, string>): Answer {
    const prefix = /^name:(\S+)\*?$/.exec(query.filter ?? '')?.[1]?.replace(/\*$/, '');
    const all = [...secrets.entries()]
      .filter(
        ([k, s]) => k.startsWith(`${projectNumber(p)}/`) && (prefix === undefined || s.id.startsWith(prefix)),
      )
      .map(([, s]) => s)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const got = page(all, query);
    if ('status' in got) return got;
    return {
      status: 200,
      body: {
        secrets: got.items.map((s) => secretJson(p, s)),
        ...(got.next ? { nextPageToken: got.next } : {}),
        totalSize: all.length,
      },
    };
  }

  function listVersions(p: string, s: StoredSecret, query: Record<string, string>): Answer {
    const got = page([...s.versions].reverse(), query);
    if ('status' in got) return got;
    return {
      status: 200,
      body: {
        versions: got.items.map((v) => versionJson(p, s, v)),
        ...(got.next ? { nextPageToken: got.next } : {}),
        totalSize: s.versions.length,
      },
    };
  }

  const server = await startRoutedLoopback(route, requests, { tls: options.tls ?? false });

  return {
    url: server.url,
    endpoint: { apiEndpoint: '127.0.0.1', port: server.port, protocol: options.tls ? 'https' : 'http' },
    ca: server.ca,
    token,
    readerToken,
    requests,
    plant(project, secret, value, labels = {}) {
      const s = secrets.get(keyOf(project, secret)) ?? create(project, secret, { ...labels });
      const data = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
      return String(addVersion(s, data).n);
    },
    setState(project, secret, version, state) {
      const s = secrets.get(keyOf(project, secret));
      const v = s && versionOf(s, version);
      if (!v) throw new Error(`no version ${version} of ${secret}`);
      setVersionState(v, state);
    },
    projectNumber,
    reset() {
      secrets.clear();
      requests.length = 0;
    },
    stop: () => server.stop(),
  };
}
