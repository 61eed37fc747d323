// The Node entry bundled by Vite for a server (`vite build --ssr ssr.mjs`, with the package
// bundled in, not left external): it must stay ES-module clean and find its `.wasm`, beside
// the bundle or where PLAN_RULES_WASM says (`init(path)`).
import init, { evaluate } from 'plan-rules-wasm';

await init(process.env.PLAN_RULES_WASM);
const report = evaluate(
  {
    series: {
      preschool_children_hukou: { values: { 2020: 10000 } },
      preschool_enrolled_hukou: { values: { 2020: '9995' } },
    },
  },
  '2020-12-31',
  { trail: false },
);
const a1 = report.results.find((r) => r.id === 'A1');
console.log(JSON.stringify({ status: a1.status, observed: a1.observed }));
