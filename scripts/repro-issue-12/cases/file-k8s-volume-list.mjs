// file source over a Kubernetes secret volume (NAME -> ..data/NAME): does list() name every key, and get() read it?
import { describeError, fail, load, packageRoot, pass, tempDir } from '../lib/common.mjs';
import { k8sVolume } from '../lib/k8s-volume.mjs';

const ID = 'file-k8s-volume-list';
const root = packageRoot();
const { volume, values } = k8sVolume(tempDir());
const { fileSource } = await load(root, 'secretsource/providers/file');
const source = fileSource({ dir: volume });
const listed = [];
try {
  for await (const m of source.list()) listed.push(m.name);
} catch (err) {
  fail(ID, `list() threw ${describeError(err)}`);
}
const expected = Object.keys(values).sort();
const problems = [];
if (JSON.stringify([...listed].sort()) !== JSON.stringify(expected))
  problems.push(`list() gave [${listed.join(', ')}] for a volume holding [${expected.join(', ')}]`);
for (const [name, value] of Object.entries(values)) {
  try {
    if ((await source.get(name))?.value.reveal() !== value)
      problems.push(`get(${name}) did not return its value`);
  } catch (err) {
    problems.push(`get(${name}) threw ${describeError(err)}`);
  }
}
if (problems.length > 0) fail(ID, problems.join('; '));
else pass(ID, `(listed ${listed.join(', ')})`);
