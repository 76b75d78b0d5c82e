import { cleanUp, takeRun } from './e2e-run';

export default async function globalTeardown(): Promise<void> {
  const run = takeRun();
  if (run) await cleanUp(run);
}
