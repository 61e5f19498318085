/**
 * `azureKeyVault()`: Azure Key Vault secrets through `@azure/keyvault-secrets` and `@azure/identity`,
 * both optional peers loaded on first use. One SecretClient per source (each new client costs an
 * extra 401 challenge round trip, docs/protocols/azure-key-vault.md#authentication-challenge), on a keep-alive agent the source owns (closed by
 * `close()`), with every call under the kit's guard and every answer read within a size cap.
 */
import { Agent } from 'node:https';
import type {
  KeyVaultSecret,
  SecretClient,
  SecretClientOptions,
  SecretProperties,
} from '@azure/keyvault-secrets';
import { isSecretError, type SecretError, toSecretError } from '../../src/core/errors.js';
import { printableName } from '../../src/core/names.js';
import type { Secret } from '../../src/core/secret.js';
import type {
  DeleteOptions,
  GetOptions,
  ListOptions,
  RevokeOptions,
  SecretMetadata,
  SecretRecord,
  SecretSource,
  SecretVersionInfo,
  SetOptions,
  SetResult,
  VersionsOptions,
} from '../../src/core/source.js';
import { capabilities } from '../kit/capabilities.js';
import { type CallSite, callError, versionNotFound } from '../kit/errors.js';
import { type CallLimits, callLimits, guarded } from '../kit/guard.js';
import { isRedirect, redirectRefused, transportFailure } from '../kit/http.js';
import { listingBudget } from '../kit/pager.js';
import { lazyPeer, once } from '../kit/peer.js';
import { readValue, writeValue } from '../kit/value.js';
import {
  AZURE_KEY_VAULT_NAME_RULE,
  checkAzureSecretName,
  fromAzureSecretName,
  toAzureSecretName,
} from './names.js';
import { bodyCapPolicy } from './transport.js';

export type { CallLimits } from '../kit/guard.js';

/**
 * A credential `SecretClient` accepts (`@azure/core-auth`'s `TokenCredential`), named through the
 * SDK's own constructor so these declarations never load `@azure/identity`'s types (and MSAL's,
 * which need the DOM lib) into an app that does not import it itself.
 */
export type AzureTokenCredential = ConstructorParameters<typeof SecretClient>[1];

export {
  AZURE_KEY_VAULT_NAME_RULE,
  assertNoAzureNameCollisions,
  checkAzureSecretName,
  fromAzureSecretName,
  toAzureSecretName,
} from './names.js';

/** Options for {@link azureKeyVault}. */
export interface AzureKeyVaultOptions extends CallLimits {
  /** Source id, for more than one Key Vault in a resolver. @default 'azure-kv' */
  id?: string | undefined;
  /** The vault URL, e.g. `https://my-vault.vault.azure.net`. @default process.env.AZURE_KEY_VAULT_URL */
  vaultUrl?: string | undefined;
  /** How to authenticate. @default new DefaultAzureCredential() from `@azure/identity`, created on first use */
  credential?: AzureTokenCredential | undefined;
  /**
   * Passed to `new SecretClient()` (retryOptions, tlsOptions, proxyOptions, serviceVersion...). The
   * source adds its own agent (with `tlsOptions`), unless `agent` is given, and a size cap on answers.
   */
  clientOptions?: SecretClientOptions | undefined;
  /** A prebuilt SecretClient; `vaultUrl`, `credential` and `clientOptions` are then ignored. */
  client?: SecretClient | undefined;
  /** How often the delete and recover pollers ask the vault, in ms. @default 2000 */
  pollIntervalMs?: number | undefined;
  /** Longest a delete or recover may wait for the vault to finish it. @default 60000 */
  pollTimeoutMs?: number | undefined;
  /**
   * What `set` does when the name is soft-deleted (409 ObjectIsDeletedButRecoverable): `'refuse'` throws
   * `ERR_SECRET_CONFLICT`; `'recover'` recovers the deleted secret, then writes a new version. Never purges.
   * @default 'refuse'
   */
  onDeletedConflict?: 'refuse' | 'recover' | undefined;
}

/** Key Vault's value limit (docs/protocols/azure-key-vault.md#limits). */
const MAX_VALUE_BYTES = 25 * 1024;

