/**
 * The one caller and the one pager both AWS providers use: the SDK and the client loaded once on
 * the first call, every command sent through the kit's call guard with the guard's signal as the
 * SDK's `abortSignal`, every failure mapped to a coded error that keeps the SDK's error name
 * reachable (for branching, never for messages).
 */
import type { Readable } from 'node:stream';
import type { SecretError } from '../../src/core/errors.js';
import { validateName } from '../../src/core/names.js';
import type { NameRule } from '../../src/core/source.js';
import type { CallSite } from '../kit/errors.js';
import { type CallLimits, callLimits, guarded, type Limits } from '../kit/guard.js';
import { capStream, transportFailure } from '../kit/http.js';
import { pages } from '../kit/pager.js';
import { lazyPeer, once } from '../kit/peer.js';
import {
  type AwsClientConfig,
  type AwsConnectionOptions,
  type AwsService,
  awsClientConfig,
  awsLocation,
} from './config.js';
import { awsErrorName, mapAwsError } from './errors.js';

/** What every command is sent with: the guard's signal, so the SDK cancels the real request. */
export interface SendOptions {
  abortSignal: AbortSignal;
}

/** The part of an SDK v3 client the caller needs. */
export interface AwsClientLike {
  destroy(): void;
  middlewareStack: { add(middleware: unknown, options: unknown): void };
}

/**
 * Reads every raw answer through the kit's size cap. Placed inside the deserializer (step
 * `deserialize`, low priority), so the SDK collects the capped stream, and a refused answer is not
 * retried (it is neither throttling nor a transient fault).
 */
function capAnswers(client: AwsClientLike, maxBytes: number): void {
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<{ response?: { body?: unknown } }>) => async (args: unknown) => {
      const out = await next(args);
      const body = out.response?.body as Readable | undefined;
      if (out.response && body && typeof body.pipe === 'function')
        out.response.body = capStream(body, maxBytes);
      return out;
    },
    { step: 'deserialize', priority: 'low', name: 'secretsourceAnswerCap' },
  );
}

/** Each AWS service's default source id and SDK package. */
const SERVICES = {
  // A batch of 20 values of 64 KB, base64 for binary, and their metadata, with room to spare.
  SECRETS_MANAGER: {
    id: 'aws-sm',
    peer: '@aws-sdk/client-secrets-manager',
    maxResponseBytes: 4 * 1024 * 1024,
  },
  // A batch of 10 values of 8 KB, or a page of 50 parameters' metadata.
  SSM: { id: 'aws-ssm', peer: '@aws-sdk/client-ssm', maxResponseBytes: 1024 * 1024 },
} as const;

/** How a provider loads its SDK and builds its client. */
export interface AwsSdk<C extends AwsClientLike, M> {
  load(): Promise<M>;
  /** Builds the client when the options carry none. */
  create(sdk: M, config: AwsClientConfig): C;
}

/** Options every AWS provider shares. */
export type AwsCallerOptions<C> = AwsConnectionOptions &
  CallLimits & {
    /** Source id. */
    id?: string | undefined;
    client?: C | undefined;
  };

/** Runs one store's commands. */
export interface AwsCaller<C, M> {
  /** The source id (the `id` option, else the service's default). */
  readonly id: string;
  /** Where the client reads (region, endpoint), for messages; undefined for a client passed in. */
  readonly location: string | undefined;
  readonly limits: Limits;
  /** Throws `ERR_SECRET_NAME_INVALID` unless the store accepts `name`. */
  check(name: string): string;
  /** The call site of `action` on `name`, for messages. */
  at(action: string, name: string): CallSite & { name: string };
  /** Sends one command under the guard; rejects with a coded error (see {@link awsNameOf}). */
  call<T>(
    action: string,
    name: string | undefined,
    signal: AbortSignal | undefined,
    run: (client: C, sdk: M, send: SendOptions) => Promise<T>,
    timeoutMs?: number,
  ): Promise<T>;
  /** The pages of one `NextToken` listing, bounded by the kit's pager. */
  pages<P extends { NextToken?: string | undefined }>(
    action: string,
    name: string | undefined,
    signal: AbortSignal | undefined,
    run: (client: C, sdk: M, token: { NextToken?: string }, send: SendOptions) => Promise<P>,
  ): AsyncGenerator<P>;
  /**
   * Every item of a `NextToken` listing about one secret; the store's `absent` error (the secret
   * does not exist) means none.
   */
  all<P extends { NextToken?: string | undefined }, I>(
    action: string,
    name: string,
    signal: AbortSignal | undefined,
    run: (client: C, sdk: M, token: { NextToken?: string }, send: SendOptions) => Promise<P>,
    items: (page: P) => I[],
    absent: string,
  ): Promise<I[]>;
  /** Destroys a client the caller built (its sockets close); a client passed in is left alone. */
  close(): Promise<void>;
}

