/**
 * Looks for the app's real secrets in the tree and in git history, in every form a value is
 * commonly written: as is, hex, base64 and base64url (at each of the three byte alignments, so
 * a value inside a longer encoded blob is found too), and percent-encoded. Reports file, line and
 * commit with a keyed fingerprint; the value and its forms stay in this module.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Environment } from '../strength/types.js';
import { describe } from './engine.js';
import { judge } from './judge.js';
import { isBinary, readLimited } from './runner.js';
import type { ScanFinding, ScanNote, ScanValue } from './types.js';

/** Values shorter than this are not searched: they would match everywhere. */
export const MIN_SEARCH_LENGTH = 8;

/** One way a value can be written. */
interface Form {
  form: string;
  bytes: Buffer;
}

/** The forms of `value` worth searching for (each at least 8 bytes long). */
export function valueForms(value: string): Form[] {
  const raw = Buffer.from(value, 'utf8');
  const forms: Form[] = [{ form: 'plain', bytes: raw }];
  const hex = raw.toString('hex');
  forms.push(
    { form: 'hex', bytes: Buffer.from(hex) },
    { form: 'hex', bytes: Buffer.from(hex.toUpperCase()) },
  );
  for (let pad = 0; pad < 3; pad++) {
    for (const enc of ['base64', 'base64url'] as const) {
      // After `pad` other bytes the value's own characters start at ceil(4 pad / 3); the last two may mix with what follows.
      const text = Buffer.concat([Buffer.alloc(pad), raw])
        .toString(enc)
        .replace(/=+$/, '');
      const core = text.slice(
        Math.ceil((pad * 4) / 3),
        text.length - (pad === 0 && raw.length % 3 === 0 ? 0 : 2),
      );
      if (core.length >= MIN_SEARCH_LENGTH) forms.push({ form: enc, bytes: Buffer.from(core) });
    }
  }
  const pct = encodeURIComponent(value);
  if (pct !== value) forms.push({ form: 'percent-encoded', bytes: Buffer.from(pct) });
  const seen = new Set<string>();
  return forms.filter((f) => {
    const k = f.bytes.toString('latin1');
    if (f.bytes.length < MIN_SEARCH_LENGTH || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A value with its forms, ready to search. */
interface Prepared {
  name: string;
  forms: Form[];
  verdict: ReturnType<typeof judge>;
  fingerprint: string;
}

/** Prepares the values; those too short to search become notes. */
export function prepareValues(
  values: readonly ScanValue[],
  environment: Environment,
  key: string | Uint8Array | undefined,
): { prepared: Prepared[]; notes: ScanNote[] } {
  const prepared: Prepared[] = [];
  const notes: ScanNote[] = [];
  for (const v of values) {
    const text = v.secret.reveal();
    if (text.length < MIN_SEARCH_LENGTH) {
      notes.push({
        file: '',
        message: `${v.name} is shorter than ${MIN_SEARCH_LENGTH} characters and was not searched for`,
      });
      continue;
    }
    prepared.push({
      name: v.name,
      forms: valueForms(text),
      verdict: judge(text, [v.name], environment),
      // The secret's own fingerprint, as `secretsource get` prints it: the same secret reads the same everywhere.
      fingerprint: v.secret.fingerprint(key),
    });
  }
  return { prepared, notes };
}

function finding(
  p: Prepared,
  form: string,
  file: string,
  line: number,
  column: number,
  commit?: string,
): ScanFinding {
  const where = commit ? `, added in commit ${commit.slice(0, 12)}` : '';
  return {
    kind: 'value',
    rule: `value/${form}`,
    file,
    line,
    column,
    name: p.name,
    verdict: p.verdict.verdict,
    ok: p.verdict.ok,
    codes: p.verdict.codes,
    profile: p.verdict.profile,
    message: `${describe('value', p.name, p.verdict.verdict, p.verdict.codes)}${form === 'plain' ? '' : ` (${form})`}${where}`,
    fingerprint: p.fingerprint,
    form,
    ...(commit ? { commit } : {}),
  };
}

/** Every occurrence of a prepared value in `buf`, one finding per (line, form). */
function searchBuffer(
  buf: Buffer,
  file: string,
  prepared: readonly Prepared[],
  commit?: string,
  baseLine = 1,
): ScanFinding[] {
  const out: ScanFinding[] = [];
  for (const p of prepared) {
    const seen = new Set<string>();
    for (const f of p.forms) {
      for (let at = buf.indexOf(f.bytes); at >= 0; at = buf.indexOf(f.bytes, at + 1)) {
        let line = baseLine;
        let lineStart = 0;
        for (let i = buf.indexOf(10); i >= 0 && i < at; i = buf.indexOf(10, i + 1)) {
          line++;
          lineStart = i + 1;
        }
        const key = `${line}\0${f.form}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(finding(p, f.form, file, line, at - lineStart + 1, commit));
      }
    }
  }
  return out;
}

/** Searches the files (every text file, test fixtures and examples included). */
export function searchFiles(
  files: ReadonlyArray<{ abs: string; path: string }>,
  prepared: readonly Prepared[],
  maxBytes: number,
): { findings: ScanFinding[]; files: number; bytes: number; huge: number } {
  const findings: ScanFinding[] = [];
  let count = 0;
  let bytes = 0;
  let huge = 0;
  if (prepared.length === 0) return { findings, files: 0, bytes: 0, huge: 0 };
  for (const f of files) {
    let buf: Buffer | undefined;
    try {
      buf = readLimited(f.abs, maxBytes);
    } catch {
      continue;
    }
    if (!buf) {
      huge++;
      continue;
    }
    if (isBinary(buf)) continue;
    count++;
    bytes += buf.length;
    findings.push(...searchBuffer(buf, f.path, prepared));
  }
  return { findings, files: count, bytes, huge };
}

/**
 * Searches every line added in any commit reachable from any ref (`git log --all -p`): each hit is
 * reported with the commit that added it, the file and the line in that commit.
 */
export async function searchHistory(
  root: string,
  prepared: readonly Prepared[],
): Promise<{ findings: ScanFinding[]; commits: number }> {
  const findings: ScanFinding[] = [];
  if (prepared.length === 0) return { findings, commits: 0 };
  const child = spawn(
    'git',
    [
      '-c',
      'core.quotepath=off',
      'log',
      '--all',
      '-p',
      '-U0',
      '--no-color',
      '--no-ext-diff',
      '--no-renames',
      '--format=%x00commit %H',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const lines = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
  let commit = '';
  let file = '';
  let line = 0;
  let commits = 0;
  for await (const text of lines) {
    if (text.startsWith('\0commit ')) {
      commit = text.slice(8).trim();
      commits++;
    } else if (text.startsWith('+++ ')) {
      file = text.startsWith('+++ b/') ? text.slice(6) : '';
    } else if (text.startsWith('@@')) {
      line = Number(/\+(\d+)/.exec(text)?.[1] ?? 0);
    } else if (text.startsWith('+') && file) {
      findings.push(...searchBuffer(Buffer.from(text.slice(1), 'utf8'), file, prepared, commit, line));
      line++;
    }
  }
  await new Promise((resolve) => (child.exitCode === null ? child.once('close', resolve) : resolve(null)));
  return { findings, commits };
}
