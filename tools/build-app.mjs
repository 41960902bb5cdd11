// Turns the release wasm of the app into dist/: cuts it into the main module
// and a chunk per group of pages (wasm-split), binds the main module to JS
// (wasm-bindgen), optimises every wasm (wasm-opt -Oz), names each file after
// a hash of its content, and writes index.html with the loader. Trunk does
// not split wasm, so this is the release build; `trunk serve` stays for
// development (one wasm, no chunks).
// Usage: node tools/build-app.mjs <app.wasm> <work dir> <dist>
import { createHash } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { minify as minifyCss } from 'csso';
import { minify as minifyJs } from 'terser';
import { declarations, groupOf, splitPoints } from './chunks.mjs';

const [input, work, dist] = process.argv.slice(2);
if (!input || !work || !dist) throw new Error('usage: node tools/build-app.mjs <app.wasm> <work dir> <dist>');

// The features the wasm uses, as index.html told Trunk before.
const WASM_FEATURES = [
  '--enable-bulk-memory',
  '--enable-nontrapping-float-to-int',
  '--enable-sign-ext',
  '--enable-mutable-globals',
  '--enable-reference-types',
  '--enable-multivalue',
];
// TEND_WASM_NAMES=1 keeps the functions' names in every wasm, for a
// profile that reads (tools/bench/profile-start.mjs); a larger build, never
// the one shipped or measured for size.
const NAMES = process.env.TEND_WASM_NAMES === '1' ? ['-g'] : [];
const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
const hash16 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex').slice(0, 16);
};
const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

rmSync(work, { recursive: true, force: true });
rmSync(dist, { recursive: true, force: true });
const split = join(work, 'split');
const bound = join(work, 'bindgen');
const optimised = join(work, 'opt');
// Each shipped wasm's function names by index (wasm-opt's --symbolmap, which
// leaves the wasm as it is), under the file's final name: the e2e harness
// names the functions of a trap's stack with them (tests/e2e/harness.mjs).
const symbols = join(work, 'symbols');
[split, bound, optimised, symbols, dist].forEach((d) => mkdirSync(d, { recursive: true }));
const symbolMap = (file) => join(optimised, `${basename(file)}.map`);

// 1. Cut: tend-app.wasm (main), chunk_N.wasm, split_GROUP_….wasm and the loader.
run('wasm-split-cli', [input, split, '--out-name', 'tend-app']);
// 2. Bind the main module; the chunks call into it through its exports.
run('wasm-bindgen', [
  '--target', 'web', '--keep-lld-exports', '--no-demangle', ...(NAMES.length ? ['--keep-debug'] : []),
  '--out-dir', bound, '--out-name', 'tend-app', join(split, 'tend-app.wasm'),
]);

