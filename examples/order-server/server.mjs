// A small order server: node:http and the manjian package, nothing else.
//
//   node server.mjs [--port 8787] [--shop ../storefront/shop.json] [--www DIR]
//
// POST /order takes {"cart": {"lines": [{"id", "sku", "qty"}], "coupons",
// "apply", "buyer"?}, "digest": "sha256:..."}: what the shopper chose and the
// digest of the quote the page showed. The server prices that cart again
// from its own catalogue (store and unit price by sku) and its own clock,
// so a page cannot set a price, and answers
//   200 {"accepted": true,  "quote": ...}   the digests are equal
//   409 {"accepted": false, "quote": ...}   the shopper saw something else
//   400 {"error": {"code", "path", "message"}}   the contract's error document
// With --www it also serves a built page (the storefront's dist/).
import http from 'node:http';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Engine } from 'manjian';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    shop: { type: 'string', default: path.join(here, '../storefront/shop.json') },
    www: { type: 'string' },
  },
});

// A fault in the shop's own files stops the server here, at start, and is
// never reported to a shopper as a fault of the order.
const shop = JSON.parse(readFileSync(args.shop, 'utf8'));
const engine = new Engine(shop.rules);
const products = new Map(shop.products.map((p) => [p.sku, p]));
const LIMIT = 1 << 20; // bytes of an order request

/** A refused request: its status and the contract's error document. */
class Refusal extends Error {
  constructor(status, code, path, message) {
    super(message);
    Object.assign(this, { status, code, path });
  }
}

/** The cart the server prices: the shopper's choices, the shop's terms. */
function serverCart(sent) {
  if (typeof sent !== 'object' || sent === null || !Array.isArray(sent.lines)) {
    throw new Refusal(400, 'invalid_json', 'cart.lines', 'expected an array');
  }
  const lines = sent.lines.map((line, i) => {
    const where = `cart.lines[${i}]`;
    if (typeof line !== 'object' || line === null) throw new Refusal(400, 'invalid_json', where, 'expected an object');
    const extra = Object.keys(line).find((k) => !['id', 'sku', 'qty'].includes(k));
    if (extra) throw new Refusal(400, 'unknown_field', `${where}.${extra}`, `unknown field '${extra}': the shop sets it`);
    const product = products.get(line.sku);
    if (!product) throw new Refusal(400, 'invalid_id', `${where}.sku`, `no product '${line.sku}' in the catalogue`);
    return { id: line.id, sku: line.sku, store: product.store, unit_price: product.unit_price, qty: line.qty };
  });
  const cart = { at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), lines };
  // The rest (held coupons, how to apply them, the buyer) the engine checks.
  for (const key of ['coupons', 'apply', 'buyer']) if (key in sent) cart[key] = sent[key];
  return cart;
}

function order(request) {
  if (typeof request !== 'object' || request === null) throw new Refusal(400, 'invalid_json', '', 'expected an object');
  const extra = Object.keys(request).find((k) => k !== 'cart' && k !== 'digest');
  if (extra) throw new Refusal(400, 'unknown_field', extra, `unknown field '${extra}'`);
  for (const key of ['cart', 'digest']) {
    if (!(key in request)) throw new Refusal(400, 'missing_field', key, `an order needs '${key}'`);
  }
  if (typeof request.digest !== 'string') throw new Refusal(400, 'invalid_json', 'digest', 'expected a string');
  try {
    const quote = engine.quote(serverCart(request.cart));
    const accepted = quote.digest === request.digest;
    return [accepted ? 200 : 409, { accepted, quote }];
  } catch (e) {
    if (e.name !== 'ManjianError') throw e;
    // The engine's error: a fault of the cart unless the engine says otherwise.
    const status = e.code === 'internal_error' ? 500 : 400;
    throw new Refusal(status, e.code, e.path, e.message);
  }
}

async function body(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > LIMIT) throw new Refusal(413, 'limit_exceeded', '', `an order is at most ${LIMIT} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (e) {
    throw new Refusal(400, 'invalid_json', '', e.message);
  }
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml' };

function serveFile(req, res) {
  const root = path.resolve(args.www);
  const wanted = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const file = path.join(root, wanted === '/' ? 'index.html' : wanted);
  if (!file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
}

function send(res, status, document) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(document));
}

const server = http.createServer(async (req, res) => {
  if (req.url === '/order') {
    if (req.method !== 'POST') return res.writeHead(405, { allow: 'POST' }).end();
    try {
      const [status, answer] = order(await body(req));
      send(res, status, answer);
    } catch (e) {
      if (!(e instanceof Refusal)) {
        console.error(e);
        return send(res, 500, { error: { code: 'internal_error', path: '', message: 'the server failed, not the order' } });
      }
      send(res, e.status, { error: { code: e.code, path: e.path, message: e.message } });
    }
  } else if (args.www && req.method === 'GET') {
    serveFile(req, res);
  } else {
    res.writeHead(404).end();
  }
});

server.listen(Number(args.port), args.host, () => {
  const { address, port } = server.address();
  console.log(`order server at http://${address}:${port}/`);
});
