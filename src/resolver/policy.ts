/**
 * The strength policy as the resolver applies it: the engine's `evaluate` on every fetched
 * version (profile from the caller's name, the JSON field and the store name), `ERR_SECRET_WEAK`
 * or a `weak` event by the verdict, rotation-due warnings and reuse across environments.
 */
import { WeakSecretError } from '../core/errors.js';
import type { SecretEvent } from '../core/events.js';
import type { Secret } from '../core/secret.js';
import type { SecretRecord } from '../core/source.js';
import type { SharedWith } from '../strength/context.js';
import { evaluate, type StrengthCheck, type Verdict } from '../strength/engine.js';
import { defaultEnvironment } from '../strength/environment.js';
import {
  type CompiledRules,
  compileRules,
  type PolicyNames,
  type ProfileOrNone,
  pickProfile,
} from '../strength/names.js';
import { sharedRule } from '../strength/rules/shared.js';
import type { Environment, StrengthProfile } from '../strength/types.js';
import { compileKnownValues, type KnownValueList, type UserKnownValue } from '../strength/user-known.js';

export type { StrengthCheck } from '../strength/engine.js';
export { defaultEnvironment } from '../strength/environment.js';

type Emit = (event: Omit<SecretEvent, 'time'>, context?: Readonly<Record<string, unknown>>) => void;

/** Options for the resolver's strength policy. */
export interface PolicyOptions {
  /** @default 'production' when NODE_ENV=production, else 'development' */
  environment?: Environment | undefined;
  /** Warnings fail too. @default false */
  strict?: boolean | undefined;
  /**
   * Profile by name: exact names, or `/regex/` strings, tried on the config key, the JSON field
   * and the store name (in that order) before the built-in name rule.
   */
  profiles?: Readonly<Record<string, StrengthProfile | 'none'>> | undefined;
  /** Profile when no name implies one; `'none'` skips the check. @default 'none' */
  defaultProfile?: StrengthProfile | 'none' | undefined;
  /** A replacement checker, or `false` to turn checks off. @default the registered rules */
  check?: StrengthCheck | false | undefined;
  /** A store date older than this many days raises a `rotation-due` warning event. @default 90 */
  rotationDays?: number | undefined;
  /**
   * Other environments whose values must differ from this one's. Each fetched secret is read there
   * too (by the same ref, or `map(ref)`) and compared; an equal value is reported by fingerprint as
   * `WEAK_SHARED`: an error in production and staging, a `reused` warning event elsewhere.
   */
  compareWith?: readonly EnvironmentPeer[] | undefined;
  /**
   * Values of your own to reject as `WEAK_KNOWN_DEFAULT` (an old leaked key, an internal product's
   * shipped default), each optionally with the source to name instead of it. Added to the built-in
   * lists, `registerKnownValues` and the `SECRETSOURCE_KNOWN_VALUES` file.
   */
  knownValues?: ReadonlyArray<string | UserKnownValue> | undefined;
}

/** Another environment's reader, e.g. `{ environment: 'staging', get: (ref) => stagingResolver.getOptional(ref, { profile: 'none' }) }`. */
export interface EnvironmentPeer {
  environment: string;
  get(ref: string): Promise<Secret | undefined>;
  /** Maps this environment's ref to the peer's (`aws-sm:prod/app` → `aws-sm:staging/app`). @default the same ref */
  map?: ((ref: string) => string) | undefined;
}

/** Where a checked value came from, for events and errors. */
export interface CheckedAt {
  /** Names for the profile rule: the caller's config key, the ref's field, the store name. */
  names: PolicyNames;
  /** The store name. */
  name: string;
  ref: string;
  source: string;
  /** Explicit profile from the call, if any. */
  profile: ProfileOrNone | undefined;
  record: SecretRecord;
  /** The call's context, copied into the events. */
  context?: Readonly<Record<string, unknown>> | undefined;
}

/** Applies the strength policy to resolved secrets. */
export class StrengthPolicy {
  readonly environment: Environment;
  readonly #opts: PolicyOptions;
  readonly #emit: Emit;
  readonly #rules: CompiledRules;
  readonly #memo = new Map<string, ProfileOrNone>();
  readonly #known: KnownValueList | undefined;

  constructor(opts: PolicyOptions, emit: Emit) {
    this.#opts = opts;
    this.#emit = emit;
    this.environment = opts.environment ?? defaultEnvironment();
    this.#rules = compileRules(opts.profiles ?? {});
    this.#known = opts.knownValues ? compileKnownValues(opts.knownValues) : undefined;
  }

