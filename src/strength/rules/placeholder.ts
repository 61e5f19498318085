/**
 * WEAK_PLACEHOLDER: a placeholder, a mask or an unrendered template instead of a secret:
 * `${X}`, `{{ .Values.x }}`, `${{ secrets.X }}`, `#{x}#`, `<%= x %>`, `$X`, `%X%`, `<your-secret-here>`,
 * `REPLACE_ME`, `TODO`, `changeme`, `********`, `null`, `undefined`.
 * Every check is a bounded scan or an anchored pattern without nested quantifiers.
 */
import { defineRule } from '../context.js';

/** Whole values (letters and digits only, lower case) that are placeholders, not secrets. */
const EXACT = new Set([
  'null',
  'undefined',
  'none',
  'nil',
  'nan',
  'true',
  'false',
  'empty',
  'blank',
  'todo',
  'tbd',
  'tbc',
  'fixme',
  'xxx',
  'changeme',
  'changeit',
  'changethis',
  'replaceme',
  'replace',
  'placeholder',
  'redacted',
  'hidden',
  'masked',
  'sample',
  'dummy',
  'value',
  'notset',
  'unset',
  'default',
  'secret',
  'secretkey',
  'password',
  'token',
  'key',
  'apikey',
  'jwtsecret',
  'yoursecret',
  'yourkey',
  'yourtoken',
  'mysecret',
  'na',
  'tba',
  'test',
  'testing',
  'foo',
  'bar',
  'foobar',
  'demo',
  'temp',
  'tmp',
  'fake',
  'mock',
  'stub',
  'insert',
  'enter',
  'pending',
  'missing',
  'required',
  'string',
  'text',
  'secretvalue',
  'yourvalue',
  'setme',
  'fillme',
  'fillmein',
  'editme',
]);

/** Fragments (8+ letters, so random keys never contain them by chance) that only placeholders contain. */
const FRAGMENTS = [
  'replaceme',
  'changeme',
  'changethis',
  'replacethis',
  'replacewith',
  'insertyour',
  'enteryour',
  'putyour',
  'goeshere',
  'secrethere',
  'keyhere',
  'tokenhere',
  'passwordhere',
  'valuehere',
  'tobemodified',
  'tobechanged',
  'tobereplaced',
  'notasecret',
  'notarealsecret',
  'placeholder',
  'yoursecret',
  'yourjwtsecret',
  'yourapikey',
  'generateone',
  'generatewith',
  'updateme',
  'updatethis',
  'setthisvalue',
  'addyour',
  'yourownsecret',
  'yourrandomsecret',
];

