/**
 * Starts every emulator once per run and hands its address to the test workers through
 * environment variables (workers are forked after this runs, so they inherit them).
 * An emulator registers itself by adding `test/emulators/<name>.start.ts` exporting
 * `start(): Promise<{ env: Record<string, string>; stop(): Promise<void> }>`.
 * A starter that fails fails the run with its message: no suite is skipped.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Started = { env: Record<string, string>; stop(): Promise<void> };

export default async function setup(): Promise<() => Promise<void>> {
  const dir = fileURLToPath(new URL('./emulators/', import.meta.url));
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.start.ts'))
    .sort();
  const stops: Array<() => Promise<void>> = [];
  const started = await Promise.all(
    files.map(async (f) => {
      const mod = (await import(pathToFileURL(dir + f).href)) as { start(): Promise<Started> };
      return mod.start();
    }),
  );
  for (const s of started) {
    Object.assign(process.env, s.env);
    stops.push(() => s.stop());
  }
  return async () => {
    await Promise.allSettled(stops.map((stop) => stop()));
  };
}
