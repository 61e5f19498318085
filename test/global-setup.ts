/**
 * Starts the emulators the suites need, once per run, and tells the workers where they are
 * through environment variables. Each emulator module registers itself here.
 */
import type { TestProject } from 'vitest/node';

type Teardown = () => Promise<void>;

export default async function setup(project: TestProject): Promise<Teardown> {
  const teardowns: Teardown[] = [];
  const starters: Array<() => Promise<{ env: Record<string, string>; stop: Teardown }>> = [];
  // Emulator starters are added below by the provider work (moto, vault, azure-kv).
  for (const start of starters) {
    const { env, stop } = await start();
    for (const [k, v] of Object.entries(env)) {
      process.env[k] = v;
      project.provide(k as never, v as never);
    }
    teardowns.push(stop);
  }
  return async () => {
    for (const stop of teardowns.reverse()) await stop();
  };
}
