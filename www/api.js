// The server calls: the page's files, the reference server's quote and
// settlement of the same input (to compare digests), and order submit.

/** A JSON file of this site. */
export async function loadJson(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return res.json();
}

/** POST a JSON body; the answer's document, or null when it is an error. */
async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const doc = await res.json();
  return res.ok ? doc : null;
}

/** The server's digest of the same input (null: it refused it) and its
 * settlement of the page's quote; throws when the server is unreachable. */
export async function serverCheck(rules, cart, quote) {
  // Neither waits for the other.
  const [body, settlement] = await Promise.all([post('api/quote', { rules, cart }), post('api/settle', { quote })]);
  return { digest: body ? body.digest : null, settlement };
}

/** 提交订单: the cart and the digest of the quote on screen. The answer's
 * status and document; status 0 when there is no answer. */
export async function placeOrder(cart, digest) {
  try {
    const res = await fetch('api/order', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cart, digest }),
    });
    return { status: res.status, body: await res.json() };
  } catch {
    return { status: 0, body: undefined };
  }
}

/** The server's refund of `{quote, returns}` (null: it refused the
 * request); throws when the server is unreachable. */
export const serverRefund = (body) => post('api/refund', body);
