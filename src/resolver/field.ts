/** JSON field selection for `#field` refs. Lives in the resolver layer, never in a provider. */
import { nodeModule } from '../core/builtins.js';
import { SecretError } from '../core/errors.js';
import { Secret } from '../core/secret.js';

type JsoncParser = typeof import('jsonc-parser');
let jsonc: JsoncParser | undefined;

/**
 * jsonc-parser (Microsoft's, used by VS Code) gives every value's offset and length in the text, so a
 * number comes back as it is written (`12345678901234567890`, `1.10`, `1e21`), never re-serialised
 * from a double. Loaded on the first non-string field, synchronously (selection is synchronous): an
 * app that never selects one never pays its load. Its UMD build, because its ESM build's
 * extensionless imports do not load in Node. `JSON.parse` still decides what is valid JSON (the
 * library also reads comments and trailing commas); on Node 21+ the reviver's `context.source`
 * could replace it.
 */
function parser(): JsoncParser {
  jsonc ??= nodeModule().createRequire(import.meta.url)('jsonc-parser') as JsoncParser;
  return jsonc;
}

/**
 * Returns the top-level `field` of the JSON object held in `value`, as a Secret: a string as its
 * decoded text, any other value (number, boolean, object, array) as the exact text stored for it.
 * A parse failure never quotes the value (Node's own JSON.parse message does, so it is dropped).
 */
export function selectField(value: Secret, field: string, where: { source: string; name: string }): Secret {
  const text = value.reveal();
  const malformed = (why: string, hint?: string) =>
    new SecretError('ERR_SECRET_MALFORMED', `secret "${where.name}" in source "${where.source}" ${why}`, {
      source: where.source,
      secretName: where.name,
      ...(hint ? { hint } : {}),
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformed(`is not JSON, so field "${field}" cannot be selected`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw malformed(`is JSON but not an object, so field "${field}" cannot be selected`);
  }
  if (!Object.hasOwn(parsed, field)) {
    throw malformed(`has no field "${field}"`, 'check the #field part of the reference');
  }
  const picked = (parsed as Record<string, unknown>)[field];
  if (picked === null) {
    throw new SecretError(
      'ERR_SECRET_MALFORMED',
      `field "${field}" of secret "${where.name}" in source "${where.source}" is null`,
      { source: where.source, secretName: where.name },
    );
  }
  const selected = typeof picked === 'string' ? picked : storedText(text, field);
  // JSON.parse found the field, so the tree has it too; should it not, say so rather than guess.
  if (selected === undefined)
    throw malformed(`has a field "${field}" whose stored text could not be located`);
  return new Secret(selected, { name: `${where.name}#${field}` });
}

/** The text of the last top-level member named `field` (JSON.parse keeps the last of duplicates). */
function storedText(text: string, field: string): string | undefined {
  const root = parser().parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
  const member = root?.children?.findLast((m) => m.children?.[0]?.value === field)?.children?.[1];
  return member && text.slice(member.offset, member.offset + member.length);
}
