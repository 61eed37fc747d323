// plan-rules for browsers (and any ES-module host with fetch): `await init()` once, then call.
//
//   import init, { validate, evaluate } from './pkg/web/index.js';
//   await init();
//   const answer = validate({ entities: [...] });
import initWasm, { initSync as initSyncWasm } from './plan_rules_wasm.js';
import * as raw from './plan_rules_wasm.js';
import { bind } from '../api.js';

let ready = false;
const api = bind(raw, () => ready);

/**
 * Loads the WebAssembly module (by default `plan_rules_wasm_bg.wasm` next to this file); pass
 * a URL, a Response, bytes or a compiled `WebAssembly.Module` to load it from elsewhere.
 */
export default async function init(moduleOrPath) {
  if (!ready) {
    try {
      await initWasm(moduleOrPath === undefined ? undefined : { module_or_path: moduleOrPath });
    } catch (e) {
      throw loadError(e, moduleOrPath);
    }
    ready = true;
  }
  return api;
}

/**
 * Why the module did not load, as a PlanRulesError (`wasm_load_failed`). The usual cause is a
 * server that answers the `.wasm` URL with something else, often an HTML page: Vite's dev
 * server before Vite 8 does so for pre-bundled dependencies, whose `.wasm` it leaves behind.
 */
function loadError(cause, moduleOrPath) {
  const from =
    moduleOrPath === undefined
      ? `plan_rules_wasm_bg.wasm next to ${import.meta.url}`
      : typeof moduleOrPath === 'string' || moduleOrPath instanceof URL
        ? String(moduleOrPath)
        : 'the given source';
  let message = `cannot load the WebAssembly module from ${from}: ${cause && cause.message ? cause.message : String(cause)}`;
  if (/\/\.vite\/deps(_[^/]*)?\//.test(import.meta.url)) {
    message +=
      "; this copy was pre-bundled by Vite's dev server, which (before Vite 8) serves the .wasm" +
      " from its deps folder without it: add optimizeDeps: { exclude: ['plan-rules-wasm'] } to" +
      ' vite.config';
  }
  const err = new api.PlanRulesError('wasm_load_failed', message, { kind: 'request' });
  err.cause = cause;
  return err;
}

/** Instantiates synchronously from bytes or a compiled module. */
export function initSync(module) {
  if (!ready) {
    initSyncWasm({ module });
    ready = true;
  }
  return api;
}

export const {
  Plan,
  RowRules,
  VERDICTS,
  rowRules,
  PlanRulesError,
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
