import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, AttemptCounter } from '@gridwatch/server';

/** Logins per IP and per email, sign-ups per IP (each attempt costs an argon2 hash). */
@Injectable()
export class LoginThrottleService {
  constructor(
    private readonly attempts: AttemptCounter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts one login attempt; throws 429 with Retry-After once either limit is passed. */
  async hit(ip: string, email: string): Promise<void> {
    const { loginMaxAttemptsPerIp, loginMaxAttemptsPerEmail, loginWindowSeconds } = this.config;
    const message = 'Too many login attempts; try again later';
    await this.attempts.hit('login:ip', ip, loginMaxAttemptsPerIp, loginWindowSeconds, message);
    await this.attempts.hit(
      'login:email',
      email,
      loginMaxAttemptsPerEmail,
      loginWindowSeconds,
      message,
    );
  }

  /** Counts one sign-up attempt from `ip`; throws 429 with Retry-After past the limit. */
  async hitSignup(ip: string): Promise<void> {
    const { signupMaxAttemptsPerIp, signupWindowSeconds } = this.config;
    const message = 'Too many sign-up attempts from this address; try again later';
    await this.attempts.hit('signup:ip', ip, signupMaxAttemptsPerIp, signupWindowSeconds, message);
  }

  /** A successful login clears the email's counter (the IP's keeps counting). */
  async clear(email: string): Promise<void> {
    await this.attempts.clear('login:email', email);
  }
}
