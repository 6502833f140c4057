// 售后: the units the shopper picks to return are refunded by the engine in
// the browser (money, each tender given back in kind, points) and by the
// server's /api/refund from the same request; the page shows both and
// whether they are the same. The request is against the quote on screen,
// as a shop refunds against the quote of the order.
import { refund } from 'manjian';
import { state, refundComputed, isLatestRefund, refundChecked } from './state.js';
import { serverRefund } from './api.js';
import { renderAftersale } from './render/aftersale.js';

/** The server is asked this long after the last pick. */
const CHECK_DELAY_MS = 120;
let timer = null;

/** The refund request's returns: the picked units of the quote's lines,
 * at most each line's quantity, in the quote's order. */
export const returnsOf = (quote, picks) => quote.lines.filter((l) => picks.has(l.id))
  .map((l) => ({ line: l.id, qty: Math.min(picks.get(l.id), l.qty), returned_before: 0 }));

/** Refund the picked units of the quote on screen, then have the server
 * refund the same request. */
export function refreshRefund() {
  const { quote } = state.checkout;
  if (!quote) return;
  const returns = returnsOf(quote, state.aftersale.picks);
  let doc = null;
  let error = null;
  if (returns.length > 0) {
    try {
      doc = refund({ quote, returns });
    } catch (e) {
      error = { code: e.code, path: e.path, message: e.message };
    }
  }
  const seq = refundComputed(doc, error);
  renderAftersale();
  clearTimeout(timer);
  if (!doc) return;
  timer = setTimeout(async () => {
    let server;
    try {
      server = await serverRefund({ quote, returns });
    } catch {
      server = undefined; // unreachable
    }
    if (!isLatestRefund(seq)) return;
    refundChecked(server);
    renderAftersale();
  }, CHECK_DELAY_MS);
}
