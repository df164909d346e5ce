// The web app's initial page load: the JavaScript and CSS that `/` loads before any route's own chunk (the entry, its
// static imports and stylesheets, as dist/web/index.html names them), gzipped. Fails above the budget (README).
// Usage: npm run build:web && npm run -s web:size
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const BUDGET_BYTES = 500 * 1024;
const dir = path.join(__dirname, '..', 'dist', 'web');
const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
let total = 0;
for (const file of initial) {
  const gz = zlib.gzipSync(fs.readFileSync(path.join(dir, file)), { level: 9 }).length;
  total += gz;
  console.log(`${file}: ${(gz / 1024).toFixed(1)} KB gzipped`);
}
const lazy = fs.readdirSync(path.join(dir, 'assets')).filter((f) => f.endsWith('.js') && !initial.includes(`assets/${f}`));
for (const f of lazy) console.log(`assets/${f}: ${(zlib.gzipSync(fs.readFileSync(path.join(dir, 'assets', f)), { level: 9 }).length / 1024).toFixed(1)} KB gzipped, loaded by its route`);
console.log(`initial page load: ${(total / 1024).toFixed(1)} KB of JavaScript and CSS gzipped (budget ${BUDGET_BYTES / 1024} KB)`);
process.exit(total > BUDGET_BYTES ? 1 : 0);
