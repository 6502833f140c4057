// The server's check: whether the reference server's quote of the same
// input has the page's digest, and whether it splits the quote the same.
import { state } from '../state.js';
import { digestHead, digestCore } from '../format.js';
import { $ } from './dom.js';

const SPLIT = {
  match: '✓ 与服务器拆单一致 · the server splits it the same',
  mismatch: '✗ 服务器拆单不同 · the server splits it differently',
};

function checkText({ state: s, digest, serverDigest }) {
  if (s === 'pending') return '核对中… checking…';
  if (s === 'offline') return '服务器不可用 · server unreachable';
  if (s === 'match') return `✓ 与服务器一致 · matches the server (${digestHead(digest)}…)`;
  return `✗ 与服务器不一致！ MISMATCH: browser ${digestCore(digest)} ≠ server ${digestCore(serverDigest)}`;
}

export function renderServerCheck() {
  const { check } = state;
  const badge = $('server');
  badge.className = `badge ${check.state}`;
  badge.dataset.state = check.state;
  badge.textContent = checkText(check);
  // The settlement's badge keeps the last answer while a check is pending.
  if (check.split === null) return;
  const split = $('settle-server');
  split.className = `badge ${check.split}`;
  split.dataset.state = check.split;
  split.textContent = SPLIT[check.split];
}
