/**
 * The value a rotation writes: the new key alone, or the JSON object with one field replaced.
 * Refuses what would lose data or hide a typo; messages name fields, never values.
 */
import { SecretError, SecretNotFoundError } from '../core/errors.js';
import { keyIdOf } from '../core/fingerprint.js';
import type { SecretRef } from '../core/ref.js';
import type { Secret } from '../core/secret.js';
import type { SecretRecord } from '../core/source.js';
import { ringKeyName } from './keyring.js';

/** What may change: see `RotateOptions`. */
export interface RotatedValueOptions {
  whole?: boolean | undefined;
  create?: boolean | undefined;
}

/** The text to write for `ref` given its current value, and whether that creates the secret or field. */
export function rotatedValue(
  current: Secret | undefined,
  ref: SecretRef,
  source: string,
  key: string,
  options: RotatedValueOptions,
): { value: string; created: boolean } {
  const where = `secret "${ref.name}" in source "${source}"`;
  if (current === undefined) {
    if (!options.create) {
      throw new SecretNotFoundError(`${where} was not found; nothing was rotated`, {
        source,
        secretName: ref.name,
        hint: 'check the name, or pass --create (create: true) to create it',
      });
    }
    return { value: ref.field === undefined ? key : JSON.stringify({ [ref.field]: key }), created: true };
  }
  const object = jsonObject(current);
  if (ref.field === undefined) {
    if (object !== undefined && !options.whole) {
      const n = Object.keys(object).length;
      throw new SecretError(
        'ERR_USAGE',
        `${where} holds a JSON object (${n} field${n === 1 ? '' : 's'}); rotating it whole would replace every field with one key`,
        {
          source,
          secretName: ref.name,
          hint: 'name the field to rotate (REF#FIELD), or pass --whole (whole: true) to replace the whole value',
        },
      );
    }
    return { value: key, created: false };
  }
  if (object === undefined) {
    // Never quote the value or JSON.parse's message, which starts with it.
    throw new SecretError('ERR_SECRET_MALFORMED', `${where} is not a JSON object, so it has no fields`, {
      source,
      secretName: ref.name,
    });
  }
  const has = Object.hasOwn(object, ref.field);
  if (!has && !options.create) {
    throw new SecretNotFoundError(`field "${ref.field}" of ${where} was not found; nothing was rotated`, {
      source,
      secretName: ref.name,
      hint: 'check the field name, or pass --create (create: true) to add it',
    });
  }
  return { value: withField(current.reveal(), ref.field, key), created: !has };
}

/**
 * The JSON text with every top-level `field` member's value replaced by `key` (or the member added),
 * everything else byte for byte: re-serialising would change numbers such as 12345678901234567890
 * or 1.10 in the fields that are not rotated. Hand-written because JSON.parse keeps no positions
 * on Node 20. `text` is a JSON object (checked by the caller).
 */
function withField(text: string, field: string, key: string): string {
  const spans: Array<[number, number]> = [];
  let i = skipBlank(text, text.indexOf('{') + 1);
  let last = i;
  while (text[i] === '"') {
    const keyEnd = skipValue(text, i);
    const name = JSON.parse(text.slice(i, keyEnd)) as string;
    const start = skipBlank(text, skipBlank(text, keyEnd) + 1);
    const end = skipValue(text, start);
    if (name === field) spans.push([start, end]);
    last = end;
    i = skipBlank(text, end);
    if (text[i] === ',') i = skipBlank(text, i + 1);
  }
  const member = JSON.stringify(key);
  if (spans.length === 0) {
    const sep = text.slice(0, last).trimEnd().endsWith('{') ? '' : ', ';
    return `${text.slice(0, last)}${sep}${JSON.stringify(field)}: ${member}${text.slice(last)}`;
  }
  let out = text;
  for (const [start, end] of spans.reverse()) out = out.slice(0, start) + member + out.slice(end);
  return out;
}

function skipBlank(text: string, i: number): number {
  while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  return i;
}

/** The index just past the JSON value starting at `i` (valid JSON assumed). */
function skipValue(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j]!;
    if (c === '"') {
      for (j++; text[j] !== '"'; j++) if (text[j] === '\\') j++;
      if (depth === 0) return j + 1;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) return j;
      if (--depth === 0) return j + 1;
    } else if (depth === 0 && (c === ',' || ' \t\n\r'.includes(c))) return j;
  }
  return text.length;
}

/** The kid key rings give the current version of `ref` (from its name and version, never the value). */
export function currentKid(current: SecretRecord, ref: SecretRef): string {
  const field = ref.field === undefined ? undefined : jsonObject(current.value)?.[ref.field];
  const bytes = typeof field === 'string' ? Buffer.from(field) : current.value.bytes();
  return keyIdOf(bytes, { name: ringKeyName(ref), version: current.version });
}

function jsonObject(value: Secret): Record<string, unknown> | undefined {
  if (value.isBinary) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.reveal());
  } catch {
    return undefined;
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : undefined;
}
