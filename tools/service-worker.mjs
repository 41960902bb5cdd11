// Writes the build into dist/sw.js: its version (a hash of the files) and the
// files of the app shell to cache, so each build gets its own cache and the
// browser installs the new worker when the build changes.
// Usage: node tools/service-worker.mjs dist   (before precompress.mjs)
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { files } from './precompress.mjs';

const PLACEHOLDER = 'const BUILD = null;';
// Not part of the shell: the worker itself, and what no page needs offline.
const LEFT_OUT = new Set(['sw.js', 'robots.txt']);

export function shellFiles(dir) {
  return [...files(dir)]
    .map((path) => relative(dir, path).split(sep).join('/'))
    .filter((name) => !LEFT_OUT.has(name))
    .sort();
}

export function buildOf(dir) {
  const names = shellFiles(dir);
  const hash = createHash('sha256');
  for (const name of names) hash.update(name).update('\0').update(readFileSync(join(dir, name)));
  return { version: hash.digest('hex').slice(0, 16), files: names.map((name) => `/${name}`) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? 'dist';
  const path = join(dir, 'sw.js');
  const source = readFileSync(path, 'utf8');
  if (!source.includes(PLACEHOLDER)) throw new Error(`${path} has no "${PLACEHOLDER}" to fill in`);
  const build = buildOf(dir);
  writeFileSync(path, source.replace(PLACEHOLDER, `const BUILD = ${JSON.stringify(build)};`));
  console.log(`service worker: build ${build.version}, ${build.files.length} files in the shell`);
}
