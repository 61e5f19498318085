/** Reads one secret file for the env (`NAME_FILE`) and file sources, mapping fs errors to our codes. */
import { readFile } from 'node:fs/promises';
import { SecretError, SourceError } from '../core/errors.js';
import { Secret } from '../core/secret.js';

/**
 * Reads `path` as a secret: text when it is valid UTF-8 (one trailing newline dropped, as
 * `echo value > file` adds one), bytes otherwise. Resolves to undefined when the file is absent.
 */
export async function readSecretFile(
  path: string,
  at: { source: string; name: string; missing: 'absent' | 'error' },
): Promise<Secret | undefined> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if ((code === 'ENOENT' || code === 'ENOTDIR') && at.missing === 'absent') return undefined;
    if (code === 'EACCES' || code === 'EPERM') {
      throw new SourceError(
        'ERR_SOURCE_ACCESS_DENIED',
        `source "${at.source}" may not read the file for secret "${at.name}"`,
        {
          source: at.source,
          secretName: at.name,
          cause: err,
        },
      );
    }
    if (code === 'EISDIR') {
      throw new SecretError(
        'ERR_SECRET_MALFORMED',
        `the file for secret "${at.name}" in source "${at.source}" is a directory`,
        {
          source: at.source,
          secretName: at.name,
        },
      );
    }
    throw new SourceError(
      'ERR_SOURCE_MISCONFIGURED',
      `source "${at.source}" could not read the file for secret "${at.name}" (${code ?? 'error'})`,
      {
        source: at.source,
        secretName: at.name,
        cause: err,
        hint: `check the path ${path}`,
      },
    );
  }
  const text = buf.toString('utf8');
  // Valid UTF-8 round-trips exactly; anything else is kept as bytes.
  if (Buffer.from(text, 'utf8').equals(buf)) {
    return new Secret(
      text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text,
      { name: at.name },
    );
  }
  return new Secret(new Uint8Array(buf), { name: at.name });
}
