/**
 * A loopback Azure Key Vault (secrets data plane) that the real `@azure/keyvault-secrets` client cannot
 * tell from the service. Every behaviour cites the section of docs/protocols/azure-key-vault.md it implements.
 * Test controls (latency, injected errors, outages, delays) live on the returned handle.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { selfSignedPems } from './tls.js';

/** Options for {@link startAzureKvEmulator}. */
export interface AzureKvEmulatorOptions {
  /** Tenant id put in the challenge's `authorization` URL (docs/protocols/azure-key-vault.md#tenant). @default DEFAULT_TENANT_ID */
  tenantId?: string;
  /** The only bearer token accepted. @default 'secretsource-test-token' */
  token?: string;
  /** How long a deleted secret stays invisible under /deletedsecrets (docs/protocols/azure-key-vault.md#soft-delete). @default 150 */
  deleteVisibilityMs?: number;
  /** How long a recovered secret keeps answering 404 / 409 ObjectIsBeingRecovered (docs/protocols/azure-key-vault.md#soft-delete). @default 100 */
  recoverVisibilityMs?: number;
  /** Interleave empty pages that still carry a nextLink, as the real service does (docs/protocols/azure-key-vault.md#paging). @default true */
  emptyPages?: boolean;
  /** Soft delete on (`Recoverable+Purgeable`) or off (`Purgeable`, DELETE is final) (docs/protocols/azure-key-vault.md#soft-delete). @default true */
  softDelete?: boolean;
  /** Purge protection: purge answers 403 (docs/protocols/azure-key-vault.md#soft-delete). @default false */
  purgeProtection?: boolean;
  /**
   * Also act as the Entra ID (AAD) token endpoint for this one app registration, so a real
   * `ClientSecretCredential` with `authorityHost: emulator.url` gets the vault token (docs/protocols/azure-key-vault.md#tenant).
   * Off unless given.
   */
  aad?: { clientId: string; clientSecret: string };
}

/** One request as the emulator saw it, for assertions. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorized: boolean;
}

/** A running emulator and its test controls. */
export interface AzureKvEmulator {
  /** `https://127.0.0.1:<port>`, the vault URL. */
  url: string;
  /** PEM of the self-signed certificate to trust (`tlsOptions: { ca }`). */
  ca: string;
  tenantId: string;
  token: string;
  /** Every request received, oldest first. */
  requests: RecordedRequest[];
  /** Delay every response by `ms`. */
  setLatency(ms: number): void;
  /** Answer the next `times` requests (after the 401 challenge) with `status` and a JSON error body. */
  failNext(status: number, times?: number, options?: { code?: string; retryAfterSeconds?: number }): void;
  /** While on, every connection is dropped without an answer. */
  setOutage(on: boolean): void;
  /** Stores a secret directly (no HTTP), returning its new version id. */
  plant(name: string, value: string, attributes?: PlantAttributes): string;
  /**
   * Stores secrets directly under their Key Vault names (`JWT-SECRET-KEY`, which
   * `azureKeyVault()` reads as `JWT_SECRET_KEY`).
   * @example
   * kv.seed({ 'JWT-SECRET-KEY': key });
   */
  seed(secrets: Readonly<Record<string, string>>): void;
  /** A credential the emulator accepts (its one static token), for `azureKeyVault({ credential })`. */
  credential: { getToken(): Promise<{ token: string; expiresOnTimestamp: number }> };
  /**
   * Client options a `SecretClient` needs for this emulator, and only for it: trust its CA, and skip
   * the challenge's resource check that a loopback host cannot pass
   * (docs/protocols/azure-key-vault.md#resource-verification).
   */
  clientOptions: { tlsOptions: { ca: string }; disableChallengeResourceVerification: true };
  /** Finishes every pending delete and recover now, as if their delays had passed. */
  settle(): void;
  /** Sets `enabled` on one version (latest when absent). */
  setEnabled(name: string, enabled: boolean, version?: string): void;
  /** Forgets every secret and control. */
  reset(): void;
  stop(): Promise<void>;
}

/** Attributes a test may plant with a secret. */
export interface PlantAttributes {
  enabled?: boolean;
  contentType?: string;
  tags?: Record<string, string>;
  /** Expiry as a Date. */
  expiresOn?: Date;
  notBefore?: Date;
}

