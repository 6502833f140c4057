// The installed package (MANJIAN_APP: a clean folder with the tarball
// installed and browser/ copied in) built by Vite 6 and by webpack 5 for
// production, and used by a page without a bundler; each page is loaded in
// headless Chromium and must quote the contract's section 2 example with
// the digest `manjian quote` prints, in the page and in a Web Worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { build as viteBuild, createServer as viteServer } from 'vite';
import webpack from 'webpack';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../chromium.mjs';

const APP = process.env.MANJIAN_APP;
const example = JSON.parse(readFileSync(path.join(process.env.MANJIAN_CASES, 'quote', '40-spec-example.json'), 'utf8')).input;
const expected = JSON.parse(execFileSync(process.env.MANJIAN_BIN, ['quote'], { input: JSON.stringify(example) }));
writeFileSync(path.join(APP, 'example.json'), JSON.stringify(example));

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.json': 'application/json', '.wasm': 'application/wasm' };

/** A static server of `root` on a free loopback port. */
function serve(root) {
  const server = http.createServer((req, res) => {
    const file = path.join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let browser;
/** One static server per root, started on first use. */
const servers = new Map();

before(async () => {
  browser = await chromium.launch(CHROMIUM);
});

after(async () => {
  await browser?.close();
  for (const s of servers.values()) s.close();
});

/** The base URL of `root`'s static server. */
async function baseOf(root) {
  if (!servers.has(root)) servers.set(root, await serve(root));
  return `http://127.0.0.1:${servers.get(root).address().port}/`;
}

/** Load `page` from `root` in Chromium; its published result. */
async function load(root, page) {
  return open(`${await baseOf(root)}${page}`);
}

/** Open `url` in Chromium; the page's published result. */
async function open(url) {
  const tab = await browser.newPage();
  const errors = [];
  const wasm = [];
  tab.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  tab.on('pageerror', (e) => errors.push(String(e)));
  tab.on('response', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r.headers()['content-type']); });
  await tab.goto(url);
  await tab.waitForFunction(() => window.result !== undefined, null, { timeout: 30000 });
  const result = await tab.evaluate(() => window.result);
  await tab.close();
  return { result, errors, wasm };
}

function assertPriced({ result, errors, wasm }, where) {
  assert.equal(result.failed, undefined, `${where}: ${result.failed}`);
  assert.equal(result.digest, expected.digest, `${where}: the digest of manjian quote`);
  assert.equal(result.payable, '2339.00');
  assert.equal(result.engineDigest, expected.digest);
  assert.deepEqual(result.error, { name: 'ManjianError', code: 'unknown_field', path: 'cart.colour' });
  assert.deepEqual(errors, [], `${where}: console errors`);
  assert.deepEqual(wasm, ['application/wasm'], `${where}: the module fetched once, as an asset`);
}

/** The page and the worker page at `base` both price the example. */
async function assertPageAndWorker(base, where) {
  assertPriced(await open(`${base}index.html`), `${where} page`);
  const inWorker = await open(`${base}worker.html`);
  assertPriced(inWorker, `${where} worker`);
  assert.equal(inWorker.result.inWorker, true);
}

test('Vite 6 production build: a page and a Web Worker', async () => {
  const outDir = path.join(APP, 'dist-vite');
  await viteBuild({
    root: APP,
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      rollupOptions: { input: { main: path.join(APP, 'index.html'), worker: path.join(APP, 'worker.html') } },
    },
    worker: { format: 'es' },
  });
  copyFileSync(path.join(APP, 'example.json'), path.join(outDir, 'example.json'));
  await assertPageAndWorker(await baseOf(outDir), 'vite');
});

// Vite's dev server pre-bundles dependencies into .vite/deps, where the
// package's `new URL('manjian_bg.wasm', import.meta.url)` no longer finds
// the module: the integration guide says to exclude the package, as for
// any package that ships a .wasm beside its JavaScript.
test('Vite 6 dev server with optimizeDeps.exclude: a page and a Web Worker', async () => {
  const server = await viteServer({
    root: APP,
    configFile: false,
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0, strictPort: false },
    optimizeDeps: { exclude: ['manjian'] },
    worker: { format: 'es' },
  });
  await server.listen();
  try {
    await assertPageAndWorker(server.resolvedUrls.local[0], 'vite dev');
  } finally {
    await server.close();
  }
});

test('webpack 5 production build: a page and a Web Worker', async () => {
  const outDir = path.join(APP, 'dist-webpack');
  const stats = await new Promise((resolve, reject) => {
    webpack({
      mode: 'production',
      context: APP,
      entry: { main: './main.js', 'worker-page': './worker-page.js' },
      output: { path: outDir, filename: '[name].js', clean: true },
      target: 'web',
      performance: { hints: false },
    }, (err, s) => (err ? reject(err) : resolve(s)));
  });
  assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
  writeFileSync(path.join(outDir, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script src="main.js"></script>');
  writeFileSync(path.join(outDir, 'worker.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script src="worker-page.js"></script>');
  copyFileSync(path.join(APP, 'example.json'), path.join(outDir, 'example.json'));
  await assertPageAndWorker(await baseOf(outDir), 'webpack');
});

test('no bundler: <script type="module"> imports the package file', async () => {
  assertPriced(await load(APP, 'plain.html'), 'plain page');
});

test('init takes the .wasm as a URL, a Response, bytes or a module; initSync takes bytes', async () => {
  for (const how of ['string', 'url', 'response', 'promise', 'bytes', 'view', 'module', 'sync']) {
    assertPriced(await load(APP, `plain.html?init=${how}`), `init: ${how}`);
  }
});
