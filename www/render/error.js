// The error box: what is wrong with the cart, in words and with the
// contract's code and path, on the line it is about; or that the engine
// (not the cart) failed; the last valid prices stay on screen meanwhile.
import { state, product } from '../state.js';
import { ERRORS } from '../format.js';
import { $, h, bi } from './dom.js';
import { forgetLine } from './line.js';

const KEPT = ' — 仍显示上一次的有效价格 / showing the last valid prices';

export function renderError() {
  const box = $('error');
  const e = state.checkout.error;
  if (state.startFailure) {
    box.textContent = `页面加载失败 · the page could not start: ${state.startFailure.message}`;
    box.hidden = false;
    return;
  }
  box.hidden = e === null;
  if (e === null) return;
  if (state.failure.name !== 'ManjianError' || e.code === 'internal_error') {
    // Not the cart's fault: say so, not "fix your input".
    box.replaceChildren(h('span', {}, ...bi('价格暂时无法计算，请稍后再试', 'prices cannot be computed just now; not your input\'s fault')),
      h('span', { class: 'en' }, ` (${e.message})${KEPT}`));
    return;
  }
  const known = ERRORS[e.code];
  const bad = badLine(e.path);
  const where = bad && product(bad.sku) ? `${product(bad.sku).name}: ` : '';
  box.replaceChildren(
    h('span', {}, where, ...(known ? bi(known[0], known[1]) : [e.message])),
    h('span', { class: 'en' }, ` (${e.code} at ${e.path})${KEPT}`),
  );
  // A quantity or an address (不配送) is marked on its line.
  const field = /\.(qty|ship_to)$/.exec(e.path || '')?.[1];
  markLines(bad !== undefined && field ? bad.id : null, field, known);
}

/** The line of the failed cart that an error's path points into. */
function badLine(path) {
  const m = /^cart\.lines\[(\d+)\]/.exec(path || '');
  return m ? state.failure.cart.lines[Number(m[1])] : undefined;
}

/** The quantity (or address) of line `wrongId` in red, with the error
 * below it. */
function markLines(wrongId, field, known) {
  document.querySelectorAll('.qty-error').forEach((el) => el.remove());
  document.querySelectorAll('.line').forEach((el) => {
    const wrong = el.dataset.line === wrongId;
    el.querySelector('.qty input').classList.toggle('invalid', wrong && field === 'qty');
    el.querySelector('select.ship-to')?.classList.toggle('invalid', wrong && field === 'ship_to');
    if (wrong && known) el.append(h('div', { class: 'qty-error', 'data-line-error': field }, ...bi(known[0], known[1])));
    // Marked: drawn again, clean, once the cart is valid.
    if (wrong) forgetLine(el.dataset.line);
  });
}
