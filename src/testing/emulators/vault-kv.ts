/**
 * The KV secrets engine of the Vault emulator (docs/protocols/vault.md#kv-version-2 for v2, #kv-version-1 for v1): storage,
 * versions, check-and-set, deletes, metadata and listing. Routing, auth and namespaces live in
 * `vault.ts`.
 */
import { randomUUID } from 'node:crypto';
import type { RawResponse } from './vault-http.js';

export interface KvVersion {
  data: Record<string, unknown> | null;
  createdTime: string;
  deletionTime: string;
  deletionMs: number | null;
  destroyed: boolean;
}

export interface KvKey {
  versions: Map<number, KvVersion>;
  currentVersion: number;
  oldestVersion: number;
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfter: number;
  customMetadata: Record<string, string> | null;
  createdTime: string;
  updatedTime: string;
}

export interface Mount {
  version: 1 | 2;
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfter: number;
  v2: Map<string, KvKey>;
  v1: Map<string, Record<string, unknown>>;
}

const INVALID_V2_PATH =
  "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation.";
const ROOT_OF_V2 = 'Non-listing operations on the root of a K/V v2 mount are not supported.';

/** docs/protocols/vault.md#reads-and-writes: Go RFC3339Nano, nanoseconds with trailing zeros trimmed. */
let nanoCounter = 0;
export function rfc3339Nano(ms: number): string {
  nanoCounter = (nanoCounter + 7919) % 1_000_000;
  const iso = new Date(ms).toISOString();
  const frac = `${iso.slice(20, 23)}${String(nanoCounter).padStart(6, '0')}`.replace(/0+$/, '');
  return `${iso.slice(0, 19)}${frac === '' ? '' : `.${frac}`}Z`;
}

/** docs/protocols/vault.md#verbs: `?list=` is Go `strconv.ParseBool`. */
export function parseBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/** Go duration strings ("1h30m", "10s") or plain seconds, in seconds. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let consumed = 0;
  for (let m = re.exec(value); m !== null; m = re.exec(value)) {
    total += Number(m[1]) * units[m[2]!]!;
    consumed += m[0].length;
  }
  return consumed === value.length && consumed > 0 ? total : undefined;
}

export function goDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

/** docs/protocols/vault.md#responses-and-the-envelope response envelope. */
export function envelope(fields: {
  data?: unknown;
  auth?: unknown;
  warnings?: string[] | null;
  leaseDuration?: number;
  mountType?: string;
}): Record<string, unknown> {
  return {
    request_id: randomUUID(),
    lease_id: '',
    renewable: false,
    lease_duration: fields.leaseDuration ?? 0,
    data: fields.data ?? null,
    wrap_info: null,
    warnings: fields.warnings ?? null,
    auth: fields.auth ?? null,
    mount_type: fields.mountType ?? '',
  };
}

export const errors = (status: number, ...messages: string[]): RawResponse => ({
  status,
  body: { errors: messages },
});
export const noContent: RawResponse = { status: 204 };

/** A new, empty KV mount. */
export function newMount(version: 1 | 2): Mount {
  return {
    version,
    maxVersions: 0,
    casRequired: false,
    deleteVersionAfter: 0,
    v2: new Map(),
    v1: new Map(),
  };
}

export const liveVersion = (v: KvVersion | undefined): boolean =>
  v !== undefined && !v.destroyed && (v.deletionMs === null || v.deletionMs > Date.now());

export const versionMeta = (v: KvVersion, version: number, key: KvKey) => ({
  created_time: v.createdTime,
  custom_metadata: key.customMetadata,
  // docs/protocols/vault.md#version-limits delete_version_after: a future deletion_time shows as set; it only counts once passed.
  deletion_time: v.deletionTime,
  destroyed: v.destroyed,
  version,
});

/** docs/protocols/vault.md#version-limits max_versions: key or mount, the larger wins, 0 ⇒ 10; prunes the oldest. */
export const prune = (mount: Mount, key: KvKey): void => {
  const max = Math.max(key.maxVersions, mount.maxVersions) || 10;
  const numbers = [...key.versions.keys()].sort((a, b) => a - b);
  while (numbers.length > max) {
    const n = numbers.shift()!;
    key.versions.delete(n);
    key.oldestVersion = numbers[0] ?? 0;
  }
};

