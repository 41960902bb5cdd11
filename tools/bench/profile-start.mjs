// Where the app's start spends the main thread: Today opened again by maria
// (as Lighthouse's Today audit does: logged in, nothing in the HTTP cache, no
// service worker), with the CPU slowed 4x as Lighthouse's phone. Prints the
// long tasks (over 50 ms: what total blocking time counts) and the functions
// with the most time in them. Not a test: it prints figures.
// usage: TEND_DIST=<a build with names> node tools/bench/profile-start.mjs
//   a build with names: TEND_WASM_NAMES=1 node tools/build-app.mjs \
//     target/wasm32-unknown-unknown/release/tend-app.wasm <work dir> <dist>
//   (then node tools/service-worker.mjs <dist>); without names the wasm's
//   functions print as wasm-function[N]. Rust's names print mangled:
//   `| rustfilt` (cargo install rustfilt) reads them.
// TEND_PROFILE_RUNS (3), TEND_PROFILE_TOP (40 functions), TEND_PROFILE_TASKS
// (below), TEND_PROFILE_DUMP=<prefix> (each run's .cpuprofile, for DevTools).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { logInAsMaria, startServer } from './demo.mjs';

const runs = Number(process.env.TEND_PROFILE_RUNS ?? 3);
const { url, dir, stop } = await startServer('profile');

const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium',
  userDataDir: join(dir, 'chromium'),
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

try {
  const page = await browser.newPage();
  await page.setViewport({ width: 412, height: 823, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true });
  const cdp = await page.createCDPSession();
  const today = await logInAsMaria(page, url);
  // Every long task of the load, from the page's own observer.
  await page.evaluateOnNewDocument(() => {
    window.__longTasks = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__longTasks.push([Math.round(e.startTime), Math.round(e.duration)]);
    }).observe({ type: 'longtask', buffered: true });
  });
  const self = new Map();
  const total = new Map();
  for (let run = 1; run <= runs; run += 1) {
    await page.evaluate(async () => Promise.all((await navigator.serviceWorker.getRegistrations()).map((r) => r.unregister())));
    await page.goto('about:blank');
    await cdp.send('Network.clearBrowserCache');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await page.goto(`${url}${today}`);
    await page.waitForFunction(() => performance.getEntriesByName('tend:today-shown').length > 0, { timeout: 30000 });
    await new Promise((r) => setTimeout(r, 3000));
    const { profile } = await cdp.send('Profiler.stop');
    if (process.env.TEND_PROFILE_DUMP) writeFileSync(`${process.env.TEND_PROFILE_DUMP}-${run}.cpuprofile`, JSON.stringify(profile));
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    const { tasks, shown } = await page.evaluate(() => ({
      tasks: window.__longTasks,
      shown: Math.round(performance.getEntriesByName('tend:today-shown')[0].startTime),
    }));
    const blocking = tasks.reduce((s, [, d]) => s + Math.max(0, d - 50), 0);
    console.log(`run ${run}: Today shown at ${shown} ms; long tasks (start ms, length ms): ${tasks.map(([s, d]) => `${s}+${d}`).join(', ')}; over 50 ms in all: ${blocking} ms`);
    // Self and total time of each function, summed over the runs.
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const nameOf = (n) => n.callFrame.functionName || `(anonymous ${n.callFrame.url.split('/').pop()})`;
    // Each function on a sample's stack, once.
    const stack = (id) => {
      const seen = new Set();
      for (let at = id; at !== undefined; at = parent.get(at)) seen.add(nameOf(byId.get(at)));
      return seen;
    };
    const add = (map, name, ms) => map.set(name, (map.get(name) ?? 0) + ms);
    // TEND_PROFILE_TASKS=N: the profile's own long tasks (runs of samples
    // with no idle between, so two tasks back to back read as one), each with
    // the N of Tend's functions and the JS that took most of it.
    let task = null;
    const flush = () => {
      if (task && task.ms >= 50) {
        const top = [...task.total].filter(([n]) => /tend_app|^[a-zA-Z_$]{1,2}$|\(anonymous|__wbg_/.test(n))
          .sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TEND_PROFILE_TASKS));
        console.log(`  task of ${task.ms.toFixed(0)} ms:`);
        for (const [n, ms] of top) console.log(`    ${ms.toFixed(1).padStart(6)}  ${n}`);
      }
      task = null;
    };
    profile.samples.forEach((id, i) => {
      const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
      const name = nameOf(byId.get(id));
      add(self, name, ms);
      const on = stack(id);
      for (const n of on) add(total, n, ms);
      if (!process.env.TEND_PROFILE_TASKS) return;
      if (name === '(idle)') return flush();
      task ??= { ms: 0, total: new Map() };
      task.ms += ms;
      for (const n of on) add(task.total, n, ms);
    });
    flush();
  }
  const skip = new Set(['(idle)', '(program)', '(garbage collector)']);
  const top = [...self].filter(([n]) => !skip.has(n)).sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TEND_PROFILE_TOP ?? 40));
  console.log(`\nself time over ${runs} runs (ms, at 4x slowdown):`);
  for (const [name, ms] of top) console.log(`${ms.toFixed(1).padStart(8)}  ${name.slice(0, 150)}`);
  for (const n of skip) if (self.has(n)) console.log(`${self.get(n).toFixed(1).padStart(8)}  ${n}`);
  // Total time (with what they call) of the app's own functions and the
  // JS around them: where to cut a long task.
  const ours = [...total].filter(([n]) => /tend_app|\(anonymous |^[a-zA-Z_$]{1,2}$|__wbg|__wbindgen|mount|loader|run|start/.test(n) && !skip.has(n));
  console.log(`\ntotal time over ${runs} runs (ms, at 4x slowdown), Tend's functions and the JS:`);
  for (const [name, ms] of ours.sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TEND_PROFILE_TOP ?? 40))) {
    console.log(`${ms.toFixed(1).padStart(8)}  ${name.slice(0, 150)}`);
  }
} finally {
  await browser.close();
  await stop();
}
