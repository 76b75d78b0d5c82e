// Run: node -r ./tools/register.js --test tools/simulators/*.test.ts
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { deviceAuthHeaders, signBody } from './device-auth';
import { backoffDelayMs, retryAfterMs } from './device-client';
import { Outbox } from './outbox';

describe('device auth', () => {
  it('signs timestamp + "." + raw body with HMAC-SHA256, hex', () => {
    const expected = createHmac('sha256', 's3cret').update('1700000000.{"a":1}').digest('hex');
    assert.equal(signBody('s3cret', 1700000000, '{"a":1}'), expected);
  });

  it('sends unix seconds and the signature in hmac mode, the secret in secret mode', () => {
    const device = { deviceId: 'GW-1', secret: 's3cret' };
    assert.deepEqual(deviceAuthHeaders('hmac', device, '{}', 1_700_000_000_999), {
      'X-Device-ID': 'GW-1',
      'X-Timestamp': '1700000000',
      'X-Signature': signBody('s3cret', 1700000000, '{}'),
    });
    assert.deepEqual(deviceAuthHeaders('secret', device, '{}'), {
      'X-Device-ID': 'GW-1',
      'X-Device-Secret': 's3cret',
    });
  });
});

describe('backoff', () => {
  it('doubles up to the cap, with jitter over the upper half, never under a second', () => {
    const top = (): number => 0.999999;
    const bottom = (): number => 0;
    assert.equal(backoffDelayMs(1, null, undefined, top), 1000);
    assert.equal(backoffDelayMs(3, null, undefined, top), 4000);
    assert.equal(backoffDelayMs(3, null, undefined, bottom), 2000);
    assert.equal(backoffDelayMs(20, null, undefined, top), 60_000);
    assert.equal(backoffDelayMs(1, null, { baseMs: 100, maxMs: 1000 }, bottom), 1000);
  });

  it('honours Retry-After in seconds or as a date, within the cap', () => {
    assert.equal(retryAfterMs('7'), 7000);
    assert.equal(retryAfterMs(new Date(1_000_000 + 5000).toUTCString(), 1_000_000), 5000);
    assert.equal(retryAfterMs('soon'), null);
    assert.equal(backoffDelayMs(1, 7000), 7000);
    assert.equal(backoffDelayMs(1, 600_000), 60_000);
    assert.equal(backoffDelayMs(1, 0), 1000);
  });
});

describe('outbox', () => {
  it('keeps entries oldest first and counts what a full outbox pushes out', () => {
    const outbox = new Outbox<number>(2);
    assert.equal(outbox.push(1), undefined);
    outbox.push(2);
    assert.equal(outbox.push(3), 1);
    assert.equal(outbox.dropped, 1);
    assert.equal(outbox.size, 2);
    assert.equal(outbox.peek(), 2);
    assert.equal(outbox.shift(), 2);
    assert.equal(outbox.shift(), 3);
    assert.equal(outbox.shift(), undefined);
  });
});
