// The Node engines of the benchmark: `node node_engines.mjs ENGINE DATA_DIR [--rows N]` prints
// one JSON object: latency per record (the 12 targets, object in, verdicts out), batch
// throughput (the 7 school targets), peak memory of the batch.
//
// Engines:
// - wasm: plan-rules through the WebAssembly package (wasm/pkg/node), `RowRules`.
// - node-float: hand-written JS with floats (the same checks as every hand-written peer).
// - json-rules-engine: one rule per verdict per target (missing, invalid, met; else not_met).
// - zen-node: GoRules ZEN's Node binding, the decision graph of py_engines.zen_graph.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '.work/node/package.json'));
const [engine, dataDir, ...rest] = process.argv.slice(2);
const rowsArg = rest.indexOf('--rows') >= 0 ? Number(rest[rest.indexOf('--rows') + 1]) : null;
// `--workload district20`: the second workload (bench/plans/district-20.json, 13 targets on one
// district-year record of 20 integer fields; DATA_DIR is then the workload's own directory).
const D20 = rest.indexOf('--workload') >= 0 && rest[rest.indexOf('--workload') + 1] === 'district20';
const data = path.resolve(dataDir);
const record = JSON.parse(readFileSync(path.join(data, 'record.json'), 'utf8'));
const meta = JSON.parse(readFileSync(path.join(data, 'meta.json'), 'utf8'));
const TARGETS = JSON.parse(readFileSync(path.join(data, 'targets.json'), 'utf8'));
const DISTRICT_IDS = D20 ? TARGETS.map((t) => t.id) : ['A1', 'A2', 'A3', 'A8.1', 'B1'];
const SCHOOL_IDS = D20 ? [] : ['A4.1', 'A6.1', 'A6.2', 'A7', 'B3/schools', 'B3/teachers', 'B3/students'];
// The targets of the batch: the school targets, or the second workload's district targets.
const BATCH_IDS = D20 ? DISTRICT_IDS : SCHOOL_IDS;
const byId = Object.fromEntries(TARGETS.map((t) => [t.id, t]));
const CODES = { met: 0, not_met: 1, missing: 2, invalid: 3, not_applicable: 4 };

function rssKb(key) {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith(key));
  return line ? Number(line.split(/\s+/)[1]) : 0;
}
function resetPeak() {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    /* not Linux */
  }
}
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function timePerCall(fn, minSeconds = 0.3, reps = 7) {
  // Synchronous engines are timed in a plain loop: awaiting them would time the microtask queue.
  if (!(fn() instanceof Promise)) return timeSync(fn, minSeconds, reps);
  let n = 1;
  let el;
  for (;;) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await fn();
    el = Number(process.hrtime.bigint() - t) / 1e9;
    if (el > minSeconds / 4) break;
    n *= 2;
  }
  n = Math.max(1, Math.floor((n * minSeconds) / el));
  const samples = [];
  for (let r = 0; r < reps; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await fn();
    samples.push(Number(process.hrtime.bigint() - t) / n);
  }
  return median(samples);
}

function timeSync(fn, minSeconds, reps) {
  let n = 1;
  let el;
  for (;;) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    el = Number(process.hrtime.bigint() - t) / 1e9;
    if (el > minSeconds / 4) break;
    n *= 2;
  }
  n = Math.max(1, Math.floor((n * minSeconds) / el));
  const samples = [];
  for (let r = 0; r < reps; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    samples.push(Number(process.hrtime.bigint() - t) / n);
  }
  return median(samples);
}

// --- hand-written floats ---------------------------------------------------------------------
const isCount = (v) => v >= 0 && Number.isInteger(v);
function floatVerdict(t, rec, attrs) {
  if (t.levels && !t.levels.includes(attrs.level)) return 'not_applicable';
  for (const [f, total] of t.totals ?? []) {
    const a = rec[f];
    const b = rec[total];
    if (a != null && b != null && a > b) return 'invalid';
  }
  if (t.test === 'rate') {
    const n = rec[t.n];
    const d = rec[t.d];
    if (n == null || d == null) return 'missing';
    if (!isCount(n) || !isCount(d) || d === 0 || n > d) return 'invalid';
    // n × 100 ≥ p × d: exact in floats for these whole counts and percents (95, 97.5, ...).
    if (t.percent !== undefined) return n * 100 >= Number(t.percent) * d ? 'met' : 'not_met';
    return n >= d ? 'met' : 'not_met';
  }
  if (t.test === 'min' || t.test === 'max' || t.test === 'band') {
    const v = rec[t.field];
    if (v == null) return 'missing';
    if (v < 0 || (t.type === 'count' && !Number.isInteger(v))) return 'invalid';
    if (t.test === 'min') return v >= Number(t.min) ? 'met' : 'not_met';
    if (t.test === 'max') return v <= Number(t.max) ? 'met' : 'not_met';
    return v >= Number(t.lower) && v <= Number(t.upper) ? 'met' : 'not_met';
  }
  const v = rec[t.field];
  if (v == null) return 'missing';
  if (typeof v !== 'boolean') return 'invalid';
  return v ? 'met' : 'not_met';
}
function floatJudge(ids) {
  const ts = ids.map((i) => byId[i]);
  return (rec, attrs = {}) => {
    const out = {};
    for (const t of ts) out[t.id] = floatVerdict(t, rec, attrs);
    return out;
  };
}

