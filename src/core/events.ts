/** Structured events the resolver (and later copy/rotate) emit. Never a value. */
import type { StrengthIssue } from './issues.js';
import { maskValueLike } from './redact.js';

/** What happened. */
export type EventType =
  | 'resolve'
  | 'cache-hit'
  | 'refresh'
  | 'stale-served'
  | 'error'
  | 'weak'
  | 'rotation-due'
  | 'reused'
  | 'write'
  | 'delete'
  | 'rotate'
  | 'revoke';

/** One event. `fingerprint` is a keyed digest, safe to print; there is never a value field. */
export interface SecretEvent {
  type: EventType;
  /** ISO time the event was emitted. */
  time: string;
  /** The reference as given (refs are names, not values). */
  ref?: string | undefined;
  source?: string | undefined;
  name?: string | undefined;
  version?: string | undefined;
  outcome: 'ok' | 'miss' | 'error' | 'warning' | 'stale';
  cacheHit?: boolean | undefined;
  /** Store-call time in milliseconds, for events that made one. */
  durationMs?: number | undefined;
  /** Error code, for error, stale and weak events. */
  code?: string | undefined;
  message?: string | undefined;
  /** Strength findings (data, never the value). */
  issues?: readonly StrengthIssue[] | undefined;
  /** How long a stale value has been past its TTL. */
  staleForMs?: number | undefined;
  fingerprint?: string | undefined;
  /** Versions an operation marked: the previous versions a `revoke` event revoked (`version` is the one kept). */
  versions?: readonly string[] | undefined;
  /** Why a key ring read the store: `initial`, `schedule`, `unknown-kid` or `manual`. */
  trigger?: string | undefined;
  /** Caller-supplied context, copied as given. */
  context?: Readonly<Record<string, unknown>> | undefined;
}

/** Receives events; an exception thrown here is swallowed so logging never breaks resolution. */
export type EventListener = (event: SecretEvent) => void;

/**
 * Calls the listener, isolating the caller from its failures. A ref or name that looks like a value
 * (a value passed where a ref belongs) is hidden first, as in errors.
 */
export function emitSafely(listener: EventListener | undefined, event: SecretEvent): void {
  if (!listener) return;
  for (const key of ['ref', 'name', 'message'] as const) {
    const text = event[key];
    if (typeof text === 'string') event[key] = maskValueLike(text);
  }
  try {
    listener(event);
  } catch {
    // A broken logger must not turn a good secret into a failed boot.
  }
}
