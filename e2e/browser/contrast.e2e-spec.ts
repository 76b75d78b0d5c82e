import type { Page } from 'playwright-core';
import { Chromium, signIn } from '../support/browser';
import { DEMO } from '../support/e2e-env';

/** The ThemeService's localStorage key: a stored choice wins over the system's scheme. */
const THEME_KEY = 'gridwatch.theme';
const THEMES = ['light', 'dark'] as const;

/** The main pages; `meter` is the first meter of the list, opened from it. */
const PAGES = [
  '/overview',
  '/sites',
  '/gateways',
  '/meters',
  'meter',
  '/alerts',
  '/alerts/rules',
  '/tickets',
  '/energy',
  '/admin/users',
  '/admin/events',
];

type Rgba = [number, number, number, number];

/** One visible piece of text, with its colour and the backgrounds under it, nearest first. */
interface TextSample {
  text: string;
  element: string;
  color: Rgba;
  /** Colours from the element up to the first opaque one (or the canvas colour if none is). */
  layers: Rgba[];
  /** The product of the element's and its ancestors' opacity. */
  opacity: number;
  fontSize: number;
  fontWeight: number;
}

/**
 * Every visible element that directly holds non-whitespace text, with its colours resolved to
 * sRGB bytes by a 2D canvas (so `light-dark()`, `color-mix()` and oklab values need no parser).
 * Left out, as WCAG 2.1 SC 1.4.3 exempts them: text of disabled controls, placeholders, and
 * text over an image, a canvas or a background image.
 */
async function textSamples(page: Page): Promise<TextSample[]> {
  return page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('no 2D canvas');
    const rgba = (css: string): [number, number, number, number] => {
      context.clearRect(0, 0, 1, 1);
      context.fillStyle = '#000';
      context.fillStyle = css;
      context.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = context.getImageData(0, 0, 1, 1).data;
      return [r, g, b, a / 255];
    };
    const exempt = [
      ':disabled',
      '[aria-disabled="true"]',
      '[disabled]',
      '.mat-mdc-menu-item-disabled',
      '.mat-mdc-button-disabled',
      '.mat-form-field-disabled',
      '.mdc-list-item--disabled',
      '.mat-mdc-option-disabled',
      '.mat-mdc-select-placeholder',
      '[inert]',
    ].join(', ');
    const canvasColour = rgba(
      getComputedStyle(document.documentElement).colorScheme.includes('dark')
        ? 'rgb(18 18 18)'
        : '#fff',
    );
    const shown = (element: Element, style: CSSStyleDeclaration) => {
      if (style.visibility !== 'visible' || style.display === 'none') return false;
      if (!element.checkVisibility({ opacityProperty: true, visibilityProperty: true }))
        return false;
      const box = element.getBoundingClientRect();
      // Visually hidden text (1 px, clipped) is for screen readers only.
      return box.width > 1 && box.height > 1;
    };
    const overGraphics = (element: Element) => {
      const box = element.getBoundingClientRect();
      const x = box.left + box.width / 2;
      const y = box.top + box.height / 2;
      if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return false;
      return document
        .elementsFromPoint(x, y)
        .some((under) => under.matches('canvas, img, video, svg') && !element.contains(under));
    };
    const samples: TextSample[] = [];
    for (const element of document.body.querySelectorAll('*')) {
      if (element.matches('script, style, noscript, template, option, canvas, svg, svg *'))
        continue;
      const own = [...element.childNodes]
        .filter((node) => node.nodeType === Node.TEXT_NODE)
        .map((node) => node.textContent ?? '')
        .join('')
        .replace(/\s+/g, ' ')
        .trim();
      if (!own) continue;
      const style = getComputedStyle(element);
      if (!shown(element, style) || element.closest(exempt)) continue;

      const layers: [number, number, number, number][] = [];
      let opacity = 1;
      let graphic = false;
      for (let node: Element | null = element; node; node = node.parentElement) {
        const nodeStyle = getComputedStyle(node);
        opacity *= Number(nodeStyle.opacity);
        if (layers.at(-1)?.[3] === 1) continue; // opaque found: only opacity counts further up
        if (nodeStyle.backgroundImage !== 'none') graphic = true;
        const layer = rgba(nodeStyle.backgroundColor);
        if (layer[3] > 0) layers.push(layer);
      }
      if (graphic || overGraphics(element)) continue;
      if (layers.at(-1)?.[3] !== 1) layers.push(canvasColour);
      samples.push({
        text: own.slice(0, 60),
        element: `${element.tagName.toLowerCase()}${[...element.classList]
          .slice(0, 2)
          .map((name) => `.${name}`)
          .join('')}`,
        color: rgba(style.color),
        layers,
        opacity,
        fontSize: parseFloat(style.fontSize),
        fontWeight: Number(style.fontWeight),
      });
    }
    return samples;
  });
}

/** `top` painted over `bottom` (an opaque colour). */
function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3];
  return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1) as Rgba;
}

