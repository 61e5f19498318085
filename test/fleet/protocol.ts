/** Messages between the fleet test's driver and its app processes (test/fleet/app.ts). */
import type { LiveKeyRingOptions } from '../../src/keys/live-ring.js';

/** The stores the fleet test runs on. */
export type StoreName = 'aws-sm' | 'vault';

/** What the driver asks an app. */
export type AppRequest =
  | {
      id: number;
      type: 'open';
      store: StoreName;
      ref: string;
      ring: Pick<LiveKeyRingOptions, 'graceMs' | 'refreshMs' | 'cooldownMs'>;
      vaultAddr?: string | undefined;
      vaultToken?: string | undefined;
    }
  | { id: number; type: 'sign'; store: StoreName }
  | { id: number; type: 'verify'; store: StoreName; token: string }
  /** Verify every token (50 at a time), as if each came in its own request: one message for many. */
  | { id: number; type: 'flood'; store: StoreName; tokens: string[] }
  | { id: number; type: 'stats'; store: StoreName };

/** One read of the store by a ring, from its `refresh` event. */
export interface RingRead {
  trigger: string;
  ok: boolean;
  /** Wall time (ms) the read started: the event's time minus its duration. */
  startedAt: number;
  /** Wall time (ms) the ring had installed what it read (the event is emitted right after). */
  endedAt: number;
  /** The error code of a failed read. */
  code?: string | undefined;
}

/** What an app answers (id 0: the app is up). */
export interface AppReply {
  id: number;
  ok: boolean;
  code?: string | undefined;
  token?: string | undefined;
  kid?: string | undefined;
  /** Source method calls by method name since the ring opened. */
  calls?: Record<string, number> | undefined;
  /** Successful ring reads by trigger (initial, schedule, unknown-kid, manual). */
  triggers?: Record<string, number> | undefined;
  elapsedMs?: number | undefined;
  /** Every ring read since the ring opened, in order (wall times of this process). */
  reads?: RingRead[] | undefined;
  /** For a flood: how many tokens verified. */
  accepted?: number | undefined;
  /** For a verify: the app's wall time when it started verifying. */
  at?: number | undefined;
}
