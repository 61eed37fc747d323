// The shared conformance vectors (tests/vectors/), run through the Node package: each report
// must equal the stored bytes, each error must carry the stored code and path. The Rust runner
// (core/tests/vectors.rs) and the Python runner read the same files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Plan, PlanRulesError } from '../pkg/node/index.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const vectors = path.join(root, 'tests/vectors');

/**
 * The exact text of a top-level member of a JSON object, so numbers reach the engine digit for
 * digit (JSON.parse would round them through doubles).
 */
function memberText(text, name) {
  let i = 0;
  const ws = () => {
    while (/\s/.test(text[i])) i += 1;
  };
  const skipString = () => {
    const start = i;
    i += 1;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i += 1;
    return JSON.parse(text.slice(start, i));
  };
  const skipValue = () => {
    ws();
    const c = text[i];
    if (c === '"') return void skipString();
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i += 1;
      ws();
      if (text[i] === close) return void (i += 1);
      for (;;) {
        if (c === '{') {
          ws();
          skipString();
          ws();
          i += 1; // ':'
        }
        skipValue();
        ws();
        if (text[i] === ',') i += 1;
        else return void (i += 1);
      }
    }
    while (i < text.length && !/[,}\]\s]/.test(text[i])) i += 1;
  };
  ws();
  i += 1; // '{'
  for (;;) {
    ws();
    if (text[i] === '}') return undefined;
    const key = skipString();
    ws();
    i += 1; // ':'
    ws();
    const start = i;
    skipValue();
    if (key === name) return text.slice(start, i);
    ws();
    if (text[i] === ',') i += 1;
  }
}

/** A case's plan or data as JSON text: inline, or a file named from the repository root. */
function resolve(caseText, name) {
  const raw = memberText(caseText, name);
  const value = JSON.parse(raw);
  return typeof value === 'string' ? readFileSync(path.join(root, value), 'utf8') : raw;
}

const cases = readdirSync(path.join(vectors, 'cases'))
  .filter((f) => f.endsWith('.json'))
  .sort();

test('the vectors are there', () => {
  assert.ok(cases.length >= 80, `only ${cases.length} vectors`);
});

for (const file of cases) {
  const caseText = readFileSync(path.join(vectors, 'cases', file), 'utf8');
  const c = JSON.parse(caseText);
  test(`vector ${file}: ${c.description}`, () => {
    let plan;
    let output;
    let error;
    let warnings;
    try {
      plan = new Plan(resolve(caseText, 'plan'));
      warnings = plan.warnings.map((w) => ({ code: w.code, path: w.path, target: w.target }));
      output = plan.evaluateJson(resolve(caseText, 'data'), c.as_of, c.options);
    } catch (e) {
      error = e;
    } finally {
      plan?.free();
    }
    if (c.expected && typeof c.expected === 'object' && 'error' in c.expected) {
      assert.ok(error, 'expected an error, got a report');
      assert.ok(error instanceof PlanRulesError, `not a PlanRulesError: ${error}`);
      assert.equal(error.code, c.expected.error.code);
      if (c.expected.error.path !== null) assert.equal(error.path, c.expected.error.path);
      return;
    }
    if (error) throw error;
    const expected = readFileSync(path.join(vectors, c.expected), 'utf8');
    assert.ok(output === expected, `report differs from ${c.expected}`);
    const report = JSON.parse(output);
    for (const [id, want] of Object.entries(c.checks ?? {})) {
      if (id === '$warnings') {
        assert.deepEqual(warnings, want);
        assert.equal(report.plan.status, 'draft');
        continue;
      }
      if (id === '$diagnostics') {
        const codes = report.diagnostics.map((d) => d.code);
        for (const code of want) assert.ok(codes.includes(code), `${code} missing from ${codes}`);
        continue;
      }
      const r = report.results.find((x) => x.id === id);
      assert.ok(r, `no result ${id}`);
      assert.deepEqual([r.status, r.grade], want, id);
    }
  });
}

// Row cases (tests/vectors/rows/): one record in, a verdict per row-judgeable target out, or a
// typed error. The verdicts, in the rules' order, must be the same JSON text as the hand-decided
// ones. The Rust runner (core/tests/row_vectors.rs) and the Python runner read the same files.
const rowCases = readdirSync(path.join(vectors, 'rows'))
  .filter((f) => f.endsWith('.json'))
  .sort();

test('the row vectors are there', () => {
  assert.ok(rowCases.length >= 30, `only ${rowCases.length} row vectors`);
});

for (const file of rowCases) {
  const c = JSON.parse(readFileSync(path.join(vectors, 'rows', file), 'utf8'));
  test(`row vector ${file}: ${c.description}`, () => {
    const plan = new Plan(readFileSync(path.join(root, c.plan), 'utf8'));
    try {
      const options = c.targets === undefined ? undefined : { targets: c.targets };
      if ('error' in c.expected) {
        let error;
        try {
          plan.rowRules(c.kind, options);
        } catch (e) {
          error = e;
        }
        assert.ok(error instanceof PlanRulesError, `expected a PlanRulesError, got ${error}`);
        assert.equal(error.code, c.expected.error.code);
        if (c.expected.error.path !== null) assert.equal(error.path, c.expected.error.path);
        if ('target' in c.expected.error) assert.equal(error.target, c.expected.error.target);
        return;
      }
      const rules = plan.rowRules(c.kind, options);
      const verdicts = rules.judge(c.record, c.attributes);
      assert.equal(JSON.stringify(verdicts), JSON.stringify(c.expected));
      const leftOut = rules.leftOut.map((x) => ({ id: x.id, reason: x.reason }));
      assert.equal(JSON.stringify(leftOut), JSON.stringify(c.left_out));
    } finally {
      plan.free();
    }
  });
}
