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
    await initWasm(moduleOrPath === undefined ? undefined : { module_or_path: moduleOrPath });
    ready = true;
  }
  return api;
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
