import { readFileSync } from 'node:fs';
const file = process.argv[2];
const p = JSON.parse(readFileSync(file, 'utf8'));
const self = new Map(); const byId = new Map(p.nodes.map((n) => [n.id, n]));
const dt = p.timeDeltas; let total = 0;
const counts = new Map();
p.samples.forEach((id, i) => { counts.set(id, (counts.get(id) ?? 0) + (dt[i] ?? 0)); total += dt[i] ?? 0; });
for (const [id, us] of counts) { const n = byId.get(id); const cf = n.callFrame; const key = `${cf.functionName || '(anon)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber}`; self.set(key, (self.get(key) ?? 0) + us); }
const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25);
console.log(file, 'total ms', (total / 1000).toFixed(0));
for (const [k, us] of top) console.log((us / 1000).toFixed(0).padStart(7), (100 * us / total).toFixed(1).padStart(5) + '%', k);
