import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { baseUrl, DEMO } from './e2e-env';

const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium, headless, with a user-data-dir of its own that is deleted on close. */
export class Chromium {
  private constructor(
    readonly context: BrowserContext,
    private readonly userDataDir: string,
  ) {}

  static async launch(): Promise<Chromium> {
    const userDataDir = mkdtempSync(join(tmpdir(), 'gridwatch-chromium-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      baseURL: baseUrl(),
      viewport: { width: 1280, height: 860 },
    });
    // Generous: CI machines run the stack, the browser and the suite on two busy cores.
    context.setDefaultTimeout(20_000);
    return new Chromium(context, userDataDir);
  }

  /**
   * A new tab: its sessionStorage, hence its GridWatch session, starts empty. Uncaught page
   * errors are collected so a test can assert the SPA raised none.
   */
  async newPage(): Promise<{ page: Page; pageErrors: Error[] }> {
    const page = await this.context.newPage();
    const pageErrors: Error[] = [];
    page.on('pageerror', (error) => pageErrors.push(error));
    return { page, pageErrors };
  }

  async close(): Promise<void> {
    await this.context.close();
    rmSync(this.userDataDir, { recursive: true, force: true });
  }
}

export async function signIn(page: Page, email: string, password: string = DEMO.password) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByTestId('login-submit').click();
}

export async function textOf(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).textContent()) ?? '').trim();
}

/** The path (and query) of the page's URL, e.g. `/login?returnUrl=%2Foverview`. */
export function pathOf(page: Page): string {
  const url = new URL(page.url());
  return `${url.pathname}${url.search}`;
}
