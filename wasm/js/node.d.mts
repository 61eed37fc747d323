// plan-rules for Node: the WebAssembly module is loaded on import.
export * from '../types.js';
import type * as API from '../types.js';

declare const api: {
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
export default api;
