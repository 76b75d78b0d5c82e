/**
 * tools/fresh-machine.sh names the stage that failed: with FRESH_MACHINE_BREAK=services the
 * services install asks apt for a package that does not exist, so the check must stop there
 * (early: it reuses the cached root filesystem) and say so.
 *
 *   node -r ./tools/register.js --test tools/fresh-machine.test.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { it } from 'node:test';
import assert from 'node:assert/strict';

const CHECK = resolve(__dirname, 'fresh-machine.sh');
/** tools/fresh-machine.sh's exit code for "cannot run on this machine". */
const CANNOT_RUN = 77;

it('fails at the services-install stage, and names it, when that install is broken', (t) => {
  const logs = mkdtempSync(join(tmpdir(), 'gridwatch-fresh-broken-'));
  try {
    const run = spawnSync('bash', [CHECK], {
      encoding: 'utf8',
      env: { ...process.env, FRESH_MACHINE_BREAK: 'services', FRESH_MACHINE_LOGS: logs },
      timeout: 30 * 60 * 1000,
    });
    const output = run.stdout + run.stderr;
    if (run.status === CANNOT_RUN) {
      t.skip(`tools/fresh-machine.sh cannot run here: ${output.trim()}`);
      return;
    }
    assert.equal(run.status, 1, output);
    assert.match(output, /FAILED at stage: services-install/);
    assert.match(output, /services-install\s+\d+\s+FAILED/);
    assert.match(output, /\[services\] ERROR: apt-get install .*gridwatch-no-such-package/);
    assert.doesNotMatch(output, /stage deps/, 'no stage after the failed one runs');
  } finally {
    rmSync(logs, { recursive: true, force: true });
  }
});
