// A Node ES-module program in a scratch project that installed the packed tarball
// (test-pack.sh): `import ... from 'plan-rules-wasm'` must reach the package's ES-module Node
// entry and give exact answers from the embedded Xicheng plan.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import init, { evaluate, validate, rowRules, check, initSync, PlanRulesError } from 'plan-rules-wasm';

const entry = fileURLToPath(import.meta.resolve('plan-rules-wasm'));
assert.match(entry, /\/node_modules\/plan-rules-wasm\/node\/index\.mjs$/, entry);

// The web entry's calls work here too (no-ops: the module is loaded on import).
const api = await init();
assert.equal(api.validate, validate);
assert.equal(initSync().evaluate, evaluate);

assert.equal(check().targets, 70);
const preschool = (enrolled) => ({
  series: {
    preschool_children_hukou: { values: { 2020: 10000 } },
    preschool_enrolled_hukou: { values: { 2020: enrolled } },
  },
});
// 99.95% does not reach 100% (full-value comparison, exact decimals).
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
assert.deepEqual(validate(school(199)).diagnostics.filter((d) => d.code === 'inconsistent_total'), []);
const rows = rowRules('school');
assert.equal(rows.judge({ health_test_eligible: 200, health_test_passed: 199 }, { level: 'primary' })['A6.1'], 'not_met');
assert.equal(rows.judge({ health_test_eligible: 200, health_test_passed: 200 }, { level: 'primary' })['A6.1'], 'met');
assert.throws(() => validate('{'), (e) => e instanceof PlanRulesError && e.code === 'invalid_json');
console.log(`   ESM import from ${entry}: A1 not_met at 99.95%, met at 100%; the school validated`);
