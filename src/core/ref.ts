/**
 * The one reference grammar, parsed and formatted here and nowhere else:
 *
 *   ref     = [ source ":" ] name [ "#" field ] [ "?version=" version ]
 *   source  = [a-z] [a-z0-9-]*
 *   name    = 1*( any char but "#", "?", "%", whitespace, controls | "%" HEX HEX )
 *   field   = same as name
 *   version = 1*128 [A-Za-z0-9._:-]
 *
 * `aws-sm:prod/app#jwt`, `aws-ssm:/app/prod/jwt?version=3`, `env:JWT_SECRET_KEY`, `JWT_SECRET_KEY`.
 * A bare name (no source) means "the first configured source that has it". `#`, `?`, `%` and
 * spaces in names are percent-encoded (`%23`, `%3F`, `%25`, `%20`); so is `:` in bare names.
 * `?version=` may also come before `#field`; `formatRef` always writes the order above.
 * Error messages give the position, never the input: a mistyped ref may be a pasted value.
 */
import { SecretError } from './errors.js';

/** A parsed reference. */
export interface SecretRef {
  /** Source id; undefined for a bare name. */
  source?: string | undefined;
  /** Secret name, percent-decoded. */
  name: string;
  /** Top-level JSON field to select from the value. */
  field?: string | undefined;
  /** Store-specific version id, stage or label. */
  version?: string | undefined;
}

const SOURCE_PREFIX = /^([a-z][a-z0-9-]*):/;
const VERSION = /^[A-Za-z0-9._:-]{1,128}$/;
const MAX_REF_LENGTH = 4096;

function refError(position: number, reason: string): SecretError {
  return new SecretError('ERR_REF_INVALID', `invalid secret reference at position ${position}: ${reason}`, {
    hint: 'a reference looks like source:name[#field][?version=v], e.g. aws-sm:prod/app#jwt',
  });
}

/** Decodes one name or field part starting at `offset` in the original input (for positions). */
function decodePart(part: string, offset: number, what: string): string {
  if (part.length === 0) throw refError(offset, `the ${what} is empty`);
  let out = '';
  for (let i = 0; i < part.length; i++) {
    const ch = part[i]!;
    const code = ch.charCodeAt(0);
    if (ch === '%') {
      const hex = part.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex))
        throw refError(offset + i, `"%" in the ${what} must be followed by two hex digits`);
      // Collect a run of escapes and decode it as UTF-8 together.
      let j = i;
      const bytes: number[] = [];
      while (part[j] === '%' && /^[0-9A-Fa-f]{2}$/.test(part.slice(j + 1, j + 3))) {
        bytes.push(Number.parseInt(part.slice(j + 1, j + 3), 16));
        j += 3;
      }
      const decoded = Buffer.from(bytes).toString('utf8');
      if (decoded.includes('\uFFFD'))
        throw refError(offset + i, `the escapes in the ${what} are not valid UTF-8`);
      out += decoded;
      i = j - 1;
      continue;
    }
    if (code <= 0x20 || (code >= 0x7f && code <= 0x9f) || /\s/.test(ch)) {
      throw refError(
        offset + i,
        `the ${what} contains whitespace or a control character (percent-encode it)`,
      );
    }
    out += ch;
  }

  if (/[\u0000-\u001f\u007f]/.test(out)) throw refError(offset, `the ${what} decodes to a control character`);
  return out;
}

/**
 * Parses a reference. Throws `ERR_REF_INVALID` with the position of the problem.
 * @example parseRef('aws-sm:prod/app#jwt') // { source: 'aws-sm', name: 'prod/app', field: 'jwt' }
 */
