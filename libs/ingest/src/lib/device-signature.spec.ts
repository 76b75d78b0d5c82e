import { createHmac, randomBytes } from 'node:crypto';
import { verifyDeviceSignature } from './device-signature';

// Generated per run: no secret is written in the source.
const SECRET = randomBytes(24).toString('base64url');
const BODY = '{"status":"online"}';
const AT = 1767225600;
const window = { seconds: 300, aroundMs: AT * 1000 };

function sign(timestamp: string, body: string, secret = SECRET): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

describe('verifyDeviceSignature', () => {
  const proof = { timestamp: String(AT), body: BODY, signature: sign(String(AT), BODY) };

  it('accepts the signature of any of the given secrets, in either hex case, text or bytes', () => {
    expect(verifyDeviceSignature(proof, ['other', SECRET], window)).toEqual({ ok: true });
    const upper = { ...proof, signature: proof.signature.toUpperCase() };
    expect(verifyDeviceSignature(upper, [SECRET], window)).toEqual({ ok: true });
    expect(verifyDeviceSignature({ ...proof, body: Buffer.from(BODY) }, [SECRET], window)).toEqual({
      ok: true,
    });
  });

  it("refuses another device's signature, a changed body or timestamp, and garbage", () => {
    const refused = { ok: false, code: 'invalid_device_credentials' };
    const other = { ...proof, signature: sign(String(AT), BODY, 'other') };
    expect(verifyDeviceSignature(other, [SECRET], window)).toEqual(refused);
    expect(verifyDeviceSignature({ ...proof, body: `${BODY} ` }, [SECRET], window)).toEqual(
      refused,
    );
    expect(
      verifyDeviceSignature({ ...proof, timestamp: String(AT + 1) }, [SECRET], window),
    ).toEqual(refused);
    expect(verifyDeviceSignature({ ...proof, signature: 'zz' }, [SECRET], window)).toEqual(refused);
    expect(verifyDeviceSignature(proof, [], window)).toEqual(refused);
  });

  it('applies the replay window around the given moment, either side', () => {
    const old = { ...proof, timestamp: String(AT - 86_400) };
    old.signature = sign(old.timestamp, BODY);
    expect(verifyDeviceSignature(old, [SECRET], window)).toEqual({
      ok: false,
      code: 'stale_timestamp',
    });
    // A last will: judged around the moment its session was opened, not now.
    const aroundSession = { seconds: 300, aroundMs: (AT - 86_400 + 5) * 1000 };
    expect(verifyDeviceSignature(old, [SECRET], aroundSession)).toEqual({ ok: true });
  });

  it('refuses a timestamp that is not unix seconds before looking at the signature', () => {
    expect(verifyDeviceSignature({ ...proof, timestamp: 'yesterday' }, [SECRET], window)).toEqual({
      ok: false,
      code: 'invalid_timestamp',
    });
  });
});
