// Node tests of the package API (wasm/pkg/node): good data, every diagnostic code, and bad
// inputs, each of which must come back as a PlanRulesError with a code, never a trap.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as api from '../pkg/node/index.mjs';

const { Plan, PlanRulesError } = api;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (p) => readFileSync(path.join(root, p), 'utf8');
const SAMPLE = read('spec/samples/xicheng-sample-2015-2020.json');

const SCHOOL_2018 = {
  students: 2325,
  health_test_eligible: 2300,
  health_test_passed: 2189,
  pe_teachers: 10,
  pe_teachers_ice_snow_trained: 8,
  ice_snow_activity: true,
  teachers: 193,
};
const school = (record, extra = {}) => ({
  kind: 'school',
  id: 'S001',
  attributes: { level: 'primary', street: '月坛' },
  records: { 2018: record },
  ...extra,
});

/** Asserts `f` throws a PlanRulesError with `code` (and `path`, `kind` when given). */
function throwsCode(f, code, { path: p, kind } = {}) {
  let error;
  try {
    f();
  } catch (e) {
    error = e;
  }
  assert.ok(error, `expected a PlanRulesError ${code}, nothing was thrown`);
  assert.ok(error instanceof PlanRulesError, `not a PlanRulesError: ${error}`);
  assert.ok(error instanceof Error);
  assert.equal(error.name, 'PlanRulesError');
  assert.equal(error.code, code, error.message);
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0);
  assert.ok(Array.isArray(error.errors) && error.errors.length >= 1);
  assert.equal(error.errors[0].code, code);
  assert.equal(error.details.code, code);
  if (p !== undefined) assert.equal(error.path, p);
  if (kind !== undefined) assert.equal(error.kind, kind);
  return error;
}

describe('good data', () => {
  test('engine version and the embedded rule set', () => {
    assert.match(api.engineVersion(), /^\d+\.\d+\.\d+/);
    const rules = api.rules();
    assert.equal(rules.id, 'xicheng-education-2016-2020');
    assert.equal(rules.targets.length, 70);
    assert.equal(rules.dictionary.entity_kinds.school.fields.health_test_passed.at_most, 'health_test_eligible');
    assert.ok(api.rulesJson().endsWith('}\n'));
  });

  test('evaluateJson gives the golden report bytes (the same as Rust and Python)', () => {
    const golden = read('tests/golden/xicheng-sample-2020-12-31.json');
    assert.ok(api.evaluateJson(SAMPLE, '2020-12-31') === golden);
    const mid = read('tests/golden/xicheng-sample-2018-12-31.notrail.json');
    assert.ok(api.evaluateJson(SAMPLE, '2018-12-31', { trail: false }) === mid);
    // An object crosses as the same JSON (the sample's numbers are exact in doubles).
    assert.ok(api.evaluateJson(JSON.parse(SAMPLE), '2020-12-31') === golden);
  });

  test('evaluate parses the report; decimals stay strings', () => {
    const report = api.evaluate(JSON.parse(SAMPLE), '2020-12-31');
    assert.equal(report.summary.total, 70);
    assert.equal(report.as_of, '2020-12-31');
    const a1 = report.results.find((r) => r.id === 'A1');
    assert.equal(typeof a1.observed, 'string');
    assert.equal(typeof a1.target, 'string');
    assert.ok(Array.isArray(a1.trail.steps));
    const exact = api.evaluate(
      { series: { preschool_children_hukou: { values: { 2020: '10000' } }, preschool_enrolled_hukou: { values: { 2020: '9995' } } } },
      '2020-12-31',
    );
    const r = exact.results.find((x) => x.id === 'A1');
    assert.equal(r.observed, '99.95');
    assert.equal(r.status, 'not_met'); // full-value comparison: 99.95% does not reach 100%
  });

  test('validate: a complete school record has no diagnostics', () => {
    const answer = api.validate({ entities: [school(SCHOOL_2018)] });
    assert.deepEqual(answer, { ok: true, errors: 0, warnings: 0, diagnostics: [] });
    assert.ok(api.validateJson({ entities: [school(SCHOOL_2018)] }).endsWith('\n'));
  });

  test('check: the plan identity and the data diagnostics', () => {
    const c = api.check();
    assert.equal(c.plan_id, 'xicheng-education-2016-2020');
    assert.equal(c.targets, 70);
    assert.equal(c.data, null);
    const d = api.check({ entities: [school({ ...SCHOOL_2018, students: -1 })] });
    assert.equal(d.ok, false);
    assert.equal(d.data.diagnostics[0].code, 'negative_value');
  });

  test('Plan: the embedded plan, and a custom rule set loaded from JSON or an object', () => {
    const xicheng = Plan.xicheng();
    assert.equal(xicheng.id, 'xicheng-education-2016-2020');
    assert.equal(xicheng.targetCount, 70);
    assert.match(xicheng.contentHash, /^sha256:[0-9a-f]{64}$/);
    const report = xicheng.evaluate(SAMPLE, '2020-12-31', { trail: false });
    assert.equal(report.plan.content_hash, xicheng.contentHash);
    const again = new Plan(xicheng.rulesJson());
    assert.equal(again.contentHash, xicheng.contentHash);
    const custom = new Plan(JSON.parse(read('tests/vectors/cases/001-rate-exactly-100.json')).plan);
    assert.equal(custom.id, 'vector-plan');
    const r = custom.evaluate({ series: { num: { values: { 2020: 2000 } }, den: { values: { 2020: 2000 } } } }, '2020-12-31');
    assert.equal(r.results[0].status, 'met');
    assert.deepEqual(custom.validate({}).diagnostics, []);
    custom.free();
    xicheng.free();
  });
});

