import type { Page } from 'playwright-core';
import { Chromium, signIn } from '../support/browser';
import { DEMO } from '../support/e2e-env';

/** The narrowest phone the app is made for. */
const NARROW = { width: 360, height: 740 };

/** Every area's pages an owner can open, with the forms. */
const PAGES = [
  '/overview',
  '/sites',
  '/sites/new',
  '/gateways',
  '/gateways/new',
  '/meters',
  '/meters/new',
  '/alerts',
  '/alerts/rules',
  '/alerts/rules/new',
  '/tickets',
  '/energy',
  '/admin/users',
  '/admin/events',
  '/no-such-page',
];

/**
 * The visible controls that a screen reader would announce without a name: no aria-label, no
 * aria-labelledby text, no <label>, no text of their own, no title.
 */
async function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector =
      'input:not([type="hidden"]), select, textarea, button, a[href], [role="combobox"], [role="button"], [role="tab"]';
    const textOf = (element: Element | null | undefined) => element?.textContent?.trim() ?? '';
    const nameOf = (element: HTMLElement): string => {
      const aria = element.getAttribute('aria-label')?.trim();
      if (aria) return aria;
      const labelledBy = element.getAttribute('aria-labelledby');
      if (labelledBy) {
        const text = labelledBy
          .split(/\s+/)
          .map((id) => textOf(document.getElementById(id)))
          .join(' ')
          .trim();
        if (text) return text;
      }
      const labels = (element as HTMLInputElement).labels;
      if (labels && labels.length > 0) {
        const text = [...labels]
          .map((label) => textOf(label))
          .join(' ')
          .trim();
        if (text) return text;
      }
      if (element.matches('button, a, [role="button"], [role="tab"]')) {
        const text = textOf(element);
        if (text) return text;
        const image = element.querySelector('img[alt]')?.getAttribute('alt')?.trim();
        if (image) return image;
      }
      return element.getAttribute('title')?.trim() ?? '';
    };
    const shown = (element: HTMLElement) => {
      if (element.closest('[aria-hidden="true"], [inert]')) return false;
      const style = getComputedStyle(element);
      if (style.visibility === 'hidden' || style.display === 'none') return false;
      const box = element.getBoundingClientRect();
      // A visually hidden file input inside its <label> is still a control: keep 1 px ones.
      return box.width > 0 && box.height > 0;
    };
    return [...document.querySelectorAll<HTMLElement>(selector)]
      .filter((element) => shown(element) && nameOf(element) === '')
      .map((element) => element.outerHTML.slice(0, 160));
  });
}

async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
  );
}

describe('narrow screens and the keyboard', () => {
  let chromium: Chromium;

  beforeAll(async () => {
    chromium = await Chromium.launch();
  });

  afterAll(async () => {
    await chromium?.close();
  });

  it('at 360 px every page fits without sideways scrolling, and every control has a name', async () => {
    const { page, pageErrors } = await chromium.newPage();
    await page.setViewportSize(NARROW);
    await signIn(page, DEMO.ownerEmail);
    await page.waitForURL('**/overview');

    const problems: string[] = [];
    for (const path of PAGES) {
      await page.goto(path);
      await page.locator('main h1').first().waitFor();
      await page.waitForTimeout(750); // lists and charts settle (charts resize on their observer)
      const wide = await page
        .waitForFunction(
          () => document.documentElement.scrollWidth <= document.documentElement.clientWidth,
          undefined,
          { timeout: 3000 },
        )
        .then(
          () => false,
          () => true,
        );
      if (wide || (await scrollsSideways(page))) {
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        problems.push(`${path}: scrolls sideways (${width} px wide)`);
      }
      for (const control of await unnamedControls(page)) {
        problems.push(`${path}: control without a name: ${control}`);
      }
    }
    expect(problems).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 120_000);

  it('on a phone the keyboard alone skips to the content, opens the navigation and changes area', async () => {
    const { page, pageErrors } = await chromium.newPage();
    await page.setViewportSize(NARROW);
    await signIn(page, DEMO.operatorEmail);
    await page.waitForURL('**/overview');
    await page.locator('main h1').first().waitFor();

    const focused = () =>
      page.evaluate(
        () =>
          document.activeElement?.getAttribute('data-testid') ??
          document.activeElement?.textContent?.trim() ??
          '',
      );
    // After a fresh load the first Tab reaches "Skip to content"; Enter focuses the page itself.
    await page.reload();
    await page.locator('main h1').first().waitFor();
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main-content');

    // Tab to the menu button, open the navigation, Tab to Sites and follow it.
    await page.keyboard.press('Shift+Tab');
    for (let presses = 0; presses < 12 && (await focused()) !== 'nav-toggle'; presses++) {
      await page.keyboard.press('Shift+Tab');
    }
    expect(await focused()).toBe('nav-toggle');
    await page.keyboard.press('Enter');
    await page.getByTestId('nav-sites').waitFor();
    for (let presses = 0; presses < 12 && (await focused()) !== 'nav-sites'; presses++) {
      await page.keyboard.press('Tab');
    }
    expect(await focused()).toBe('nav-sites');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/sites');
    await page.getByTestId('site-row').first().waitFor();
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
