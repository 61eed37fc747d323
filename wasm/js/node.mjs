// plan-rules for Node (ES module): the WebAssembly module is loaded synchronously on import.
//
//   import { validate, evaluate } from 'plan-rules-wasm';
//   // or, as in the browser: import init, { validate } from 'plan-rules-wasm'; await init();
import raw from './plan_rules_wasm.js';
import { bind } from '../api.js';

const api = bind(raw);

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
/**
 * The same `init` as the web entry, so code written for both (`await init()`; SSR, vitest)
 * runs here too: in Node the module is already loaded, and `init` only returns the API. The
 * function also carries the API's members, as the default export did before.
 */
export default function init() {
  return Promise.resolve(api);
}
Object.assign(init, api);

/** The same `initSync` as the web entry: returns the API. */
export function initSync() {
  return api;
}
