/**
 * WEAK_OWN_NAME: the value is the variable's own name (`JWT_SECRET_KEY=JWT_SECRET_KEY`), looks like
 * a variable name, or is a source expression such as `process.env.JWT_SECRET`.
 */
import { defineRule, type Finding, type RuleContext } from '../context.js';

const EXPRESSIONS = [
  'process.env.',
  'process.env[',
  'import.meta.env.',
  'os.environ',
  'os.getenv(',
  'system.getenv(',
  'getenv(',
  'env(',
  'env[',
  'env.',
  '$env:',
  'environment.getenvironmentvariable(',
  'deno.env.get(',
  'bun.env.',
  'secrets.',
  'vars.',
  'configuration[',
  'config.',
  'config[',
  'settings.',
];

const EXPRESSION_REST = /^[\w$.[\]'"():-]{1,72}$/;
const VARIABLE_NAME = /^[A-Z][A-Z0-9]{0,63}(?:_[A-Z0-9]{1,63}){1,12}$/;
const SECRETISH = /SECRET|KEY|TOKEN|PASS|JWT|API|AUTH|PRIVATE|CREDENTIAL|SIGNING|SESSION/;

/** Raises WEAK_OWN_NAME for the own name, a variable-like name or a source expression. */
export const ownNameRule = defineRule({ id: 'own-name', codes: ['WEAK_OWN_NAME'], check: ownName });

function ownName(ctx: RuleContext): Finding<'WEAK_OWN_NAME'>[] {
  if (ctx.binary || ctx.text.length > 512) return [];
  const t = ctx.text;
  const lower = t.toLowerCase();
  const value = compact(t);
  if (value.length > 0 && ctx.names.some((n) => compact(n) === value || compact(lastSegment(n)) === value)) {
    return [{ code: 'WEAK_OWN_NAME', message: "the value is the variable's own name", kind: 'own-name' }];
  }
  // An expression is short and reads like code; a long passphrase may start with `settings.` by chance.
  for (const e of t.length <= 80 ? EXPRESSIONS : []) {
    if (lower.startsWith(e) && EXPRESSION_REST.test(t.slice(e.length))) {
      return [
        {
          code: 'WEAK_OWN_NAME',
          message: 'the value is a source expression, not a secret',
          kind: 'expression',
        },
      ];
    }
  }
  if (VARIABLE_NAME.test(t) && SECRETISH.test(t)) {
    return [
      {
        code: 'WEAK_OWN_NAME',
        message: 'the value looks like a variable name, not a secret',
        kind: 'variable-name',
      },
    ];
  }
  return [];
}

function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

function compact(s: string): string {
  let out = '';
  for (const ch of s.toLowerCase()) if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) out += ch;
  return out;
}
