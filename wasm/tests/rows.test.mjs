// Node tests of the row verdicts (`rowRules`, `Plan#rowRules`, `RowRules`): the core's compiled
// per-record judgement (plan_rules::row) through the wasm package. The verdicts are the core's;
// these tests check the encoding of JS values, the batch form against the one-record form, and
// the errors.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as api from '../pkg/node/index.mjs';

const { Plan, RowRules, PlanRulesError, VERDICTS, rowRules } = api;

/** Asserts `f` throws a PlanRulesError with `code` and `path`. */
function throwsCode(f, code, path) {
  assert.throws(f, (e) => {
    assert.ok(e instanceof PlanRulesError, `not a PlanRulesError: ${e}`);
    assert.equal(e.code, code, e.message);
    if (path !== undefined) assert.equal(e.path, path);
    return true;
  });
}

const SCHOOL = {
  students: 1200,
  health_test_eligible: 1180,
  health_test_passed: 1180,
  pe_teachers: 8,
  pe_teachers_ice_snow_trained: 8,
  ice_snow_activity: true,
  teachers: 100,
  teachers_foreign_affairs: 2,
  international_exchange: false,
  teachers_international_exchange: 50,
  students_international_exchange: 240,
};

const DISTRICT = {
  preschool_children_hukou: 10400,
  preschool_enrolled_hukou: 10398,
  free_education_years_disabled: 15,
  hs_graduation_cohort: 2500,
  hs_graduates: 2499,
  lifelong_learning_bases: 103,
  certification_points: 480,
};

describe('compiling', () => {
  test('school rows: the 7 per-school targets, their fields and the level attribute', () => {
    const rules = rowRules('school');
    assert.ok(rules instanceof RowRules);
    assert.deepEqual(
      [...rules.targetIds],
      ['A4.1', 'A6.1', 'A6.2', 'A7', 'B3/schools', 'B3/teachers', 'B3/students'],
    );
    assert.deepEqual([...rules.attributes], ['level']);
    assert.equal(rules.fields.length, 11);
    assert.equal(rules.valueTypes[rules.fields.indexOf('ice_snow_activity')], 'flag');
    assert.equal(rules.valueTypes[rules.fields.indexOf('students')], 'count');
    assert.equal(rules.targetKinds[0], 'rate');
    assert.ok(Object.isFrozen(rules.fields));
  });

  test('district rows: the 5 district-year targets; the same from a Plan', () => {
    const rules = rowRules();
    assert.deepEqual([...rules.targetIds], ['A1', 'A2', 'A3', 'A8.1', 'B1']);
    assert.deepEqual([...rules.attributes], []);
    const fromPlan = Plan.xicheng().rowRules();
    assert.deepEqual(fromPlan.targetIds, rules.targetIds);
    assert.deepEqual(fromPlan.judge(DISTRICT), rules.judge(DISTRICT));
  });

  test('states of a state field', () => {
    const projects = rowRules('project');
    assert.deepEqual(projects.states('state'), ['planned', 'under_construction', 'completed', 'in_use']);
    assert.deepEqual(projects.states('nope'), []);
    assert.deepEqual(projects.judge({ state: 'in_use' }), { B2: 'met' });
    assert.deepEqual(projects.judge({ state: 'completed' }), { B2: 'not_met' });
    assert.deepEqual(projects.judge({ state: 'demolished' }), { B2: 'invalid' });
    assert.deepEqual(projects.judge({ state: 3 }), { B2: 'invalid' });
    assert.deepEqual(projects.judge({}), { B2: 'missing' });
  });

  test('an unknown entity kind or a kind that is not a string is invalid_request', () => {
    throwsCode(() => rowRules('hospital'), 'invalid_request', '/kind');
    throwsCode(() => Plan.xicheng().rowRules('hospital'), 'invalid_request', '/kind');
    throwsCode(() => rowRules(7), 'invalid_request', '/kind');
  });
});