// A plan whose dictionary has a percent series (the Xicheng dictionary has none).
const vectorPlan = new Plan(JSON.parse(read('tests/vectors/cases/001-rate-exactly-100.json')).plan);

const DIAGNOSTICS = [
  ['negative_value', { entities: [school({ ...SCHOOL_2018, pe_teachers: -5 })] }, '/entities/0/records/2018/pe_teachers'],
  ['fractional_count', { entities: [school({ ...SCHOOL_2018, teachers: '193.5' })] }, '/entities/0/records/2018/teachers'],
  ['inconsistent_total', { entities: [school({ ...SCHOOL_2018, health_test_passed: 2400 })] }, '/entities/0/records/2018/health_test_passed'],
  ['missing_required', { entities: [school({ ...SCHOOL_2018, pe_teachers: null })] }, '/entities/0/records/2018/pe_teachers'],
  ['invalid_number', { entities: [school({ ...SCHOOL_2018, teachers: '5人' })] }, '/entities/0/records/2018/teachers'],
  ['invalid_number', '{"entities": [{"kind": "school", "id": "S001", "records": {"2018": {"teachers": 1e400}}}]}', '/entities/0/records/2018/teachers'],
  ['invalid_number', { entities: [school({ ...SCHOOL_2018, teachers: 10n ** 40n })] }, '/entities/0/records/2018/teachers'],
  ['invalid_number', { entities: [school({ ...SCHOOL_2018, teachers: '0.12345678901234567890123456789' })] }, '/entities/0/records/2018/teachers'],
  ['invalid_type', { entities: [school({ ...SCHOOL_2018, ice_snow_activity: 1 })] }, '/entities/0/records/2018/ice_snow_activity'],
  ['invalid_type', { entities: [school({ ...SCHOOL_2018, students: true })] }, '/entities/0/records/2018/students'],
  ['invalid_state', { entities: [{ kind: 'project', id: 'P01', records: { 2018: { state: 'done' } } }] }, '/entities/0/records/2018/state'],
  ['invalid_period', { entities: [{ ...school(SCHOOL_2018), records: { '18': SCHOOL_2018 } }] }, '/entities/0/records/18'],
  ['period_outside_plan', { entities: [{ ...school(SCHOOL_2018), records: { 2021: SCHOOL_2018 } }] }, '/entities/0/records/2021'],
  ['unknown_series', { series: { teachers_total: { values: { 2018: 1 } } } }, '/series/teachers_total'],
  ['unknown_entity_kind', { entities: [{ kind: 'hospital', id: 'H1' }] }, '/entities/0/kind'],
  ['unknown_field', { entities: [school({ ...SCHOOL_2018, canteens: 2 })] }, '/entities/0/records/2018/canteens'],
  ['invalid_attribute', { entities: [school(SCHOOL_2018, { attributes: { level: 'college' } })] }, '/entities/0/attributes/level'],
  ['unknown_entity', { entities: [{ kind: 'project', id: 'P99', records: { 2018: { state: 'in_use' } } }] }, '/entities/0/id'],
  ['duplicate_entity', { entities: [school(SCHOOL_2018), school(SCHOOL_2018)] }, '/entities/1/id'],
  ['unit_mismatch', { series: { lifelong_learning_bases: { unit: 'sites', values: { 2018: 80 } } } }, '/series/lifelong_learning_bases/unit'],
  ['invalid_active_years', { entities: [school(SCHOOL_2018, { active_from: 2019, active_until: 2017 })] }, '/entities/0/active_from'],
  ['percent_out_of_range', { series: { share: { values: { 2018: '100.5' } } } }, '/series/share/values/2018', vectorPlan],
];

