// plan-rules for Node (ES module): the WebAssembly module is loaded synchronously on import.
//
//   import { validate, evaluate } from 'plan-rules-wasm';
//   // or, as in the browser: import init, { validate } from 'plan-rules-wasm'; await init();
//
// ES-module clean (no `require`, no `__dirname`), so bundlers that target Node can take it in.
// It runs the same wasm-bindgen glue as the browser entry and reads the package's one `.wasm`
// from `../web/`, found from `import.meta.url`; failing that (a bundle this module was copied
// into), from next to this module. If it is in neither place, importing still succeeds: calls
// throw `wasm_load_failed` until `init(source)` or `initSync(source)` is given the file (a
// path, a file URL, its bytes or a compiled `WebAssembly.Module`).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as raw from '../web/plan_rules_wasm.js';
import { bind, PlanRulesError } from '../api.js';

const WASM = 'plan_rules_wasm_bg.wasm';
let ready = false;
let missing = null;

function load(source) {
  const module =
    source instanceof WebAssembly.Module || source instanceof ArrayBuffer || ArrayBuffer.isView(source)
      ? source
      : readFileSync(source);
  raw.initSync({ module });
  ready = true;
}

// The first URL is written out so that bundlers which copy `new URL(..., import.meta.url)`
// assets (webpack) carry the file along; the second is computed, so they leave it alone.
const places = [new URL('../web/plan_rules_wasm_bg.wasm', import.meta.url), new URL(WASM, import.meta.url)];
for (const place of places) {
  try {
    load(place);
    break;
  } catch (e) {
    if (e?.code !== 'ENOENT') throw e;
  }
}
if (!ready) {
  const where = places.map((u) => (u.protocol === 'file:' ? fileURLToPath(u) : String(u)));
  missing =
    `${WASM} is neither at ${where[0]} nor at ${where[1]} (was plan-rules-wasm bundled` +
    ` without it?): copy it next to the bundle, keep plan-rules-wasm external, or pass it to` +
    ' init(pathOrBytes)';
}
const loadError = () => new PlanRulesError('wasm_load_failed', missing, { kind: 'request' });
const api = bind(raw, () => ready, loadError);

export const {
  Plan,
  RowRules,
  VERDICTS,
  rowRules,
  engineVersion,
  rules,
  rulesJson,
  evaluate,
  evaluateJson,
  validate,
  validateJson,
  check,
  checkJson,
} = api;
export { PlanRulesError };

/**
 * The same `init` as the web entry, so code written for both (`await init()`; SSR, vitest)
 * runs here too: the module is normally loaded on import already, and `init()` resolves to the
 * API. Where it was not found, `init(source)` loads it from a path, a file URL, its bytes or a
 * compiled module. The function also carries the API's members.
 */
export default async function init(source) {
  return initSync(source);
}
Object.assign(init, api);

/** The web entry's `initSync`: returns the API, loading the module from `source` if needed. */
export function initSync(source) {
  if (!ready) {
    if (source === undefined) throw loadError();
    try {
      load(source);
    } catch (e) {
      const err = new PlanRulesError(
        'wasm_load_failed',
        `cannot load the WebAssembly module from ${source instanceof URL || typeof source === 'string' ? source : 'the given source'}: ${e.message}`,
        { kind: 'request' },
      );
      err.cause = e;
      throw err;
    }
  }
  return api;
}