describe('one record', () => {
  const rules = rowRules('school');

  test('verdicts by target id', () => {
    assert.deepEqual(rules.judge(SCHOOL, { level: 'primary' }), {
      'A4.1': 'met',
      'A6.1': 'met',
      'A6.2': 'met',
      A7: 'met',
      'B3/schools': 'not_met',
      'B3/teachers': 'not_met',
      'B3/students': 'not_met',
    });
    assert.deepEqual(rowRules().judge(DISTRICT), {
      A1: 'not_met',
      A2: 'met',
      A3: 'not_met',
      'A8.1': 'met',
      B1: 'not_met',
    });
  });

  test('codes are indices into VERDICTS, in targetIds order', () => {
    const codes = rules.judgeCodes(SCHOOL, { level: 'primary' });
    assert.ok(codes instanceof Uint8Array);
    const verdicts = rules.judge(SCHOOL, { level: 'primary' });
    assert.deepEqual(
      [...codes].map((c) => VERDICTS[c]),
      rules.targetIds.map((id) => verdicts[id]),
    );
    assert.deepEqual([...VERDICTS], ['met', 'not_met', 'missing', 'invalid', 'not_applicable']);
  });

  test('decimal strings, bigints and numbers are the same numbers; strings keep exact digits', () => {
    const asText = Object.fromEntries(
      Object.entries(SCHOOL).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v]),
    );
    const asBig = { ...SCHOOL, students: 1200n, teachers: 100n };
    const expected = rules.judge(SCHOOL, { level: 'primary' });
    assert.deepEqual(rules.judge(asText, { level: 'primary' }), expected);
    assert.deepEqual(rules.judge(asBig, { level: 'primary' }), expected);
    // 1180 passed of 1180.0000000000000000000001 eligible is below 100%: exact, no floats.
    const close = { ...SCHOOL, students: '1181', health_test_eligible: '1180.0000000000000000000001' };
    assert.equal(rules.judge(close, { level: 'primary' })['A6.1'], 'invalid', 'a fractional count');
    const pct = rowRules('school').judge(
      { ...SCHOOL, health_test_eligible: '1180', health_test_passed: '1179' },
      { level: 'primary' },
    );
    assert.equal(pct['A6.1'], 'not_met');
  });

  test('impossible values are invalid, absent ones missing', () => {
    const judge = (patch) => rules.judge({ ...SCHOOL, ...patch }, { level: 'primary' });
    assert.equal(judge({ teachers_foreign_affairs: 1.5 })['A7'], 'invalid', 'fractional count');
    assert.equal(judge({ teachers_foreign_affairs: '1.0' })['A7'], 'met', 'a whole number');
    assert.equal(judge({ teachers_foreign_affairs: -1 })['A7'], 'invalid', 'negative');
    assert.equal(judge({ teachers_foreign_affairs: 'two' })['A7'], 'invalid', 'not a number');
    assert.equal(judge({ teachers_foreign_affairs: true })['A7'], 'invalid', 'a flag for a count');
    assert.equal(judge({ teachers_foreign_affairs: {} })['A7'], 'invalid', 'an object');
    assert.equal(judge({ teachers_foreign_affairs: null })['A7'], 'missing');
    assert.equal(judge({ teachers_foreign_affairs: '-0' })['A7'], 'not_met', '-0 is zero');
    assert.equal(judge({ teachers_foreign_affairs: -0 })['A7'], 'not_met');
    assert.equal(judge({ teachers_foreign_affairs: undefined })['A7'], 'missing');
    assert.equal(judge({ health_test_passed: 1181 })['A6.1'], 'invalid', 'passed above eligible');
    assert.equal(judge({ ice_snow_activity: 'true' })['A6.2'], 'invalid', 'text for a flag');
    assert.equal(judge({ ice_snow_activity: 0 })['A6.2'], 'invalid', 'a number for a flag');
    assert.equal(judge({ ice_snow_activity: false })['A6.2'], 'not_met');
  });

  test('attributes filter the population', () => {
    assert.equal(rules.judge(SCHOOL, { level: 'special_education' })['A6.1'], 'not_applicable');
    // No level: unknown, so missing (as full evaluation counts it), not outside the population.
    assert.equal(rules.judge(SCHOOL)['A6.1'], 'missing', 'no level');
    assert.equal(rules.judge(SCHOOL, { level: null })['A6.1'], 'missing');
    assert.equal(rules.judge(SCHOOL, { level: 'secondary' })['A6.1'], 'met');
    assert.equal(rules.judge(SCHOOL, { level: 'special_education' })['A6.2'], 'met');
  });

  test('numbers JS cannot carry exactly, and bad arguments, throw with a path', () => {
    throwsCode(() => rules.judge({ students: NaN }), 'invalid_number', '/record/students');
    throwsCode(() => rules.judge({ teachers: Infinity }), 'invalid_number', '/record/teachers');
    throwsCode(() => rules.judge({ students: 2 ** 60 }), 'invalid_number', '/record/students');
    throwsCode(() => rules.judge(SCHOOL, { level: 3 }), 'invalid_request', '/attributes/level');
    throwsCode(() => rules.judge('students=1'), 'invalid_request', '/record');
    throwsCode(() => rules.judge(SCHOOL, 'primary'), 'invalid_request', '/attributes');
    // An error leaves the object usable.
    assert.equal(rules.judge(SCHOOL, { level: 'primary' })['A6.1'], 'met');
  });

  test('many distinct strings (interning, memory growth) keep every verdict right', () => {
    const r = rowRules('school');
    for (let i = 0; i < 10000; i++) {
      const eligible = 1000 + i;
      const passed = i % 3 === 0 ? eligible - 1 : eligible;
      const v = r.judge(
        { students: String(eligible + 5), health_test_eligible: `${eligible}.0`, health_test_passed: String(passed) },
        { level: `primary` },
      );
      assert.equal(v['A6.1'], i % 3 === 0 ? 'not_met' : 'met', `row ${i}`);
    }
    // Grow the wasm memory while the object is alive; its views must follow.
    const big = r.judgeColumns({ students: new Float64Array(300000).fill(5) }, {});
    assert.equal(big['A7'].length, 300000);
    assert.equal(r.judge(SCHOOL, { level: 'primary' })['A4.1'], 'met');
  });
});