const MASK_CHARS = new Set(['*', '•', '●', 'x', 'X', '#', '.', '?', '-', '_']);
/** `<your-secret-here>`, `[API_KEY]`: brackets around words (random symbols never look like this). */
const BRACKETED = /^(?:<[\w .-]{1,120}>|\[[\w .-]{1,120}\])$/;
/** A template body names something (ERB's `=`/`-` markers allowed): no random symbols. */
const TEMPLATE_BODY = /^[\s{=#-]{0,4}[A-Za-z_.$][\w.$\s|:/-]{0,500}$/;
/** ERB body: `= ENV["NAME"]`, `- config.key`. */
const ERB_BODY = /^[=-]?\s{0,4}[A-Za-z_][\w.]{0,128}(?:\[["'][\w.-]{1,128}["']\])?\s{0,4}-?$/;
const NOT_ALNUM = /[^a-z0-9]+/g;
const LITERAL = /^[\w\s.:/#-]*$/;
/** `$(aws secretsmanager ...)` or a backticked command: a word, a space, arguments. */
const COMMAND =
  /^(?:\$\([a-z][\w.-]{1,64} [\w\s./:=@"'${}|,-]{1,4000}\)|`[a-z][\w.-]{1,64} [\w\s./:=@"'${}|,-]{1,4000}`)$/;
const SHELL_VAR = /^\$[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const WINDOWS_VAR = /^%[A-Za-z_][A-Za-z0-9_]{0,127}%$/;

/** Raises WEAK_PLACEHOLDER for placeholders, masks and unrendered templates. */
export const placeholderRule = defineRule({
  id: 'placeholder',
  codes: ['WEAK_PLACEHOLDER'],
  check(ctx) {
    if (ctx.binary) return [];
    const t = ctx.text.length > 4096 ? ctx.text.slice(0, 4096) : ctx.text;
    if (t.length === 0) return [];
    const kind = placeholderKind(t);
    if (!kind) return [];
    return [{ code: 'WEAK_PLACEHOLDER', message: `the value is ${kind}, not a secret`, kind }];
  },
});

/** Describes the placeholder `t` is, or undefined. Exported for the deploy rules. */
export function placeholderKind(t: string): string | undefined {
  const template = templateKind(t);
  if (template) return template;
  if (SHELL_VAR.test(t) || WINDOWS_VAR.test(t)) return 'an unexpanded environment variable';
  if (COMMAND.test(t)) return 'an unexpanded command substitution';
  if (t.length >= 3 && isMask(t)) return 'a mask';
  // Six in a row: four occur by chance in about one random printable key in two million.
  if (t.includes('******') || t.includes('••••••')) return 'a masked value';
  if (BRACKETED.test(t)) return 'a bracketed placeholder';
  const compact = t.toLowerCase().replace(NOT_ALNUM, '');
  if (EXACT.has(compact)) return 'a placeholder word';
  if (compact.startsWith('loremipsum')) return 'placeholder text (lorem ipsum)';
  // Placeholder text is short; in a long value a fragment can straddle words (dinGOES HEREdity).
  if (compact.length <= 80) {
    for (const f of FRAGMENTS) if (compact.includes(f)) return 'placeholder text';
  }
  if (/^x{6,}$/.test(compact)) return 'a mask';
  return undefined;
}

/** Unrendered template syntax anywhere in the value. */
function templateKind(t: string): string | undefined {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the message names the template syntax it found
  if (closes(t, '${', '}', 256)) return 'an unrendered ${...} template';
  if (closes(t, '{{', '}}', 512)) return 'an unrendered {{...}} template';
  if (closes(t, '#{', '}', 256)) return 'an unrendered #{...} token';
  if (closes(t, '<%', '%>', 512, ERB_BODY)) return 'an unrendered <%...%> template';
  if (closes(t, '__', '__', 128) && /^__[A-Z0-9_]{2,128}__$/.test(t)) return 'an unreplaced __TOKEN__';
  return undefined;
}

/**
 * True when `open` ... `close` with a name-like body starts or ends the value and makes up at least
 * 40% of it. Random printable keys contain `${ab}` or `#{x}` by chance (about 2 in 10,000 of 40
 * characters); anchoring and the share keep those from ever matching, while `${JWT_SECRET}`,
 * `Bearer ${TOKEN}` and `{{ .Values.x }}` still do.
 */
function closes(t: string, open: string, close: string, span: number, body = TEMPLATE_BODY): boolean {
  let from = 0;
  for (let guard = 0; guard < 64; guard++) {
    const a = t.indexOf(open, from);
    if (a < 0) return false;
    const b = t.indexOf(close, a + open.length);
    if (b < 0) return false;
    const end = b + close.length;
    const anchored = a === 0 || end === t.length || (end === t.length - 1 && t[end] === '#');
    if (b - a <= span && anchored && (end - a) * 5 >= t.length * 2) {
      // What surrounds the template is literal text (`Bearer `, `prefix-`), not random symbols.
      const rest = t.slice(0, a) + t.slice(end);
      if (body.test(t.slice(a + open.length, b)) && (rest.length <= 16 || LITERAL.test(rest))) return true;
    }
    from = a + 1;
  }
  return false;
}

function isMask(t: string): boolean {
  for (const ch of t) if (!MASK_CHARS.has(ch)) return false;
  return true;
}
