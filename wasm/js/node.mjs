// plan-rules for Node (ES module): the WebAssembly module is loaded synchronously on import.
//
//   import { validate, evaluate } from 'plan-rules-wasm';
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
export default api;
