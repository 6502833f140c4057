// 运费模板: under a package of a store that charges by freight templates,
// the rule that prices it for its address (首件/续件 or 首重/续重, the
// region's own rule for 新疆/西藏) and its 指定条件包邮, from the rules'
// data; the fee itself is the quote's (packages.js).
import { state, product, lineById } from '../state.js';
import { yuan } from '../format.js';
import { h } from './dom.js';

/** Region `r` covers region `a` (PRICING.md section 2). */
const covers = (r, a) => a !== undefined && (a === r || a.startsWith(`${r}/`));

/** The rule of `template` for `dest`: its deepest regions entry covering
 * it (a tie: the first), else the default; with the entry's regions. */
function ruleFor(template, dest) {
  let best = null;
  let bestDepth = 0;
  for (const entry of template.regions || []) {
    const depth = Math.max(0, ...entry.regions.filter((r) => covers(r, dest)).map((r) => r.split('/').length));
    if (depth > bestDepth) [best, bestDepth] = [entry, depth];
  }
  return best || template;
}

/** The rule's words: 首件 ¥8.00 · 续件 ¥2.00, or by weight in kg. */
function ruleText(rule, byWeight) {
  const [u, en] = byWeight ? ['kg', 'kg'] : ['件', ''];
  const first = byWeight ? `首重${rule.first}${u}` : `首${rule.first === 1 ? '' : rule.first}件`;
  const extra = byWeight ? `续重每${rule.extra}${u}` : `续${rule.extra === 1 ? '' : rule.extra}件`;
  return [`${first} ${yuan(rule.first_fee)} · ${extra} ${yuan(rule.extra_fee)}`,
    `first ${rule.first}${en} ${yuan(rule.first_fee)}, each ${rule.extra}${en} more ${yuan(rule.extra_fee)}`];
}

/** The template's 指定条件包邮 entries that cover `dest`, in words. */
function freeText(template, dest) {
  return (template.free || []).filter((f) => !f.regions || f.regions.some((r) => covers(r, dest))).map((f) => {
    const where = f.regions ? `${f.regions.join('、')} ` : '';
    const amount = f.amount ? `满${yuan(f.amount)}` : '';
    const qty = f.qty ? `满${f.qty}件` : '';
    return [`${where}${amount}${qty}包邮`, `free from ${[f.amount && yuan(f.amount), f.qty && `${f.qty} pcs`].filter(Boolean).join(' and ')}`];
  });
}

/** The note of a package (`store`, `shipTo`, its quote lines), or null
 * for a store with a flat fee. */
export function deliveryNote(pkg) {
  const templates = state.shop.rules.stores?.[pkg.store]?.templates;
  if (!templates) return null;
  const dest = state.shop.catalogue.addresses?.[pkg.shipTo]?.region;
  const ids = [...new Set(pkg.lines.map((ql) => product(lineById(ql.id).sku).template).filter(Boolean))];
  return ids.map((id) => {
    const template = templates[id];
    if (!template) return null;
    const rule = ruleFor(template, dest);
    const [zh, en] = ruleText(rule, template.by === 'weight');
    const where = rule === template ? '' : `${rule.regions.join('、')} `;
    const free = freeText(template, dest);
    return h('p', { class: 'template-note', 'data-template': id },
      '运费模板 ', where, zh, ...free.map(([z]) => ` · ${z}`), ' ',
      h('span', { class: 'en' }, `freight: ${en}${free.map(([, e]) => `; ${e}`).join('')}`));
  });
}