// --- json-rules-engine -----------------------------------------------------------------------
function jreRules(t) {
  const f = (fact) => ({ fact, operator: 'equal', value: null });
  const rules = [];
  const add = (verdict, priority, conditions) =>
    rules.push({ conditions, priority, event: { type: verdict, params: { id: t.id } } });
  const totals = (t.totals ?? []).map(([a, b]) => ({
    all: [
      { fact: a, operator: 'notEqual', value: null },
      { fact: b, operator: 'notEqual', value: null },
      { fact: a, operator: 'greaterThan', value: { fact: b } },
    ],
  }));
  if (t.levels) add('not_applicable', 50, { all: [{ fact: 'level', operator: 'notIn', value: t.levels }] });
  if (t.test === 'rate') {
    add('missing', 40, { any: [f(t.n), f(t.d)] });
    add('invalid', 30, {
      all: [
        { fact: t.n, operator: 'notEqual', value: null },
        { fact: t.d, operator: 'notEqual', value: null },
        {
          any: [
            { fact: t.n, operator: 'lessThan', value: 0 },
            { fact: t.d, operator: 'lessThanInclusive', value: 0 },
            { fact: t.n, operator: 'greaterThan', value: { fact: t.d } },
            ...totals,
          ],
        },
      ],
    });
    if (t.percent !== undefined) {
      // A rate other than 100 %: n × 100 against p × d, as facts computed from the record.
      add('met', 20, { all: [{ fact: `${t.id}:n100`, operator: 'greaterThanInclusive', value: { fact: `${t.id}:pd` } }] });
    } else {
      add('met', 20, { all: [{ fact: t.n, operator: 'greaterThanInclusive', value: { fact: t.d } }] });
    }
  } else if (t.test === 'min' || t.test === 'max' || t.test === 'band') {
    add('missing', 40, { all: [f(t.field)] });
    add('invalid', 30, {
      all: [
        { fact: t.field, operator: 'notEqual', value: null },
        { any: [{ fact: t.field, operator: 'lessThan', value: 0 }, ...totals] },
      ],
    });
    const met = {
      min: [{ fact: t.field, operator: 'greaterThanInclusive', value: Number(t.min) }],
      max: [{ fact: t.field, operator: 'lessThanInclusive', value: Number(t.max) }],
      band: [
        { fact: t.field, operator: 'greaterThanInclusive', value: Number(t.lower) },
        { fact: t.field, operator: 'lessThanInclusive', value: Number(t.upper) },
      ],
    }[t.test];
    add('met', 20, { all: met });
  } else {
    add('missing', 40, { all: [f(t.field)] });
    add('met', 20, { all: [{ fact: t.field, operator: 'equal', value: true }] });
  }
  return rules;
}
function jreJudge(ids) {
  const { Engine } = require('json-rules-engine');
  const eng = new Engine([], { allowUndefinedFacts: true });
  for (const i of ids) {
    const t = byId[i];
    for (const r of jreRules(t)) eng.addRule(r);
    if (t.test === 'rate' && t.percent !== undefined) {
      const p = Number(t.percent);
      eng.addFact(`${t.id}:n100`, async (_params, almanac) => (await almanac.factValue(t.n)) * 100);
      eng.addFact(`${t.id}:pd`, async (_params, almanac) => p * (await almanac.factValue(t.d)));
    }
  }
  const rank = { not_applicable: 5, missing: 4, invalid: 3, met: 2 };
  return async (rec, attrs = {}) => {
    const { events } = await eng.run({ ...rec, ...attrs });
    const out = Object.fromEntries(ids.map((i) => [i, 'not_met']));
    for (const e of events) {
      const cur = out[e.params.id];
      if ((rank[e.type] ?? 0) > (rank[cur] ?? 0)) out[e.params.id] = e.type;
    }
    return out;
  };
}

