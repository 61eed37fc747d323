// Row rules never drop a target silently: `leftOut` lists every target one record cannot decide
// with its reason, and a selection (`rowRules(kind, { targets })`) that names one is refused with
// a PlanRulesError of code `not_row_judgeable` naming the target and the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Plan, PlanRulesError, rowRules } from '../pkg/node/index.mjs';

const CUMULATIVE_EN =
  'it reads `reserve_cadres_selected` summed over the years since the plan began ' +
  '(`over_time: cumulative`), and one record holds one year';
const CUMULATIVE_ZH =
  '它读取`reserve_cadres_selected`自规划首年起的逐年累计值（`over_time: cumulative`），' +
  '而一条记录只有一年的数据';

/** Asserts `f` throws a PlanRulesError with exactly these properties. */
function refuses(f, want) {
  assert.throws(f, (e) => {
    assert.ok(e instanceof PlanRulesError, `not a PlanRulesError: ${e}`);
    assert.ok(e instanceof Error);
    for (const [key, value] of Object.entries(want)) assert.equal(e[key], value, key);
    return true;
  });
}

test('the district rules list what they leave out, with reasons in both languages', () => {
  const rules = rowRules();
  assert.deepEqual(
    rules.leftOut.slice(0, 14).map((x) => [x.id, x.kind, x.reason]),
    [
      ['A4.1', 'rate', 'entity_records'],
      ['A4.2', 'approximate_count', 'cumulative_over_time'],
      ['A5.1', 'count', 'cumulative_over_time'],
      ['A5.2', 'count', 'cumulative_over_time'],
      ['A5.3', 'count', 'cumulative_over_time'],
      ['A6.1', 'rate', 'entity_records'],
      ['A6.2', 'coverage', 'entity_records'],
      ['A7', 'coverage', 'entity_records'],
      ['A8.2/community', 'coverage', 'entity_records'],
      ['A8.2/inservice', 'coverage', 'entity_records'],
      ['B2', 'milestones', 'entity_records'],
      ['B3/schools', 'coverage', 'entity_records'],
      ['B3/teachers', 'rate', 'entity_records'],
      ['B3/students', 'rate', 'entity_records'],
    ],
  );
  // The body's commitments without a number (C*, D*): no record decides them.
  const middle = rules.leftOut.slice(14, -3);
  assert.equal(middle.length, 51);
  assert.deepEqual(
    [...new Set(middle.map((x) => `${x.id[0]} ${x.kind} ${x.reason}`))],
    ['C qualitative not_row_judgeable_kind', 'D qualitative not_row_judgeable_kind'],
  );
  assert.deepEqual(
    rules.leftOut.slice(-3).map((x) => [x.id, x.kind, x.reason]),
    [
      ['F1', 'growth_comparison', 'needs_several_years'],
      ['R1', 'every_year', 'needs_several_years'],
      ['R2', 'every_year', 'entity_records'],
    ],
  );
  assert.deepEqual(rules.leftOut[2], {
    id: 'A5.1',
    kind: 'count',
    reason: 'cumulative_over_time',
    message_zh: CUMULATIVE_ZH,
    message_en: CUMULATIVE_EN,
  });
  assert.ok(Object.isFrozen(rules.leftOut) && Object.isFrozen(rules.leftOut[0]));
  rules.free();
});

test('the school rules name the kind of record each left-out target reads', () => {
  const plan = Plan.xicheng();
  const rules = plan.rowRules('school');
  const b2 = rules.leftOut.find((x) => x.id === 'B2');
  assert.deepEqual([b2.reason, b2.message_en, b2.message_zh], [
    'other_entity_kind',
    'it reads `project` records, not `school` records',
    '它读取`project`的记录，而非`school`的记录',
  ]);
  // Every target is judged or listed (A8.2 and B3 by their parts).
  assert.equal(rules.targetIds.length + rules.leftOut.length, plan.targetCount + 3);
  plan.free();
});

test('a selection judges the named targets, in the rules order', () => {
  const rules = rowRules('school', { targets: ['A7', 'A6.1'] });
  assert.deepEqual(rules.targetIds, ['A6.1', 'A7']);
  assert.deepEqual(rules.fields, [
    'health_test_passed',
    'health_test_eligible',
    'students',
    'teachers_foreign_affairs',
    'teachers',
  ]);
  assert.deepEqual(
    rules.judge({ health_test_eligible: 200, health_test_passed: 199 }, { level: 'primary' }),
    { 'A6.1': 'not_met', A7: 'missing' },
  );
  assert.deepEqual(rules.leftOut, rowRules('school').leftOut);
  assert.deepEqual(rowRules('school', { targets: ['B3'] }).targetIds, [
    'B3/schools',
    'B3/teachers',
    'B3/students',
  ]);
  // No options, or no targets, is every row-judgeable target.
  assert.equal(rowRules('school', {}).targetIds.length, 7);
});

test('naming a left-out target is refused with the target and the reason', () => {
  refuses(() => rowRules(undefined, { targets: ['A1', 'A5.1'] }), {
    code: 'not_row_judgeable',
    kind: 'request',
    path: '/targets/1',
    target: 'A5.1',
    message: `target \`A5.1\` (at \`/targets/1\`) cannot be judged on one record (cumulative_over_time): ${CUMULATIVE_EN}`,
  });
  const plan = Plan.xicheng();
  refuses(() => plan.rowRules('school', { targets: ['A8.2'] }), {
    code: 'not_row_judgeable',
    path: '/targets/0',
    target: 'A8.2/community',
    message:
      'target `A8.2/community` (at `/targets/0`) cannot be judged on one record ' +
      '(other_entity_kind): it reads `street` records, not `school` records',
  });
  plan.free();
});

test('bad selections are request errors', () => {
  refuses(() => rowRules(undefined, { targets: ['Z9'] }), {
    code: 'unknown_target',
    target: 'Z9',
    message: 'target `Z9` is not in the plan',
  });
  refuses(() => rowRules(undefined, { targets: [] }), {
    code: 'invalid_request',
    path: '/targets',
    message:
      'request is invalid at `/targets`: the selection names no target (leave it out to judge ' +
      'every row-judgeable target)',
  });
  refuses(() => rowRules(undefined, { targets: 'A1' }), {
    code: 'invalid_request',
    path: '/targets',
    message: 'request is invalid at `/targets`: `targets` must be an array of target ids, found string',
  });
  refuses(() => rowRules(undefined, { targets: ['A1', 7] }), {
    code: 'invalid_request',
    path: '/targets/1',
    message: 'request is invalid at `/targets/1`: a target id must be a string, found number',
  });
  refuses(() => rowRules(undefined, 'A1'), { code: 'invalid_request', path: '/options' });
});
