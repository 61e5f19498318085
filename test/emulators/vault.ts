/**
 * A loopback HashiCorp Vault emulator, faithful enough that the real `node-vault` cannot tell it
 * from Vault for what secretsource uses. Each behaviour cites the point of
 * `../shared/PROTOCOLS.md` Part A it implements. Test controls (seal, latency, faults, outage,
 * tokens, roles, policies) are methods on the returned object; the HTTP API also offers the
 * real admin endpoints (sys/mounts, sys/namespaces, sys/policies/acl, auth/approle/role) so a
 * test in another process can set up its own mount.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type RawRequest, type RawResponse, startRawHttp } from './vault-http.js';

/** One ACL rule: a path (exact, or a prefix ending in `*`) and the capabilities it grants. */
export interface VaultPolicyRule {
  path: string;
  capabilities: readonly string[];
}

/** Options for a new token. */
export interface VaultTokenOptions {
  policies?: readonly string[];
  /** Seconds; 0 means no expiry (root). @default 0 */
  ttl?: number;
  /** @default false */
  renewable?: boolean;
  /** Namespace the token lives in (`ns1/`). @default '' (root) */
  namespace?: string;
  /** A fixed id instead of a random `hvs.` one. */
  id?: string;
}

/** A fault to inject: requests whose `/v1/...` path matches answer `status`/`body` or are dropped. */
export interface VaultFault {
  /** Matched against `METHOD /v1/path` (path decoded, namespace header not applied). */
  match: RegExp;
  status?: number;
  body?: unknown;
  /** Close the connection without answering. */
  drop?: boolean;
  /** How many requests to affect. @default Infinity */
  times?: number;
}

/** Options for {@link startVaultEmulator}. */
export interface VaultEmulatorOptions {
  /** The root token's id. @default a random `hvs.` id */
  rootToken?: string;
  /** Mount the dev-mode `secret/` KV v2 engine in the root namespace. @default true */
  devMounts?: boolean;
}

/** A running emulator with its test controls. */
export interface VaultEmulator {
  /** `http://127.0.0.1:<port>` */
  address: string;
  rootToken: string;
  /** The one unseal key `sys/unseal` accepts. */
  unsealKey: string;
  /** Every request seen, in order: method, decoded path (namespace applied) and namespace. */
  requests: Array<{ method: string; path: string; namespace: string }>;
  seal(): void;
  unseal(): void;
  /** Delay every response by this many milliseconds. */
  setLatency(ms: number): void;
  injectFault(fault: VaultFault): void;
  clearFaults(): void;
  /** While on, every connection is closed without an answer. */
  setOutage(on: boolean): void;
  createNamespace(path: string): void;
  enableKv(mount: string, options?: { version?: 1 | 2; namespace?: string }): void;
  /** Sets KV v2 engine config (A.4 engine config). */
  configureKv(
    mount: string,
    config: { maxVersions?: number; casRequired?: boolean },
    namespace?: string,
  ): void;
  setPolicy(name: string, rules: readonly VaultPolicyRule[], namespace?: string): void;
  createToken(options?: VaultTokenOptions): string;
  /** Revokes every token except the root token (a stale token as a client sees it). */
  revokeTokens(): void;
  addAppRole(
    name: string,
    options?: {
      policies?: readonly string[];
      ttl?: number;
      renewable?: boolean;
      namespace?: string;
      mount?: string;
    },
  ): { roleId: string; secretId: string };
  addKubernetesRole(
    name: string,
    jwt: string,
    options?: {
      policies?: readonly string[];
      ttl?: number;
      renewable?: boolean;
      namespace?: string;
      mount?: string;
    },
  ): void;
  stop(): Promise<void>;
}

interface Token {
  id: string;
  accessor: string;
  policies: string[];
  namespace: string;
  ttl: number;
  renewable: boolean;
  issuedMs: number;
  expiresMs: number | null;
  path: string;
  displayName: string;
  meta: Record<string, string> | null;
}