const CAPABILITIES = capabilities({
  write: true,
  delete: true,
  list: true,
  versions: true,
  revoke: true,
  // Key Vault values are strings; bytes would need an encoding nobody else would know about.
  tags: true,
  maxValueBytes: MAX_VALUE_BYTES,
  nameRule: AZURE_KEY_VAULT_NAME_RULE,
});

interface RestLike {
  name?: string;
  statusCode?: number;
  code?: string;
  message?: string;
  details?: { error?: { innerError?: { code?: string } } };
}

const VERSION_ID = /^[0-9a-fA-F]{32}$/;

/** Node TLS error codes that mean "this certificate is not trusted", a setup problem rather than an outage. */
const TLS_TRUST_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const FACTS = Symbol('azure-facts');

/** The SDK error's status and inner code, kept on the mapped error for branching (never for messages). */
function factsOf(err: unknown): { status?: number | undefined; inner?: string | undefined } {
  return (typeof err === 'object' && err !== null && (err as Record<symbol, object>)[FACTS]) || {};
}

/** Turns an SDK failure into a coded error; never copies its message, request or body. */
function mapAzureError(err: unknown, site: CallSite): SecretError {
  if (isSecretError(err)) return err;
  const refused = transportFailure(err, site);
  if (refused) return refused;
  const e = err as RestLike;
  const base = { cause: err };
  if (e?.name === 'AbortError') return callError('ERR_ABORTED', site, 'aborted', base);
  const status = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  const code = typeof e?.code === 'string' && /^[\w.-]{1,60}$/.test(e.code) ? e.code : undefined;
  const what = [status, code].filter((x) => x !== undefined).join(' ');
  // DefaultAzureCredential throws an aggregate of what each credential in its chain said.
  const inner =
    e?.name === 'AggregateAuthenticationError' ? (err as { errors?: unknown[] }).errors : undefined;
  const unavailable = (x: unknown) => (x as RestLike)?.name === 'CredentialUnavailableError';
  if (
    status === 401 ||
    status === 403 ||
    e?.name === 'AuthenticationError' ||
    e?.name === 'AuthenticationRequiredError' ||
    (inner && !inner.every(unavailable))
  ) {
    return callError('ERR_SOURCE_ACCESS_DENIED', site, `access denied (${what || e.name})`, {
      ...base,
      hint: 'grant the identity a Key Vault data-plane role (docs/providers/azure-kv.md lists the role each operation needs)',
    });
  }
  if (unavailable(err) || (inner && inner.length > 0 && inner.every(unavailable))) {
    return callError('ERR_SOURCE_MISCONFIGURED', site, 'no Azure credential is available', {
      ...base,
      hint: 'sign in with `az login`, or set AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET, or use a managed identity',
    });
  }
  if (code !== undefined && TLS_TRUST_CODES.has(code)) {
    return callError(
      'ERR_SOURCE_MISCONFIGURED',
      site,
      `the vault's TLS certificate is not trusted (${code})`,
      {
        ...base,
        hint: 'check the vault URL; for a private CA pass clientOptions.tlsOptions.ca or set NODE_EXTRA_CA_CERTS',
      },
    );
  }
  // The SDK's own check that the 401 challenge names a resource matching the vault host (docs/protocols/azure-key-vault.md#resource-verification).
  if (
    status === undefined &&
    typeof e?.message === 'string' &&
    e.message.startsWith('The challenge resource')
  ) {
    return callError('ERR_SOURCE_MISCONFIGURED', site, "the vault's auth challenge does not match its host", {
      ...base,
      hint:
        'use the vault URL as Azure shows it (https://<name>.vault.azure.net); a test vault on a loopback host needs ' +
        'clientOptions.disableChallengeResourceVerification (CLI: SECRETSOURCE_TEST_ONLY_AZURE_KV_SKIP_CHALLENGE_CHECK=1), never in production',
    });
  }
  // The SDK follows a redirect only within the vault's origin; any other comes back here.
  if (isRedirect(status)) return redirectRefused(site, status);
  if (status === 409)
    return callError('ERR_SECRET_CONFLICT', site, `conflict (${what})`, { ...base, retryable: true });
  if (status === 400)
    return callError('ERR_SOURCE_MISCONFIGURED', site, `the vault refused the request (${what})`, base);
  if (status === 408) return callError('ERR_SOURCE_TIMEOUT', site, `timed out (${what})`, base);
  if (status === 429) {
    return callError('ERR_SOURCE_UNAVAILABLE', site, `throttled (${what})`, {
      ...base,
      hint: 'Key Vault allows about 4,000 requests per 10 s per vault; cache reads (the resolver does)',
    });
  }
  if (status !== undefined && status >= 500) return callError('ERR_SOURCE_UNAVAILABLE', site, what, base);
  return toSecretError(err, {
    source: site.source,
    action: site.action,
    ...(site.name === undefined ? {} : { secretName: site.name }),
  });
}

