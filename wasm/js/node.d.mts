// plan-rules for Node: the WebAssembly module is loaded on import.
export * from '../types.js';
import type * as API from '../types.js';

type Api = {
  Plan: typeof API.Plan;
  RowRules: typeof API.RowRules;
  VERDICTS: typeof API.VERDICTS;
  rowRules: typeof API.rowRules;
  PlanRulesError: typeof API.PlanRulesError;
  engineVersion: typeof API.engineVersion;
  rules: typeof API.rules;
  rulesJson: typeof API.rulesJson;
  evaluate: typeof API.evaluate;
  evaluateJson: typeof API.evaluateJson;
  validate: typeof API.validate;
  validateJson: typeof API.validateJson;
  check: typeof API.check;
  checkJson: typeof API.checkJson;
};
/** Where the `.wasm` may be loaded from when it was not found on import: a path, a file URL,
 * its bytes or a compiled module. */
export type ModuleSource = string | URL | BufferSource | WebAssembly.Module;
/** The web entry's `init`, for code written for both: in Node the module is loaded on import
 * and `init()` only resolves to the API; where the `.wasm` was not found (a bundle),
 * `init(source)` loads it. It also carries the API's members. */
declare const init: ((source?: ModuleSource) => Promise<Api>) & Api;
export default init;
/** The web entry's `initSync`: returns the API, loading the module from `source` if needed. */
export declare function initSync(source?: ModuleSource): Api;