  /** The profile that applies to a value known by `names` (memoised: names repeat). */
  profileFor(names: PolicyNames, explicit?: ProfileOrNone): ProfileOrNone {
    if (explicit !== undefined) return explicit;
    const key = `${names.key ?? ''}\u0000${names.field ?? ''}\u0000${names.store ?? ''}`;
    let profile = this.#memo.get(key);
    if (profile === undefined) {
      profile = pickProfile(names, {
        rules: this.#rules,
        defaultProfile: this.#opts.defaultProfile ?? 'none',
      }).profile;
      if (this.#memo.size > 10_000) this.#memo.clear();
      this.#memo.set(key, profile);
    }
    return profile;
  }

  /** The verdict for `secret` (checks off: an empty passing verdict). */
  judge(secret: Secret, at: Pick<CheckedAt, 'names' | 'profile'>): Verdict {
    const check = this.#opts.check;
    const profile = check === false ? 'none' : this.profileFor(at.names, at.profile);
    return evaluate(
      secret,
      {
        names: at.names,
        environment: this.environment,
        profile,
        strict: this.#opts.strict,
        knownValues: this.#known,
      },
      { check: check === false ? undefined : check },
    );
  }

  /**
   * Checks `secret`; throws `ERR_SECRET_WEAK` listing every issue when it fails for the environment,
   * emits a `weak` warning event otherwise.
   */
  enforce(secret: Secret, at: CheckedAt): void {
    const verdict = this.judge(secret, at);
    if (verdict.issues.length === 0) return;
    const base = {
      ref: at.ref,
      source: at.source,
      name: at.name,
      version: at.record.version,
      issues: verdict.issues,
    };
    if (!verdict.ok) {
      this.#emit({ type: 'weak', outcome: 'error', code: 'ERR_SECRET_WEAK', ...base }, at.context);
      throw new WeakSecretError(
        `secret "${at.name}" from source "${at.source}" fails the ${verdict.profile} policy in ${this.environment}: ${verdict.issues.map((i) => i.code).join(', ')}`,
        verdict.issues.map((i) => ({ ...i, path: [at.name] })),
        { source: at.source, secretName: at.name, hint: 'generate a new key with `secretsource generate`' },
      );
    }
    this.#emit({ type: 'weak', outcome: 'warning', ...base }, at.context);
  }

  /** True when `compare` has work to do. */
  get comparing(): boolean {
    return (this.#opts.compareWith?.length ?? 0) > 0;
  }

  /**
   * Reads `at.ref` in every peer environment and reports a value equal to `secret` as
   * `WEAK_SHARED`, weighed by the engine's severity table. Never prints either value: the issue
   * carries the fingerprint. A peer that cannot be read is reported as a warning event, never as
   * "not reused".
   */
  async compare(
    secret: Secret,
    at: { name: string; ref: string; source: string; version: string | undefined },
  ): Promise<void> {
    const sharedWith: SharedWith[] = [];
    for (const peer of this.#opts.compareWith ?? []) {
      let theirs: Secret | undefined;
      try {
        theirs = await peer.get(peer.map ? peer.map(at.ref) : at.ref);
      } catch (err) {
        this.#emit({
          type: 'reused',
          outcome: 'warning',
          ref: at.ref,
          source: at.source,
          name: at.name,
          code: (err as { code?: string }).code ?? 'ERR_SOURCE_UNAVAILABLE',
          message: `could not compare "${at.name}" with environment ${peer.environment}`,
        });
        continue;
      }
      if (theirs?.equals(secret)) {
        sharedWith.push({ environment: peer.environment, fingerprint: secret.fingerprint() });
      }
    }
    if (sharedWith.length === 0) return;
    // Reuse is judged whatever the value is for: only the reuse rule runs.
    const verdict = evaluate(
      secret,
      { environment: this.environment, profile: 'generic', strict: this.#opts.strict, sharedWith },
      { rules: [sharedRule] },
    );
    const base = {
      ref: at.ref,
      source: at.source,
      name: at.name,
      version: at.version,
      issues: verdict.issues,
      fingerprint: secret.fingerprint(),
    };
    if (!verdict.ok) {
      this.#emit({ type: 'reused', outcome: 'error', code: 'ERR_SECRET_WEAK', ...base });
      throw new WeakSecretError(
        `secret "${at.name}" from source "${at.source}" is shared with ${sharedWith.map((s) => s.environment).join(', ')}`,
        verdict.issues.map((i) => ({ ...i, path: [at.name] })),
        {
          source: at.source,
          secretName: at.name,
          hint: 'give each environment its own key (`secretsource generate`)',
        },
      );
    }
    this.#emit({ type: 'reused', outcome: 'warning', ...base });
  }

  /** Emits a `rotation-due` warning when the store's date is past the rotation period. */
  rotation(at: { name: string; ref: string; source: string; record: SecretRecord }): void {
    const days = this.#opts.rotationDays ?? 90;
    const changed = at.record.rotatedAt ?? at.record.updatedAt ?? at.record.createdAt;
    if (!changed || days <= 0) return;
    const ageDays = (Date.now() - changed.getTime()) / 86_400_000;
    if (ageDays > days) {
      this.#emit({
        type: 'rotation-due',
        outcome: 'warning',
        ref: at.ref,
        source: at.source,
        name: at.name,
        version: at.record.version,
        message: `secret "${at.name}" was last changed ${Math.floor(ageDays)} days ago (rotation period ${days} days)`,
      });
    }
  }
}
