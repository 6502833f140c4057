"""Inputs for checking that a refactor changes no output (scripts/same-outputs.sh).

    python3 scripts/corpus.py BASE_BIN SEED OUT_DIR WORKLOADS_DIR CASES_DIR

Writes NNNNNN.<op>.json files to OUT_DIR: every public vector's input, 40
random mutations of each (a member dropped, duplicated, added or given
another value: error precedence), and for each quote vector that prices
(through BASE_BIN) its settlement, refunds of random returns and price
protections with random refunds, each also mutated; then the named and
hostile workloads of WORKLOADS_DIR. CASES_DIR is the base's own vectors
(a later contract version adds inputs the base rightly refuses).
"""
import json, os, random, subprocess, sys, glob
random.seed(int(sys.argv[2]))
base_bin = sys.argv[1]
out = sys.argv[3]; os.makedirs(out, exist_ok=True)
n = 0
def emit(op, doc):
    global n
    n += 1
    with open(f'{out}/{n:06d}.{op}.json', 'w') as f:
        f.write(doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False))
def paths(v, p=()):
    yield p
    if isinstance(v, dict):
        for k, x in v.items(): yield from paths(x, p + (k,))
    elif isinstance(v, list):
        for i, x in enumerate(v): yield from paths(x, p + (i,))
def get(v, p):
    for k in p: v = v[k]
    return v
VALS = [None, "x", "", -1, 0, 1, 1.5, "1.005", "-0.01", "99999999999999999999", 100000, True, [], {}, "2026-11-11T00:00:00+08:00", "0.5", "12.30", 2]
def mutate(doc):
    d = json.loads(json.dumps(doc))
    ps = [p for p in paths(d) if p]
    if not ps: return d
    p = random.choice(ps)
    parent = get(d, p[:-1]); k = p[-1]
    r = random.random()
    if r < 0.25 and isinstance(parent, dict): del parent[k]
    elif r < 0.35 and isinstance(parent, list): parent.insert(k, json.loads(json.dumps(parent[k])))
    elif r < 0.45 and isinstance(parent, dict): parent['zz_unknown'] = 1
    else: parent[k] = random.choice(VALS)
    return d
cases = sorted(glob.glob(os.path.join(sys.argv[5], '*/*.json')))
for c in cases:
    case = json.load(open(c))
    op = case.get('op') or c.split('/')[-2]
    inp = case['input']
    emit(op, inp)
    for _ in range(40): emit(op, mutate(inp))
    if op == 'quote':
        r = subprocess.run([base_bin, 'quote'], input=json.dumps(inp).encode(), capture_output=True)
        if r.returncode == 0:
            q = json.loads(r.stdout)
            emit('settle', {'quote': q})
            for _ in range(8): emit('settle', mutate({'quote': q}))
            for _ in range(8):
                rets = []
                for l in q['lines']:
                    if random.random() < 0.6:
                        b = random.randint(0, l['qty']); rets.append({'line': l['id'], 'qty': random.randint(0, l['qty'] - b), 'returned_before': b})
                random.shuffle(rets)
                emit('refund', {'quote': q, 'returns': rets})
                emit('refund', mutate({'quote': q, 'returns': rets}))
            if inp.get('cart', {}).get('at'):
                for _ in range(6):
                    req = {'original': inp, 'rules': inp['rules'], 'at': inp['cart']['at'], 'claimable': [], 'refunded': [{'line': l['id'], 'qty': random.randint(0, l['qty'])} for l in q['lines'] if random.random() < 0.5]}
                    emit('protect', req); emit('protect', mutate(req))
for w in glob.glob(os.path.join(sys.argv[4], '*.json')):
    emit('quote', open(w).read())
print(n, 'inputs')
