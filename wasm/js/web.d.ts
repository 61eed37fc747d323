// plan-rules for browsers: `await init()` once, then call the functions.
export * from '../types.js';
import type * as API from '../types.js';

/** The API, returned by `init` and `initSync` for convenience. */
export interface Api {
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
}

/** What the WebAssembly module can be loaded from. */
export type ModuleSource =
  | string
  | URL
  | Request
  | Response
  | BufferSource
  | WebAssembly.Module
  | Promise<Response | BufferSource | WebAssembly.Module>;

/** Loads the module (default: `plan_rules_wasm_bg.wasm` next to this file). */
export default function init(moduleOrPath?: ModuleSource): Promise<Api>;
/** Instantiates synchronously from bytes or a compiled module. */
export function initSync(module: BufferSource | WebAssembly.Module): Api;