/** docs/protocols/vault.md#listing list: direct children of `folder`, folders with a trailing `/`; empty → 404. */
export const listKeys = (names: Iterable<string>, folder: string): RawResponse => {
  const prefix = folder === '' || folder.endsWith('/') ? folder : `${folder}/`;
  const keys = new Set<string>();
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    const slash = rest.indexOf('/');
    keys.add(slash < 0 ? rest : rest.slice(0, slash + 1));
  }
  if (keys.size === 0) return errors(404);
  return { status: 200, body: envelope({ data: { keys: [...keys].sort() }, mountType: 'kv' }) };
};

export const metadataBody = (key: KvKey) => {
  const versions: Record<string, unknown> = {};
  for (const [n, v] of key.versions) {
    // docs/protocols/vault.md#metadata: version keys of the metadata map are strings.
    versions[String(n)] = {
      created_time: v.createdTime,
      deletion_time: v.deletionTime,
      destroyed: v.destroyed,
    };
  }
  return {
    cas_required: key.casRequired,
    created_time: key.createdTime,
    current_version: key.currentVersion,
    custom_metadata: key.customMetadata,
    delete_version_after: goDuration(key.deleteVersionAfter),
    max_versions: key.maxVersions,
    oldest_version: key.oldestVersion,
    updated_time: key.updatedTime,
    versions,
  };
};

export const validateCustomMetadata = (cm: unknown): string | undefined => {
  if (cm === undefined || cm === null) return undefined;
  if (typeof cm !== 'object' || Array.isArray(cm)) return 'custom_metadata validation failed: not a map';
  const entries = Object.entries(cm as Record<string, unknown>);
  if (entries.length > 64) return 'custom_metadata validation failed: too many keys';
  for (const [k, v] of entries) {
    if (typeof v !== 'string') return 'custom_metadata validation failed: values must be strings';
    if (Buffer.byteLength(k) > 128 || Buffer.byteLength(v) > 512) {
      return 'custom_metadata validation failed: key or value too long';
    }
  }
  return undefined;
};

/** docs/protocols/vault.md#check-and-set: write/patch with the check-and-set rules (exact texts). */
export const writeV2 = (
  mount: Mount,
  path: string,
  body: Record<string, unknown>,
  patch: boolean,
): RawResponse => {
  const existing = mount.v2.get(path);
  if (patch && (existing === undefined || existing.currentVersion === 0)) return { status: 404 }; // docs/protocols/vault.md#three-kinds-of-404 empty body
  if (patch && !liveVersion(existing!.versions.get(existing!.currentVersion))) {
    const k = existing!;
    const v = k.versions.get(k.currentVersion)!;
    return {
      status: 404,
      body: envelope({ data: { data: null, metadata: versionMeta(v, k.currentVersion, k) } }),
    };
  }
  const data = body.data;
  if (data === undefined || data === null || typeof data !== 'object' || Array.isArray(data)) {
    return errors(400, 'no data provided');
  }
  const opts = (body.options ?? {}) as Record<string, unknown>;
  const current = existing?.currentVersion ?? 0;
  const casRequired = mount.casRequired || (existing?.casRequired ?? false);
  if (opts.cas !== undefined) {
    const cas = typeof opts.cas === 'string' && /^\d+$/.test(opts.cas) ? Number(opts.cas) : opts.cas;
    if (typeof cas !== 'number' || !Number.isInteger(cas))
      return errors(400, 'error parsing check-and-set parameter');
    if (patch && cas === 0) return errors(400, 'check-and-set parameter did not match the current version');
    if (cas !== current) return errors(400, 'check-and-set parameter did not match the current version');
  } else if (casRequired) {
    return errors(400, 'check-and-set parameter required for this call');
  }
  const now = Date.now();
  const created = rfc3339Nano(now);
  const key: KvKey = existing ?? {
    versions: new Map(),
    currentVersion: 0,
    oldestVersion: 0,
    maxVersions: 0,
    casRequired: false,
    deleteVersionAfter: 0,
    customMetadata: null,
    createdTime: created,
    updatedTime: created,
  };
  let newData = data as Record<string, unknown>;
  if (patch) newData = mergePatch(key.versions.get(key.currentVersion)!.data ?? {}, newData);
  const after = key.deleteVersionAfter || mount.deleteVersionAfter;
  const deletionMs = after > 0 ? now + after * 1000 : null;
  const version: KvVersion = {
    data: structuredClone(newData),
    createdTime: created,
    deletionTime: deletionMs === null ? '' : rfc3339Nano(deletionMs),
    deletionMs,
    destroyed: false,
  };
  key.currentVersion = current + 1;
  key.versions.set(key.currentVersion, version);
  key.updatedTime = created;
  mount.v2.set(path, key);
  prune(mount, key);
  // docs/protocols/vault.md#reads-and-writes write response: the version metadata, not nested.
  return {
    status: 200,
    body: envelope({ data: versionMeta(version, key.currentVersion, key), mountType: 'kv' }),
  };
};