/** The tenant the challenge names by default: a fixed GUID so identity credentials can be configured to match. */
export const DEFAULT_TENANT_ID = '00000000-0000-4000-8000-00000000a2c7';

// docs/protocols/azure-key-vault.md#api-version: required, and the versions the SDKs we support send.
const API_VERSIONS = new Set(['7.0', '7.1', '7.2', '7.3', '7.4', '7.5', '7.6', '2025-07-01', '2026-04-01']);
const LATEST_API_VERSION = '2026-04-01';
// docs/protocols/azure-key-vault.md#names name rule.
const NAME_RE = /^[0-9a-zA-Z-]{1,127}$/;
// docs/protocols/azure-key-vault.md#limits limits.
const MAX_VALUE_BYTES = 25 * 1024;
const MAX_TAGS = 15;
const RECOVERABLE_DAYS = 90;

interface Version {
  id: string;
  value: string;
  contentType?: string | undefined;
  tags?: Record<string, string> | undefined;
  enabled: boolean;
  nbf?: number | undefined;
  exp?: number | undefined;
  created: number;
  updated: number;
}

interface Entry {
  /** The case the name was created with (docs/protocols/azure-key-vault.md#names: lookups ignore case, ids keep it). */
  name: string;
  versions: Version[];
  deleted?: { deletedDate: number; scheduledPurgeDate: number; visibleAt: number } | undefined;
  recoveringUntil?: number | undefined;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly inner?: string,
  ) {
    super(message);
  }
}

const now = (): number => Math.floor(Date.now() / 1000); // docs/protocols/azure-key-vault.md#versions-and-times Unix seconds
const newVersionId = (): string => randomBytes(16).toString('hex'); // docs/protocols/azure-key-vault.md#versions-and-times 32 lowercase hex

