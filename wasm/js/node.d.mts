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
/** A no-op in Node (the module is loaded on import): the web entry's `init`, for code written
 * for both; resolves to the API. It also carries the API's members. */
declare const init: (() => Promise<Api>) & Api;
export default init;
/** The web entry's `initSync`: returns the API. */
export declare function initSync(): Api;
