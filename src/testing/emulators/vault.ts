/**
 * A loopback HashiCorp Vault emulator, faithful enough that the real `node-vault` cannot tell it
 * from Vault for what secretsource uses. Each behaviour cites the point of
 * docs/protocols/vault.md section it implements. Test controls (seal, latency, faults, outage,
 * tokens, roles, policies) are methods on the returned object; the HTTP API also offers the
 * real admin endpoints (sys/mounts, sys/namespaces, sys/policies/acl, auth/approle/role) so a
 * test in another process can set up its own mount.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { selfSignedPems } from './tls.js';
import { type RawRequest, type RawResponse, startRawHttp } from './vault-http.js';
import {
  envelope,
  errors,
  handleV1,
  handleV2,
  type Mount,
  newMount,
  noContent,
  type ParsedReq,
  parseBool,
  parseDuration,
} from './vault-kv.js';

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
  /** Serve HTTPS with a self-signed certificate made at start (docs/protocols/vault.md#transport: real deployments use TLS). @default false */
  tls?: boolean;
  /** Mount the dev-mode `secret/` KV v2 engine in the root namespace. @default true */
  devMounts?: boolean;
}

/** A running emulator with its test controls. */
export interface VaultEmulator {
  /** `http://127.0.0.1:<port>` (`https://` with `tls`) */
  address: string;
  /** The PEM certificate to trust, with `tls`. */
  ca: string | undefined;
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
  /** Sets KV v2 engine config (docs/protocols/vault.md#kv-version-2 engine config). */
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
  /**
   * Writes secrets straight into a KV mount, as the root token would: a string is stored as
   * `{ value }` (how `hashicorpVault().set()` writes text), an object as the secret's map.
   * @example
   * await vault.seed({ 'app/jwt': key, 'app/db': { user: 'app', password: 'pw' } });
   */
  seed(
    secrets: Readonly<Record<string, string | Readonly<Record<string, string>>>>,
    options?: { mount?: string; namespace?: string },
  ): Promise<void>;
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

const DENIED_POLICY = '1 error occurred:\n\t* permission denied\n\n';

/** Normalises a namespace (header or path) to `a/b/` form; '' is root. */
function normNs(ns: string | undefined): string {
  const trimmed = (ns ?? '').replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

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

  // docs/protocols/vault.md#approle-and-kubernetes-logins: the auth block of a login or renew-self response.
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

  /** docs/protocols/vault.md#policies: policy check. Root passes; otherwise the longest matching rule decides, `deny` wins. */
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
      // docs/protocols/vault.md#approle-and-kubernetes-logins AppRole errors are 400 with these texts.
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
    // docs/protocols/vault.md#approle-and-kubernetes-logins: data is null, the token is in `auth`.
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
    // docs/protocols/vault.md#transport: every route is under /v1/; the path is the *decoded* URL path (#paths-are-decoded: %2F is a `/`).
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

    // docs/protocols/vault.md#verbs verbs → operations.
    let op: string;
    switch (raw.method) {
      case 'GET': {
        const list = query.get('list');
        if (list === null) op = 'read';
        else {
          const b = parseBool(list);
          if (b === undefined) return errors(400); // docs/protocols/vault.md#verbs: unparsable list= is 400 {"errors":[]}
          op = b ? 'list' : 'read';
        }
        break;
      }
      case 'LIST': // docs/protocols/vault.md#the-list-verb: the canonical list verb
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
        return errors(405); // docs/protocols/vault.md#verbs: anything else
    }
    let json: Record<string, unknown> = {};
    const form = (raw.headers['content-type'] ?? '')
      .toLowerCase()
      .startsWith('application/x-www-form-urlencoded');
    if (raw.body.length > 0 && form) {
      // docs/protocols/vault.md#verbs: form-encoded bodies are accepted too.
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
    // docs/protocols/vault.md#verbs: query params become request data for GET and DELETE.
    const req: ParsedReq = { json, query };

    // docs/protocols/vault.md#health-and-seal: health needs no token and reports seal state by status and body.
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
    // docs/protocols/vault.md#health-and-seal: while sealed every other endpoint answers 503.
    if (sealed) return errors(503, 'Vault is sealed');

    // docs/protocols/vault.md#namespaces: the namespace is a path prefix; find the longest registered one.
    let nsName = '';
    for (const name of namespaces.keys()) {
      if (fullPath.startsWith(name) && name.length > nsName.length) nsName = name;
    }
    const ns = namespaces.get(nsName)!;
    const path = fullPath.slice(nsName.length);

    // docs/protocols/vault.md#approle-and-kubernetes-logins: login paths are unauthenticated and answer in the request's namespace.
    const loginMatch = /^auth\/(.+)\/login$/.exec(path);
    if (loginMatch !== null && op === 'update') return login(ns, nsName, normNs(loginMatch[1]), req);

    // docs/protocols/vault.md#authentication: the token is checked before routing; missing, unknown or expired → 403.
    const bearer = /^Bearer (.+)$/.exec(raw.headers.authorization ?? '');
    const tokenId = raw.headers['x-vault-token'] ?? bearer?.[1];
    const token = tokenId === undefined ? undefined : tokens.get(tokenId);
    if (token === undefined || (token.expiresMs !== null && token.expiresMs <= Date.now())) {
      return errors(403, 'permission denied');
    }
    // docs/protocols/vault.md#namespaces: a token is scoped to its namespace and the namespaces below it.
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

    // docs/protocols/vault.md#paths-in-a-v2-mount path handling: longest mount prefix, else "no handler for route".
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

  const pems = options.tls ? await selfSignedPems('127.0.0.1', 1) : undefined;
  const http = await startRawHttp(
    handle,
    pems === undefined ? undefined : { key: pems.private, cert: pems.cert },
  );

  return {
    address: `${pems ? 'https' : 'http'}://127.0.0.1:${http.port}`,
    ca: pems?.cert,
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
    async seed(secrets, o = {}) {
      const mountName = (o.mount ?? 'secret').replace(/^\/+|\/+$/g, '');
      const mount = namespaces.get(normNs(o.namespace))?.mounts.get(`${mountName}/`);
      if (mount === undefined) throw new Error(`the emulator has no KV mount "${mountName}"`);
      for (const [name, value] of Object.entries(secrets)) {
        const data = typeof value === 'string' ? { value } : value;
        const encoded = name.split('/').map(encodeURIComponent).join('/');
        // Through the request handler, so a seed obeys every rule a client write does.
        const res = await handle({
          method: 'POST',
          target: `/v1/${mountName}/${mount.version === 2 ? 'data/' : ''}${encoded}`,
          headers: {
            'x-vault-token': rootToken,
            'content-type': 'application/json',
            ...(o.namespace ? { 'x-vault-namespace': o.namespace } : {}),
          },
          body: Buffer.from(JSON.stringify(mount.version === 2 ? { data } : data)),
        });
        if (res.status !== 200 && res.status !== 204) {
          throw new Error(`seeding "${name}" into the Vault emulator failed with HTTP ${res.status}`);
        }
      }
    },
    stop: () => http.close(),
  };
}