/** Starts an emulator on 127.0.0.1 with a fresh self-signed certificate (docs/protocols/azure-key-vault.md#transport). */
export async function startAzureKvEmulator(options: AzureKvEmulatorOptions = {}): Promise<AzureKvEmulator> {
  const tenantId = options.tenantId ?? DEFAULT_TENANT_ID;
  const token = options.token ?? 'secretsource-test-token';
  const deleteVisibilityMs = options.deleteVisibilityMs ?? 150;
  const recoverVisibilityMs = options.recoverVisibilityMs ?? 100;
  const emptyPages = options.emptyPages ?? true;
  const softDelete = options.softDelete ?? true;
  const recoveryLevel = !softDelete
    ? 'Purgeable'
    : options.purgeProtection
      ? 'Recoverable'
      : 'Recoverable+Purgeable';

  // docs/protocols/azure-key-vault.md#transport HTTPS with SANs for both loopback spellings; the key lives only in memory.
  const pems = await selfSignedPems('localhost', 7);

  const store = new Map<string, Entry>();
  const requests: RecordedRequest[] = [];
  const faults: Array<{ status: number; code: string; retryAfterSeconds?: number | undefined }> = [];
  let latencyMs = 0;
  let outage = false;
  const sockets = new Set<Socket>();

  const attrs = (v: Version): Record<string, unknown> => {
    // docs/protocols/azure-key-vault.md#bundles optional fields are omitted, not null.
    const a: Record<string, unknown> = {
      enabled: v.enabled,
      created: v.created,
      updated: v.updated,
      recoveryLevel,
    };
    if (softDelete) a.recoverableDays = RECOVERABLE_DAYS;
    if (v.nbf !== undefined) a.nbf = v.nbf;
    if (v.exp !== undefined) a.exp = v.exp;
    return a;
  };

  // docs/protocols/azure-key-vault.md#ids ids are built from the request's Host so scheme://host:port match the client URL.
  const bundle = (
    base: string,
    e: Entry,
    v: Version,
    withValue: boolean,
    versionInId = true,
  ): Record<string, unknown> => {
    const b: Record<string, unknown> = {
      id: versionInId ? `${base}/secrets/${e.name}/${v.id}` : `${base}/secrets/${e.name}`,
      attributes: attrs(v),
    };
    if (withValue) b.value = v.value;
    if (v.contentType !== undefined) b.contentType = v.contentType;
    if (v.tags !== undefined) b.tags = v.tags;
    return b;
  };

  const deletedBundle = (base: string, e: Entry, versionInId: boolean): Record<string, unknown> => {
    const latest = e.versions.at(-1)!;
    // docs/protocols/azure-key-vault.md#bundles DeletedSecretBundle: no value, plus recoveryId/deletedDate/scheduledPurgeDate.
    return {
      ...bundle(base, e, latest, false, versionInId),
      recoveryId: `${base}/deletedsecrets/${e.name}`,
      deletedDate: e.deleted!.deletedDate,
      scheduledPurgeDate: e.deleted!.scheduledPurgeDate,
    };
  };

  const notFound = (name: string): HttpError =>
    // docs/protocols/azure-key-vault.md#errors exact SecretNotFound text.
    new HttpError(
      404,
      'SecretNotFound',
      `A secret with (name/id) ${name} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
    );
  const deletedNotFound = (name: string): HttpError =>
    new HttpError(404, 'SecretNotFound', `Deleted Secret not found: ${name}`); // docs/protocols/azure-key-vault.md#errors, #soft-delete

  const checkName = (name: string): void => {
    // docs/protocols/azure-key-vault.md#names invalid name → 400 BadParameter.
    if (!NAME_RE.test(name))
      throw new HttpError(400, 'BadParameter', `The request URI contains an invalid name: ${name}`);
  };

  /** A live (not deleted, not recovering) secret, or a 404. */
  const live = (name: string): Entry => {
    checkName(name);
    const e = store.get(name.toLowerCase()); // docs/protocols/azure-key-vault.md#names case-insensitive names
    if (!e || e.deleted) throw notFound(name);
    // docs/protocols/azure-key-vault.md#soft-delete right after recover, GET may still 404 briefly.
    if (e.recoveringUntil !== undefined && Date.now() < e.recoveringUntil) throw notFound(name);
    return e;
  };

  const findVersion = (e: Entry, name: string, version: string): Version => {
    // docs/protocols/azure-key-vault.md#endpoints empty version (trailing slash) = latest.
    const v = version === '' ? e.versions.at(-1) : e.versions.find((x) => x.id === version.toLowerCase());
    if (!v) throw notFound(name);
    return v;
  };

  const visibleDeleted = (name: string): Entry => {
    checkName(name);
    const e = store.get(name.toLowerCase());
    if (!e?.deleted) throw deletedNotFound(name);
    // docs/protocols/azure-key-vault.md#soft-delete /deletedsecrets/{name} answers 404 "Deleted Secret not found" until the async delete lands.
    if (Date.now() < e.deleted.visibleAt) throw deletedNotFound(name);
    return e;
  };

  const inProgressDelete = (e: Entry | undefined): boolean =>
    e?.deleted !== undefined && Date.now() < e.deleted.visibleAt;

  const writeVersion = (name: string, body: Record<string, unknown>): { e: Entry; v: Version } => {
    const key = name.toLowerCase();
    const existing = store.get(key);
    if (existing?.deleted) {
      // docs/protocols/azure-key-vault.md#errors, #soft-delete: 409 while the name is deleted; "being deleted" before the delete is visible [approx].
      if (inProgressDelete(existing)) {
        throw new HttpError(
          409,
          'Conflict',
          `Secret ${name} is currently being deleted.`,
          'ObjectIsBeingDeleted',
        );
      }
      throw new HttpError(
        409,
        'Conflict',
        `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
        'ObjectIsDeletedButRecoverable',
      );
    }
    if (existing?.recoveringUntil !== undefined && Date.now() < existing.recoveringUntil) {
      // docs/protocols/azure-key-vault.md#errors, #soft-delete PUT right after recover.
      throw new HttpError(
        409,
        'Conflict',
        `Secret ${name} is currently being recovered and cannot be re-created; retry later.`,
        'ObjectIsBeingRecovered',
      );
    }
    const value = body.value;
    if (typeof value !== 'string') throw new HttpError(400, 'BadParameter', 'Property value is required.'); // [approx]
    if (Buffer.byteLength(value, 'utf8') > MAX_VALUE_BYTES) {
      throw new HttpError(400, 'BadParameter', 'The secret value exceeds the maximum allowed size.'); // docs/protocols/azure-key-vault.md#limits limit [approx]
    }
    const tags = readTags(body.tags);
    const a = (body.attributes ?? {}) as Record<string, unknown>;
    const t = now();
    const v: Version = {
      id: newVersionId(),
      value,
      contentType: typeof body.contentType === 'string' ? body.contentType : undefined,
      tags,
      enabled: a.enabled !== false, // docs/protocols/azure-key-vault.md#bundles `enabled` missing means true
      nbf: typeof a.nbf === 'number' ? a.nbf : undefined,
      exp: typeof a.exp === 'number' ? a.exp : undefined,
      created: t,
      updated: t,
    };
    const e: Entry = existing ?? { name, versions: [] };
    e.versions.push(v);
    store.set(key, e);
    return { e, v };
  };

  const page = (req: URL, base: string, items: Array<Record<string, unknown>>): Record<string, unknown> => {
    // docs/protocols/azure-key-vault.md#paging maxresults 1..25; default 25.
    const max = req.searchParams.get('maxresults');
    const size = max === null ? 25 : Number(max);
    if (!Number.isInteger(size) || size < 1 || size > 25) {
      throw new HttpError(400, 'BadParameter', `Invalid value for maxresults: ${max}`); // [approx]
    }
    const token = req.searchParams.get('$skiptoken');
    let state = { o: 0, empty: emptyPages };
    if (token !== null) {
      try {
        state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof state;
      } catch {
        throw new HttpError(400, 'BadParameter', 'Invalid skip token.'); // [approx]
      }
    }
    const link = (next: { o: number; empty: boolean }): string => {
      // docs/protocols/azure-key-vault.md#paging absolute nextLink with explicit port, the original api-version and maxresults.
      const u = new URL(`${base}${req.pathname}`);
      u.searchParams.set('api-version', req.searchParams.get('api-version') ?? '');
      u.searchParams.set('$skiptoken', Buffer.from(JSON.stringify(next)).toString('base64url'));
      if (max !== null) u.searchParams.set('maxresults', max);
      return u.toString();
    };
    // docs/protocols/azure-key-vault.md#paging empty pages that still carry a nextLink: consumers must keep following.
    if (state.empty) return { value: [], nextLink: link({ o: state.o, empty: false }) };
    const slice = items.slice(state.o, state.o + size);
    const more = state.o + size < items.length;
    // docs/protocols/azure-key-vault.md#paging `value` always an array; `nextLink` an absolute URL or null on the last page.
    return { value: slice, nextLink: more ? link({ o: state.o + size, empty: emptyPages }) : null };
  };

  const sorted = (): Entry[] =>
    [...store.values()].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));

  const route = (
    method: string,
    url: URL,
    base: string,
    body: Record<string, unknown>,
  ): [number, unknown] => {
    const parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
    const [collection, name, sub, action] = parts;
    if (collection === 'secrets') {
      if (name === undefined || name === '') {
        if (method === 'GET' && sub === undefined) {
          // docs/protocols/azure-key-vault.md#endpoints list: SecretItem ids without version, no value.
          const items = sorted()
            .filter((e) => !e.deleted)
            .map((e) => bundle(base, e, e.versions.at(-1)!, false, false));
          return [200, page(url, base, items)];
        }
        // docs/protocols/azure-key-vault.md#endpoints `PUT /secrets/` → 405.
        throw new HttpError(405, 'MethodNotAllowed', `HTTP ${method} not allowed`);
      }
      if (name === 'restore' && method === 'POST' && sub === undefined) {
        // docs/protocols/azure-key-vault.md#endpoints restore: the blob is our own backup format.
        const blob = JSON.parse(Buffer.from(String(body.value ?? ''), 'base64url').toString('utf8')) as Entry;
        if (store.has(blob.name.toLowerCase()))
          throw new HttpError(409, 'Conflict', `Secret ${blob.name} already exists.`); // [approx]
        const e: Entry = { name: blob.name, versions: blob.versions };
        store.set(e.name.toLowerCase(), e);
        return [200, bundle(base, e, e.versions.at(-1)!, false)];
      }
      if (sub === 'versions' && action === undefined && method === 'GET') {
        checkName(name);
        const e = store.get(name.toLowerCase());
        // docs/protocols/azure-key-vault.md#endpoints versions of an unknown secret: empty list, not 404.
        const items = e && !e.deleted ? e.versions.map((v) => bundle(base, e, v, false)) : [];
        return [200, page(url, base, items)];
      }
      if (sub === 'backup' && action === undefined && method === 'POST') {
        const e = live(name);
        return [200, { value: Buffer.from(JSON.stringify(e)).toString('base64url') }];
      }
      if (action !== undefined) throw new HttpError(404, 'NotFound', 'The requested resource was not found.'); // [approx]
      if (method === 'PUT' && sub === undefined) {
        checkName(name);
        const { e, v } = writeVersion(name, body);
        return [200, bundle(base, e, v, true)]; // docs/protocols/azure-key-vault.md#endpoints set returns the bundle with value
      }
      if (method === 'GET') {
        const e = live(name);
        const v = findVersion(e, name, sub ?? '');
        if (!v.enabled) {
          // docs/protocols/azure-key-vault.md#errors GET of a disabled version.
          throw new HttpError(
            403,
            'Forbidden',
            'Operation get is not allowed on a disabled secret.',
            'SecretDisabled',
          );
        }
        // docs/protocols/azure-key-vault.md#errors exp/nbf are not enforced on reads: an expired secret is still returned.
        return [200, bundle(base, e, v, true)];
      }
      if (method === 'PATCH') {
        // docs/protocols/azure-key-vault.md#endpoints update: tags replace, attributes merge, value immutable; works on disabled versions.
        const e = live(name);
        const v = findVersion(e, name, sub ?? '');
        if (body.tags !== undefined) v.tags = readTags(body.tags);
        if (typeof body.contentType === 'string') v.contentType = body.contentType;
        const a = (body.attributes ?? {}) as Record<string, unknown>;
        if (typeof a.enabled === 'boolean') v.enabled = a.enabled;
        if (typeof a.nbf === 'number') v.nbf = a.nbf;
        if (typeof a.exp === 'number') v.exp = a.exp;
        v.updated = now();
        return [200, bundle(base, e, v, false)];
      }
      if (method === 'DELETE' && sub === undefined) {
        const e = live(name);
        if (!softDelete) {
          // docs/protocols/azure-key-vault.md#soft-delete vault without soft delete: DELETE is final, no recoveryId.
          store.delete(name.toLowerCase());
          return [200, bundle(base, e, e.versions.at(-1)!, false)];
        }
        const t = now();
        e.deleted = {
          deletedDate: t,
          scheduledPurgeDate: t + RECOVERABLE_DAYS * 86_400,
          visibleAt: Date.now() + deleteVisibilityMs, // docs/protocols/azure-key-vault.md#soft-delete delayed visibility
        };
        return [200, deletedBundle(base, e, true)];
      }
      throw new HttpError(405, 'MethodNotAllowed', `HTTP ${method} not allowed`);
    }
    if (collection === 'deletedsecrets') {
      if (name === undefined || name === '') {
        if (method !== 'GET') throw new HttpError(405, 'MethodNotAllowed', `HTTP ${method} not allowed`);
        const items = sorted()
          .filter((e) => e.deleted && Date.now() >= e.deleted.visibleAt)
          .map((e) => deletedBundle(base, e, false));
        return [200, page(url, base, items)]; // docs/protocols/azure-key-vault.md#endpoints list deleted
      }
      if (method === 'GET' && sub === undefined)
        return [200, deletedBundle(base, visibleDeleted(name), true)];
      if (method === 'DELETE' && sub === undefined) {
        const e = store.get(name.toLowerCase());
        // docs/protocols/azure-key-vault.md#soft-delete purge before the deleted secret is visible: 409 ObjectIsBeingDeleted [approx].
        if (inProgressDelete(e)) {
          throw new HttpError(
            409,
            'Conflict',
            `Secret ${name} is currently being deleted.`,
            'ObjectIsBeingDeleted',
          );
        }
        visibleDeleted(name);
        if (options.purgeProtection) {
          throw new HttpError(403, 'Forbidden', `Operation purge is not allowed on this vault.`); // docs/protocols/azure-key-vault.md#soft-delete [approx]
        }
        store.delete(name.toLowerCase());
        return [204, undefined]; // docs/protocols/azure-key-vault.md#endpoints purge: 204 with no body
      }
      if (method === 'POST' && sub === 'recover' && action === undefined) {
        const e = store.get(name.toLowerCase());
        if (inProgressDelete(e)) {
          throw new HttpError(
            409,
            'Conflict',
            `Secret ${name} is currently being deleted.`,
            'ObjectIsBeingDeleted',
          );
        }
        const d = visibleDeleted(name);
        d.deleted = undefined;
        d.recoveringUntil = Date.now() + recoverVisibilityMs; // docs/protocols/azure-key-vault.md#soft-delete GET may 404 briefly after recover
        return [200, bundle(base, d, d.versions.at(-1)!, false)]; // docs/protocols/azure-key-vault.md#endpoints recover: 200 without value
      }
      throw new HttpError(405, 'MethodNotAllowed', `HTTP ${method} not allowed`);
    }
    throw new HttpError(404, 'NotFound', 'The requested resource was not found.'); // [approx]
  };

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    // docs/protocols/azure-key-vault.md#transport response headers the service sends.
    const h: Record<string, string> = {
      'x-ms-request-id': randomBytes(16).toString('hex'),
      'x-ms-keyvault-service-version': '1.9.0.0',
      'x-ms-keyvault-region': 'loopback',
      'x-ms-keyvault-network-info': 'conn_type=Ipv4;addr=127.0.0.1;act_addr_fam=InterNetwork;',
      ...headers,
    };
    if (body === undefined) {
      res.writeHead(status, h).end();
      return;
    }
    const text = JSON.stringify(body);
    res
      .writeHead(status, {
        ...h,
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(Buffer.byteLength(text)),
      })
      .end(text);
  };

  const sendError = (res: ServerResponse, err: HttpError, headers: Record<string, string> = {}): void => {
    // docs/protocols/azure-key-vault.md#errors always a JSON error body; lowercase `innererror` on the wire (#sdk-errors).
    const error: Record<string, unknown> = { code: err.code, message: err.message };
    if (err.inner !== undefined) error.innererror = { code: err.inner };
    send(res, err.status, { error }, headers);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (outage) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    const host = req.headers.host ?? '127.0.0.1';
    const base = `https://${host}`; // docs/protocols/azure-key-vault.md#ids ids and nextLinks from the Host header
    // docs/protocols/azure-key-vault.md#api-version WHATWG URL decodes `api%2Dversion` into `api-version`.
    const url = new URL(req.url ?? '/', base);
    const method = req.method ?? 'GET';
    const authz = req.headers.authorization;
    const authorized = authz === `Bearer ${token}`;
    requests.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams), authorized });

    if (options.aad && aadRoute(url, method, Buffer.concat(chunks).toString('utf8'), res, base)) return;

    if (!authorized) {
      // docs/protocols/azure-key-vault.md#authentication-challenge 401 challenge with quoted values (no spaces), before any validation of the body.
      sendError(
        res,
        new HttpError(401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.'),
        {
          'www-authenticate': `Bearer authorization="https://login.windows.net/${tenantId}", resource="https://vault.azure.net"`,
        },
      );
      return;
    }
    const fault = faults.shift();
    if (fault) {
      // Test control: injected throttling / server errors, JSON bodies as always (docs/protocols/azure-key-vault.md#sdk-errors empty bodies break the SDK).
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      sendError(
        res,
        new HttpError(fault.status, fault.code, `Injected failure with status ${fault.status}.`),
        headers,
      );
      return;
    }
    try {
      const apiVersion = url.searchParams.get('api-version');
      if (apiVersion === null)
        throw new HttpError(
          400,
          'BadParameter',
          'The api-version query parameter (?api-version=) is required for all requests.',
        ); // docs/protocols/azure-key-vault.md#transport [approx]
      if (!API_VERSIONS.has(apiVersion)) {
        // docs/protocols/azure-key-vault.md#api-version, #errors unknown api-version.
        throw new HttpError(
          400,
          'BadParameter',
          `The specified version (${apiVersion}) is not recognized. Consider using the latest supported version (${LATEST_API_VERSION}).`,
        );
      }
      let body: Record<string, unknown> = {};
      if (chunks.length > 0) {
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          throw new HttpError(400, 'BadParameter', 'The request body is not valid JSON.'); // [approx]
        }
      }
      const [status, out] = route(method, url, base, body ?? {});
      send(res, status, out);
    } catch (err) {
      if (err instanceof HttpError) sendError(res, err);
      else sendError(res, new HttpError(500, 'InternalServerError', 'Emulator failure.'));
    }
  };

  /** docs/protocols/azure-key-vault.md#tenant a minimal Entra ID: OpenID metadata and the client-credentials grant, for the configured tenant only. */
  const aadRoute = (url: URL, method: string, body: string, res: ServerResponse, base: string): boolean => {
    const meta = url.pathname.match(/^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/);
    const tokenPath = url.pathname.match(/^\/([^/]+)\/oauth2\/v2\.0\/token$/);
    const tenant = meta?.[1] ?? tokenPath?.[1];
    if (tenant === undefined) return false;
    const aadError = (status: number, error: string, description: string) =>
      send(res, status, {
        error,
        error_description: description,
        error_codes: [Number(description.slice(5, 12)) || 0],
      });
    if (tenant !== tenantId) {
      aadError(400, 'invalid_tenant', `AADSTS90002: Tenant '${tenant}' not found.`); // [approx]
      return true;
    }
    const t = `${base}/${tenant}`;
    if (meta && method === 'GET') {
      send(res, 200, {
        issuer: `${t}/v2.0`,
        token_endpoint: `${t}/oauth2/v2.0/token`,
        authorization_endpoint: `${t}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${t}/oauth2/v2.0/logout`,
        jwks_uri: `${t}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      });
      return true;
    }
    if (tokenPath && method === 'POST') {
      const form = new URLSearchParams(body);
      if (
        form.get('client_id') !== options.aad?.clientId ||
        form.get('client_secret') !== options.aad?.clientSecret
      ) {
        aadError(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.'); // [approx]
        return true;
      }
      send(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
      return true;
    }
    return false;
  };

  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    void handle(req, res);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;

  const emulator: AzureKvEmulator = {
    url: `https://127.0.0.1:${port}`,
    ca: pems.cert,
    tenantId,
    token,
    requests,
    setLatency(ms) {
      latencyMs = ms;
    },
    failNext(status, times = 1, o = {}) {
      const code =
        o.code ?? (status === 429 ? 'Throttled' : status === 403 ? 'Forbidden' : 'ServiceUnavailable');
      for (let i = 0; i < times; i++) faults.push({ status, code, retryAfterSeconds: o.retryAfterSeconds });
    },
    setOutage(on) {
      outage = on;
    },
    plant(name, value, a = {}) {
      const { v } = writeVersion(name, {
        value,
        contentType: a.contentType,
        tags: a.tags,
        attributes: {
          enabled: a.enabled ?? true,
          exp: a.expiresOn ? Math.floor(a.expiresOn.getTime() / 1000) : undefined,
          nbf: a.notBefore ? Math.floor(a.notBefore.getTime() / 1000) : undefined,
        },
      });
      return v.id;
    },
    seed(secrets) {
      for (const [name, value] of Object.entries(secrets)) emulator.plant(name, value);
    },
    credential: {
      getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
    },
    clientOptions: { tlsOptions: { ca: pems.cert }, disableChallengeResourceVerification: true },
    settle() {
      for (const e of store.values()) {
        if (e.deleted) e.deleted.visibleAt = 0;
        e.recoveringUntil = undefined;
      }
    },
    setEnabled(name, enabled, version) {
      const e = store.get(name.toLowerCase());
      const v = version === undefined ? e?.versions.at(-1) : e?.versions.find((x) => x.id === version);
      if (!v) throw new Error(`no such secret version: ${name}`);
      v.enabled = enabled;
    },
    reset() {
      store.clear();
      faults.length = 0;
      requests.length = 0;
      latencyMs = 0;
      outage = false;
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return emulator;
}

function readTags(tags: unknown): Record<string, string> | undefined {
  if (tags === undefined || tags === null) return undefined;
  const entries = Object.entries(tags as Record<string, unknown>);
  // docs/protocols/azure-key-vault.md#limits at most 15 tags, string values.
  if (entries.length > MAX_TAGS || entries.some(([, v]) => typeof v !== 'string')) {
    throw new HttpError(400, 'BadParameter', 'Tags must be at most 15 string values.'); // [approx]
  }
  return Object.fromEntries(entries) as Record<string, string>;
}
