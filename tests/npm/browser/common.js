// What every page checks with the package: the contract's section 2
// example quoted (its digest is compared with `manjian quote`'s by the
// test), an Engine reused, and an invalid cart thrown with code and path.
export async function priced(m, input) {
  const q = m.quote(input);
  const engine = new m.Engine(input.rules);
  const again = engine.quote(input.cart);
  engine.free();
  let error;
  try {
    m.quote({ rules: input.rules, cart: { lines: [], colour: 1 } });
  } catch (e) {
    error = { name: e.name, code: e.code, path: e.path };
  }
  return { digest: q.digest, payable: q.totals.payable, engineDigest: again.digest, error, version: m.version() };
}

/** The section 2 example, served beside the page. */
export async function example() {
  return (await fetch(new URL('./example.json', document.baseURI))).json();
}

/** Publish a page's outcome for the test. */
export function report(p) {
  p.then(
    (r) => { window.result = r; },
    (e) => { window.result = { failed: String(e && e.stack || e) }; },
  );
}
