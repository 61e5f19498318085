/** A Kubernetes secret volume as the kubelet lays it out: NAME -> ..data/NAME, ..data -> ..<timestamp>. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Makes the volume under `dir`; returns its path and the values by name. */
export function k8sVolume(dir) {
  const volume = join(dir, 'volume');
  const stamp = '..2026_11_30_05_00_00.000000001';
  mkdirSync(join(volume, stamp), { recursive: true });
  symlinkSync(stamp, join(volume, '..data'));
  const values = {
    DB_PASSWORD: randomBytes(24).toString('base64url'),
    API_TOKEN: randomBytes(32).toString('base64url'),
  };
  for (const [name, value] of Object.entries(values)) {
    writeFileSync(join(volume, stamp, name), value);
    symlinkSync(join('..data', name), join(volume, name));
  }
  return { volume, values };
}
