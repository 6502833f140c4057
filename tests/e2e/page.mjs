// What the checkout page's Playwright tests share: the server's address,
// where screenshots go, the two devices, one Chromium for a test file
// (with the check that no test logs a console error), and opening the
// page until it shows a quote the server agrees with.
import { before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../chromium.mjs';

export const BASE = process.env.BASE_URL;
export const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });
export const DEVICES = {
  desktop: { viewport: { width: 1300, height: 1100 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

let browser;
/** What the pages logged as errors during the current test. */
export const consoleErrors = [];

/** Launch Chromium for this test file, and fail a test that logged a
 * console error. */
export function useBrowser() {
  before(async () => {
    browser = await chromium.launch(CHROMIUM);
  });
  after(async () => {
    await browser?.close();
  });
  afterEach(() => {
    assert.deepEqual(consoleErrors.splice(0), [], 'console errors during this test');
  });
}

/** A new page of `device` (a name of DEVICES) whose errors are recorded. A
 * refused order is a 409 answer, which Chromium logs as an error: not one. */
export async function newPage(device) {
  const context = await browser.newContext(DEVICES[device]);
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('409 (Conflict)')) consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  return page;
}

/** A fresh page of `device`, priced and checked by the server. */
export async function open(device) {
  const page = await newPage(device);
  await page.goto(BASE);
  await page.waitForSelector('body[data-ready=true]');
  await checked(page);
  return page;
}

/** Wait until the page shows its latest quote and the server checked it;
 * the page's checkout. */
export async function checked(page) {
  await page.waitForFunction(() => document.body.dataset.pricing === 'false'
    && document.body.dataset.rendered === String(window.checkout.quotes)
    && ['match', 'mismatch', 'offline'].includes(document.getElementById('server').dataset.state));
  assert.equal(await page.getAttribute('#server', 'data-state'), 'match', 'the server agrees with the page');
  return page.evaluate(() => window.checkout);
}