describe('every diagnostic code', () => {
  const seen = new Set();
  for (const [code, data, where, plan] of DIAGNOSTICS) {
    test(`${code} at ${where}`, () => {
      const answer = plan ? plan.validate(data) : api.validate(data);
      const d = answer.diagnostics.find((x) => x.code === code);
      assert.ok(d, `no ${code} in ${JSON.stringify(answer.diagnostics.map((x) => x.code))}`);
      assert.equal(d.path, where);
      assert.ok(['error', 'warning'].includes(d.severity));
      assert.ok(d.message_zh.length > 0 && d.message_en.length > 0);
      assert.ok(/[\u4e00-\u9fff]/.test(d.message_zh), 'message_zh is Chinese');
      for (const k of ['field', 'entity', 'period']) assert.ok(k in d, `diagnostic has ${k}`);
      assert.equal(answer.ok, answer.errors === 0);
      seen.add(code);
    });
  }
  test('the list covers all 18 codes', () => {
    const all = [
      'invalid_type', 'invalid_number', 'negative_value', 'fractional_count', 'percent_out_of_range',
      'inconsistent_total', 'invalid_state', 'missing_required', 'invalid_period', 'period_outside_plan',
      'unknown_series', 'unknown_entity_kind', 'unknown_field', 'invalid_attribute', 'unknown_entity',
      'duplicate_entity', 'unit_mismatch', 'invalid_active_years',
    ];
    assert.deepEqual([...new Set(DIAGNOSTICS.map((d) => d[0]))].sort(), all.sort());
  });
  test('a value diagnostic makes the targets reading it not assessable, never a crash', () => {
    const report = api.evaluate({ entities: [school({ ...SCHOOL_2018, health_test_passed: 2400 })] }, '2018-12-31');
    const a61 = report.results.find((r) => r.id === 'A6.1');
    assert.equal(a61.status, 'not_assessable');
    assert.ok(a61.diagnostics.length > 0);
    assert.equal(report.diagnostics[a61.diagnostics[0]].code, 'inconsistent_total');
  });
});

