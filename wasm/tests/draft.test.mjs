// Draft rule sets through the Node package: `"status": "draft"` lets a rule set leave out quotes
// and one language of its texts; `plan.warnings` and `check()` list each omission, reports say
// they come from a draft; a published rule set with the same omissions throws a PlanRulesError
// (kind `spec`) whose code is the omission's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Plan, PlanRulesError } from '../pkg/node/index.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const XICHENG = readFileSync(path.join(root, 'spec/plans/xicheng-education-2016-2020.json'), 'utf8');
const SAMPLE = readFileSync(path.join(root, 'spec/samples/xicheng-sample-2015-2020.json'), 'utf8');

/** The embedded plan with A1's quote and A2's English title left out. */
function sketchy(status) {
  const doc = JSON.parse(XICHENG);
  delete doc.targets[0].citation.quote;
  delete doc.targets[1].title.en;
  if (status !== undefined) doc.status = status;
  return doc;
}

const QUOTE_EN = 'target `A1`: the citation at `/targets/0/citation` quotes nothing';
const TITLE_EN = 'target `A2`: the text at `/targets/1/title` has no English (`en`)';
const DRAFT_EN = ' (a draft may leave it out; complete it before publishing)';
const DRAFT_ZH = '（草稿规则集可以省略，正式发布前须补全）';

test('a draft loads, with a warning for each omission', () => {
  const plan = new Plan(sketchy('draft'));
  try {
    assert.equal(plan.status, 'draft');
    assert.deepEqual(plan.warnings, [
      {
        code: 'missing_quote',
        path: '/targets/0/citation/quote',
        target: 'A1',
        message_zh: `目标\`A1\`：\`/targets/0/citation\`处的引文没有引用规划原文${DRAFT_ZH}`,
        message_en: QUOTE_EN + DRAFT_EN,
      },
      {
        code: 'missing_translation',
        path: '/targets/1/title/en',
        target: 'A2',
        message_zh: `目标\`A2\`：\`/targets/1/title\`处的文本缺少英文（\`en\`）${DRAFT_ZH}`,
        message_en: TITLE_EN + DRAFT_EN,
      },
    ]);
    const checked = plan.check();
    assert.equal(checked.ok, true);
    assert.equal(checked.status, 'draft');
    assert.deepEqual(checked.warnings, plan.warnings);
    // The rule set as read: what is left out is empty text.
    assert.equal(plan.rules().targets[1].title.en, '');
    assert.equal(plan.rules().status, 'draft');
  } finally {
    plan.free();
  }
});

test("a draft's report says it comes from a draft, with the published verdicts", () => {
  const draft = new Plan(sketchy('draft'));
  const published = Plan.xicheng();
  try {
    const report = draft.evaluate(SAMPLE, '2018-12-31');
    assert.equal(report.plan.status, 'draft');
    const official = published.evaluate(SAMPLE, '2018-12-31');
    assert.equal('status' in official.plan, false);
    assert.deepEqual(
      report.results.map((r) => [r.id, r.status]),
      official.results.map((r) => [r.id, r.status]),
    );
    assert.equal(published.status, 'published');
    assert.deepEqual(published.warnings, []);
    assert.deepEqual(published.check().warnings, []);
  } finally {
    draft.free();
    published.free();
  }
});

for (const status of [undefined, 'published']) {
  test(`a rule set with status ${status} refuses the same omissions`, () => {
    assert.throws(
      () => new Plan(sketchy(status)),
      (e) => {
        assert.ok(e instanceof PlanRulesError);
        assert.equal(e.kind, 'spec');
        assert.equal(e.code, 'missing_quote');
        assert.equal(e.path, '/targets/0/citation/quote');
        assert.equal(e.target, 'A1');
        assert.deepEqual(
          e.errors.map((x) => [x.code, x.path, x.target, x.message]),
          [
            [
              'missing_quote',
              '/targets/0/citation/quote',
              'A1',
              `${QUOTE_EN}; only a draft rule set (\`"status": "draft"\`) may leave the quote out`,
            ],
            [
              'missing_translation',
              '/targets/1/title/en',
              'A2',
              `${TITLE_EN}; only a draft rule set (\`"status": "draft"\`) may give one language`,
            ],
          ],
        );
        return true;
      },
    );
  });
}
