import { hash, verify } from '@node-rs/argon2';

// @node-rs/argon2 defaults to argon2id; these are OWASP's suggested minimums (19 MiB, t=2).
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

// Verified against when the email is unknown, so both paths cost the same time.
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2xq1zG5cS0t6S7rPl8QIRc6b7lVnWHu4nY3QqHn3qZg';

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(
  passwordHash: string | null,
  password: string,
): Promise<boolean> {
  try {
    const ok = await verify(passwordHash ?? DUMMY_HASH, password);
    return passwordHash !== null && ok;
  } catch {
    return false;
  }
}
