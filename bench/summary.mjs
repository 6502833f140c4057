// The targets of bench/README.md from one run of scripts/bench.sh: the
// ratios (wasm Engine.quote to native quote on double11, Medusa to
// manjian), huge in Chromium, the module's size, and the floor of each
// workload (its own quote text written and hashed; in wasm also handed
// to JavaScript as an object), natively and in wasm.
//
//   node bench/summary.mjs <results dir> <criterion dir> <module.wasm> <its gzip -9 bytes>
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fmt } from './measure.mjs';

const [results, criterion, wasm, gzipped] = process.argv.slice(2);
const json = (f) => JSON.parse(readFileSync(f, 'utf8'));
/** Criterion's median of `group/function`, in microseconds. */
const native = (group, fn) => json(path.join(criterion, group, fn, 'new', 'estimates.json')).median.point_estimate / 1000;
const node = json(path.join(results, 'node.json'));
const chromium = json(path.join(results, 'browser.json'));
const medusa = json(path.join(results, 'medusa.json'));
const row = (rows, name) => rows.find((r) => r.name === name);
const x = (a, b) => `${(a / b).toFixed(1)}x`;
const verdict = (ok) => (ok ? 'met' : 'MISSED');

const d11 = native('double11', 'quote');
const out = [];
out.push('target                                         measured                         ');
for (const [where, rows] of [['Node', node], ['Chromium', chromium]]) {
  const w = row(rows, 'double11').reuse.median;
  out.push(`wasm Engine.quote within 3x of native (${where.padEnd(8)}) ${fmt(w)} / ${fmt(d11)} = ${x(w, d11)}  ${verdict(w / d11 <= 3)}`);
}
for (const r of medusa) {
  const target = r.lines === 1000 ? 30 : 10;
  const ratio = r.medusa.median / r.manjian.median;
  out.push(`Medusa / manjian at ${String(r.lines).padStart(4)} lines >= ${target}x          ${fmt(r.medusa.median)} / ${fmt(r.manjian.median)} = ${ratio.toFixed(1)}x  ${verdict(ratio >= target)}`);
}
const huge = row(chromium, 'huge').reuse.median;
out.push(`huge in Chromium < 30 ms                       ${fmt(huge)}  ${verdict(huge < 30000)}`);
const size = statSync(wasm).size;
const gz = Number(gzipped);
out.push(`module <= 160,000 bytes, <= 64,000 gzip -9     ${size} / ${gz}  ${verdict(size <= 160000 && gz <= 64000)}`);
out.push('');
out.push('floors: what a quote costs beyond pricing (its own text written and hashed; in wasm also');
out.push('JSON.parse into the object Engine.quote returns), beside the quote itself');
out.push('workload   native quote / floor        Node quote / floor (+object)          Chromium quote / floor (+object)');
for (const name of ['small', 'double11', 'huge']) {
  const [q, f] = [native(name, 'quote'), native(name, 'floor')];
  const cell = (r) => (r.floorHash
    ? `${fmt(r.reuse.median)} / ${fmt(r.floorHash.median)} (${fmt(r.floorObject.median)}, ${Math.round((100 * r.floorObject.median) / r.reuse.median)}%)`
    : `${fmt(r.reuse.median)} / (not a bench build)`);
  out.push(`${name.padEnd(10)} ${`${fmt(q)} / ${fmt(f)} (${Math.round((100 * f) / q)}%)`.padEnd(27)} ${cell(row(node, name)).padEnd(37)} ${cell(row(chromium, name))}`);
}
out.push('');
out.push('what the floors leave (the floor is paid by every quote, however fast the pricing):');
for (const [where, rows] of [['Node', node], ['Chromium', chromium]]) {
  const r = row(rows, 'double11');
  if (r.floorObject) out.push(`  double11 in ${where}: the floor alone is ${fmt(r.floorObject.median)}, ${x(r.floorObject.median, d11)} native's whole quote`);
}
for (const r of medusa) {
  if (r.floorObject) {
    out.push(`  Medusa at ${String(r.lines).padStart(4)} lines: a manjian quote at its floor (${fmt(r.floorObject.median)}) would be ${x(r.medusa.median, r.floorObject.median)} faster`);
  }
}
console.log(out.join('\n'));