describe('bad inputs come back as PlanRulesError with a code', () => {
  test('data that is not JSON', () => {
    const e = throwsCode(() => api.validate('{"entities": ['), 'invalid_json', { kind: 'data' });
    assert.equal(e.errors[0].line, 1);
    assert.ok(e.errors[0].column > 0);
    throwsCode(() => api.evaluate('not json', '2018-12-31'), 'invalid_json');
    throwsCode(() => api.validate(''), 'invalid_json');
    throwsCode(() => api.validate('{} {}'), 'invalid_json');
  });

  test('arguments of the wrong JS type', () => {
    throwsCode(() => api.validate(42), 'invalid_request', { path: '/data' });
    throwsCode(() => api.validate(true), 'invalid_request');
    throwsCode(() => api.validate(() => 1), 'invalid_request');
    throwsCode(() => api.evaluate({}, 20181231), 'invalid_as_of');
    throwsCode(() => api.evaluate({}, new Date()), 'invalid_as_of');
    throwsCode(() => new Plan(7), 'invalid_request', { path: '/plan' });
    const cyclic = {};
    cyclic.self = cyclic;
    throwsCode(() => api.validate(cyclic), 'invalid_request');
  });

  test('data of the wrong shape names the path', () => {
    // (A top-level JSON array is read by the core as a struct in sequence form; not tested here.)
    throwsCode(() => api.validate({ series: [] }), 'invalid_shape', { path: '/series' });
    throwsCode(() => api.validate({ entities: [{ kind: 'school', id: 5 }] }), 'invalid_shape', { path: '/entities/0/id' });
    throwsCode(() => api.validate({ series: { bases: { values: { 2018: [1] } } } }), 'invalid_shape', {
      path: '/series/bases/values/2018',
    });
    throwsCode(() => api.validate({ extra: 1 }), 'invalid_shape', { path: '/extra' });
  });

  test('missing fields and arguments', () => {
    throwsCode(() => api.validate(), 'invalid_request', { path: '/data' });
    throwsCode(() => api.validate(null), 'invalid_request');
    // Without an as-of date the report stands at the plan's last day (the core's default).
    assert.equal(api.evaluate({}).as_of, '2020-12-31');
    throwsCode(() => api.evaluate({}, 'soon'), 'invalid_as_of', { path: '/as_of' });
    throwsCode(() => api.validate({ entities: [{ kind: 'school' }] }), 'invalid_shape', { path: '/entities/0' });
    throwsCode(() => api.validate({ series: { bases: {} } }), 'invalid_shape', { path: '/series/bases' });
    throwsCode(() => api.validate({ series: { bases: { values: { 2018: { source: 'x' } } } } }), 'invalid_shape');
  });

  test('huge numbers: JS numbers that JSON cannot carry are refused with their path', () => {
    throwsCode(() => api.validate({ entities: [school({ ...SCHOOL_2018, students: Infinity })] }), 'invalid_number', {
      path: '/entities/0/records/2018/students',
      kind: 'data',
    });
    throwsCode(() => api.validate({ entities: [school({ ...SCHOOL_2018, students: 1e400 })] }), 'invalid_number');
    throwsCode(() => api.validate({ entities: [school({ ...SCHOOL_2018, students: NaN })] }), 'invalid_number');
    throwsCode(() => api.validate({ entities: [school({ ...SCHOOL_2018, students: 2 ** 60 })] }), 'invalid_number');
    // As text or a bigint they reach the engine, which reports them on the value.
    const answer = api.validate({ entities: [school({ ...SCHOOL_2018, students: '1e400' })] });
    assert.equal(answer.diagnostics[0].code, 'invalid_number');
  });

  test('negative numbers: a diagnostic on a value, an error on a date', () => {
    const answer = api.validate({ entities: [school({ ...SCHOOL_2018, students: -2325 })] });
    assert.equal(answer.ok, false);
    assert.equal(answer.diagnostics[0].code, 'negative_value');
    throwsCode(() => api.evaluate({}, '-2018-12-31'), 'invalid_as_of');
    throwsCode(() => api.evaluate({}, '2018-02-30'), 'invalid_as_of');
    throwsCode(() => api.evaluate({}, ''), 'invalid_as_of');
  });

  test('options are checked', () => {
    throwsCode(() => api.evaluate({}, '2018-12-31', { trail: 'no' }), 'invalid_request', { path: '/options/trail' });
    throwsCode(() => api.evaluate({}, '2018-12-31', { colour: true }), 'invalid_request');
    throwsCode(() => api.evaluate({}, '2018-12-31', 'not json'), 'invalid_request');
  });

  test('bad rule sets', () => {
    throwsCode(() => new Plan('{'), 'invalid_json', { kind: 'spec' });
    throwsCode(() => new Plan({}), 'invalid_shape', { kind: 'spec' });
    const rules = api.rules();
    rules.targets[1].id = rules.targets[0].id;
    rules.targets[2].rule.target_percent = '150';
    rules.targets[3].deadline = '2030-12-31';
    const e = throwsCode(() => new Plan(rules), 'duplicate_id', { kind: 'spec' });
    assert.ok(e.errors.length >= 2, JSON.stringify(e.errors));
    throwsCode(() => api.evaluate({}, '2018-12-31') && new Plan('[]'), 'invalid_shape');
  });

  test('size and nesting limits', () => {
    throwsCode(() => api.validate('['.repeat(100000)), 'too_deep', { kind: 'data' });
    throwsCode(() => new Plan('['.repeat(100000)), 'too_deep', { kind: 'spec' });
    // Objects nested at any depth: refused with the same code, whether JSON.stringify can write
    // them (the engine's limit, 128) or runs out of stack first.
    for (const depth of [129, 15000, 200000]) {
      let deep = 1;
      for (let i = 0; i < depth; i += 1) deep = { a: deep };
      throwsCode(() => api.validate({ series: { bases: { values: { 2020: deep } } } }), 'too_deep', { kind: 'data' });
      throwsCode(() => new Plan({ id: deep }), 'too_deep', { kind: 'spec' });
    }
    const big = `{"id": "${'x'.repeat(64 * 1024 * 1024)}"}`;
    throwsCode(() => api.validate(big), 'too_large', { kind: 'data' });
  });

  test('the module keeps working after every error', () => {
    const answer = api.validate({ entities: [school(SCHOOL_2018)] });
    assert.equal(answer.ok, true);
    assert.equal(api.evaluate(SAMPLE, '2020-12-31', { trail: false }).summary.total, 70);
  });
});