// 3. Optimise every wasm, two at a time on two cores.
const jobs = [[join(bound, 'tend-app_bg.wasm'), join(optimised, 'tend-app_bg.wasm')]];
for (const name of readdirSync(split).filter((n) => n.endsWith('.wasm') && n !== 'tend-app.wasm')) {
  jobs.push([join(split, name), join(optimised, name)]);
}
await new Promise((resolve, reject) => {
  let next = 0;
  let running = 0;
  const start = () => {
    if (next === jobs.length && running === 0) return resolve();
    while (running < Math.max(1, availableParallelism()) && next < jobs.length) {
      const [from, to] = jobs[next++];
      running += 1;
      const child = spawn('wasm-opt', ['-Oz', ...NAMES, ...WASM_FEATURES, from, '-o', to, `--symbolmap=${symbolMap(to)}`], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      child.on('exit', (code) => {
        running -= 1;
        // wasm-split leaves a name subsection wasm-opt does not know; only failures matter.
        if (code !== 0) return reject(new Error(`wasm-opt ${from} failed:\n${err}`));
        start();
      });
    }
  };
  start();
});

// 4. Names after content. Chunks first: the loader names them; then the
// loader and the main JS, which import each other, share one hash of both
// and of the main wasm.
let loader = readFileSync(join(split, '__wasm_split.js'), 'utf8');
// A group's chunks (Today has 25) are asked for five a task, not all in
// one: each fetch() costs the main thread, and all at once were a long task
// (44 ms at 4x CPU slowdown, tools/bench/profile-start.mjs). The group's own
// module first; in a hidden tab all at once (a timer there can wait a second).
const allDeps = /const parallelStuff = deps\.map\(d => d\(\)\);\s*const instantiate = fetcher\(\);/;
if (!allDeps.test(loader)) throw new Error('the loader no longer asks for its chunks as this build expects');
loader = loader.replace(
  allDeps,
  'const instantiate = fetcher(); const parallelStuff = []; for (const d of deps) { if (parallelStuff.length % 5 === 0 && parallelStuff.length && !document.hidden) await new Promise((r) => setTimeout(r, 0)); parallelStuff.push(d()); }',
);
const renamed = new Map();
for (const { file } of declarations(loader).values()) {
  const bytes = readFileSync(join(optimised, file));
  const stem = file.replace(/\.wasm$/, '').replace(/^split_/, '').replace(/^chunk_/, 'chunk-');
  const name = `${stem}-${hash16(bytes)}.wasm`;
  renamed.set(file, name);
  writeFileSync(join(dist, name), bytes);
  copyFileSync(symbolMap(file), join(symbols, `${name}.map`));
}
for (const [from, to] of renamed) loader = loader.replaceAll(`"./${from}"`, `"./${to}"`);
let mainJs = readFileSync(join(bound, 'tend-app.js'), 'utf8');
// wasm-bindgen's glue is written to be read; minified it is 1.5 KB brotli
// less of the first load. The loader only loses its spaces and comments:
// nothing in it is renamed or rewritten, since tools/chunks.mjs reads its
// declarations. Both before they are named, so that a name covers what
// terser made of its file.
mainJs = (await minifyJs(mainJs, { module: true, compress: { passes: 2 } })).code;
loader = (await minifyJs(loader, { module: true, compress: false, mangle: false })).code;
const mainWasm = readFileSync(join(optimised, 'tend-app_bg.wasm'));
// With this script's own text: how the two are rewritten is part of what they are.
const build = hash16(mainWasm, mainJs, loader, readFileSync(new URL(import.meta.url)));
const names = {
  js: `tend-app-${build}.js`,
  wasm: `tend-app-${build}_bg.wasm`,
  loader: `__wasm_split-${build}.js`,
};
// Only the import statements: the wasm's own import module keeps its name.
const loaderImport = /(from ?)"\.\/__wasm_split\.js"/g;
if (!loaderImport.test(mainJs)) throw new Error('the main JS does not import the loader');
mainJs = mainJs.replace(loaderImport, (_, from) => `${from}"./${names.loader}"`);
const mainImport = /(from ?)"\.\/tend-app\.js"/g;
if (!mainImport.test(loader)) throw new Error('the loader does not import the main JS');
loader = loader.replace(mainImport, (_, from) => `${from}"./${names.js}"`);
writeFileSync(join(dist, names.js), mainJs);
writeFileSync(join(dist, names.wasm), mainWasm);
copyFileSync(symbolMap('tend-app_bg.wasm'), join(symbols, `${names.wasm}.map`));
writeFileSync(join(dist, names.loader), loader);

// 5. The stylesheet, hashed.
// Without comments and spaces (csso, not restructured: the rules stay in
// their order): 0.6 KB brotli less.
const css = Buffer.from(minifyCss(readFileSync('style/main.css', 'utf8'), { restructure: false }).css);
const cssName = `main-${hash16(css)}.css`;
writeFileSync(join(dist, cssName), css);

// 6. index.html: the static files it lists are copied; the Trunk links become
// the stylesheet, preloads of the main module and the loader that starts it.
// Today's files are fetched at once when the address is a Today page (the
// page most opened), instead of after the main module has started.
let html = readFileSync('index.html', 'utf8');
// The inline script that paints the login page or the kept Today, minified
// like the main JS (its comments are for index.html's readers). The server
// hashes inline scripts for the page's policy when it serves the page.
for (const [whole, code] of [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)]) {
  const minified = (await minifyJs(code, { compress: { passes: 2 } })).code;
  html = html.replace(whole, () => `<script>${minified}</script>`);
}
// And the page's own comments.
html = html.replace(/\s*<!--[\s\S]*?-->/g, '');
for (const match of html.matchAll(/<link data-trunk rel="(copy-file|copy-dir)" href="([^"]+)" \/>/g)) {
  const target = join(dist, basename(match[2]));
  if (match[1] === 'copy-dir') cpSync(match[2], target, { recursive: true });
  else copyFileSync(match[2], target);
}
const points = splitPoints(loader);
const today = [...points].find(([point]) => groupOf(point) === 'today');
if (!today) throw new Error('no split point for Today');
// The main wasm and (on a Today page, the page most opened) Today's files
// are asked for once the page index.html painted (the login page or the
// Today kept) is on screen, its largest text included: on a slow network they would share
// its bandwidth with the stylesheet the first paint waits for. With only
// "Loading" painted, or in a hidden tab (which paints nothing), at once.
// Should the wasm not start (not fetched, not compiled), a kept Today gives
// way to the "Loading" it replaced: not a frozen page of an earlier hour.
const start =
  `import init from '/${names.js}';` +
  `let started = false;` +
  `const start = () => {` +
  `if (started) return; started = true;` +
  `init({ module_or_path: '/${names.wasm}' }).catch((e) => { const s = document.getElementById('shell'); if (s && s.dataset.painted === 'last') { s.innerHTML = s.dataset.loading; s.inert = false; s.removeAttribute('aria-busy'); delete s.dataset.painted; } throw e; });` +
  // Today's files (25), five a task: asking for all at once was a long task at 4x CPU slowdown (34 ms).
  `if (/^\\/patients\\/\\d+\\/today$/.test(location.pathname)) { const files = ${JSON.stringify(today[1])};` +
  `const some = () => { for (const f of files.splice(0, 5)) { const l = document.createElement('link'); l.rel = 'preload'; l.as = 'fetch'; l.type = 'application/wasm'; l.crossOrigin = 'anonymous'; l.href = '/' + f; document.head.append(l); } if (files.length) setTimeout(some, 0); };` +
  `setTimeout(some, 0); } };` +
  `if (document.visibilityState === 'hidden' || !document.getElementById('shell').dataset.painted) start();` +
  `else { const after = () => setTimeout(start, 0);` +
  `setTimeout(start, 1000); document.addEventListener('visibilitychange', start, { once: true });` +
  // Once the browser reports the page's largest paint as presented (a
  // largest-contentful-paint entry), and no larger one for 50 ms: the
  // first paint is not enough (the kept Today's largest text was presented
  // 20-50 ms after it, 1-11 ms before the wasm's request; Lighthouse, when
  // the request went first, counted that paint as waiting for the wasm:
  // LCP 3.57 s in 1 of 10 runs), and a frame is not either (its task can run before the frame
  // reaches the screen). Where there are no such entries, after the first
  // paint entry, or the next frame; at most 1 s (set first: should the
  // observer throw, the wasm still comes).
  `try { const types = PerformanceObserver.supportedEntryTypes; let wait;` +
  `if (types.includes('largest-contentful-paint')) new PerformanceObserver(() => { clearTimeout(wait); wait = setTimeout(start, 50); }).observe({ type: 'largest-contentful-paint', buffered: true });` +
  `else if (types.includes('paint')) new PerformanceObserver((l, o) => { o.disconnect(); after(); }).observe({ type: 'paint', buffered: true });` +
  `else throw 0; } catch { requestAnimationFrame(after); } }`;
const startMinified = (await minifyJs(start, { module: true, compress: { passes: 2 } })).code;
const head = [
  `<link rel="stylesheet" href="/${cssName}" integrity="${sri(css)}" />`,
  `<link rel="modulepreload" href="/${names.js}" crossorigin="anonymous" integrity="${sri(mainJs)}" />`,
  `<link rel="modulepreload" href="/${names.loader}" crossorigin="anonymous" integrity="${sri(loader)}" />`,
  `<script type="module">${startMinified}</script>`,
].join('\n    ');
html = html
  .replace(/\s*<link data-trunk rel="(copy-file|copy-dir)"[^>]*>/g, '')
  .replace(/<link data-trunk rel="css"[^>]*>/, '')
  .replace(/<link data-trunk rel="rust"[^>]*>/, head);
if (html.includes('data-trunk')) throw new Error('index.html has a Trunk link this build does not know');
writeFileSync(join(dist, 'index.html'), html);
console.log(`app: build ${build}, ${renamed.size} chunks, groups ${[...points.keys()].map(groupOf).join(', ')}`);