export function parseRef(input: string): SecretRef {
  if (typeof input !== 'string')
    throw refError(0, `expected a string, got ${input === null ? 'null' : typeof input}`);
  if (input.length === 0) throw refError(0, 'the reference is empty');
  if (input.length > MAX_REF_LENGTH)
    throw refError(MAX_REF_LENGTH, `the reference is longer than ${MAX_REF_LENGTH} characters`);
  let pos = 0;
  let source: string | undefined;
  const m = SOURCE_PREFIX.exec(input);
  if (m) {
    source = m[1]!;
    pos = m[0].length;
  }

  let nameEnd = input.length;
  const hash = input.indexOf('#', pos);
  const query = input.indexOf('?', pos);
  if (hash >= 0) nameEnd = Math.min(nameEnd, hash);
  if (query >= 0) nameEnd = Math.min(nameEnd, query);
  const rawName = input.slice(pos, nameEnd);
  if (source === undefined && rawName.includes(':')) {
    throw refError(
      rawName.indexOf(':'),
      'a source id is lowercase letters, digits and "-"; in a bare name, write ":" as %3A',
    );
  }
  const name = decodePart(rawName, pos, 'name');

  let field: string | undefined;
  let version: string | undefined;
  let rest = nameEnd;
  while (rest < input.length) {
    const ch = input[rest]!;
    const next = [input.indexOf('#', rest + 1), input.indexOf('?', rest + 1)].filter((i) => i >= 0);
    const end = next.length ? Math.min(...next) : input.length;
    const body = input.slice(rest + 1, end);
    if (ch === '#') {
      if (field !== undefined) throw refError(rest, 'the reference has two "#" fields');
      field = decodePart(body, rest + 1, 'field');
    } else {
      if (version !== undefined) throw refError(rest, 'the reference has two "?" parts');
      if (!body.startsWith('version=')) throw refError(rest + 1, 'the only query parameter is "version="');
      const v = body.slice('version='.length);
      if (!VERSION.test(v)) {
        throw refError(rest + 9, 'the version must be 1 to 128 of A-Z a-z 0-9 . _ : -');
      }
      version = v;
    }
    rest = end;
  }
  const ref: SecretRef = { name };
  if (source !== undefined) ref.source = source;
  if (field !== undefined) ref.field = field;
  if (version !== undefined) ref.version = version;
  return ref;
}

function encodePart(text: string, encodeColon: boolean): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (
      ch === '%' ||
      ch === '#' ||
      ch === '?' ||
      (encodeColon && ch === ':') ||
      code <= 0x20 ||
      (code >= 0x7f && code <= 0x9f) ||
      /\s/u.test(ch)
    ) {
      out += Array.from(
        Buffer.from(ch, 'utf8'),
        (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
      ).join('');
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * Formats a reference; `parseRef(formatRef(r))` equals `r`.
 * @example formatRef({ source: 'aws-ssm', name: '/app/jwt', version: '3' }) // 'aws-ssm:/app/jwt?version=3'
 */
export function formatRef(ref: SecretRef): string {
  if (ref.source !== undefined && !/^[a-z][a-z0-9-]*$/.test(ref.source)) {
    throw refError(0, 'the source id must be lowercase letters, digits and "-", starting with a letter');
  }
  if (typeof ref.name !== 'string' || ref.name.length === 0) throw refError(0, 'the name is empty');
  if (ref.version !== undefined && !VERSION.test(ref.version)) {
    throw refError(0, 'the version must be 1 to 128 of A-Z a-z 0-9 . _ : -');
  }
  const head = ref.source === undefined ? '' : `${ref.source}:`;
  const field = ref.field === undefined ? '' : `#${encodePart(ref.field, false)}`;
  const version = ref.version === undefined ? '' : `?version=${ref.version}`;
  return `${head}${encodePart(ref.name, ref.source === undefined)}${field}${version}`;
}

/** True when `text` parses as a reference naming a source (used by `run` to find refs in env values). */
export function looksLikeSourcedRef(text: string, sourceIds: readonly string[]): boolean {
  const m = SOURCE_PREFIX.exec(text);
  if (!m || !sourceIds.includes(m[1]!)) return false;
  try {
    parseRef(text);
    return true;
  } catch {
    return false;
  }
}
