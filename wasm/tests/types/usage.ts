// A typed use of the Node package, checked by `tsc --noEmit` (wasm/tsconfig.json): every input
// and output of the API is declared, and the declarations match how the package is used.
import api, {
  Plan,
  PlanRulesError,
  evaluate,
  evaluateJson,
  validate,
  rules,
  check,
  engineVersion,
  type DatasetInput,
  type Diagnostic,
  type DiagnosticCode,
  type Report,
  type TargetResult,
  type Status,
  type PlanDocument,
  type ValidateAnswer,
  type CheckAnswer,
  type Decimal,
  type Rule,
} from '../../pkg/node/index.mjs';

const data: DatasetInput = {
  id: 'typed',
  series: {
    preschool_children_hukou: { unit: 'persons', values: { '2020': 10000 } },
    preschool_enrolled_hukou: { values: { '2020': { value: '9995', source: 'survey' } } },
  },
  entities: [
    {
      kind: 'school',
      id: 'S001',
      attributes: { level: 'primary' },
      records: { '2018': { students: 2325, ice_snow_activity: true, teachers: 193n, pe_teachers: null } },
    },
  ],
};

const report: Report = evaluate(data, '2020-12-31', { trail: false });
const first: TargetResult | undefined = report.results[0];
const status: Status | undefined = first?.status;
const observed: Decimal | null | undefined = first?.observed;
const text: string = evaluateJson(JSON.stringify(data), '2020-12-31');
const answer: ValidateAnswer = validate(data);
const d: Diagnostic | undefined = answer.diagnostics[0];
const code: DiagnosticCode | undefined = d?.code;
const message: string | undefined = d?.message_zh;
const period: number | null | undefined = d?.period;
const doc: PlanDocument = rules();
const rule: Rule | undefined = doc.targets[0]?.rule;
if (rule?.type === 'rate') {
  const pct: Decimal = rule.target_percent;
  void pct;
}
const schoolFields = doc.dictionary.entity_kinds?.['school']?.fields ?? {};
for (const [name, spec] of Object.entries(schoolFields)) {
  const required: boolean = spec.required ?? false;
  void [name, required, spec.type, spec.unit, spec.at_most];
}
const c: CheckAnswer = check();
const version: string = engineVersion();

const plan = new Plan(doc);
const custom: Report = plan.evaluate('{}', '2018-12-31');
const hash: string = plan.contentHash;
plan.free();
const defaultPlan: Plan = api.Plan.xicheng();

try {
  validate('{');
} catch (e) {
  if (e instanceof PlanRulesError) {
    const c2: string = e.code;
    const p: string | null = e.path;
    const line: number | undefined = e.errors[0]?.line;
    const kind: 'spec' | 'data' | 'request' | 'internal' = e.kind;
    void [c2, p, line, kind, e.details.errors];
  }
}

// @ts-expect-error a date is a YYYY-MM-DD string
evaluate(data, new Date());
// @ts-expect-error options are typed
evaluate(data, '2018-12-31', { trail: 'no' });
// @ts-expect-error an entity needs a kind
validate({ entities: [{ id: 'S1' }] });

void [status, observed, text, code, message, period, c, version, custom, hash, defaultPlan];

// Row verdicts.
import { rowRules, VERDICTS, type RowVerdict, type RowRules } from '../../pkg/node/index.mjs';
const schoolRows: RowRules = rowRules('school');
const verdicts: Record<string, RowVerdict> = schoolRows.judge(
  { students: 120, health_test_eligible: '100', health_test_passed: 99n, ice_snow_activity: true },
  { level: 'primary' },
);
const firstCode: number | undefined = schoolRows.judgeCodes({})[0];
const batch: Record<string, Uint8Array> = schoolRows.judgeColumns(
  { students: new Int32Array([120, 130]), health_test_passed: ['99', null] },
  { level: ['primary', 'secondary'] },
  { chunkRows: 1024 },
);
const rowCode: RowVerdict = VERDICTS[batch['A6.1']?.[0] ?? 2] ?? 'missing';
const seriesRows: RowRules = Plan.xicheng().rowRules();
void [verdicts, firstCode, rowCode, seriesRows.targetIds.length, seriesRows.valueTypes[0]];

// The vocabulary of plan indicator tables: bounds, changes, obligations, recorded judgements.
import type { Obligation, Op } from '../../pkg/node/index.mjs';
const strict: Rule = {
  type: 'value',
  measure: { from: 'series', series: 'unemployment' },
  op: '<',
  limit: '5.5',
  unit: '%',
};
const cumulative: Rule = {
  type: 'change',
  measure: { from: 'series', series: 'intensity_rate' },
  method: 'relative',
  input: 'yearly_rates',
  op: '<=',
  amount: '-13.5',
};
const yearly: Rule = { type: 'every_year', rule: { ...strict, type: 'value' } };
const onlyBinding = evaluate(data, '2018-12-31', { obligation: 'binding' });
const firstBinding: TargetResult | undefined = onlyBinding.results[0];
const op: Op | null = firstBinding?.op ?? null;
const attribute: Obligation | null = firstBinding?.obligation ?? null;
const recorded: boolean = firstBinding?.basis === "recorded";
// @ts-expect-error an obligation is binding or indicative
evaluate(data, '2018-12-31', { obligation: 'mandatory' });
// @ts-expect-error an op is one of >=, >, <=, <
const badOp: Rule = { type: 'value', measure: { from: 'series', series: 'x' }, op: '=<', limit: '1', unit: '%' };
void [cumulative, yearly, op, attribute, recorded, badOp];

// Targets left out of row verdicts, and a selection.
import type { LeftOut, LeftOutReason } from '../../pkg/node/index.mjs';
const leftOut: readonly LeftOut[] = seriesRows.leftOut;
const why: LeftOutReason | undefined = leftOut[0]?.reason;
const selected: RowRules = rowRules('school', { targets: ['A6.1', 'B3'] });
const planSelected: RowRules = Plan.xicheng().rowRules(undefined, { targets: ['A1'] });
// @ts-expect-error targets are ids
rowRules('school', { targets: 'A6.1' });
// @ts-expect-error the reasons are a closed list
const badReason: LeftOutReason = 'too_hard';
void [why, selected, planSelected, badReason, leftOut[0]?.message_zh];

// Draft rule sets.
import type { PlanStatus, SpecWarning } from '../../pkg/node/index.mjs';
const loaded = Plan.xicheng();
const planStatus: PlanStatus = loaded.status;
const planWarnings: readonly SpecWarning[] = loaded.warnings;
const checkAnswer: CheckAnswer = loaded.check();
const draftDoc = { ...loaded.rules(), status: 'draft' as const };
const draftPlan = new Plan(draftDoc);
const reportStatus: 'draft' | undefined = draftPlan.evaluate({}, '2018-12-31').plan.status;
// @ts-expect-error a status is published or draft
const badStatus: PlanStatus = 'final';
void [planStatus, planWarnings[0]?.code, checkAnswer.warnings, reportStatus, badStatus];
