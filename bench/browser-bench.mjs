// Drives bench/browser/ in Debian's headless Chromium with Playwright and
// prints the results.
//
//   node bench/browser-bench.mjs <web package dir> <workloads dir> [results.json]
//
// The page is served from memory by a small loopback server with the
// cross-origin isolation headers, so that `performance.now()` has 5 µs
// resolution (100 µs otherwise).
import { createServer } from 'node:http';
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../tests/chromium.mjs';
import { report } from './measure.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const [pkgDir, workDir, out] = process.argv.slice(2).map((p) => path.resolve(p));

const roots = [
  ['/pkg/', pkgDir],
  ['/workloads/', workDir],
  ['/measure.mjs', path.join(here, 'measure.mjs')],
  ['/', path.join(here, 'browser')],
];
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x').pathname;
  const rel = url === '/' ? '/index.html' : url;
  const [prefix, dir] = roots.find(([p]) => rel === p || (p.endsWith('/') && rel.startsWith(p)));
  const file = prefix.endsWith('/') ? path.join(dir, rel.slice(prefix.length)) : dir;
  if (!file.startsWith(dir) || !existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, {
    'content-type': types[path.extname(file)] || 'application/octet-stream',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
  });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch(CHROMIUM);
try {
  const page = await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error') console.error('page:', m.text()); });
  await page.goto(base);
  await page.waitForFunction(() => window.benchResult || window.benchError, null, { timeout: 600_000 });
  const { result, error } = await page.evaluate(() => ({ result: window.benchResult, error: window.benchError }));
  if (error) throw new Error(error);
  console.log(`${result.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? 'Chromium'}, cross-origin isolated: ${result.isolated}`);
  console.log(report(result.rows));
  if (out) writeFileSync(out, JSON.stringify(result.rows));
} finally {
  await browser.close();
  server.close();
}
