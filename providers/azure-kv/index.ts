/**
 * `azureKeyVault()`: Azure Key Vault secrets through `@azure/keyvault-secrets` and `@azure/identity`,
 * both optional peers loaded on first use. One SecretClient per source (each new client costs an
 * extra 401 challenge round trip, PROTOCOLS B.8).
 */
import type { TokenCredential } from '@azure/identity';
import type {
  KeyVaultSecret,
  SecretClient,
  SecretClientOptions,
  SecretProperties,
} from '@azure/keyvault-secrets';
import {
  isSecretError,
  OperationUnsupportedError,
  SecretError,
  SecretNotFoundError,
  SourceError,
  toSecretError,
} from '../../src/core/errors.js';
import { printableName } from '../../src/core/names.js';
import { isSecret, Secret } from '../../src/core/secret.js';
import type {
  Capabilities,
  DeleteOptions,
  GetOptions,
  ListOptions,
  SecretMetadata,
  SecretRecord,
  SecretSource,
  SecretVersionInfo,
  SetOptions,
  SetResult,
} from '../../src/core/source.js';
import { loadPeer, once } from '../kit/peer.js';
import {
  AZURE_KEY_VAULT_NAME_RULE,
  checkAzureSecretName,
  fromAzureSecretName,
  toAzureSecretName,
} from './names.js';

const ID = 'azure-kv';

export {
  AZURE_KEY_VAULT_NAME_RULE,
  assertNoAzureNameCollisions,
  checkAzureSecretName,
  fromAzureSecretName,
  toAzureSecretName,
} from './names.js';

/** Options for {@link azureKeyVault}. */
export interface AzureKeyVaultOptions {
  /** The vault URL, e.g. `https://my-vault.vault.azure.net`. @default process.env.AZURE_KEY_VAULT_URL */
  vaultUrl?: string | undefined;
  /** How to authenticate. @default new DefaultAzureCredential() from `@azure/identity`, created on first use */
  credential?: TokenCredential | undefined;
  /** Passed to `new SecretClient()` unchanged (retryOptions, tlsOptions, proxyOptions, serviceVersion...). */
  clientOptions?: SecretClientOptions | undefined;
  /** A prebuilt SecretClient; `vaultUrl`, `credential` and `clientOptions` are then ignored. */
  client?: SecretClient | undefined;
  /** How often the delete and recover pollers ask the vault, in ms. @default 2000 */
  pollIntervalMs?: number | undefined;
  /**
   * What `set` does when the name is soft-deleted (409 ObjectIsDeletedButRecoverable): `'refuse'` throws
   * `ERR_SECRET_CONFLICT`; `'recover'` recovers the deleted secret, then writes a new version. Never purges.
   * @default 'refuse'
   */
  onDeletedConflict?: 'refuse' | 'recover' | undefined;
}

/** Key Vault's value limit (PROTOCOLS B.3). */
const MAX_VALUE_BYTES = 25 * 1024;

const CAPABILITIES: Capabilities = {
  read: true,
  write: true,
  delete: true,
  list: true,
  versions: true,
  batchGet: false,
  // Key Vault values are strings; bytes would need an encoding nobody else would know about.
  binary: false,
  tags: true,
  maxValueBytes: MAX_VALUE_BYTES,
  nameRule: AZURE_KEY_VAULT_NAME_RULE,
};

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

/** SDK options carry `abortSignal` only when there is one (exactOptionalPropertyTypes). */
const sig = (signal: AbortSignal | undefined): { abortSignal?: AbortSignal } =>
  signal === undefined ? {} : { abortSignal: signal };

/**
 * Creates an Azure Key Vault source (id `azure-kv`). Caller-side names are env-style and mapped with
 * {@link toAzureSecretName}; `list()` yields names mapped back with {@link fromAzureSecretName}.
 * @example
 * const kv = azureKeyVault({ vaultUrl: 'https://my-vault.vault.azure.net' });
 * const record = await kv.get('JWT_SECRET_KEY'); // reads the Key Vault secret "JWT-SECRET-KEY"
 */