export const handleV2 = (mount: Mount, rest: string, op: string, req: ParsedReq): RawResponse => {
  const slash = rest.indexOf('/');
  const kind = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash + 1);
  const body = req.json;
  if (kind === 'config' && path === '') {
    if (op === 'read') {
      return {
        status: 200,
        body: envelope({
          data: {
            max_versions: mount.maxVersions,
            cas_required: mount.casRequired,
            delete_version_after: goDuration(mount.deleteVersionAfter),
          },
        }),
      };
    }
    if (op === 'update') {
      if (body.max_versions !== undefined) mount.maxVersions = Number(body.max_versions);
      if (body.cas_required !== undefined) mount.casRequired = body.cas_required === true;
      const d = parseDuration(body.delete_version_after);
      if (d !== undefined) mount.deleteVersionAfter = d;
      return noContent;
    }
    return errors(405, 'unsupported operation');
  }
  const known = ['data', 'metadata', 'delete', 'undelete', 'destroy', 'subkeys'];
  if (!known.includes(kind)) {
    // docs/protocols/vault.md#paths-in-a-v2-mount path handling: a v1-style path on a v2 mount is a 404 with the envelope and a warning.
    return { status: 404, body: envelope({ warnings: [INVALID_V2_PATH] }) };
  }
  if (path === '' && !(kind === 'metadata' && op === 'list')) {
    return { status: 404, body: envelope({ warnings: [ROOT_OF_V2] }) };
  }
  const key = mount.v2.get(path);
  switch (`${kind}:${op}`) {
    case 'data:read': {
      if (key === undefined) return errors(404); // docs/protocols/vault.md#three-kinds-of-404 missing key
      const requested = Number(req.query.get('version') ?? '0');
      const n = requested === 0 ? key.currentVersion : requested;
      const v = key.versions.get(n);
      if (v === undefined) return errors(404); // docs/protocols/vault.md#version-limits nonexistent or pruned version
      const meta = versionMeta(v, n, key);
      if (!liveVersion(v)) {
        // docs/protocols/vault.md#three-kinds-of-404: deleted or destroyed → 404 with the full envelope and no `errors` key.
        return { status: 404, body: envelope({ data: { data: null, metadata: meta }, mountType: 'kv' }) };
      }
      return { status: 200, body: envelope({ data: { data: v.data, metadata: meta }, mountType: 'kv' }) };
    }
    case 'data:update':
      return writeV2(mount, path, body, false);
    case 'data:patch':
      return writeV2(mount, path, body, true);
    case 'data:delete': {
      // docs/protocols/vault.md#kv-version-2 soft-delete latest; again or missing is a no-op 204.
      const v = key?.versions.get(key.currentVersion);
      if (v !== undefined && liveVersion(v)) {
        v.deletionMs = Date.now();
        v.deletionTime = rfc3339Nano(v.deletionMs);
      }
      return noContent;
    }
    case 'delete:update':
    case 'undelete:update':
    case 'destroy:update': {
      const versions = body.versions;
      if (!Array.isArray(versions) || versions.length === 0) return errors(400, 'no version number provided');
      for (const raw of versions) {
        const v = key?.versions.get(Number(raw));
        if (v === undefined) continue; // docs/protocols/vault.md#kv-version-2: missing key or version is a no-op 204
        if (kind === 'delete' && liveVersion(v)) {
          v.deletionMs = Date.now();
          v.deletionTime = rfc3339Nano(v.deletionMs);
        } else if (kind === 'undelete' && !v.destroyed) {
          v.deletionMs = null;
          v.deletionTime = '';
        } else if (kind === 'destroy') {
          v.destroyed = true;
          v.data = null;
        }
      }
      return noContent;
    }
    case 'metadata:list': {
      // docs/protocols/vault.md#listing: soft-deleted keys still list unless exclude_deleted=true.
      const exclude = parseBool(req.query.get('exclude_deleted') ?? 'false') === true;
      const names = [...mount.v2.entries()]
        .filter(([, k]) => !exclude || liveVersion(k.versions.get(k.currentVersion)))
        .map(([name]) => name);
      return listKeys(names, path);
    }
    case 'metadata:read':
      if (key === undefined) return errors(404);
      return { status: 200, body: envelope({ data: metadataBody(key), mountType: 'kv' }) };
    case 'metadata:update':
    case 'metadata:patch': {
      if (op === 'patch' && key === undefined) return errors(404);
      const problem = validateCustomMetadata(body.custom_metadata);
      if (problem !== undefined) return errors(400, problem);
      const now = rfc3339Nano(Date.now());
      // docs/protocols/vault.md#kv-version-2 write metadata: creates the key with current_version 0 when absent.
      const k: KvKey = key ?? {
        versions: new Map(),
        currentVersion: 0,
        oldestVersion: 0,
        maxVersions: 0,
        casRequired: false,
        deleteVersionAfter: 0,
        customMetadata: null,
        createdTime: now,
        updatedTime: now,
      };
      if (body.max_versions !== undefined) k.maxVersions = Number(body.max_versions);
      if (body.cas_required !== undefined) k.casRequired = body.cas_required === true;
      const d = parseDuration(body.delete_version_after);
      if (d !== undefined) k.deleteVersionAfter = d;
      if (body.custom_metadata !== undefined) {
        k.customMetadata =
          op === 'patch'
            ? (mergePatch(k.customMetadata ?? {}, body.custom_metadata as Record<string, unknown>) as Record<
                string,
                string
              >)
            : (body.custom_metadata as Record<string, string> | null);
      }
      k.updatedTime = now;
      mount.v2.set(path, k);
      prune(mount, k);
      return noContent;
    }
    case 'metadata:delete':
      // docs/protocols/vault.md#kv-version-2 delete all: every version and the key; missing is a 204 too.
      mount.v2.delete(path);
      return noContent;
    case 'subkeys:read': {
      if (key === undefined) return errors(404);
      const requested = Number(req.query.get('version') ?? '0');
      const n = requested === 0 ? key.currentVersion : requested;
      const v = key.versions.get(n);
      if (v === undefined) return errors(404);
      if (!liveVersion(v)) {
        return {
          status: 404,
          body: envelope({ data: { subkeys: null, metadata: versionMeta(v, n, key) } }),
        };
      }
      return {
        status: 200,
        body: envelope({ data: { subkeys: subkeys(v.data ?? {}), metadata: versionMeta(v, n, key) } }),
      };
    }
    default:
      return errors(405, 'unsupported operation');
  }
};

