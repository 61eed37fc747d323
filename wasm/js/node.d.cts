// plan-rules for Node, CommonJS (`require('plan-rules-wasm')`): loaded on require.
export * from '../types.cjs';
import type * as API from '../types.cjs';

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
/** A no-op in Node (the module is loaded on require): the web entry's `init`, for code written
 * for both; resolves to the API. It also carries the API's members. */
export declare const init: (() => Promise<Api>) & Api;
export default init;
/** The web entry's `initSync`: returns the API. */
export declare function initSync(): Api;