describe('columns', () => {
  const rules = rowRules('school');

  /** A small deterministic generator, so the rows are the same on every run. */
  function rng(seed) {
    let s = seed >>> 0;
    return (n) => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s % n;
    };
  }

  function randomRows(count, seed) {
    const below = rng(seed);
    const values = [null, undefined, 0, 1, 3, 7, 12, 12.5, -1, '4', '12.000', ' 9 ', 'x', true, false, 5n];
    const levels = ['primary', 'secondary', 'nine_year', 'special_education', null, undefined];
    const rows = [];
    for (let i = 0; i < count; i++) {
      const rec = {};
      for (const f of rules.fields) rec[f] = values[below(values.length)];
      rows.push({ rec, attrs: { level: levels[below(levels.length)] } });
    }
    return rows;
  }

  test('the batch gives the one-record verdicts, across chunks', () => {
    const rows = randomRows(3000, 42);
    const columns = Object.fromEntries(rules.fields.map((f) => [f, rows.map((r) => r.rec[f])]));
    const level = rows.map((r) => r.attrs.level);
    const out = rules.judgeColumns(columns, { level }, { chunkRows: 700 });
    assert.deepEqual(Object.keys(out), [...rules.targetIds]);
    for (let i = 0; i < rows.length; i++) {
      const codes = rules.judgeCodes(rows[i].rec, rows[i].attrs);
      for (let t = 0; t < rules.targetIds.length; t++) {
        assert.equal(out[rules.targetIds[t]][i], codes[t], `row ${i}, ${rules.targetIds[t]}`);
      }
    }
  });

  test('typed arrays: integers as numbers, NaN in float arrays missing; short columns missing', () => {
    const columns = {
      pe_teachers: new Int32Array([4, 4, 4]),
      pe_teachers_ice_snow_trained: new Float64Array([4, 3, NaN]),
    };
    const out = rules.judgeColumns(columns, {});
    assert.deepEqual([...out['A4.1']], [0, 1, 2]);
    const short = rules.judgeColumns({ pe_teachers: [4, 4], pe_teachers_ice_snow_trained: [4] }, {});
    assert.deepEqual([...short['A4.1']], [0, 2]);
    assert.deepEqual([...rules.judgeColumns({}, {})['A7']], []);
  });

  test('bad columns throw with a path', () => {
    throwsCode(() => rules.judgeColumns({ students: 'abc' }), 'invalid_request', '/columns/students');
    throwsCode(() => rules.judgeColumns({ students: [1, NaN] }), 'invalid_number', '/columns/students/1');
    throwsCode(
      () => rules.judgeColumns({}, { level: ['primary', 7] }),
      'invalid_request',
      '/attributes/level/1',
    );
  });
});
