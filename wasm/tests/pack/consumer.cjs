// A Node CommonJS program in a scratch project that installed the packed tarball
// (test-pack.sh): `require('plan-rules-wasm')` must reach the package's CommonJS entry and give
// the same exact answers as the ES-module one.
'use strict';
const assert = require('node:assert/strict');
const planRules = require('plan-rules-wasm');

const { evaluate, validate, rowRules, check, init, initSync, PlanRulesError } = planRules;
const entry = require.resolve('plan-rules-wasm');
assert.match(entry, /\/node_modules\/plan-rules-wasm\/node\/index\.cjs$/, entry);
assert.equal(planRules.default, init);
assert.equal(initSync().validate, validate);

assert.equal(check().targets, 70);
const preschool = (enrolled) => ({
  series: {
    preschool_children_hukou: { values: { 2020: 10000 } },
    preschool_enrolled_hukou: { values: { 2020: enrolled } },
  },
});
const a1 = (data) => evaluate(data, '2020-12-31', { trail: false }).results.find((r) => r.id === 'A1');
assert.deepEqual([a1(preschool('9995')).status, a1(preschool('9995')).observed], ['not_met', '99.95']);
assert.equal(a1(preschool(10000)).status, 'met');

const school = (passed) => ({
  entities: [{
    kind: 'school', id: 'S1', attributes: { level: 'primary' },
    records: { 2018: { health_test_eligible: 200, health_test_passed: passed } },
  }],
});
const inconsistent = validate(school(201)).diagnostics.filter((d) => d.code === 'inconsistent_total');
assert.deepEqual(inconsistent.map((d) => d.path), ['/entities/0/records/2018/health_test_passed']);
assert.equal(rowRules('school').judge({ health_test_eligible: 200, health_test_passed: 199 }, { level: 'primary' })['A6.1'], 'not_met');
assert.throws(() => validate('{'), (e) => e instanceof PlanRulesError && e.code === 'invalid_json');

init().then((api) => {
  assert.equal(api.evaluate, evaluate);
  console.log(`   CommonJS require from ${entry}: the same statuses and diagnostics`);
});
