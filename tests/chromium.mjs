// How the tests and the browser benchmark launch Debian's Chromium with
// Playwright (playwright-core downloads no browser): the flags keep it
// from reaching hosts this network refuses (../shared/notes/toolchain.md).
// CHROMIUM names another binary.
export const CHROMIUM = {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
};
