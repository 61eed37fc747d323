// The package's declarations as a TypeScript CommonJS consumer sees them (`require` through the
// package's "exports"), checked by `tsc` in test-pack.sh.
import planRules = require('plan-rules-wasm');
import type { DatasetInput, Report } from 'plan-rules-wasm/types';

const data: DatasetInput = { entities: [] };
const report: Report = planRules.evaluate(data, '2020-12-31');
const ok: boolean = planRules.validate(data).ok;
const loaded: Promise<unknown> = planRules.default();
// @ts-expect-error: evaluate needs an as-of date
planRules.evaluate(data);
void [report, ok, loaded];
