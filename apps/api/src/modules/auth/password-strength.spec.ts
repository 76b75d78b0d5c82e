import { DomainException } from '@gridwatch/server';
import { assertStrongPassword } from './password-strength';

const ada = { email: 'ada.lovelace@acme.example', name: 'Ada Lovelace' };

function refusal(password: string, owner = ada): DomainException {
  try {
    assertStrongPassword(password, owner);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainException);
    return error as DomainException;
  }
  throw new Error(`expected "${password}" to be refused`);
}

describe('assertStrongPassword', () => {
  it.each(['aaaaaaaaaa', 'password123', 'qwertyuiop', '1234567890'])(
    'refuses %j as weak_password with zxcvbn feedback',
    (password) => {
      const error = refusal(password);
      expect(error.code).toBe('weak_password');
      expect(error.status).toBe(400);
      expect(error.message).toMatch(/^This password is too easy to guess\. \S/);
      expect(error.details).toMatchObject({ minimumScore: 3 });
    },
  );

  it('explains a repeated character', () => {
    expect(refusal('aaaaaaaaaa').message).toContain('Repeated characters like "aaa"');
  });

  it("refuses a password made of the user's own email or name", () => {
    expect(refusal('LovelaceAcme').message).toContain('personal');
    expect(refusal(ada.email).message).toContain('personal');
    expect(() =>
      assertStrongPassword('LovelaceAcme', { email: 'x@y.example', name: 'Someone Else' }),
    ).not.toThrow();
  });

  it.each(['correct horse battery staple', 'gridwatch-demo', 'vT8#qL2!mZ0x'])(
    'accepts %j',
    (password) => {
      expect(() => assertStrongPassword(password, ada)).not.toThrow();
    },
  );
});
