// The wasm engine in Node, measured from JavaScript (the boundary crossing
// included): see measure.mjs for what is timed.
//
//   node bench/node-bench.mjs <path to the nodejs package> <workloads dir> [results.json]
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { benchWorkload, report } from './measure.mjs';

const [pkgDir, workDir, out] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const m = require(path.resolve(pkgDir));

const rows = [];
for (const name of ['small', 'double11', 'huge']) {
  const input = JSON.parse(readFileSync(path.join(workDir, `${name}.json`), 'utf8'));
  rows.push(benchWorkload(m, name, input));
}
console.log(report(rows));
if (out) writeFileSync(out, JSON.stringify(rows));