/**
 * Creates an Azure Key Vault source (id `azure-kv`). Caller-side names are env-style and mapped with
 * {@link toAzureSecretName}; `list()` yields names mapped back with {@link fromAzureSecretName}.
 * Every call is bounded by `timeoutMs` (deletes and recovers by `pollTimeoutMs`) and cancelled on
 * the caller's abort.
 * @example
 * const kv = azureKeyVault({ vaultUrl: 'https://my-vault.vault.azure.net' });
 * const record = await kv.get('JWT_SECRET_KEY'); // reads the Key Vault secret "JWT-SECRET-KEY"
 */
export function azureKeyVault(options: AzureKeyVaultOptions = {}): SecretSource {
  const id = options.id ?? 'azure-kv';
  const vaultUrl = options.vaultUrl ?? process.env.AZURE_KEY_VAULT_URL;
  const intervalInMs = options.pollIntervalMs ?? 2000;
  const onDeletedConflict = options.onDeletedConflict ?? 'refuse';
  // A page of 25 secrets' metadata, or one 25 KB value, with room to spare.
  const limits = callLimits(options, 1024 * 1024);
  const pollTimeoutMs = callLimits({ timeoutMs: options.pollTimeoutMs ?? 60_000 }).timeoutMs;
  const keyVaultSdk = lazyPeer(id, '@azure/keyvault-secrets', () => import('@azure/keyvault-secrets'));
  const identitySdk = lazyPeer(id, '@azure/identity', () => import('@azure/identity'));
  let agent: Agent | undefined;
  const check = (name: string) => checkAzureSecretName(name, id);
  // The vault URL's origin only (no path or query); a prebuilt client's vault is not known here.
  const location =
    options.client === undefined && vaultUrl && URL.canParse(vaultUrl) ? new URL(vaultUrl).origin : undefined;
  const at = (action: string, name?: string): CallSite => ({ source: id, action, name, where: location });

  const build = async (): Promise<SecretClient> => {
    if (options.client) return options.client;
    if (!vaultUrl) {
      throw callError('ERR_SOURCE_MISCONFIGURED', at('connect'), 'no vault URL is set', {
        hint: 'pass vaultUrl or set AZURE_KEY_VAULT_URL (https://<name>.vault.azure.net)',
      });
    }
    if (!URL.canParse(vaultUrl) || new URL(vaultUrl).protocol !== 'https:') {
      throw callError('ERR_SOURCE_MISCONFIGURED', at('connect'), 'the vault URL must be https://', {
        hint: 'the vault URL looks like https://<name>.vault.azure.net',
      });
    }
    const sdk = await keyVaultSdk();
    const credential = options.credential ?? new (await identitySdk()).DefaultAzureCredential();
    const given = options.clientOptions ?? {};
    if (given.agent === undefined) agent = new Agent({ keepAlive: true, ...given.tlsOptions });
    return new sdk.SecretClient(vaultUrl, credential, {
      ...given,
      ...(agent === undefined ? {} : { agent }),
      additionalPolicies: [
        ...(given.additionalPolicies ?? []),
        { policy: bodyCapPolicy(limits.maxResponseBytes), position: 'perRetry' },
      ],
    });
  };
  let client = once(build);

  /** One SDK call under the guard; failures mapped to coded errors. */
  async function call<T>(
    site: CallSite,
    signal: AbortSignal | undefined,
    run: (c: SecretClient, abortSignal: AbortSignal) => Promise<T>,
    timeoutMs = limits.timeoutMs,
  ): Promise<T> {
    try {
      const c = await client();
      return await guarded(site, timeoutMs, signal, (s) => run(c, s));
    } catch (err) {
      const mapped = mapAzureError(err, site);
      const e = err as RestLike;
      const facts = { status: e?.statusCode, inner: e?.details?.error?.innerError?.code };
      if (mapped !== err)
        Object.defineProperty(mapped, FACTS, { value: facts, enumerable: false, configurable: true });
      throw mapped;
    }
  }

  /** Yields what a paged SDK listing returns, each page one guarded call within the listing's bounds. */
  async function* paged<T>(
    site: CallSite,
    signal: AbortSignal | undefined,
    open: (
      c: SecretClient,
      abortSignal: AbortSignal,
    ) => AsyncIterableIterator<T[] & { continuationToken?: string }>,
  ): AsyncGenerator<T> {
    const budget = listingBudget(site, limits);
    // The SDK takes one signal for the whole listing: each page's guard aborts it on its way out.
    const listing = new AbortController();
    const pages = await call(site, signal, async (c) => open(c, listing.signal));
    try {
      for (;;) {
        const next = await budget.page((ms) =>
          call(
            site,
            signal,
            (_c, s) => {
              const stop = () => listing.abort(s.reason);
              s.addEventListener('abort', stop, { once: true });
              return pages.next().finally(() => s.removeEventListener('abort', stop));
            },
            ms,
          ),
        );
        if (next.done) return;
        yield* next.value;
        budget.token(next.value.continuationToken);
      }
    } finally {
      listing.abort();
    }
  }

  /** Key Vault does not enforce exp/nbf on reads (docs/protocols/azure-key-vault.md#errors), so we do. */
  function toRecord(name: string, s: KeyVaultSecret): SecretRecord {
    const p = s.properties;
    const now = Date.now();
    if (p.expiresOn && p.expiresOn.getTime() <= now) {
      throw callError(
        'ERR_SECRET_EXPIRED',
        at('read', name),
        `expired on ${p.expiresOn.toISOString()}; refusing to use it`,
        {
          hint: 'write a new version or move its expiry date',
        },
      );
    }
    if (p.notBefore && p.notBefore.getTime() > now) {
      throw callError(
        'ERR_SECRET_NOT_YET_VALID',
        at('read', name),
        `not valid before ${p.notBefore.toISOString()}; refusing to use it`,
        {
          hint: 'wait for its activation date, or move it',
        },
      );
    }
    return {
      name,
      value: readValue(at('read', name), s.value ?? '', MAX_VALUE_BYTES),
      version: p.version,
      createdAt: p.createdOn,
      updatedAt: p.updatedOn,
      tags: p.tags ? { ...p.tags } : undefined,
      contentType: p.contentType,
    };
  }

  function toMetadata(p: SecretProperties): SecretMetadata {
    return {
      name: fromAzureSecretName(p.name, id),
      version: p.version,
      createdAt: p.createdOn,
      updatedAt: p.updatedOn,
      tags: p.tags ? { ...p.tags } : undefined,
      contentType: p.contentType,
    };
  }

  async function exists(storeName: string, name: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await call(at('write', name), signal, (c, abortSignal) => c.getSecret(storeName, { abortSignal }));
      return true;
    } catch (err) {
      const { status, inner } = factsOf(err);
      if (status === 404) return false;
      if (inner === 'SecretDisabled') return true;
      throw err;
    }
  }

  /** Starts an operation the vault finishes later (delete, recover) and waits for it, within `pollTimeoutMs`. */
  function poll(
    site: CallSite,
    signal: AbortSignal | undefined,
    begin: (
      c: SecretClient,
      abortSignal: AbortSignal,
    ) => Promise<{ pollUntilDone(o?: { abortSignal?: AbortSignal }): Promise<unknown> }>,
  ): Promise<unknown> {
    return call(
      site,
      signal,
      async (c, abortSignal) => (await begin(c, abortSignal)).pollUntilDone({ abortSignal }),
      pollTimeoutMs,
    );
  }

  /** Waits `ms`, or rejects as soon as the caller aborts. */
  function pause(ms: number, site: CallSite, signal: AbortSignal | undefined): Promise<void> {
    return guarded(
      site,
      ms + limits.timeoutMs,
      signal,
      (s) =>
        new Promise<void>((resolve) => {
          const t = setTimeout(resolve, ms);
          s.addEventListener('abort', () => clearTimeout(t), { once: true });
        }),
    );
  }

  async function put(name: string, value: string, opts: SetOptions): Promise<SetResult> {
    const storeName = check(name);
    const site = at('write', name);
    const existed = await exists(storeName, name, opts.signal);
    if (existed && opts.ifAbsent)
      throw callError('ERR_SECRET_CONFLICT', site, 'refused: the name already exists');
    const sdkOptions = {
      ...(opts.tags ? { tags: { ...opts.tags } } : {}),
      ...(opts.contentType !== undefined ? { contentType: opts.contentType } : {}),
    };
    let recovered = false;
    // One recover, then a few retries while the vault finishes it (409 ObjectIsBeingRecovered, docs/protocols/azure-key-vault.md#soft-delete).
    for (let attempt = 0; ; attempt++) {
      try {
        const s = await call(site, opts.signal, (c, abortSignal) =>
          c.setSecret(storeName, value, { ...sdkOptions, abortSignal }),
        );
        if (opts.contentType !== undefined && s.properties.contentType !== opts.contentType) {
          // @azure/keyvault-secrets 4.10.0–4.11.1 silently drop contentType (docs/protocols/azure-key-vault.md#known-sdk-bugs).
          throw callError('ERR_SOURCE_MISCONFIGURED', site, 'the content type was lost', {
            hint: 'the installed @azure/keyvault-secrets drops contentType (4.10.0 to 4.11.1); use 4.9.0 or >= 4.11.2',
          });
        }
        return { version: s.properties.version, created: !existed && !recovered };
      } catch (err) {
        const { inner } = factsOf(err);
        if (inner === 'ObjectIsDeletedButRecoverable' && !recovered) {
          // ifAbsent never recovers: the name is taken by a secret that can come back.
          if (onDeletedConflict !== 'recover' || opts.ifAbsent) {
            throw callError('ERR_SECRET_CONFLICT', site, 'the name is held by a soft-deleted secret', {
              cause: (err as SecretError).cause,
              hint: "recover it (option onDeletedConflict: 'recover') or purge it (delete with force: true) first",
            });
          }
          await poll(at('recover', name), opts.signal, (c, abortSignal) =>
            c.beginRecoverDeletedSecret(storeName, { intervalInMs, abortSignal }),
          );
          recovered = true;
          continue;
        }
        if ((inner === 'ObjectIsBeingRecovered' || inner === 'ObjectIsBeingDeleted') && attempt < 5) {
          await pause(intervalInMs, site, opts.signal);
          continue;
        }
        throw err;
      }
    }
  }

  async function get(name: string, opts: GetOptions = {}): Promise<SecretRecord | undefined> {
    const storeName = check(name);
    const site = at('read', name);
    const version = opts.version;
    // Version ids are 32 hex characters (docs/protocols/azure-key-vault.md#versions-and-times); anything else cannot exist and must not reach the URL.
    if (version !== undefined && !VERSION_ID.test(version)) throw versionNotFound(site, version);
    let s: KeyVaultSecret;
    try {
      s = await call(site, opts.signal, (c, abortSignal) =>
        c.getSecret(storeName, { ...(version === undefined ? {} : { version }), abortSignal }),
      );
    } catch (err) {
      const { status, inner } = factsOf(err);
      if (status === 404) {
        if (version === undefined) return undefined;
        throw versionNotFound(site, version);
      }
      if (inner === 'SecretDisabled') {
        throw callError(
          'ERR_SOURCE_ACCESS_DENIED',
          site,
          `${version ? `version "${printableName(version)}" ` : ''}is disabled`,
          {
            cause: (err as SecretError).cause,
            hint: 'enable it: az keyvault secret set-attributes --enabled true',
          },
        );
      }
      throw err;
    }
    return toRecord(name, s);
  }

  async function* list(opts: ListOptions = {}): AsyncIterable<SecretMetadata> {
    const maxPageSize =
      opts.pageSize === undefined ? undefined : Math.min(25, Math.max(1, Math.floor(opts.pageSize)));
    // The SDK's page iterator follows nextLink through the service's empty pages (docs/protocols/azure-key-vault.md#paging).
    const pages = paged<SecretProperties>(at('list'), opts.signal, (c, abortSignal) =>
      c.listPropertiesOfSecrets({ abortSignal }).byPage(maxPageSize ? { maxPageSize } : {}),
    );
    for await (const p of pages) {
      const meta = toMetadata(p);
      if (opts.prefix === undefined || meta.name.startsWith(opts.prefix)) yield meta;
    }
  }

  async function set(
    name: string,
    value: string | Uint8Array | Secret,
    opts: SetOptions = {},
  ): Promise<SetResult> {
    const text = writeValue(at('write', name), value, CAPABILITIES) as string;
    return put(name, text, opts);
  }

  async function remove(name: string, opts: DeleteOptions = {}): Promise<boolean> {
    const storeName = check(name);
    let deleted = true;
    try {
      // The poller waits until the vault shows the secret as deleted (docs/protocols/azure-key-vault.md#soft-delete, #pollers), so a purge or a
      // re-create right after sees a settled state.
      await poll(at('delete', name), opts.signal, (c, abortSignal) =>
        c.beginDeleteSecret(storeName, { intervalInMs, abortSignal }),
      );
    } catch (err) {
      if (factsOf(err).status !== 404) throw err;
      deleted = false;
    }
    if (!opts.force) return deleted;
    try {
      await call(at('purge', name), opts.signal, (c, abortSignal) =>
        c.purgeDeletedSecret(storeName, { abortSignal }),
      );
      return true;
    } catch (err) {
      // Not in the deleted state either: nothing to purge (a vault without soft delete lands here too).
      if (factsOf(err).status === 404) return deleted;
      throw err;
    }
  }

  /** Every version's properties, in the service's order. */
  async function versionProperties(
    name: string,
    action: string,
    signal?: AbortSignal,
  ): Promise<SecretProperties[]> {
    const storeName = check(name);
    const all: SecretProperties[] = [];
    const pages = paged<SecretProperties>(at(action, name), signal, (c, abortSignal) =>
      c.listPropertiesOfSecretVersions(storeName, { abortSignal }).byPage(),
    );
    for await (const p of pages) all.push(p);
    return all;
  }

  async function* versions(name: string, opts: VersionsOptions = {}): AsyncIterable<SecretVersionInfo> {
    const all = await versionProperties(name, 'list versions of', opts.signal);
    // The service does not document the order (docs/protocols/azure-key-vault.md#paging): sort by creation time, newest first; for equal
    // (one-second) times, later in the listing counts as newer.
    const ordered = all
      .map((p, i) => ({ p, i }))
      .sort((a, b) => (b.p.createdOn?.getTime() ?? 0) - (a.p.createdOn?.getTime() ?? 0) || b.i - a.i);
    for (const [i, { p }] of ordered.entries()) {
      if (!p.version) continue;
      yield { version: p.version, createdAt: p.createdOn, current: i === 0, enabled: p.enabled !== false };
    }
  }

  /**
   * Revokes in Key Vault's terms: every enabled version created before `keep` (or in the same
   * second: creation times have one-second precision) is disabled, and reads of it are refused.
   */
  async function revokeVersions(name: string, keep: string, opts: RevokeOptions = {}): Promise<string[]> {
    const site = at('revoke versions of', name);
    let all: SecretProperties[];
    try {
      all = await versionProperties(name, 'revoke versions of', opts.signal);
    } catch (err) {
      if (factsOf(err).status !== 404) throw err;
      all = [];
    }
    const kept = all.find((p) => p.version === keep);
    if (kept === undefined) {
      if (all.length === 0) throw callError('ERR_SECRET_NOT_FOUND', site, 'no such secret');
      throw versionNotFound(site, keep);
    }
    const line = kept.createdOn?.getTime() ?? Number.POSITIVE_INFINITY;
    const older = all.filter(
      (p) => p.version && p.version !== keep && p.enabled !== false && (p.createdOn?.getTime() ?? 0) <= line,
    );
    const storeName = check(name);
    for (const p of older) {
      await call(site, opts.signal, (c, abortSignal) =>
        c.updateSecretProperties(storeName, p.version!, { enabled: false, abortSignal }),
      );
    }
    return older.map((p) => p.version!);
  }

  return {
    id,
    location,
    capabilities: CAPABILITIES,
    toStoreName: (name) => toAzureSecretName(name, id),
    get,
    list,
    set,
    delete: remove,
    versions,
    revokeVersions,
    async close(): Promise<void> {
      // The agent is the source's own: closing it closes every socket it kept alive.
      agent?.destroy();
      agent = undefined;
      client = once(build);
    },
  };
}
