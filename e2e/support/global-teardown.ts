import { cleanUp, secretsInLogs, takeRun } from './e2e-run';

export default async function globalTeardown(): Promise<void> {
  const run = takeRun();
  if (!run) return;
  await cleanUp(run); // the processes have stopped: their logs are complete
  const found = secretsInLogs(run);
  if (found.length > 0) {
    throw new Error(`Secrets in the logs of the e2e run (issue 10):\n  ${found.join('\n  ')}`);
  }
  console.log(
    `\nNo secret in the logs (${Object.keys(run.secrets).length} secrets, ${run.logPaths.length} logs checked)`,
  );
}
