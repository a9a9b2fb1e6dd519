/// <reference lib="dom" />
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from './processes';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it): nothing downloads a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(ROOT, 'tests', 'artifacts', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM,
    // The machine has no internet: without these, Chromium keeps trying to reach Google's services.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** Runs axe-core (WCAG 2.1 A and AA rules) in the page; returns the serious and critical violations. */
export async function seriousAccessibilityViolations(page: Page): Promise<Array<{ id: string; impact: string | null; help: string; targets: string[] }>> {
  // Evaluated through the DevTools protocol: the page's content security policy rightly forbids injected scripts.
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations;
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, targets: violation.nodes.map((node) => node.target.join(' ')) }));
}

export interface HorizontalOverflow {
  scrollWidth: number;
  clientWidth: number;
  /** Elements whose box reaches beyond the window's left or right edge outside a container that scrolls sideways. */
  outside: string[];
}

/**
 * What makes the page wider than the window (WCAG 2.1 reflow, 1.4.10): the document's own width, and every element
 * that sticks out of the window except inside a container that scrolls sideways (a wide table's region). Elements moved
 * wholly out of sight to the left on purpose (the skip link until it has the focus) make no page wider and are left out.
 * `ownScrolling` names containers that scroll by scroll bars of their own rather than CSS overflow (a code editor's).
 */
export async function horizontalOverflow(page: Page, options: { ownScrolling?: string } = {}): Promise<HorizontalOverflow> {
  return page.evaluate((ownScrolling) => {
    const root = document.scrollingElement ?? document.documentElement;
    const width = root.clientWidth;
    const scrollsSideways = (element: Element) =>
      ['auto', 'scroll'].includes(getComputedStyle(element).overflowX) || (ownScrolling !== null && element.matches(ownScrolling));
    const insideScroller = (element: Element) => {
      for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        if (scrollsSideways(parent)) return true;
      }
      return false;
    };
    const describe = (element: Element) => {
      const classes = typeof element.className === 'string' && element.className ? `.${element.className.trim().split(/\s+/).join('.')}` : '';
      return `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${classes} "${(element.textContent ?? '').trim().slice(0, 40)}"`;
    };
    const outside = [...document.body.querySelectorAll('*')]
      .filter((element) => {
        // A chart counts as a whole: its parts lie within its box, or the label check below says so.
        if (element.closest('svg') !== null && element.tagName.toLowerCase() !== 'svg') return false;
        const box = element.getBoundingClientRect();
        if (box.width === 0 || box.height === 0 || box.right <= 0) return false;
        return (box.right > width + 0.5 || box.left < -0.5) && !insideScroller(element);
      })
      .map(describe);
    return { scrollWidth: root.scrollWidth, clientWidth: width, outside };
  }, options.ownScrolling ?? null);
}

/** Texts of the charts that are cut off: drawn partly outside their drawing, where the SVG clips them. */
export async function clippedChartLabels(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('figure.chart svg')].flatMap((svg) => {
      const frame = svg.getBoundingClientRect();
      return [...svg.querySelectorAll('text')]
        .filter((text) => {
          const box = text.getBoundingClientRect();
          if (box.width === 0) return false;
          return box.left < frame.left - 0.5 || box.right > frame.right + 0.5 || box.top < frame.top - 0.5 || box.bottom > frame.bottom + 0.5;
        })
        .map((text) => `${svg.getAttribute('aria-label')?.slice(0, 30)}: "${text.textContent}"`);
    }),
  );
}
