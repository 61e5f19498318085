/**
 * The rule registry: every registered rule runs on its own over the weak corpus, and the test fails
 * on a declared code that no rule emits, on a rule that emits a code it does not declare (or one
 * not in ISSUE_CODES), and on a rule file that is not registered.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/internal/package-root.js';
import { analyse } from '../../src/strength/check.js';
import type { Rule, SharedWith } from '../../src/strength/context.js';
import { checkDeployConfig, ISSUE_CODES, PROFILES } from '../../src/strength/index.js';
import { RULES } from '../../src/strength/rules/index.js';
import { WEAK_CORPUS } from './weak-corpus.js';

/** One input per corpus value, plus what only a door can supply (reuse found by fingerprint). */
const INPUTS: Array<{ value: string; sharedWith?: SharedWith[] }> = [
  ...Object.values(WEAK_CORPUS).flatMap((values) => values.map((value) => ({ value }))),
  { value: 'any value', sharedWith: [{ environment: 'staging', fingerprint: 'fp_0000000000000000' }] },
];

/** What each rule emits, run alone on every input under every profile. */
function emittedBy(rules: readonly Rule[]): Map<Rule, Set<string>> {
  const out = new Map<Rule, Set<string>>();
  for (const rule of rules) {
    const seen = new Set<string>();
    for (const { value, sharedWith } of INPUTS) {
      for (const profile of Object.values(PROFILES)) {
        for (const f of analyse(value, { profile, rules: [rule], sharedWith }).findings) seen.add(f.code);
      }
    }
    out.set(rule, seen);
  }
  return out;
}

/** Everything wrong with a registry: undeclared or unemitted codes, codes no rule emits. */
function registryProblems(rules: readonly Rule[], emitted: Map<Rule, Set<string>>): string[] {
  const problems: string[] = [];
  for (const rule of rules) {
    if (rule.codes.length === 0) problems.push(`${rule.id}: declares no code`);
    for (const code of rule.codes) {
      if (!Object.hasOwn(ISSUE_CODES, code)) problems.push(`${rule.id}: ${code} is not in ISSUE_CODES`);
      if (!emitted.get(rule)?.has(code)) problems.push(`${rule.id}: never emits ${code}`);
    }
    for (const code of emitted.get(rule) ?? []) {
      if (!(rule.codes as readonly string[]).includes(code))
        problems.push(`${rule.id}: emits undeclared ${code}`);
    }
  }
  const all = new Set(rules.flatMap((r) => [...(emitted.get(r) ?? [])]));
  for (const code of Object.keys(ISSUE_CODES)) {
    if (code.startsWith('WEAK_') && !all.has(code)) problems.push(`${code}: no registered rule emits it`);
  }
  return problems;
}

describe('rule registry', () => {
  const emitted = emittedBy(RULES);

  it('every rule emits exactly the codes it declares, and every value code has a rule', () => {
    expect(registryProblems(RULES, emitted)).toEqual([]);
  });

  it('the check fails on a missing rule, a rule that names no code it emits, and an undeclared code', () => {
    const [first, ...rest] = RULES;
    // A rule left out of the registry: its code is emitted by no one.
    expect(registryProblems(rest, emitted)).toContain(`${first!.codes[0]}: no registered rule emits it`);
    // A rule whose declared code it never emits, and one that emits a code it does not declare.
    const liar: Rule = { id: 'liar', codes: ['WEAK_SHARED'], check: () => [] };
    const sneak: Rule = {
      id: 'sneak',
      codes: ['WEAK_EMPTY'],
      check: () => [
        { code: 'WEAK_TOO_SHORT', message: 'x', estimatedBits: 0, requiredBits: 1, alphabet: 'hex' },
      ],
    };
    const extra = emittedBy([liar, sneak]);
    const problems = registryProblems([...RULES, liar, sneak], new Map([...emitted, ...extra]));
    expect(problems).toEqual(
      expect.arrayContaining([
        'liar: never emits WEAK_SHARED',
        'sneak: never emits WEAK_EMPTY',
        'sneak: emits undeclared WEAK_TOO_SHORT',
      ]),
    );
  });

  it('every deploy code in ISSUE_CODES is emitted by the deploy rules', () => {
    const seen = new Set<string>();
    for (const env of [
      {
        NODE_ENV: 'development',
        DEBUG: 'true',
        CORS_ORIGIN: '*, http://a.example.com',
        DATABASE_URL: 'postgres://postgres:postgres@db.example.com/app',
        ADMIN_PASSWORD: 'admin123',
      },
      {},
    ]) {
      for (const i of checkDeployConfig(env).issues) seen.add(i.code);
    }
    const deploy = Object.keys(ISSUE_CODES).filter((c) => c.startsWith('DEPLOY_'));
    expect(deploy.filter((c) => !seen.has(c))).toEqual([]);
    const other = Object.keys(ISSUE_CODES).filter((c) => !c.startsWith('WEAK_') && !c.startsWith('DEPLOY_'));
    expect(other).toEqual([]);
  });

  it('one file per rule, each registered once under its file name', () => {
    const dir = join(packageRoot(), 'src', 'strength', 'rules');
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.slice(0, -3))
      .sort();
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(files);
  });
});
