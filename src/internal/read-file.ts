/**
 * The one bounded file reader: a size cap checked while reading (so `/dev/zero` or a huge file
 * costs at most the cap, never the whole file) and a signal checked between reads. Used for
 * `NAME_FILE`, the file source, the Kubernetes service-account token and `--env-file`.
 */
import { open } from 'node:fs/promises';
import { SecretError, SourceError } from '../core/errors.js';
import { Secret } from '../core/secret.js';

/** Bytes of the first read; each later read doubles, up to {@link MAX_CHUNK} (few reads for a large file). */
const CHUNK = 64 * 1024;
const MAX_CHUNK = 4 * 1024 * 1024;
/** What a secret file may hold by default: far above any key or certificate bundle. */
export const DEFAULT_SECRET_FILE_BYTES = 1024 * 1024;

/** Options for {@link readBoundedFile}. */
export interface BoundedReadOptions {
  /** Most bytes read; one more fails with an error whose `code` is `EFBIG` (see `truncate`). */
  maxBytes: number;
  /**
   * Return the first `maxBytes + 1` bytes instead of failing, for a parser that reports "too
   * large" itself. @default false
   */
  truncate?: boolean | undefined;
  /** Stops the read between chunks (the error is the signal's reason). */
  signal?: AbortSignal | undefined;
}

/** Reads `path` whole, refusing past `maxBytes` without reading further. */
export async function readBoundedFile(path: string, o: BoundedReadOptions): Promise<Buffer> {
  o.signal?.throwIfAborted();
  const handle = await open(path, 'r');
  try {
    const { size: declared } = await handle.stat();
    if (declared > o.maxBytes && !o.truncate) throw tooLarge(o.maxBytes);
    const chunks: Buffer[] = [];
    let size = 0;
    let want = CHUNK;
    for (;;) {
      o.signal?.throwIfAborted();
      const chunk = Buffer.allocUnsafe(want);
      const { bytesRead } = await handle.read(chunk, 0, want, null);
      want = Math.min(want * 2, MAX_CHUNK);
      if (bytesRead === 0) break;
      size += bytesRead;
      chunks.push(chunk.subarray(0, bytesRead));
      // Devices and pipes report size 0: the cap holds while reading too.
      if (size > o.maxBytes) {
        if (!o.truncate) throw tooLarge(o.maxBytes);
        return Buffer.concat(chunks, size).subarray(0, o.maxBytes + 1);
      }
    }
    return Buffer.concat(chunks, size);
  } finally {
    await handle.close();
  }
}

function tooLarge(max: number): Error {
  return Object.assign(new Error(`the file is larger than ${max} bytes`), { code: 'EFBIG' });
}

/**
 * Reads `path` as a secret: text when it is valid UTF-8 (one trailing newline dropped, as
 * `echo value > file` adds one), bytes otherwise. Resolves to undefined when the file is absent.
 */
export async function readSecretFile(
  path: string,
  at: {
    source: string;
    name: string;
    missing: 'absent' | 'error';
    maxBytes?: number | undefined;
    signal?: AbortSignal | undefined;
  },
): Promise<Secret | undefined> {
  const maxBytes = at.maxBytes ?? DEFAULT_SECRET_FILE_BYTES;
  let buf: Buffer;
  try {
    buf = await readBoundedFile(path, { maxBytes, signal: at.signal });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if ((code === 'ENOENT' || code === 'ENOTDIR') && at.missing === 'absent') return undefined;
    if (code === 'EACCES' || code === 'EPERM') {
      throw new SourceError(
        'ERR_SOURCE_ACCESS_DENIED',
        `source "${at.source}" may not read the file for secret "${at.name}"`,
        { source: at.source, secretName: at.name, cause: err },
      );
    }
    if (code === 'EISDIR') {
      throw new SecretError(
        'ERR_SECRET_MALFORMED',
        `the file for secret "${at.name}" in source "${at.source}" is a directory`,
        { source: at.source, secretName: at.name },
      );
    }
    if (code === 'EFBIG') {
      throw new SecretError(
        'ERR_SECRET_MALFORMED',
        `the file for secret "${at.name}" in source "${at.source}" is larger than ${maxBytes} bytes; it was not read`,
        {
          source: at.source,
          secretName: at.name,
          hint: 'a secret file holds one value; raise maxFileBytes if it really is this large',
        },
      );
    }
    if ((err as { name?: string }).name === 'AbortError' || at.signal?.aborted) throw err;
    throw new SourceError(
      'ERR_SOURCE_MISCONFIGURED',
      `source "${at.source}" could not read the file for secret "${at.name}" (${code ?? 'error'})`,
      { source: at.source, secretName: at.name, cause: err, hint: `check the path ${path}` },
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
