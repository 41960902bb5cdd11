// Prints raw, gzip and brotli bytes of every file of the built app and the
// total of the first load (HTML, JS, wasm, CSS).
// Usage: node tools/size-report.mjs [dist] [--json]
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { files, brotli, gzip } from './precompress.mjs';

const dir = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'dist';
const asJson = process.argv.includes('--json');
const firstLoad = /\.(html|js|wasm|css)$/;

const rows = [...files(dir)].map((path) => {
  const bytes = readFileSync(path);
  return {
    file: relative(dir, path),
    raw: bytes.length,
    gzip: gzip(bytes).length,
    brotli: brotli(bytes).length,
    firstLoad: firstLoad.test(path),
  };
});
const sum = (list, key) => list.reduce((n, r) => n + r[key], 0);
const load = rows.filter((r) => r.firstLoad);
const total = { raw: sum(load, 'raw'), gzip: sum(load, 'gzip'), brotli: sum(load, 'brotli') };

if (asJson) {
  console.log(JSON.stringify({ files: rows, firstLoad: total }, null, 2));
} else {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(10);
  console.log(`${'file'.padEnd(44)}${'raw'.padStart(10)}${'gzip'.padStart(10)}${'brotli'.padStart(10)}`);
  for (const r of rows) {
    console.log(`${(r.file + (r.firstLoad ? '' : ' *')).padEnd(44)}${kb(r.raw)}${kb(r.gzip)}${kb(r.brotli)}`);
  }
  console.log(`${'first load (html+js+wasm+css)'.padEnd(44)}${kb(total.raw)}${kb(total.gzip)}${kb(total.brotli)}`);
  console.log('* not part of the first load');
}

// The guard: the first load may not grow past the measured size plus a small
// margin (issue #7). Lower BUDGET_KB as cuts land; the goal is 150 KB brotli.
// Raised from 440 to 470 on 2026-11-28 when offline and sharing landed (462.4 KB);
// 395 after --cfg erase_components (390.7 KB); 392 after one boxed fetch (388.2 KB);
// 464 when the caregiver pages (invitations, People, alerts) and the care
// manager's pages (panel, patient page, preview) landed with them (460.6 KB);
// 480 when sessions that end (any 401, the idle timer, the kept data
// deleted), entered-by ids, grants' last days and the sharing notices landed
// (477.2 KB).
const BUDGET_KB = 480;
const GOAL_KB = 150;
const brotliKb = total.brotli / 1024;
if (!asJson) {
  console.log(`budget ${BUDGET_KB} KB brotli (goal ${GOAL_KB} KB): ${brotliKb.toFixed(1)} KB used`);
}
if (brotliKb > BUDGET_KB) {
  console.error(`the first load is ${brotliKb.toFixed(1)} KB brotli, over the ${BUDGET_KB} KB budget`);
  process.exit(1);
}
