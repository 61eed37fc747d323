// plan-rules for Node (CommonJS): the WebAssembly module is loaded synchronously on require.
//
//   const { validate, evaluate } = require('plan-rules-wasm');
//
// The same API as the ES-module entry (`index.mjs`), over wasm-bindgen's nodejs glue. A program
// that both imports and requires the package loads two instances: a `PlanRulesError` of one is
// not an `instanceof` the other's (check `e.name === 'PlanRulesError'` and `e.code` there).
'use strict';
const raw = require('./plan_rules_wasm.cjs');
const { bind } = require('../api.cjs');

const api = bind(raw);

/** The web entry's `init`, a no-op here: resolves to the API. */
function init() {
  return Promise.resolve(api);
}
/** The web entry's `initSync`: returns the API. */
function initSync() {
  return api;
}
Object.assign(init, api);

module.exports = { ...api, init, initSync, default: init };
