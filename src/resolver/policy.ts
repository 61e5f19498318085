/** The strength policy as the resolver applies it: profile by name, errors by environment, events. */
import { WeakSecretError } from '../core/errors.js';
import type { SecretEvent } from '../core/events.js';
import type { Secret } from '../core/secret.js';
import type { SecretRecord } from '../core/source.js';
import { checkStrength } from '../strength/check.js';
import { defaultProfileForName } from '../strength/profiles.js';
import type {
  Environment,
  StrengthIssue,
  StrengthOptions,
  StrengthProfile,
  StrengthResult,
} from '../strength/types.js';

type Emit = (event: Omit<SecretEvent, 'time'>) => void;

/** A strength checker; `checkStrength` is the default. */
export type StrengthCheck = (value: Secret, options: StrengthOptions) => StrengthResult;

/** Options for the resolver's strength policy. */
export interface PolicyOptions {
  /** @default 'production' when NODE_ENV=production, else 'development' */
  environment?: Environment | undefined;
  /** Warnings fail too. @default false */
  strict?: boolean | undefined;
  /** Profile by secret name: exact names, or `/regex/` strings. Checked before the built-in name rule. */
  profiles?: Readonly<Record<string, StrengthProfile | 'none'>> | undefined;
  /** Profile for names no rule matches; `'none'` skips the check. @default 'none' */
  defaultProfile?: StrengthProfile | 'none' | undefined;
  /** The checker, or `false` to turn checks off. @default checkStrength */
  check?: StrengthCheck | false | undefined;
  /** A store date older than this many days raises a `rotation-due` warning event. @default 90 */
  rotationDays?: number | undefined;
  /**
   * Other environments whose values must differ from this one's. Each fetched secret is read there
   * too (by the same ref, or `map(ref)`) and compared; an equal value is reported by fingerprint:
   * an error in production and staging, a `reused` warning event elsewhere.
   */
  compareWith?: readonly EnvironmentPeer[] | undefined;
}

/** Another environment's reader, e.g. `{ environment: 'staging', get: (ref) => stagingResolver.getOptional(ref, { profile: 'none' }) }`. */
export interface EnvironmentPeer {
  environment: string;
  get(ref: string): Promise<Secret | undefined>;
  /** Maps this environment's ref to the peer's (`aws-sm:prod/app` → `aws-sm:staging/app`). @default the same ref */
  map?: ((ref: string) => string) | undefined;
}

/** Default environment: production when NODE_ENV says so. */
export function defaultEnvironment(): Environment {
  return process.env.NODE_ENV === 'production' ? 'production' : 'development';
}

/** Applies the configured strength check to resolved secrets. */
export class StrengthPolicy {
  readonly environment: Environment;
  readonly #opts: PolicyOptions;
  readonly #emit: Emit;
  readonly #rules: Array<[RegExp | string, StrengthProfile | 'none']>;

  constructor(opts: PolicyOptions, emit: Emit) {
    this.#opts = opts;
    this.#emit = emit;
    this.environment = opts.environment ?? defaultEnvironment();
    this.#rules = Object.entries(opts.profiles ?? {}).map(([k, v]) => {
      const m = /^\/(.+)\/([a-z]*)$/.exec(k);
      return [m ? new RegExp(m[1]!, m[2]) : k, v];
    });
  }

  readonly #memo = new Map<string, StrengthProfile | undefined>();

  /** The profile that applies to `name`, or undefined when none does (memoised: names repeat). */
  profileFor(name: string): StrengthProfile | undefined {
    if (this.#memo.has(name)) return this.#memo.get(name);
    const profile = this.#lookup(name);
    if (this.#memo.size > 10_000) this.#memo.clear();
    this.#memo.set(name, profile);
    return profile;
  }

  #lookup(name: string): StrengthProfile | undefined {
    for (const [rule, profile] of this.#rules) {
      if (typeof rule === 'string' ? rule === name : rule.test(name))
        return profile === 'none' ? undefined : profile;
    }
    const byName = defaultProfileForName(name);
    if (byName) return byName;
    const d = this.#opts.defaultProfile ?? 'none';
    return d === 'none' ? undefined : d;
  }

  /**
   * Checks `secret`; throws `ERR_SECRET_WEAK` listing every issue when it fails for the environment,
   * emits a `weak` warning event otherwise. Also warns when the store's date is past the rotation period.
   */
  enforce(
    secret: Secret,
    at: {
      name: string;
      ref: string;
      source: string;
      profile: StrengthProfile | 'none' | undefined;
      record: SecretRecord;
    },
  ): void {
    this.#rotation(at);
    const check = this.#opts.check === undefined ? checkStrength : this.#opts.check;
    if (check === false || check === undefined || at.profile === undefined || at.profile === 'none') return;
    const result = check(secret, {
      profile: at.profile,
      environment: this.environment,
      strict: this.#opts.strict,
      name: at.name.split('/').pop(),
    });
    if (result.issues.length === 0) return;
    const base = {
      ref: at.ref,
      source: at.source,
      name: at.name,
      version: at.record.version,
      issues: result.issues,
    };
    if (!result.ok) {
      this.#emit({ type: 'weak', outcome: 'error', code: 'ERR_SECRET_WEAK', ...base });
      throw new WeakSecretError(
        `secret "${at.name}" from source "${at.source}" fails the ${at.profile} policy in ${this.environment}: ${result.issues.map((i) => i.code).join(', ')}`,
        result.issues.map((i) => ({ ...i, path: [at.name] })),
        { source: at.source, secretName: at.name, hint: 'generate a new key with `secretsource generate`' },
      );
    }
    this.#emit({ type: 'weak', outcome: 'warning', ...base });
  }

  /** True when `compare` has work to do. */
  get comparing(): boolean {
    return (this.#opts.compareWith?.length ?? 0) > 0;
  }

  /**
   * Reads `at.ref` in every peer environment and reports a value equal to `secret`. Never prints
   * either value: the issue carries the fingerprint. A peer that cannot be read is reported as a
   * warning event, never as "not reused".
   */
  async compare(
    secret: Secret,
    at: { name: string; ref: string; source: string; version: string | undefined },
  ): Promise<void> {
    const issues: StrengthIssue[] = [];
    const strictEnv =
      this.environment === 'production' || this.environment === 'staging' || this.#opts.strict === true;
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
        issues.push({
          code: 'WEAK_REUSED_ACROSS_ENVIRONMENTS',
          severity: strictEnv ? 'error' : 'warning',
          message: `the value of "${at.name}" in ${this.environment} equals its value in ${peer.environment} (${secret.fingerprint()})`,
          fingerprint: secret.fingerprint(),
          otherEnvironment: peer.environment,
        });
      }
    }
    if (issues.length === 0) return;
    const base = {
      ref: at.ref,
      source: at.source,
      name: at.name,
      version: at.version,
      issues,
      fingerprint: secret.fingerprint(),
    };
    if (strictEnv) {
      this.#emit({ type: 'reused', outcome: 'error', code: 'ERR_SECRET_WEAK', ...base });
      throw new WeakSecretError(
        `secret "${at.name}" from source "${at.source}" is shared with ${issues.map((i) => i.otherEnvironment).join(', ')}`,
        issues.map((i) => ({ ...i, path: [at.name] })),
        {
          source: at.source,
          secretName: at.name,
          hint: 'give each environment its own key (`secretsource generate`)',
        },
      );
    }
    this.#emit({ type: 'reused', outcome: 'warning', ...base });
  }

  #rotation(at: { name: string; ref: string; source: string; record: SecretRecord }): void {
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
