/**
 * REST load: gateways' signed batches to POST /api/v1/readings/ingest, `concurrency` requests in
 * flight, as fast as the API answers, for a fixed time. Back-pressure (503 + Retry-After) and
 * 429/5xx are waited out and the same batch resent (counted); the batch in hand at the deadline
 * is dropped.
 */
import {
  INGEST_PATH,
  backoffDelayMs,
  isIngestAnswer,
  postDevice,
} from '../simulators/device-client';
import { sleep } from './common';
import type { ReadingSource } from './readings';

export interface AcceptEvent {
  atMs: number;
  accepted: number;
}

export interface RestLoadReport {
  requests: number;
  pushedBack: number;
  retried: number;
  accepted: number;
  rejected: number;
  failed: number;
  accepts: AcceptEvent[];
  latenciesMs: number[];
  problems: Map<string, number>;
}

export async function runRestLoad(
  api: string,
  source: ReadingSource,
  concurrency: number,
  untilMs: number,
): Promise<RestLoadReport> {
  const report: RestLoadReport = {
    requests: 0,
    pushedBack: 0,
    retried: 0,
    accepted: 0,
    rejected: 0,
    failed: 0,
    accepts: [],
    latenciesMs: [],
    problems: new Map(),
  };
  const note = (problem: string): void => {
    report.problems.set(problem, (report.problems.get(problem) ?? 0) + 1);
  };
  const worker = async (): Promise<void> => {
    while (performance.now() < untilMs) {
      const { gateway, batch } = source.next();
      const device = { deviceId: gateway.serialNumber, secret: gateway.secret };
      for (let attempt = 1; performance.now() < untilMs; attempt += 1) {
        const response = await postDevice({
          api,
          path: INGEST_PATH,
          body: batch,
          device,
          auth: 'hmac',
          timeoutMs: 60_000,
        });
        report.requests += 1;
        if (response.outcome === 'ok' && isIngestAnswer(response.body)) {
          const now = performance.now();
          report.latenciesMs.push(response.durationMs);
          report.accepted += response.body.accepted;
          report.rejected += response.body.rejected.length;
          report.accepts.push({ atMs: now, accepted: response.body.accepted });
          for (const rejection of response.body.rejected) note(`rejected: ${rejection.error}`);
          break;
        }
        if (response.outcome === 'retry' && response.retryAfterMs !== null) {
          report.pushedBack += 1;
          note(`pushed back: ${response.reason}`);
          // Waits out Retry-After but never past the deadline.
          await sleep(
            Math.min(backoffDelayMs(attempt, response.retryAfterMs), untilMs - performance.now()),
          );
          continue;
        }
        if (response.outcome === 'retry' && attempt < 10) {
          report.retried += 1;
          note(`retried: ${response.reason}`);
          await sleep(backoffDelayMs(attempt, null));
          continue;
        }
        report.failed += batch.readings.length;
        note(response.outcome === 'ok' ? 'unexpected answer' : response.reason);
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return report;
}

/** Readings accepted (HTTP 202) per second between two instants. */
export function acceptedRate(accepts: AcceptEvent[], fromMs: number, toMs: number): number {
  const inWindow = accepts.filter((event) => event.atMs >= fromMs && event.atMs <= toMs);
  return inWindow.reduce((sum, event) => sum + event.accepted, 0) / ((toMs - fromMs) / 1000);
}
