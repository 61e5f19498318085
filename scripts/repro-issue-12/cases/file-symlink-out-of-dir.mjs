// file source: do links in its directory that point outside it (../outside.txt, /etc/hostname, an
// absolute path) get read?
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeError, fail, load, packageRoot, pass, tempDir } from '../lib/common.mjs';

const ID = 'file-symlink-out-of-dir';
const root = packageRoot();
const top = tempDir();
const dir = join(top, 'secrets');
mkdirSync(dir);
writeFileSync(join(top, 'outside.txt'), 'outside-canary-9d1e');
writeFileSync(join(dir, 'INSIDE'), 'inside-value-4b7c');
symlinkSync('../outside.txt', join(dir, 'UP'));
symlinkSync(join(top, 'outside.txt'), join(dir, 'ABSOLUTE'));
const links = ['UP', 'ABSOLUTE'];
if (existsSync('/etc/hostname')) {
  symlinkSync('/etc/hostname', join(dir, 'HOST'));
  links.push('HOST');
}
const { fileSource } = await load(root, 'secretsource/providers/file');
const source = fileSource({ dir });
const read = [];
const refused = [];
for (const name of links) {
  try {
    const rec = await source.get(name);
    const text = rec?.value.reveal();
    const outside = name === 'HOST' ? readFileSync('/etc/hostname', 'utf8') : 'outside-canary-9d1e';
    if (text !== undefined && text.trim() === outside.trim()) read.push(name);
    else refused.push(`${name}: ${rec === undefined ? 'absent' : 'other value'}`);
  } catch (err) {
    refused.push(`${name}: ${describeError(err)}`);
  }
}
let inside;
try {
  inside = (await source.get('INSIDE'))?.value.reveal();
} catch (err) {
  inside = describeError(err);
}
if (read.length > 0) fail(ID, `read a file outside the directory through ${read.join(', ')}`);
else if (inside !== 'inside-value-4b7c')
  fail(ID, `cannot judge: a plain file inside was not read (${inside})`);
else pass(ID, `(${refused.join('; ')})`);
