import { ERROR_OUTCOMES, ErrorCode, IngestErrorCode, errorOutcome } from './errors';

describe('ERROR_OUTCOMES', () => {
  const codes = [...Object.values(ErrorCode), ...Object.values(IngestErrorCode)];

  it.each(codes)('gives %s an HTTP error status and an MQTT outcome', (code) => {
    const outcome = errorOutcome(code);
    expect(outcome.status).toBeGreaterThanOrEqual(400);
    expect(outcome.status).toBeLessThan(600);
    expect(['reject', 'retry']).toContain(outcome.mqtt);
  });

  it('lists no code that is not an ErrorCode or an IngestErrorCode', () => {
    expect(Object.keys(ERROR_OUTCOMES).sort()).toEqual([...new Set(codes)].sort());
  });

  it('retries over MQTT only what may succeed later: a queue outage or backlog, a rate limit, a crash, a copy still in flight', () => {
    const retried = Object.entries(ERROR_OUTCOMES)
      .filter(([, outcome]) => outcome.mqtt === 'retry')
      .map(([code]) => code);
    expect(retried.sort()).toEqual([
      'ingest_backlog_full',
      'internal_error',
      'message_in_flight',
      'service_unavailable',
      'too_many_requests',
    ]);
  });

  it('uses snake_case codes', () => {
    for (const code of Object.keys(ERROR_OUTCOMES)) expect(code).toMatch(/^[a-z]+(_[a-z0-9]+)*$/);
  });
});