// --- engines ---------------------------------------------------------------------------------
async function makeEngine(name) {
  if (name === 'wasm') {
    const api = await import(pathToFileURL(path.join(here, '../wasm/pkg/node/index.mjs')).href);
    if (D20) {
      const plan = new api.Plan(readFileSync(path.join(here, 'plans/district-20.json'), 'utf8'));
      const d = plan.rowRules();
      return {
        district: (rec) => d.judge(rec),
        school: () => ({}),
        batch: (cols) => {
          const out = d.judgeColumns(cols, {});
          return BATCH_IDS.map((i) => out[i]);
        },
      };
    }
    const d = api.rowRules();
    const s = api.rowRules('school');
    return {
      district: (rec) => d.judge(rec),
      school: (rec, attrs) => s.judge(rec, attrs),
      batch: (cols, level) => {
        const out = s.judgeColumns(cols, { level });
        return SCHOOL_IDS.map((i) => out[i]);
      },
    };
  }
  if (name === 'node-float') return { district: floatJudge(DISTRICT_IDS), school: floatJudge(SCHOOL_IDS) };
  if (name === 'json-rules-engine') {
    return { async: true, district: jreJudge(DISTRICT_IDS), school: jreJudge(SCHOOL_IDS) };
  }
  if (name === 'zen-node') {
    const { ZenEngine } = require('@gorules/zen-engine');
    const eng = new ZenEngine();
    const key = Object.fromEntries(TARGETS.map((t) => [t.id.replace('/', '_').replace('.', '_'), t.id]));
    const graph = (file) => eng.createDecision(readFileSync(path.join(data, file)));
    const dg = graph('zen_district.json');
    const sg = D20 ? null : graph('zen_school.json');
    const rename = (r) => Object.fromEntries(Object.entries(r.result).map(([k, v]) => [key[k], v]));
    return {
      async: true,
      district: async (rec) => rename(await dg.evaluate(rec)),
      school: async (rec, attrs) => rename(await sg.evaluate({ ...rec, ...attrs })),
    };
  }
  throw new Error(`unknown engine ${name}`);
}

function loadColumns(rows) {
  const cols = {};
  for (const [field, file] of Object.entries(meta.columns)) {
    const buf = readFileSync(path.join(data, file));
    if (file.endsWith('.i32')) {
      cols[field] = new Int32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4).slice(0, rows);
    } else {
      cols[field] = Array.from(buf.subarray(0, rows), (b) => b !== 0);
    }
  }
  if (D20) return { cols, level: Array.from({ length: Object.values(cols)[0].length }, () => null) };
  const codes = readFileSync(path.join(data, 'level.u8')).subarray(0, rows);
  const level = Array.from(codes, (c) => meta.levels[c]);
  return { cols, level };
}

const e = await makeEngine(engine);
const result = { engine };
const verdicts = { ...(await e.district(record.district)), ...(D20 ? {} : await e.school(record.school, record.attributes)) };
result.verdicts = [...DISTRICT_IDS, ...SCHOOL_IDS].map((i) => verdicts[i]);
result.latency_ns = await timePerCall(
  D20
    ? e.async
      ? async () => {
          await e.district(record.district);
        }
      : () => {
          e.district(record.district);
        }
    : e.async
      ? async () => {
          await e.district(record.district);
          await e.school(record.school, record.attributes);
        }
      : () => {
          e.district(record.district);
          e.school(record.school, record.attributes);
        },
);
if (!rest.includes('--no-batch')) {
  const rows = rowsArg ?? meta.rows;
  const { cols, level } = loadColumns(rows);
  const n = level.length;
  let run;
  if (e.batch) {
    run = async () => e.batch(cols, level);
  } else {
    const fields = Object.keys(cols);
    const records = [];
    for (let i = 0; i < n; i++) {
      const rec = {};
      for (const f of fields) rec[f] = cols[f][i];
      records.push([rec, { level: level[i] }]);
    }
    const judgeRow = D20 ? (rec) => e.district(rec) : (rec, attrs) => e.school(rec, attrs);
    run = async () => {
      const out = BATCH_IDS.map(() => new Uint8Array(n));
      for (let i = 0; i < n; i++) {
        const v = await judgeRow(records[i][0], records[i][1]);
        BATCH_IDS.forEach((id, t) => (out[t][i] = CODES[v[id]]));
      }
      return out;
    };
  }
  const before = rssKb('VmRSS:');
  resetPeak();
  let t = process.hrtime.bigint();
  const out = await run();
  const samples = [Number(process.hrtime.bigint() - t) / 1e9];
  result.batch_extra_mb = Math.max(0, rssKb('VmHWM:') - before) / 1024;
  result.batch_met = out.map((c) => c.reduce((a, v) => a + (v === 0 ? 1 : 0), 0));
  // Runs again until a second has passed, at least three runs (a run over 5 s: once only).
  const total = () => samples.reduce((a, b) => a + b, 0);
  while (samples[0] < 5 && (samples.length < 3 || total() < 1)) {
    t = process.hrtime.bigint();
    await run();
    samples.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  result.batch_rows = n;
  result.batch_rows_per_s = n / median(samples);
  result.input_mb = e.batch
    ? Object.values(cols).reduce((a, c) => a + (c.byteLength ?? c.length), 0) / 2 ** 20
    : null;
}
result.peak_mb = rssKb('VmHWM:') / 1024;
console.log(JSON.stringify(result));
