// Shared by the npm package tests: run the public conformance vectors
// through an imported `manjian` module and report what differs.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const assert = require('node:assert');

function loadCases(dir) {
  const out = [];
  for (const sub of ['quote', 'errors', 'refund', 'protect', 'settle']) {
    for (const f of fs.readdirSync(path.join(dir, sub)).sort()) {
      if (!f.endsWith('.json')) continue;
      const c = JSON.parse(fs.readFileSync(path.join(dir, sub, f), 'utf8'));
      out.push({ name: `${sub}/${f}`, op: c.op || 'quote', input: c.input, expected: c.expected });
    }
  }
  return out;
}

/** Every vector through m.quote / m.refund / m.protect / m.settle with plain objects. */
function runVectors(m, dir) {
  const cases = loadCases(dir);
  assert.ok(cases.length >= 171, `found ${cases.length} vectors`);
  const failures = [];
  for (const c of cases) {
    try {
      const out = m[c.op](structuredClone(c.input));
      if (c.expected.error) failures.push(`${c.name}: expected ${c.expected.error.code}, got a result`);
      else {
        try { assert.deepStrictEqual(out, c.expected); } catch (e) { failures.push(`${c.name}: ${e.message}`); }
      }
    } catch (e) {
      if (!c.expected.error) failures.push(`${c.name}: threw ${e.code} ${e.path} ${e.message}`);
      else if (!(e instanceof Error)) failures.push(`${c.name}: threw a non-Error ${e}`);
      else if (e.code !== c.expected.error.code || e.path !== c.expected.error.path)
        failures.push(`${c.name}: threw ${e.code} at ${e.path}, want ${c.expected.error.code} at ${c.expected.error.path}`);
    }
  }
  return { count: cases.length, failures };
}

module.exports = { loadCases, runVectors };