/** WCAG 2.1 relative luminance of an opaque sRGB colour (channels 0-255). */
function luminance([r, g, b]: Rgba): number {
  const linear = (channel: number) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

function contrast(a: Rgba, b: Rgba): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

function hex([r, g, b]: Rgba): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** Large text (WCAG: 18 pt, or 14 pt bold) needs 3:1; the rest 4.5:1. */
function required(sample: TextSample): number {
  const large = sample.fontSize >= 24 || (sample.fontSize >= 18.66 && sample.fontWeight >= 700);
  return large ? 3 : 4.5;
}

/** The failures on the page: one line per distinct text and colours, with how often it shows. */
function failures(where: string, samples: TextSample[]): string[] {
  const counted = new Map<string, number>();
  for (const sample of samples) {
    const background = sample.layers.reduceRight<Rgba>(
      (below, layer) => over(layer, below),
      [0, 0, 0, 1],
    );
    // The text's own alpha and every ancestor's opacity fade it towards what is under it.
    const faded: Rgba = [...sample.color.slice(0, 3), sample.color[3] * sample.opacity] as Rgba;
    const text = over(faded, background);
    const ratio = contrast(text, background);
    const minimum = required(sample);
    if (ratio >= minimum) continue;
    const line =
      `${where}: "${sample.text}" (${sample.element}, ${sample.fontSize}px/${sample.fontWeight}) ` +
      `${hex(text)} on ${hex(background)} = ${ratio.toFixed(2)}:1, needs ${minimum}:1`;
    counted.set(line, (counted.get(line) ?? 0) + 1);
  }
  return [...counted].map(([line, count]) => (count > 1 ? `${line} (x${count})` : line));
}

async function settle(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor();
  await page
    .locator('mat-progress-bar, mat-progress-spinner, [data-testid="loading"]')
    .first()
    .waitFor({ state: 'detached', timeout: 5000 })
    .catch(() => undefined);
  await page.waitForTimeout(750); // lists, charts and live values settle
  await stillAnimations(page);
}

/** Waits for fades and slides to end: mid-animation colours are not the ones a user reads. */
async function stillAnimations(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every(
        (animation) =>
          animation.playState !== 'running' ||
          animation.effect?.getTiming().iterations === Infinity,
      ),
  );
}

/** Sets the theme the SPA starts in (localStorage is shared by the browser's tabs). */
async function chooseTheme(page: Page, theme: (typeof THEMES)[number]): Promise<void> {
  await page.evaluate(([key, value]) => localStorage.setItem(key, value), [THEME_KEY, theme]);
}

async function isDark(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.classList.contains('theme-dark'));
}

describe('colour contrast (WCAG 2.1 AA)', () => {
  let chromium: Chromium;

  beforeAll(async () => {
    chromium = await Chromium.launch();
  });

  afterAll(async () => {
    await chromium?.close();
  });

  it('finds faint text, passes large text at 3:1 and leaves out disabled controls and text over a canvas', async () => {
    const { page } = await chromium.newPage();
    await page.goto('/login');
    await page.locator('main h1').first().waitFor();
    await page.evaluate(() => {
      const probes = document.createElement('div');
      probes.style.background = '#ffffff';
      probes.style.fontSize = '16px';
      probes.innerHTML = `
        <p style="color: #999999">probe faint</p>
        <p style="color: #949494; font-size: 24px">probe large</p>
        <p style="color: #767676">probe enough</p>
        <p style="color: rgb(0 0 0 / 40%)">probe translucent</p>
        <div style="background: rgb(0 0 0 / 75%)"><p style="color: #ffffff">probe veiled</p></div>
        <button disabled style="color: #cccccc">probe disabled</button>
        <div style="position: relative"><canvas width="200" height="40"></canvas>
          <span style="position: absolute; left: 0; top: 0; color: #eeeeee">probe over canvas</span>
        </div>`;
      document.body.prepend(probes);
    });
    const samples = (await textSamples(page)).filter((sample) => sample.text.startsWith('probe'));
    expect(samples.map((sample) => sample.text).sort()).toEqual(
      ['probe enough', 'probe faint', 'probe large', 'probe translucent', 'probe veiled'].sort(),
    );
    const failed = failures('probe', samples);
    expect(failed).toHaveLength(2);
    expect(failed[0]).toContain(
      '"probe faint" (p, 16px/400) #999999 on #ffffff = 2.85:1, needs 4.5:1',
    );
    // 40% black over white is #999999; white over 75% black over white is #ffffff on #404040.
    expect(failed[1]).toContain('"probe translucent" (p, 16px/400) #999999 on #ffffff = 2.85:1');
    await page.close();
  });

  it('every text on the main pages has 4.5:1 (3:1 when large) in the light and the dark theme', async () => {
    const { page, pageErrors } = await chromium.newPage();
    const problems: string[] = [];
    let checked = 0;
    const check = async (where: string) => {
      const samples = await textSamples(page);
      expect(samples.length).toBeGreaterThan(5);
      checked += samples.length;
      problems.push(...failures(where, samples));
    };

    // The sign-in page, before signing in.
    await page.goto('/login');
    for (const theme of THEMES) {
      await chooseTheme(page, theme);
      await page.reload();
      await settle(page);
      expect(await isDark(page)).toBe(theme === 'dark');
      await check(`/login (${theme})`);
    }

    await signIn(page, DEMO.ownerEmail);
    await page.waitForURL('**/overview');
    await page.goto('/meters');
    await page.getByTestId('meter-link').first().waitFor();
    const meterPath = (await page.getByTestId('meter-link').first().getAttribute('href')) ?? '';
    expect(meterPath).toMatch(/^\/meters\/[0-9a-f-]{36}$/);

    for (const theme of THEMES) {
      await chooseTheme(page, theme);
      for (const path of PAGES) {
        await page.goto(path === 'meter' ? meterPath : path);
        await settle(page);
        expect(await isDark(page)).toBe(theme === 'dark');
        await check(`${path} (${theme})`);
      }
      // The user menu: an overlay outside the page's own tree.
      await page.getByTestId('user-menu').click();
      await page.getByTestId('theme-toggle').waitFor();
      await stillAnimations(page);
      await check(`user menu (${theme})`);
      await page.keyboard.press('Escape');
    }
    await page.evaluate((key) => localStorage.removeItem(key), THEME_KEY);
    expect(checked).toBeGreaterThan(500);
    if (problems.length > 0) {
      throw new Error(`${problems.length} texts below WCAG AA contrast:\n${problems.join('\n')}`);
    }
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 180_000);
});
