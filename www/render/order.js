// The order's outcome, above the bar: being placed, accepted quietly
// (the server charges what the page showed), refused loudly (with both
// prices), or not placed (why).
import { state, hideOrder } from '../state.js';
import { yuan, digestCore, digestLong } from '../format.js';
import { $, h, bi } from './dom.js';

function outcome({ phase, page, server, why }) {
  if (phase === 'submitting') return bi('提交中…', 'placing the order…');
  if (phase === 'accepted') {
    return [h('strong', {}, ...bi('✓ 订单已提交', 'order placed')),
      h('span', {}, ...bi(` 实付 ${yuan(server.totals.cash ?? server.totals.payable)}，与服务器一致`, 'the server charges exactly what you saw')),
      h('code', {}, digestLong(server.digest), '…')];
  }
  if (phase === 'refused') {
    return [h('strong', {}, ...bi('✗ 订单未提交：价格与服务器不一致', 'ORDER REFUSED: the price on screen is not the server\'s')),
      h('span', {}, ...bi(` 页面 ${yuan(page.totals.payable)} · 服务器 ${yuan(server.totals.payable)}`,
        'page vs server: the server\'s quote is now on screen; review it and submit again')),
      h('code', {}, `${digestCore(page.digest)} ≠ ${digestCore(server.digest)}`)];
  }
  return [h('strong', {}, ...bi('✗ 订单未提交', 'order not placed')), h('span', {}, ` ${why}`)];
}

export function renderOrder() {
  const box = $('order');
  const { orderBox } = state;
  box.hidden = !orderBox.shown;
  if (!orderBox.phase) return;
  box.dataset.state = orderBox.phase;
  box.className = `order ${orderBox.phase}`;
  box.replaceChildren(...outcome(orderBox));
}

/** A tap on the outcome puts it away. */
export function mountOrder() {
  $('order').addEventListener('click', hideOrder);
}