interface KvVersion {
  data: Record<string, unknown> | null;
  createdTime: string;
  deletionTime: string;
  deletionMs: number | null;
  destroyed: boolean;
}

interface KvKey {
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

interface Mount {
  version: 1 | 2;
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfter: number;
  v2: Map<string, KvKey>;
  v1: Map<string, Record<string, unknown>>;
}

interface Role {
  name: string;
  policies: string[];
  ttl: number;
  renewable: boolean;
  secretIds: Set<string>;
  jwt?: string;
}

interface Namespace {
  mounts: Map<string, Mount>;
  policies: Map<string, VaultPolicyRule[]>;
  /** auth mount → role id (AppRole) or role name (Kubernetes) → role */
  roles: Map<string, Map<string, Role>>;
  approleNames: Map<string, Map<string, Role>>;
}

const INVALID_V2_PATH =
  "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation.";
const ROOT_OF_V2 = 'Non-listing operations on the root of a K/V v2 mount are not supported.';
const DENIED_POLICY = '1 error occurred:\n\t* permission denied\n\n';

/** A.4: Go RFC3339Nano, nanoseconds with trailing zeros trimmed. */
let nanoCounter = 0;
function rfc3339Nano(ms: number): string {
  nanoCounter = (nanoCounter + 7919) % 1_000_000;
  const iso = new Date(ms).toISOString();
  const frac = `${iso.slice(20, 23)}${String(nanoCounter).padStart(6, '0')}`.replace(/0+$/, '');
  return `${iso.slice(0, 19)}${frac === '' ? '' : `.${frac}`}Z`;
}

/** A.1: `?list=` is Go `strconv.ParseBool`. */
function parseBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/** Go duration strings ("1h30m", "10s") or plain seconds, in seconds. */
function parseDuration(value: unknown): number | undefined {
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

function goDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

/** Normalises a namespace (header or path) to `a/b/` form; '' is root. */
function normNs(ns: string | undefined): string {
  const trimmed = (ns ?? '').replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

/** A.1 response envelope. */
function envelope(fields: {
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

const errors = (status: number, ...messages: string[]): RawResponse => ({
  status,
  body: { errors: messages },
});
const noContent: RawResponse = { status: 204 };

/** Starts an emulator on a random loopback port. */
export async function startVaultEmulator(options: VaultEmulatorOptions = {}): Promise<VaultEmulator> {
  const rootToken = options.rootToken ?? `hvs.${randomBytes(18).toString('base64url')}`;
  const unsealKey = randomBytes(32).toString('base64');
  const namespaces = new Map<string, Namespace>();
  const tokens = new Map<string, Token>();
  const requests: VaultEmulator['requests'] = [];
  let sealed = false;
  let latency = 0;
  let outage = false;
  let faults: Array<VaultFault & { left: number }> = [];

  const newNamespace = (): Namespace => ({
    mounts: new Map(),
    policies: new Map(),
    roles: new Map(),
    approleNames: new Map(),
  });
  namespaces.set('', newNamespace());

  const newMount = (version: 1 | 2): Mount => ({
    version,
    maxVersions: 0,
    casRequired: false,
    deleteVersionAfter: 0,
    v2: new Map(),
    v1: new Map(),
  });
  if (options.devMounts !== false) namespaces.get('')!.mounts.set('secret/', newMount(2));

  const issueToken = (
    o: VaultTokenOptions & { path?: string; meta?: Record<string, string> | null },
  ): Token => {
    const now = Date.now();
    const ttl = o.ttl ?? 0;
    const token: Token = {
      id: o.id ?? `hvs.${randomBytes(18).toString('base64url')}`,
      accessor: randomBytes(12).toString('base64url'),
      policies: [...(o.policies ?? ['default'])],
      namespace: normNs(o.namespace),
      ttl,
      renewable: o.renewable ?? false,
      issuedMs: now,
      expiresMs: ttl > 0 ? now + ttl * 1000 : null,
      path: o.path ?? 'auth/token/create',
      displayName: 'token',
      meta: o.meta ?? null,
    };
    tokens.set(token.id, token);
    return token;
  };
  issueToken({ id: rootToken, policies: ['root'], path: 'auth/token/root' });

  const getNs = (path: string): Namespace => {
    const ns = namespaces.get(normNs(path));
    if (ns === undefined) throw new Error(`no namespace ${path}`);
    return ns;
  };

  // A.2: the auth block of a login or renew-self response.
  const authBlock = (t: Token, metadata: Record<string, string> | null) => ({
    client_token: t.id,
    accessor: t.accessor,
    policies: t.policies,
    token_policies: t.policies,
    metadata,
    lease_duration: t.ttl,
    renewable: t.renewable,
    entity_id: '',
    token_type: 'service',
    orphan: true,
    mfa_requirement: null,
    num_uses: 0,
  });

  /** A.2: policy check. Root passes; otherwise the longest matching rule decides, `deny` wins. */
  const allowed = (token: Token, ns: Namespace, path: string, capability: string): boolean => {
    if (token.policies.includes('root')) return true;
    // The default policy lets a token look itself up, renew and revoke itself.
    if (/^auth\/token\/(lookup|renew|revoke)-self$/.test(path)) return true;
    let best: VaultPolicyRule | undefined;
    for (const name of token.policies) {
      for (const rule of ns.policies.get(name) ?? []) {
        const glob = rule.path.endsWith('*');
        const hit = glob ? path.startsWith(rule.path.slice(0, -1)) : path === rule.path;
        if (hit && (best === undefined || rule.path.length > best.path.length)) best = rule;
      }
    }
    if (best === undefined || best.capabilities.includes('deny')) return false;
    return best.capabilities.includes(capability) || best.capabilities.includes('sudo');
  };

  const liveVersion = (v: KvVersion | undefined): boolean =>
    v !== undefined && !v.destroyed && (v.deletionMs === null || v.deletionMs > Date.now());

  const versionMeta = (v: KvVersion, version: number, key: KvKey) => ({
    created_time: v.createdTime,
    custom_metadata: key.customMetadata,
    // A.4 delete_version_after: a future deletion_time shows as set; it only counts once passed.
    deletion_time: v.deletionTime,
    destroyed: v.destroyed,
    version,
  });

  /** A.4 max_versions: key or mount, the larger wins, 0 ⇒ 10; prunes the oldest. */
  const prune = (mount: Mount, key: KvKey): void => {
    const max = Math.max(key.maxVersions, mount.maxVersions) || 10;
    const numbers = [...key.versions.keys()].sort((a, b) => a - b);
    while (numbers.length > max) {
      const n = numbers.shift()!;
      key.versions.delete(n);
      key.oldestVersion = numbers[0] ?? 0;
    }
  };

  /** A.4 list: direct children of `folder`, folders with a trailing `/`; empty → 404 (A.7.2). */
  const listKeys = (names: Iterable<string>, folder: string): RawResponse => {
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

  const metadataBody = (key: KvKey) => {
    const versions: Record<string, unknown> = {};
    for (const [n, v] of key.versions) {
      // A.7.6: version keys of the metadata map are strings.
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

  const validateCustomMetadata = (cm: unknown): string | undefined => {
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

  /** A.4 write/patch with the check-and-set rules (A.7.5, exact texts). */
  const writeV2 = (
    mount: Mount,
    path: string,
    body: Record<string, unknown>,
    patch: boolean,
  ): RawResponse => {
    const existing = mount.v2.get(path);
    if (patch && (existing === undefined || existing.currentVersion === 0)) return { status: 404 }; // A.7.3 empty body
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
    // A.4 write response: the version metadata, not nested.
    return {
      status: 200,
      body: envelope({ data: versionMeta(version, key.currentVersion, key), mountType: 'kv' }),
    };
  };

  const handleV2 = (mount: Mount, rest: string, op: string, req: ParsedReq): RawResponse => {
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
      // A.4 path handling: a v1-style path on a v2 mount is a 404 with the envelope and a warning.
      return { status: 404, body: envelope({ warnings: [INVALID_V2_PATH] }) };
    }
    if (path === '' && !(kind === 'metadata' && op === 'list')) {
      return { status: 404, body: envelope({ warnings: [ROOT_OF_V2] }) };
    }
    const key = mount.v2.get(path);
    switch (`${kind}:${op}`) {
      case 'data:read': {
        if (key === undefined) return errors(404); // A.7.3 missing key
        const requested = Number(req.query.get('version') ?? '0');
        const n = requested === 0 ? key.currentVersion : requested;
        const v = key.versions.get(n);
        if (v === undefined) return errors(404); // A.4 nonexistent or pruned version
        const meta = versionMeta(v, n, key);
        if (!liveVersion(v)) {
          // A.7.3: deleted or destroyed → 404 with the full envelope and no `errors` key.
          return { status: 404, body: envelope({ data: { data: null, metadata: meta }, mountType: 'kv' }) };
        }
        return { status: 200, body: envelope({ data: { data: v.data, metadata: meta }, mountType: 'kv' }) };
      }
      case 'data:update':
        return writeV2(mount, path, body, false);
      case 'data:patch':
        return writeV2(mount, path, body, true);
      case 'data:delete': {
        // A.4 soft-delete latest; again or missing is a no-op 204.
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
        if (!Array.isArray(versions) || versions.length === 0)
          return errors(400, 'no version number provided');
        for (const raw of versions) {
          const v = key?.versions.get(Number(raw));
          if (v === undefined) continue; // A.4: missing key or version is a no-op 204
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
        // A.4: soft-deleted keys still list unless exclude_deleted=true.
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
        // A.4 write metadata: creates the key with current_version 0 when absent.
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
              ? (mergePatch(
                  k.customMetadata ?? {},
                  body.custom_metadata as Record<string, unknown>,
                ) as Record<string, string>)
              : (body.custom_metadata as Record<string, string> | null);
        }
        k.updatedTime = now;
        mount.v2.set(path, k);
        prune(mount, k);
        return noContent;
      }
      case 'metadata:delete':
        // A.4 delete all: every version and the key; missing is a 204 too.
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

  /** A.5 KV v1: a flat map per path, 204 on writes and deletes, no versions, no CAS. */
  const handleV1 = (mount: Mount, path: string, op: string, req: ParsedReq): RawResponse => {
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

  const login = (ns: Namespace, nsName: string, authMount: string, req: ParsedReq): RawResponse => {
    const byId = ns.roles.get(authMount);
    if (byId === undefined)
      return errors(404, `no handler for route "${nsName}auth/${authMount}/login". route entry not found.`);
    let role: Role | undefined;
    let metadata: Record<string, string>;
    if (authMount.startsWith('kubernetes')) {
      // Kubernetes auth: role name and a service-account JWT.
      const r = byId.get(String(req.json.role ?? ''));
      if (typeof req.json.role !== 'string' || req.json.role === '') return errors(400, 'missing role');
      if (typeof req.json.jwt !== 'string' || req.json.jwt === '') return errors(400, 'missing jwt');
      if (r === undefined) return errors(400, `invalid role name "${req.json.role}"`);
      if (r.jwt !== req.json.jwt) return errors(403, 'permission denied');
      role = r;
      metadata = { role: r.name, service_account_name: 'default' };
    } else {
      // A.2 AppRole errors are 400 with these texts.
      if (typeof req.json.role_id !== 'string' || req.json.role_id === '')
        return errors(400, 'missing role_id');
      if (typeof req.json.secret_id !== 'string' || req.json.secret_id === '')
        return errors(400, 'missing secret_id');
      const r = byId.get(req.json.role_id);
      if (r === undefined || !r.secretIds.has(req.json.secret_id))
        return errors(400, 'invalid role or secret ID');
      role = r;
      metadata = { role_name: r.name };
    }
    const token = issueToken({
      policies: ['default', ...role.policies],
      ttl: role.ttl,
      renewable: role.renewable,
      namespace: nsName,
      path: `auth/${authMount}/login`,
      meta: metadata,
    });
    // A.2: data is null, the token is in `auth`.
    return {
      status: 200,
      body: envelope({ auth: authBlock(token, metadata), mountType: authMount.replace(/\/$/, '') }),
    };
  };

  const handleToken = (token: Token, endpoint: string, op: string, req: ParsedReq): RawResponse => {
    const now = Date.now();
    if (endpoint === 'lookup-self' && op === 'read') {
      return {
        status: 200,
        body: envelope({
          data: {
            accessor: token.accessor,
            creation_time: Math.floor(token.issuedMs / 1000),
            creation_ttl: token.ttl,
            display_name: token.displayName,
            entity_id: '',
            expire_time: token.expiresMs === null ? null : new Date(token.expiresMs).toISOString(),
            explicit_max_ttl: 0,
            id: token.id,
            issue_time: new Date(token.issuedMs).toISOString(),
            meta: token.meta,
            num_uses: 0,
            orphan: true,
            path: token.path,
            policies: token.policies,
            renewable: token.renewable,
            ttl: token.expiresMs === null ? 0 : Math.max(0, Math.round((token.expiresMs - now) / 1000)),
            type: 'service',
          },
        }),
      };
    }
    if (endpoint === 'renew-self' && op === 'update') {
      if (!token.renewable) return errors(400, 'lease is not renewable');
      const inc = parseDuration(req.json.increment) ?? token.ttl;
      token.expiresMs = now + inc * 1000;
      token.ttl = inc;
      return { status: 200, body: envelope({ auth: authBlock(token, token.meta) }) };
    }
    if (endpoint === 'revoke-self' && op === 'update') {
      tokens.delete(token.id);
      return noContent;
    }
    return errors(405, 'unsupported operation');
  };

  /** Admin endpoints so another process (the conformance workers) can set up isolated state. */
  const handleSys = (
    ns: Namespace,
    nsName: string,
    path: string,
    op: string,
    req: ParsedReq,
  ): RawResponse | undefined => {
    let m = /^sys\/mounts\/(.+)$/.exec(path);
    if (m !== null) {
      const mountPath = normNs(m[1]);
      if (op === 'update') {
        if (req.json.type !== 'kv' && req.json.type !== 'kv-v2')
          return errors(400, 'only kv mounts are emulated');
        if (ns.mounts.has(mountPath)) return errors(400, `path is already in use at ${mountPath}`);
        const opts = (req.json.options ?? {}) as Record<string, unknown>;
        ns.mounts.set(mountPath, newMount(req.json.type === 'kv-v2' || String(opts.version) === '2' ? 2 : 1));
        return noContent;
      }
      if (op === 'delete') {
        ns.mounts.delete(mountPath);
        return noContent;
      }
      return errors(405, 'unsupported operation');
    }
    m = /^sys\/namespaces\/(.+)$/.exec(path);
    if (m !== null && op === 'update') {
      const full = normNs(`${nsName}${m[1]}`);
      if (!namespaces.has(full)) namespaces.set(full, newNamespace());
      return { status: 200, body: envelope({ data: { id: randomUUID().slice(0, 5), path: full } }) };
    }
    m = /^sys\/policies\/acl\/(.+)$/.exec(path);
    if (m !== null && op === 'update') {
      // Only the JSON form of a policy document is parsed (JSON is valid HCL).
      try {
        const doc = JSON.parse(String(req.json.policy)) as {
          path: Record<string, { capabilities: string[] }>;
        };
        ns.policies.set(
          m[1]!,
          Object.entries(doc.path).map(([p, r]) => ({ path: p, capabilities: r.capabilities })),
        );
        return noContent;
      } catch {
        return errors(400, 'failed to parse policy');
      }
    }
    m = /^auth\/(.+)\/role\/([^/]+)(?:\/(role-id|secret-id))?$/.exec(path);
    if (m !== null) {
      const [, authMount, roleName, sub] = m;
      const mountKey = normNs(authMount);
      const names = ns.approleNames.get(mountKey) ?? new Map<string, Role>();
      ns.approleNames.set(mountKey, names);
      const byId = ns.roles.get(mountKey) ?? new Map<string, Role>();
      ns.roles.set(mountKey, byId);
      if (sub === undefined && op === 'update') {
        const role: Role = {
          name: roleName!,
          policies: Array.isArray(req.json.token_policies) ? req.json.token_policies.map(String) : [],
          ttl: parseDuration(req.json.token_ttl) ?? 3600,
          renewable: true,
          secretIds: new Set(),
        };
        names.set(roleName!, role);
        byId.set(randomUUID(), role);
        return noContent;
      }
      const role = names.get(roleName!);
      if (role === undefined) return errors(404);
      if (sub === 'role-id' && op === 'read') {
        const id = [...byId.entries()].find(([, r]) => r === role)![0];
        return { status: 200, body: envelope({ data: { role_id: id } }) };
      }
      if (sub === 'secret-id' && op === 'update') {
        const secretId = randomUUID();
        role.secretIds.add(secretId);
        return {
          status: 200,
          body: envelope({ data: { secret_id: secretId, secret_id_accessor: randomUUID() } }),
        };
      }
      return errors(405, 'unsupported operation');
    }
    return undefined;
  };

  const handle = async (raw: RawRequest): Promise<RawResponse> => {
    // A.1: every route is under /v1/; the path is the *decoded* URL path (A.7.9: %2F is a `/`).
    const q = raw.target.indexOf('?');
    const rawPath = q < 0 ? raw.target : raw.target.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : raw.target.slice(q + 1));
    let decoded: string;
    try {
      decoded = decodeURIComponent(rawPath);
    } catch {
      return errors(400, 'invalid URL escape');
    }
    const header = raw.headers['x-vault-namespace'];
    const fullPath = `${normNs(header)}${decoded.replace(/^\/v1\//, '')}`;
    requests.push({ method: raw.method, path: fullPath, namespace: normNs(header) });

    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    if (outage) return { status: 0, drop: true };
    const fault = faults.find((f) => f.left > 0 && f.match.test(`${raw.method} ${decoded}`));
    if (fault !== undefined) {
      fault.left -= 1;
      if (fault.drop) return { status: 0, drop: true };
      return { status: fault.status ?? 500, body: fault.body ?? { errors: ['injected fault'] } };
    }
    if (!decoded.startsWith('/v1/')) return errors(404);

    // A.1 verbs → operations.
    let op: string;
    switch (raw.method) {
      case 'GET': {
        const list = query.get('list');
        if (list === null) op = 'read';
        else {
          const b = parseBool(list);
          if (b === undefined) return errors(400); // A.1: unparsable list= is 400 {"errors":[]}
          op = b ? 'list' : 'read';
        }
        break;
      }
      case 'LIST': // A.7.1: the canonical list verb
        op = 'list';
        break;
      case 'POST':
      case 'PUT':
        op = 'update';
        break;
      case 'PATCH': {
        const ct = raw.headers['content-type'] ?? '';
        if (!ct.toLowerCase().startsWith('application/merge-patch+json')) {
          return errors(415, `PATCH requires Content-Type of application/merge-patch+json, provided ${ct}`);
        }
        op = 'patch';
        break;
      }
      case 'DELETE':
        op = 'delete';
        break;
      case 'HEAD':
        op = 'head';
        break;
      default:
        return errors(405); // A.1: anything else
    }
    let json: Record<string, unknown> = {};
    const form = (raw.headers['content-type'] ?? '')
      .toLowerCase()
      .startsWith('application/x-www-form-urlencoded');
    if (raw.body.length > 0 && form) {
      // A.1: form-encoded bodies are accepted too.
      json = Object.fromEntries(new URLSearchParams(raw.body.toString('utf8')));
    } else if (raw.body.length > 0) {
      try {
        const parsed: unknown = JSON.parse(raw.body.toString('utf8'));
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
          json = parsed as Record<string, unknown>;
      } catch {
        return errors(400, 'failed to parse JSON input');
      }
    }
    // A.1: query params become request data for GET and DELETE.
    const req: ParsedReq = { json, query };

    // A.3 / A.7.10: health needs no token and reports seal state by status and body.
    if (fullPath === 'sys/health' && (op === 'read' || op === 'head')) {
      const code = (name: string, fallback: number) => {
        const v = query.get(name);
        return v !== null && /^\d+$/.test(v) ? Number(v) : fallback;
      };
      const status = sealed ? code('sealedcode', 503) : code('activecode', 200);
      const body = {
        initialized: true,
        sealed,
        standby: false,
        performance_standby: false,
        replication_performance_mode: 'disabled',
        replication_dr_mode: 'disabled',
        server_time_utc: Math.floor(Date.now() / 1000),
        version: '1.17.0',
        cluster_name: 'vault-cluster-emulator',
        cluster_id: 'emulator',
      };
      return op === 'head' ? { status, rawBody: Buffer.alloc(0) } : { status, body };
    }
    if (op === 'head') return errors(405);
    if (fullPath === 'sys/seal-status' && op === 'read') {
      return { status: 200, body: { type: 'shamir', initialized: true, sealed, t: 1, n: 1, progress: 0 } };
    }
    if (fullPath === 'sys/unseal' && op === 'update') {
      if (req.json.key === unsealKey) sealed = false;
      else if (req.json.reset !== true) return errors(400, 'invalid key');
      return { status: 200, body: { type: 'shamir', initialized: true, sealed, t: 1, n: 1, progress: 0 } };
    }
    // A.3: while sealed every other endpoint answers 503.
    if (sealed) return errors(503, 'Vault is sealed');

    // A.1 / A.7.8: the namespace is a path prefix; find the longest registered one.
    let nsName = '';
    for (const name of namespaces.keys()) {
      if (fullPath.startsWith(name) && name.length > nsName.length) nsName = name;
    }
    const ns = namespaces.get(nsName)!;
    const path = fullPath.slice(nsName.length);

    // A.2: login paths are unauthenticated and answer in the request's namespace.
    const loginMatch = /^auth\/(.+)\/login$/.exec(path);
    if (loginMatch !== null && op === 'update') return login(ns, nsName, normNs(loginMatch[1]), req);

    // A.2 / A.7.7: the token is checked before routing; missing, unknown or expired → 403.
    const bearer = /^Bearer (.+)$/.exec(raw.headers.authorization ?? '');
    const tokenId = raw.headers['x-vault-token'] ?? bearer?.[1];
    const token = tokenId === undefined ? undefined : tokens.get(tokenId);
    if (token === undefined || (token.expiresMs !== null && token.expiresMs <= Date.now())) {
      return errors(403, 'permission denied');
    }
    // A.7.8: a token is scoped to its namespace and the namespaces below it.
    if (!nsName.startsWith(token.namespace)) return errors(403, 'permission denied');

    const tokenMatch = /^auth\/token\/(lookup-self|renew-self|revoke-self)$/.exec(path);
    if (tokenMatch !== null) return handleToken(token, tokenMatch[1]!, op, req);

    if (fullPath === 'sys/seal' && op === 'update') {
      if (!token.policies.includes('root')) return errors(403, DENIED_POLICY);
      sealed = true;
      return noContent;
    }
    if (/^(sys\/|auth\/)/.test(path)) {
      if (!token.policies.includes('root')) return errors(403, DENIED_POLICY);
      const res = handleSys(ns, nsName, path, op, req);
      if (res !== undefined) return res;
      return errors(404, `no handler for route "${fullPath}". route entry not found.`);
    }

    // A.4 path handling: longest mount prefix, else "no handler for route".
    let mountName = '';
    for (const name of ns.mounts.keys()) {
      if (`${path}/`.startsWith(name) && name.length > mountName.length) mountName = name;
    }
    const mount = ns.mounts.get(mountName);
    if (mount === undefined) return errors(404, `no handler for route "${fullPath}". route entry not found.`);
    const rest = path.slice(mountName.length);

    // ACL: LIST is checked on the folder with a trailing `/`; writes need create (new) or update.
    const aclPath = op === 'list' && !path.endsWith('/') ? `${path}/` : path;
    let capability = op === 'patch' ? 'patch' : op;
    if (op === 'update') {
      const exists =
        mount.version === 2 ? /^data\//.test(rest) && mount.v2.has(rest.slice(5)) : mount.v1.has(rest);
      capability = exists || (mount.version === 2 && !/^data\//.test(rest)) ? 'update' : 'create';
    }
    if (!allowed(token, ns, aclPath, capability)) return errors(403, DENIED_POLICY);

    return mount.version === 2 ? handleV2(mount, rest, op, req) : handleV1(mount, rest, op, req);
  };

  const http = await startRawHttp(handle);

  return {
    address: `http://127.0.0.1:${http.port}`,
    rootToken,
    unsealKey,
    requests,
    seal: () => {
      sealed = true;
    },
    unseal: () => {
      sealed = false;
    },
    setLatency: (ms) => {
      latency = ms;
    },
    injectFault: (fault) => {
      faults.push({ ...fault, left: fault.times ?? Number.POSITIVE_INFINITY });
    },
    clearFaults: () => {
      faults = [];
    },
    setOutage: (on) => {
      outage = on;
    },
    createNamespace: (path) => {
      const name = normNs(path);
      if (!namespaces.has(name)) namespaces.set(name, newNamespace());
    },
    enableKv: (mount, o = {}) => {
      getNs(o.namespace ?? '').mounts.set(normNs(mount), newMount(o.version ?? 2));
    },
    configureKv: (mount, config, namespace) => {
      const m = getNs(namespace ?? '').mounts.get(normNs(mount));
      if (m === undefined) throw new Error(`no mount ${mount}`);
      if (config.maxVersions !== undefined) m.maxVersions = config.maxVersions;
      if (config.casRequired !== undefined) m.casRequired = config.casRequired;
    },
    setPolicy: (name, rules, namespace) => {
      getNs(namespace ?? '').policies.set(name, [...rules]);
    },
    createToken: (o = {}) => issueToken(o).id,
    revokeTokens: () => {
      for (const id of tokens.keys()) if (id !== rootToken) tokens.delete(id);
    },
    addAppRole: (name, o = {}) => {
      const ns = getNs(o.namespace ?? '');
      const mount = normNs(o.mount ?? 'approle');
      const byId = ns.roles.get(mount) ?? new Map<string, Role>();
      ns.roles.set(mount, byId);
      const roleId = randomUUID();
      const secretId = randomUUID();
      const role: Role = {
        name,
        policies: [...(o.policies ?? [])],
        ttl: o.ttl ?? 3600,
        renewable: o.renewable ?? true,
        secretIds: new Set([secretId]),
      };
      byId.set(roleId, role);
      const names = ns.approleNames.get(mount) ?? new Map<string, Role>();
      names.set(name, role);
      ns.approleNames.set(mount, names);
      return { roleId, secretId };
    },
    addKubernetesRole: (name, jwt, o = {}) => {
      const ns = getNs(o.namespace ?? '');
      const mount = normNs(o.mount ?? 'kubernetes');
      const byName = ns.roles.get(mount) ?? new Map<string, Role>();
      ns.roles.set(mount, byName);
      byName.set(name, {
        name,
        policies: [...(o.policies ?? [])],
        ttl: o.ttl ?? 3600,
        renewable: o.renewable ?? true,
        secretIds: new Set(),
        jwt,
      });
    },
    stop: () => http.close(),
  };
}

interface ParsedReq {
  json: Record<string, unknown>;
  query: URLSearchParams;
}

/** RFC 7386 JSON merge patch (A.4 patch). */
function mergePatch(
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

/** A.4 subkeys: the map's structure with leaf values replaced by null. */
function subkeys(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    out[k] =
      v !== null && typeof v === 'object' && !Array.isArray(v) ? subkeys(v as Record<string, unknown>) : null;
  }
  return out;
}
