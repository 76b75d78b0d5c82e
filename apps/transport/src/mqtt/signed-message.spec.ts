import { createHmac, randomBytes } from 'node:crypto';
import { readSignedMessage } from './signed-message';

// Generated per run: no secret is written in the source.
const SECRET = randomBytes(24).toString('base64url');
const BODY = JSON.stringify({
  gateway_serial: 'GW-1',
  timestamp: '2026-01-01T00:00:00Z',
  readings: [],
});

function sign(timestamp: string, body: string, secret = SECRET): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

describe('readSignedMessage', () => {
  it('reads an MQTT 5 message: the body is the payload, timestamp and signature user properties', () => {
    const signature = sign('1767225600', BODY);
    const result = readSignedMessage(Buffer.from(BODY), { timestamp: '1767225600', signature });
    expect(result).toEqual({
      ok: true,
      message: { timestamp: '1767225600', signature, body: BODY, document: JSON.parse(BODY) },
    });
  });

  it('reads the MQTT 3.1.1 envelope, keeping the body text exactly as signed', () => {
    const body = '{ "status" : "online" }';
    const envelope = JSON.stringify({ timestamp: '1767225600', signature: 'ab', body });
    const result = readSignedMessage(Buffer.from(envelope));
    expect(result).toEqual({
      ok: true,
      message: { timestamp: '1767225600', signature: 'ab', body, document: { status: 'online' } },
    });
  });

  it('accepts a numeric envelope timestamp as its decimal text', () => {
    const envelope = JSON.stringify({ timestamp: 1767225600, signature: 'ab', body: '{}' });
    const result = readSignedMessage(Buffer.from(envelope));
    expect(result.ok && result.message.timestamp).toBe('1767225600');
  });

  it.each([
    ['not JSON', Buffer.from('{oops'), undefined, 'payload is not JSON'],
    ['a JSON array', Buffer.from('[1]'), undefined, 'payload is not a JSON object'],
    ['an unsigned batch', Buffer.from(BODY), undefined, 'unsigned'],
    [
      'an envelope whose body is an object',
      Buffer.from(JSON.stringify({ timestamp: '1', signature: 'ab', body: {} })),
      undefined,
      'unsigned',
    ],
    [
      'an envelope without timestamp',
      Buffer.from(JSON.stringify({ signature: 'ab', body: '{}' })),
      undefined,
      'timestamp is missing',
    ],
    [
      'an MQTT 5 body that is not JSON',
      Buffer.from('nope'),
      { signature: 'ab', timestamp: '1' },
      'body is not JSON',
    ],
    [
      'MQTT 5 properties without timestamp',
      Buffer.from('{}'),
      { signature: 'ab' },
      'timestamp is missing',
    ],
  ])('refuses %s', (_, payload, properties, problem) => {
    const result = readSignedMessage(payload, properties);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toContain(problem);
  });

  it('refuses a payload or body nested deeper than 32 levels, without parsing it', () => {
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const envelope = `{"timestamp":"1767225600","signature":"ab","body":${JSON.stringify(deep)},"x":${deep}}`;
    expect(readSignedMessage(Buffer.from(envelope))).toMatchObject({
      ok: false,
      reason: 'too_deep',
    });
    const inBody = JSON.stringify({ timestamp: '1767225600', signature: 'ab', body: deep });
    expect(readSignedMessage(Buffer.from(inBody))).toMatchObject({ ok: false, reason: 'too_deep' });
    const mqtt5 = readSignedMessage(Buffer.from(deep), {
      timestamp: '1767225600',
      signature: 'ab',
    });
    expect(mqtt5).toMatchObject({ ok: false, reason: 'too_deep' });
  });
});
