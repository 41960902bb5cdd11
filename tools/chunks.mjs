// Reads the loader that wasm-split writes (__wasm_split.js): which wasm files
// each lazily loaded group of pages needs. Shared by the build and the size report.
//
// The loader declares shared chunks as `const __chunk_N = makeLoad(() => { …
// fetch(new URL("./file.wasm", …)) … }, [deps])` and each split point as
// `export const __wasm_split_load_NAME = wrapAsyncCb(makeLoad(() => { … }, [deps]))`.

// Spaces optional: the build writes the loader without them (tools/build-app.mjs).
const DECLARATION =
  /(?:export )?const (__chunk_\d+|__wasm_split_load_\w+)\s*=\s*(?:wrapAsyncCb\()?makeLoad\(\(\)\s*=>\s*\{\s*const src\s*=\s*fetch\(new URL\("\.\/([^"]+)",\s*import\.meta\.url\)\);[\s\S]*?\}\s*,\s*\[([^\]]*)\]\)/g;

/** Every declaration of the loader: its variable, its file and the variables it needs first. */
export function declarations(source) {
  const found = new Map();
  for (const match of source.matchAll(DECLARATION)) {
    const deps = match[3]
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean);
    found.set(match[1], { file: match[2], deps });
  }
  return found;
}

/** Each split point's name (e.g. `today_group_123`) and every file its load fetches. */
export function splitPoints(source) {
  const decls = declarations(source);
  const points = new Map();
  for (const [name, decl] of decls) {
    if (!name.startsWith('__wasm_split_load_')) continue;
    const files = new Set();
    const visit = (variable) => {
      const d = decls.get(variable);
      if (!d) throw new Error(`the loader uses ${variable}, which it does not declare`);
      files.add(d.file);
      d.deps.forEach(visit);
    };
    visit(name);
    points.set(name.slice('__wasm_split_load_'.length), [...files]);
  }
  return points;
}

/** The group of pages a split point is: its module's name (src/chunks.rs). */
export function groupOf(splitPoint) {
  return splitPoint;
}