/** docs/protocols/vault.md#kv-version-1 KV v1: a flat map per path, 204 on writes and deletes, no versions, no CAS. */
export const handleV1 = (mount: Mount, path: string, op: string, req: ParsedReq): RawResponse => {
  if (op === 'list') return listKeys(mount.v1.keys(), path);
  if (path === '') return errors(405, 'unsupported operation');
  switch (op) {
    case 'read': {
      const data = mount.v1.get(path);
      if (data === undefined) return errors(404);
      const ttl = parseDuration(data.ttl ?? data.lease);
      return {
        status: 200,
        body: envelope({ data, leaseDuration: ttl ?? 2764800, mountType: 'kv' }),
      };
    }
    case 'update':
      if (Object.keys(req.json).length === 0) return errors(400, 'missing data fields');
      mount.v1.set(path, structuredClone(req.json));
      return noContent;
    case 'delete':
      mount.v1.delete(path);
      return noContent;
    default:
      return errors(405, 'unsupported operation');
  }
};

export interface ParsedReq {
  json: Record<string, unknown>;
  query: URLSearchParams;
}

/** RFC 7386 JSON merge patch (docs/protocols/vault.md#kv-version-2 patch). */
export function mergePatch(
  target: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (typeof v === 'object' && !Array.isArray(v)) {
      const base = out[k];
      out[k] = mergePatch(
        base !== null && typeof base === 'object' && !Array.isArray(base)
          ? (base as Record<string, unknown>)
          : {},
        v as Record<string, unknown>,
      );
    } else out[k] = v;
  }
  return out;
}

/** docs/protocols/vault.md#kv-version-2 subkeys: the map's structure with leaf values replaced by null. */
export function subkeys(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    out[k] =
      v !== null && typeof v === 'object' && !Array.isArray(v) ? subkeys(v as Record<string, unknown>) : null;
  }
  return out;
}