describe('the vocabulary of plan indicator tables', () => {
  const NATIONAL = read('spec/plans/china-national-14th-fyp-2021-2025.json');
  const NATIONAL_SAMPLE = read('spec/samples/china-national-14th-fyp-2021-2025-sample.json');
  test('every-year bounds name their failing year; recorded judgements say so', () => {
    const report = new Plan(NATIONAL).evaluate(NATIONAL_SAMPLE, '2025-03-31', { trail: false });
    const n8 = report.results.find((r) => r.id === 'N8');
    assert.deepEqual([n8.kind, n8.status, n8.op, n8.target], ['every_year', 'not_met', '<', '5.5']);
    assert.deepEqual(n8.culprits.map((c) => c.id), ['2022']);
    const n1 = report.results.find((r) => r.id === 'N1');
    assert.deepEqual([n1.basis, n1.status, n1.judgement.on], ['recorded', 'on_track', '2025-03-01']);
    assert.deepEqual(
      report.summary.by_obligation.map((o) => [o.obligation, o.total]),
      [['binding', 8], ['indicative', 13]],
    );
  });
  test('only binding targets, on request', () => {
    const report = new Plan(NATIONAL).evaluate(NATIONAL_SAMPLE, '2025-03-31', {
      trail: false,
      obligation: 'binding',
    });
    assert.equal(report.obligation, 'binding');
    assert.deepEqual(
      report.results.map((r) => r.id),
      ['N9', 'N14', 'N15', 'N16', 'N17', 'N18', 'N19', 'N20'],
    );
    throwsCode(
      () => new Plan(NATIONAL).evaluate(NATIONAL_SAMPLE, '2025-03-31', { obligation: 'mandatory' }),
      'invalid_request',
      { path: '/options/obligation' },
    );
  });
});

describe('the monitoring calendar', () => {
  test('the mid-term review by name', () => {
    const plan = Plan.xicheng();
    const reviews = plan.rules().monitoring.map((r) => [r.id, r.as_of]);
    assert.deepEqual(reviews.slice(-2), [['mid_term', '2018-06-30'], ['final', '2020-12-31']]);
    const byName = plan.evaluate(SAMPLE, 'mid_term', { trail: false });
    const byDate = plan.evaluate(SAMPLE, '2018-06-30', { trail: false });
    assert.equal(byName.review.id, 'mid_term');
    assert.equal(byName.as_of, '2018-06-30');
    assert.equal(byDate.review, undefined);
    assert.deepEqual(byName.results.map((r) => r.status), byDate.results.map((r) => r.status));
    throwsCode(() => plan.evaluate(SAMPLE, 'midterm'), 'invalid_as_of', { path: '/as_of' });
  });
});

describe('the Node entry speaks the web entry\'s init', () => {
  test('await init() resolves to the API, initSync() returns it, and the default export still carries the API', async () => {
    const mod = await import('../pkg/node/index.mjs');
    const init = mod.default;
    assert.equal(typeof init, 'function');
    const got = await init();
    assert.equal(got.evaluate, mod.evaluate);
    assert.equal(mod.initSync().validate, mod.validate);
    assert.equal(init.evaluate, mod.evaluate);
  });
});
