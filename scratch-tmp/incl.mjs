import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const selfT = new Map();
p.samples.forEach((id, i) => selfT.set(id, (selfT.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
const incl = new Map();
for (const [id, us] of selfT) {
  const seen = new Set();
  let cur = id;
  while (cur !== undefined) {
    const n = byId.get(cur); const cf = n.callFrame;
    const key = `${cf.functionName || '(anon)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber}`;
    if (!seen.has(key)) { incl.set(key, (incl.get(key) ?? 0) + us); seen.add(key); }
    cur = parent.get(cur);
  }
}
const filter = process.argv[3] ? new RegExp(process.argv[3]) : /./;
const top = [...incl].filter(([k]) => filter.test(k)).sort((a, b) => b[1] - a[1]).slice(0, 40);
for (const [k, us] of top) console.log((us / 1000).toFixed(0).padStart(7), k);
