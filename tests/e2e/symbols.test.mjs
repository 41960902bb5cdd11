// A trap in the release wasm (a panic: "RuntimeError: unreachable", with no
// message) is reported by the harness with the names of the functions on its
// stack, read from the maps tools/build-app.mjs writes beside the build.
// These check that every shipped wasm has its map, one name a function, and
// that a trap's stack is read through it.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { describeError, symbolNames } from './harness.mjs';

const DIST = process.env.TEND_DIST ?? 'dist';

/// How many functions a module has, imported and its own: the indices a
/// stack's `wasm-function[N]` counts.
function functionCount(bytes) {
  const imported = WebAssembly.Module.imports(new WebAssembly.Module(bytes)).filter((i) => i.kind === 'function').length;
  let at = 8;
  const leb = () => {
    let value = 0;
    let shift = 0;
    let byte;
    do {
      byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    // The function section: a count, then a type for each.
    if (id === 3) return imported + leb();
    at += size;
  }
  return imported;
}

describe('names for a trap in the wasm', () => {
  const shipped = readdirSync(DIST).filter((f) => f.endsWith('.wasm'));

  test('every shipped wasm has a map with one name for each of its functions', () => {
    assert.ok(shipped.length > 10, `the build's wasm files: ${shipped.length}`);
    for (const file of shipped) {
      assert.equal(symbolNames(file)?.size, functionCount(readFileSync(join(DIST, file))), file);
    }
  });

  test("a trap's stack is told with the functions' names, innermost first", () => {
    const main = shipped.find((f) => f.startsWith('tend-app-'));
    const today = shipped.find((f) => f.startsWith('today-'));
    const [inner, outer] = [symbolNames(main).size - 1, symbolNames(today).size - 1];
    const error = new Error('unreachable');
    error.name = 'RuntimeError';
    error.stack = [
      'RuntimeError: unreachable',
      `    at http://127.0.0.1:3000/${main}:wasm-function[${inner}]:0x1a2b`,
      `    at http://127.0.0.1:3000/${today}:wasm-function[${outer}]:0x3c4d`,
      '    at http://127.0.0.1:3000/tend-app.js:1:2',
    ].join('\n');
    const lines = describeError(error).split('\n');
    assert.equal(lines[0], 'RuntimeError: unreachable');
    assert.equal(lines.length, 3, describeError(error));
    assert.ok(lines[1].startsWith(`    in ${main}: `), lines[1]);
    assert.ok(lines[2].startsWith(`    in ${today}: `), lines[2]);
    // A name, not the number it stood for.
    assert.doesNotMatch(lines.slice(1).join('\n'), /wasm-function\[/);
  });

  test('an error that is not a trap is told as it was', () => {
    assert.equal(describeError(new TypeError('x is undefined')), 'TypeError: x is undefined');
  });
});
