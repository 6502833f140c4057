// The bench page: load the web package, fetch each workload, time it with
// the same loop as the Node bench, and publish the rows on
// `window.benchResult` (or `window.benchError`) for the driver.
import init, * as m from './pkg/manjian.js';
import { benchWorkload, report } from './measure.mjs';

const out = document.getElementById('out');
try {
  await init();
  const rows = [];
  for (const name of ['small', 'double11', 'huge']) {
    const input = await (await fetch(`./workloads/${name}.json`)).json();
    rows.push(benchWorkload(m, name, input));
    out.textContent = report(rows);
    await new Promise((r) => setTimeout(r, 0));
  }
  window.benchResult = { rows, isolated: self.crossOriginIsolated, userAgent: navigator.userAgent };
} catch (e) {
  out.textContent = String(e?.stack || e);
  window.benchError = String(e?.stack || e);
}
