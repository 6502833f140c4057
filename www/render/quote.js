// Everything the quote on screen shows, drawn again when it changes.
import { renderPackages } from './packages.js';
import { renderWallet } from './wallet.js';
import { renderHints } from './hints.js';
import { renderTotals } from './totals.js';
import { renderSettlement } from './settlement.js';
import { renderBar } from './bar.js';
import { renderError } from './error.js';
import { renderOrder } from './order.js';
import { renderTenders } from './tenders.js';

export function renderQuote() {
  // Not awaited: a big cart's lines arrive a slice at a time, the rest now.
  renderPackages();
  renderWallet();
  renderTenders();
  renderHints();
  renderTotals();
  renderSettlement();
  renderBar();
  renderError();
  renderOrder();
}
