// The package's declarations as a TypeScript ES-module consumer sees them (nodenext resolution
// through the package's "exports"), checked by `tsc` in test-pack.sh.
import init, { evaluate, validate, initSync, type Report, type TargetResult, type Status, type ValidateAnswer } from 'plan-rules-wasm';
import type { PlanDocument, DatasetInput } from 'plan-rules-wasm/types';

const data: DatasetInput = { series: { preschool_children_hukou: { values: { '2020': 10000 } } } };
const report: Report = evaluate(data, '2020-12-31');
const first: TargetResult | undefined = report.results[0];
const status: Status | undefined = first?.status;
const answer: ValidateAnswer = validate(data);
const api = await init();
const fromPath = await init(new URL('file:///srv/plan_rules_wasm_bg.wasm'));
const again: ValidateAnswer = initSync().validate(data);
let plan: PlanDocument | undefined;
// @ts-expect-error: statuses are a closed set
const wrong: Status = 'passed';
void [status, answer, api, fromPath, again, plan, wrong];