export function azureKeyVault(options: AzureKeyVaultOptions = {}): SecretSource {
  const vaultUrl = options.vaultUrl ?? process.env.AZURE_KEY_VAULT_URL;
  const intervalInMs = options.pollIntervalMs ?? 2000;
  const onDeletedConflict = options.onDeletedConflict ?? 'refuse';

  const client = once(async (): Promise<SecretClient> => {
    if (options.client) return options.client;
    if (!vaultUrl) {
      throw new SourceError('ERR_SOURCE_MISCONFIGURED', `source "${ID}" has no vault URL`, {
        source: ID,
        hint: 'pass vaultUrl or set AZURE_KEY_VAULT_URL (https://<name>.vault.azure.net)',
      });
    }
    if (!URL.canParse(vaultUrl) || new URL(vaultUrl).protocol !== 'https:') {
      throw new SourceError('ERR_SOURCE_MISCONFIGURED', `source "${ID}" needs an https:// vault URL`, {
        source: ID,
        hint: 'the vault URL looks like https://<name>.vault.azure.net',
      });
    }
    const sdk = await loadPeer(ID, '@azure/keyvault-secrets', () => import('@azure/keyvault-secrets'));
    const credential =
      options.credential ??
      new (await loadPeer(ID, '@azure/identity', () => import('@azure/identity'))).DefaultAzureCredential();
    return new sdk.SecretClient(vaultUrl, credential, options.clientOptions);
  });

  /** Turns an SDK failure into a coded error; never copies its message, request or body. */
  function fail(err: unknown, action: string, name?: string): SecretError {
    const e = err as RestLike;
    const where = name === undefined ? '' : ` "${name}"`;
    const ctx = { source: ID, secretName: name, cause: err };
    const base = `${action}${where} failed in source "${ID}"`;
    if (isSecretError(err)) return err;
    if (e?.name === 'AbortError') return new SourceError('ERR_SOURCE_TIMEOUT', `${base}: aborted`, ctx);
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
      return new SourceError('ERR_SOURCE_ACCESS_DENIED', `${base}: access denied (${what || e.name})`, {
        ...ctx,
        hint: 'grant the identity a Key Vault data-plane role (see the README for the role each operation needs)',
      });
    }
    if (unavailable(err) || (inner && inner.length > 0 && inner.every(unavailable))) {
      return new SourceError('ERR_SOURCE_MISCONFIGURED', `${base}: no Azure credential is available`, {
        ...ctx,
        hint: 'sign in with `az login`, or set AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET, or use a managed identity',
      });
    }
    if (code !== undefined && TLS_TRUST_CODES.has(code)) {
      return new SourceError(
        'ERR_SOURCE_MISCONFIGURED',
        `${base}: the vault's TLS certificate is not trusted (${code})`,
        {
          ...ctx,
          hint: 'check the vault URL; for a private CA pass clientOptions.tlsOptions.ca or set NODE_EXTRA_CA_CERTS',
        },
      );
    }
    // The SDK's own check that the 401 challenge names a resource matching the vault host (PROTOCOLS B.2.4).
    if (
      status === undefined &&
      typeof e?.message === 'string' &&
      e.message.startsWith('The challenge resource')
    ) {
      return new SourceError(
        'ERR_SOURCE_MISCONFIGURED',
        `${base}: the vault's auth challenge does not match its host`,
        {
          ...ctx,
          hint: 'use the vault URL as Azure shows it (https://<name>.vault.azure.net)',
        },
      );
    }
    if (status === 409)
      return new SecretError('ERR_SECRET_CONFLICT', `${base}: conflict (${what})`, {
        ...ctx,
        retryable: true,
      });
    if (status === 400) {
      return new SourceError(
        'ERR_SOURCE_MISCONFIGURED',
        `${base}: the vault refused the request (${what})`,
        ctx,
      );
    }
    if (status === 408) return new SourceError('ERR_SOURCE_TIMEOUT', `${base}: timed out (${what})`, ctx);
    if (status === 429) {
      return new SourceError('ERR_SOURCE_UNAVAILABLE', `${base}: throttled (${what})`, {
        ...ctx,
        hint: 'Key Vault allows about 4,000 requests per 10 s per vault; cache reads (the resolver does)',
      });
    }
    if (status !== undefined && status >= 500)
      return new SourceError('ERR_SOURCE_UNAVAILABLE', `${base}: ${what}`, ctx);
    return toSecretError(err, { source: ID, action, ...(name === undefined ? {} : { secretName: name }) });
  }

  const innerCode = (err: unknown): string | undefined => (err as RestLike)?.details?.error?.innerError?.code;
  const status = (err: unknown): number | undefined => (err as RestLike)?.statusCode;

  function toRecord(name: string, s: KeyVaultSecret): SecretRecord {
    const p = s.properties;
    const now = Date.now();
    // Key Vault does not enforce exp/nbf on reads (PROTOCOLS B.6), so we do: an expired value is refused.
    if (p.expiresOn && p.expiresOn.getTime() <= now) {
      throw new SecretError(
        'ERR_SECRET_MALFORMED',
        `secret "${name}" in source "${ID}" expired on ${p.expiresOn.toISOString()}; refusing to use it`,
        { source: ID, secretName: name, hint: 'write a new version or move its expiry date' },
      );
    }
    if (p.notBefore && p.notBefore.getTime() > now) {
      throw new SecretError(
        'ERR_SECRET_MALFORMED',
        `secret "${name}" in source "${ID}" is not valid before ${p.notBefore.toISOString()}; refusing to use it`,
        { source: ID, secretName: name },
      );
    }
    return {
      name,
      value: new Secret(s.value ?? '', { name }),
      version: p.version,
      createdAt: p.createdOn,
      updatedAt: p.updatedOn,
      tags: p.tags ? { ...p.tags } : undefined,
      contentType: p.contentType,
    };
  }

  function toMetadata(p: SecretProperties): SecretMetadata {
    return {
      name: fromAzureSecretName(p.name),
      version: p.version,
      createdAt: p.createdOn,
      updatedAt: p.updatedOn,
      tags: p.tags ? { ...p.tags } : undefined,
      contentType: p.contentType,
    };
  }

  async function exists(
    c: SecretClient,
    storeName: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<boolean> {
    try {
      await c.getSecret(storeName, sig(signal));
      return true;
    } catch (err) {
      if (status(err) === 404) return false;
      if (innerCode(err) === 'SecretDisabled') return true;
      throw fail(err, 'set', name);
    }
  }

  async function recover(
    c: SecretClient,
    storeName: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<void> {
    try {
      const poller = await c.beginRecoverDeletedSecret(storeName, { intervalInMs, ...sig(signal) });
      await poller.pollUntilDone();
    } catch (err) {
      throw fail(err, 'recover', name);
    }
  }

  async function put(name: string, value: string, opts: SetOptions): Promise<SetResult> {
    const storeName = checkAzureSecretName(name);
    const c = await client();
    const existed = await exists(c, storeName, name, opts.signal);
    if (existed && opts.ifAbsent) {
      throw new SecretError('ERR_SECRET_CONFLICT', `secret "${name}" already exists in source "${ID}"`, {
        source: ID,
        secretName: name,
      });
    }
    const sdkOptions = {
      ...(opts.tags ? { tags: { ...opts.tags } } : {}),
      ...(opts.contentType !== undefined ? { contentType: opts.contentType } : {}),
      ...sig(opts.signal),
    };
    let recovered = false;
    // One recover, then a few retries while the vault finishes it (409 ObjectIsBeingRecovered, B.7).
    for (let attempt = 0; ; attempt++) {
      try {
        const s = await c.setSecret(storeName, value, sdkOptions);
        if (opts.contentType !== undefined && s.properties.contentType !== opts.contentType) {
          // @azure/keyvault-secrets 4.10–4.11 silently drop contentType (PROTOCOLS B.8).
          throw new SourceError(
            'ERR_SOURCE_MISCONFIGURED',
            `set "${name}" in source "${ID}" lost its content type`,
            {
              source: ID,
              secretName: name,
              hint: 'the installed @azure/keyvault-secrets drops contentType (4.10-4.11); use 4.9 or >= 4.12',
            },
          );
        }
        return { version: s.properties.version, created: !existed && !recovered };
      } catch (err) {
        const inner = innerCode(err);
        if (inner === 'ObjectIsDeletedButRecoverable' && !recovered) {
          // ifAbsent never recovers: the name is taken by a secret that can come back.
          if (onDeletedConflict !== 'recover' || opts.ifAbsent) {
            throw new SecretError(
              'ERR_SECRET_CONFLICT',
              `secret "${name}" is soft-deleted in source "${ID}"`,
              {
                source: ID,
                secretName: name,
                cause: err,
                hint: "recover it (option onDeletedConflict: 'recover') or purge it (delete with force: true) first",
              },
            );
          }
          await recover(c, storeName, name, opts.signal);
          recovered = true;
          continue;
        }
        if ((inner === 'ObjectIsBeingRecovered' || inner === 'ObjectIsBeingDeleted') && attempt < 5) {
          await new Promise((r) => setTimeout(r, intervalInMs));
          continue;
        }
        throw fail(err, 'set', name);
      }
    }
  }

  return {
    id: ID,
    capabilities: CAPABILITIES,
    toStoreName: toAzureSecretName,
    fromStoreName: fromAzureSecretName,

    async get(name: string, opts: GetOptions = {}): Promise<SecretRecord | undefined> {
      const storeName = checkAzureSecretName(name);
      const version = opts.version;
      const versionMissing = () =>
        new SecretNotFoundError(
          `version "${printableName(version)}" of secret "${name}" was not found in source "${ID}"`,
          {
            source: ID,
            secretName: name,
            version: true,
          },
        );
      // Version ids are 32 hex characters (B.3); anything else cannot exist and must not reach the URL.
      if (version !== undefined && !VERSION_ID.test(version)) throw versionMissing();
      const c = await client();
      let s: KeyVaultSecret;
      try {
        s = await c.getSecret(storeName, {
          ...(version === undefined ? {} : { version }),
          ...sig(opts.signal),
        });
      } catch (err) {
        if (status(err) === 404) {
          if (version === undefined) return undefined;
          throw versionMissing();
        }
        if (innerCode(err) === 'SecretDisabled') {
          throw new SourceError(
            'ERR_SOURCE_ACCESS_DENIED',
            `secret "${name}"${version ? ` version "${version}"` : ''} is disabled in source "${ID}"`,
            {
              source: ID,
              secretName: name,
              cause: err,
              hint: 'enable it: az keyvault secret set-attributes --enabled true',
            },
          );
        }
        throw fail(err, 'get', name);
      }
      return toRecord(name, s);
    },

    async *list(opts: ListOptions = {}): AsyncIterable<SecretMetadata> {
      const c = await client();
      const maxPageSize =
        opts.pageSize === undefined ? undefined : Math.min(25, Math.max(1, Math.floor(opts.pageSize)));
      // The SDK's page iterator follows nextLink through the service's empty pages (B.5).
      const pages = c.listPropertiesOfSecrets(sig(opts.signal)).byPage(maxPageSize ? { maxPageSize } : {});
      try {
        for await (const page of pages) {
          for (const p of page) {
            const meta = toMetadata(p);
            if (opts.prefix === undefined || meta.name.startsWith(opts.prefix)) yield meta;
          }
        }
      } catch (err) {
        throw fail(err, 'list');
      }
    },

    async set(name: string, value: string | Uint8Array | Secret, opts: SetOptions = {}): Promise<SetResult> {
      if (value instanceof Uint8Array || (isSecret(value) && value.isBinary)) {
        throw new OperationUnsupportedError(ID, 'binary values', { secretName: name });
      }
      const text = isSecret(value) ? value.reveal() : value;
      if (Buffer.byteLength(text, 'utf8') > MAX_VALUE_BYTES) {
        throw new SecretError(
          'ERR_SECRET_MALFORMED',
          `secret "${name}" is larger than Key Vault's 25 KB limit`,
          {
            source: ID,
            secretName: name,
          },
        );
      }
      return put(name, text, opts);
    },

    async delete(name: string, opts: DeleteOptions = {}): Promise<boolean> {
      const storeName = checkAzureSecretName(name);
      const c = await client();
      let deleted = true;
      try {
        // The poller waits until the vault shows the secret as deleted (B.7, B.8), so a purge or a
        // re-create right after sees a settled state.
        const poller = await c.beginDeleteSecret(storeName, { intervalInMs, ...sig(opts.signal) });
        await poller.pollUntilDone();
      } catch (err) {
        if (status(err) !== 404) throw fail(err, 'delete', name);
        deleted = false;
      }
      if (!opts.force) return deleted;
      try {
        await c.purgeDeletedSecret(storeName, sig(opts.signal));
        return true;
      } catch (err) {
        // Not in the deleted state either: nothing to purge (a vault without soft delete lands here too).
        if (status(err) === 404) return deleted;
        throw fail(err, 'purge', name);
      }
    },

    async *versions(
      name: string,
      opts: { signal?: AbortSignal | undefined } = {},
    ): AsyncIterable<SecretVersionInfo> {
      const storeName = checkAzureSecretName(name);
      const c = await client();
      const all: SecretProperties[] = [];
      try {
        for await (const p of c.listPropertiesOfSecretVersions(storeName, sig(opts.signal))) all.push(p);
      } catch (err) {
        throw fail(err, 'versions', name);
      }
      // The service does not document the order (B.5): sort by creation time, newest first; for equal
      // (one-second) times, later in the listing counts as newer.
      const ordered = all
        .map((p, i) => ({ p, i }))
        .sort((a, b) => (b.p.createdOn?.getTime() ?? 0) - (a.p.createdOn?.getTime() ?? 0) || b.i - a.i);
      for (const [i, { p }] of ordered.entries()) {
        if (!p.version) continue;
        yield { version: p.version, createdAt: p.createdOn, current: i === 0, enabled: p.enabled !== false };
      }
    },

    async close(): Promise<void> {
      // SecretClient holds no sockets of its own beyond Node's agent; nothing to release.
    },
  };
}
