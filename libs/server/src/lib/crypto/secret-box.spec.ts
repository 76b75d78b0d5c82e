import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('opens what it sealed', () => {
    expect(box.open(box.seal('s3cret-value'))).toBe('s3cret-value');
  });

  it('never stores the plaintext and uses a fresh IV each time', () => {
    const a = box.seal('s3cret-value');
    const b = box.seal('s3cret-value');
    expect(a).not.toContain('s3cret');
    expect(a).not.toBe(b);
  });

  it('refuses a tampered ciphertext', () => {
    const sealed = box.seal('s3cret-value');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
  });

  it('refuses to open with another key', () => {
    expect(() => new SecretBox(randomBytes(32)).open(box.seal('x'))).toThrow();
  });
});
