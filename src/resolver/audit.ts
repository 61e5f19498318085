/** `auditLog({ path })`: an event listener that appends one JSON line per event. Never a value. */
import type { WriteStream } from 'node:fs';
import { nodeFs } from '../core/builtins.js';
import type { EventListener, EventType, SecretEvent } from '../core/events.js';

/** Options for {@link auditLog}. */
export interface AuditLogOptions {
  /** File to append to; created with `mode` when missing. */
  path: string;
  /** Only these event types. @default every type */
  types?: readonly EventType[] | undefined;
  /** Permissions of a new file. @default 0o600 */
  mode?: number | undefined;
}

/** An event listener that writes to a file, plus a way to flush and close it. */
export interface AuditLog extends EventListener {
  readonly path: string;
  /** Lines written so far. */
  readonly lines: number;
  /** Flushes and closes the file; rejects with the first write error, if any. */
  close(): Promise<void>;
}

/** One audit line: the event's facts, by an explicit list of fields, so nothing else can slip in. */
export interface AuditRecord {
  time: string;
  action: EventType;
  outcome: SecretEvent['outcome'];
  ref?: string;
  source?: string;
  name?: string;
  version?: string;
  /** The versions a `revoke` marked revoked. */
  versions?: readonly string[];
  cacheHit?: boolean;
  durationMs?: number;
  code?: string;
  /** Strength issue codes (not their messages). */
  issues?: string[];
  fingerprint?: string;
  context?: Readonly<Record<string, unknown>>;
}

/** The fields of an event an audit line keeps. */
export function toAuditRecord(e: SecretEvent): AuditRecord {
  const r: AuditRecord = { time: e.time, action: e.type, outcome: e.outcome };
  if (e.ref !== undefined) r.ref = e.ref;
  if (e.source !== undefined) r.source = e.source;
  if (e.name !== undefined) r.name = e.name;
  if (e.version !== undefined) r.version = e.version;
  if (e.versions !== undefined) r.versions = [...e.versions];
  if (e.cacheHit !== undefined) r.cacheHit = e.cacheHit;
  if (e.durationMs !== undefined) r.durationMs = e.durationMs;
  if (e.code !== undefined) r.code = e.code;
  if (e.issues?.length) r.issues = e.issues.map((i) => i.code);
  if (e.fingerprint !== undefined) r.fingerprint = e.fingerprint;
  if (e.context !== undefined) r.context = e.context;
  return r;
}

/**
 * Returns a listener for `onEvent` (resolver, `copySecrets`, `rotateSecret`) that appends each event
 * as a JSON line: time, action, outcome, ref, source, name, version, cache hit, duration, code,
 * fingerprint and your context. Writes are buffered; call `close()` before exit. A failing disk never
 * breaks a resolve: the first error is kept and `close()` rejects with it.
 * @example
 * const audit = auditLog({ path: '/var/log/app/secrets.jsonl' });
 * const resolver = createResolver({ sources, onEvent: audit });
 * // ... at shutdown
 * await audit.close();
 */
export function auditLog(options: AuditLogOptions): AuditLog {
  const types = options.types ? new Set(options.types) : undefined;
  let stream: WriteStream | undefined;
  let failure: Error | undefined;
  let lines = 0;
  const open = (): WriteStream => {
    if (!stream) {
      stream = nodeFs().createWriteStream(options.path, { flags: 'a', mode: options.mode ?? 0o600 });
      stream.on('error', (err) => {
        failure ??= err;
      });
    }
    return stream;
  };
  const listener = (event: SecretEvent): void => {
    if (types && !types.has(event.type)) return;
    open().write(`${JSON.stringify(toAuditRecord(event))}\n`);
    lines++;
  };
  const close = () =>
    new Promise<void>((resolve, reject) => {
      const done = () => (failure ? reject(failure) : resolve());
      if (!stream || stream.closed) return done();
      // 'close' follows both a clean finish and a failed open or write, after 'error' has been seen.
      stream.once('close', done);
      if (!stream.destroyed) stream.end();
    });
  // defineProperties, not Object.assign: `lines` must stay a live getter.
  return Object.defineProperties(listener, {
    path: { value: options.path, enumerable: true },
    lines: { get: () => lines, enumerable: true },
    close: { value: close },
  }) as AuditLog;
}