const AWS_NAME = Symbol('aws-error-name');

/** The SDK error name recorded on a mapped error, e.g. `ResourceNotFoundException`. */
export function awsNameOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null ? (err as Record<symbol, string>)[AWS_NAME] : undefined;
}

/** Creates the caller; nothing is loaded or sent before the first call. */
export function awsCaller<C extends AwsClientLike, M>(
  options: AwsCallerOptions<C>,
  service: AwsService,
  nameRule: NameRule,
  spec: AwsSdk<C, M>,
): AwsCaller<C, M> {
  const id = options.id ?? SERVICES[service].id;
  const limits = callLimits(options, SERVICES[service].maxResponseBytes);
  const sdk = lazyPeer(id, SERVICES[service].peer, spec.load);
  let created: C | undefined;
  const build = async (): Promise<C> => {
    if (options.client !== undefined) return options.client;
    created = spec.create(await sdk(), awsClientConfig(options, service));
    capAnswers(created, limits.maxResponseBytes);
    return created;
  };
  let client = once(build);
  const location = options.client === undefined ? awsLocation(options, service) : undefined;
  const site = (action: string, name: string | undefined): CallSite => ({
    source: id,
    action,
    name,
    where: location,
  });

  async function call<T>(
    action: string,
    name: string | undefined,
    signal: AbortSignal | undefined,
    run: (client: C, sdk: M, send: SendOptions) => Promise<T>,
    timeoutMs = limits.timeoutMs,
  ): Promise<T> {
    const at = site(action, name);
    try {
      const [m, c] = await Promise.all([sdk(), client()]);
      return await guarded(at, timeoutMs, signal, (s) => run(c, m, { abortSignal: s }));
    } catch (err) {
      const mapped: SecretError = transportFailure(err, at) ?? mapAwsError(err, at);
      // Keeps the SDK's error name for branching here, without keeping the SDK error.
      Object.defineProperty(mapped, AWS_NAME, {
        value: awsErrorName(err),
        enumerable: false,
        configurable: true,
      });
      throw mapped;
    }
  }

  function pagesOf<P extends { NextToken?: string | undefined }>(
    action: string,
    name: string | undefined,
    signal: AbortSignal | undefined,
    run: (client: C, sdk: M, token: { NextToken?: string }, send: SendOptions) => Promise<P>,
  ): AsyncGenerator<P> {
    return pages(site(action, name), limits, async (token, timeoutMs) => {
      const page = await call(
        action,
        name,
        signal,
        (c, m, send) => run(c, m, token === undefined ? {} : { NextToken: token }, send),
        timeoutMs,
      );
      return { page, next: page.NextToken };
    });
  }

  return {
    id,
    location,
    limits,
    check: (name) => validateName(id, name, nameRule),
    at: (action, name) => ({ source: id, action, name }),
    call,
    pages: pagesOf,
    async all(action, name, signal, run, items, absent) {
      const out = [];
      try {
        for await (const page of pagesOf(action, name, signal, run)) out.push(...items(page));
      } catch (err) {
        if (awsNameOf(err) === absent) return [];
        throw err;
      }
      return out;
    },
    async close() {
      created?.destroy();
      created = undefined;
      // A call after close() builds a new client rather than use the destroyed one.
      client = once(build);
    },
  };
}

/** A Date from what the SDK returns (a Date; numbers or strings from hand-built clients). */
export function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'string') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}
