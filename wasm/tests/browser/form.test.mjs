// Browser test of the demo form: serves wasm/demo on 127.0.0.1, drives Debian's chromium
// headless through playwright-core, types values, and checks the diagnostics shown next to the
// fields and the target statuses in the panel (against the Node package's own evaluation).
// Saves screenshots under wasm/test-results/ (git-ignored).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { Plan } from '../../pkg/node/index.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const wasmDir = path.resolve(here, '../..');
const demoDir = path.join(wasmDir, 'demo');
const resultsDir = path.join(wasmDir, 'test-results');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let server;
let browser;
let page;
let baseUrl;
const pageErrors = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForServer(url, ms = 15000) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`server at ${url} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  assert.ok(existsSync(path.join(demoDir, 'pkg/web/index.js')), 'run wasm/build.sh first');
  mkdirSync(resultsDir, { recursive: true });
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}/`;
  server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1'], {
    cwd: demoDir,
    stdio: 'ignore',
  });
  await waitForServer(baseUrl);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  await page.goto(baseUrl);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) server.kill('SIGTERM');
});

const id = (col, field) => `#f-school-${col}-${field}`;
const sid = (col, name) => `#f-series-${col}-${name}`;
const codesAt = (selector) =>
  page.$$eval(`${selector} .diag`, (ns) => ns.map((n) => n.dataset.code));
const diagBox = (col, field) => `#d-school-${col}-${field}`;

test('the form is built from the dictionary and loads without errors', async () => {
  const rows = await page.$$eval('#school-table tbody tr', (rs) => rs.map((r) => r.dataset.row));
  assert.deepEqual(rows.slice(0, 3), ['students', 'health_test_eligible', 'health_test_passed']);
  assert.equal(rows.length, 12);
  const series = await page.$$eval('#district-table tbody tr', (rs) => rs.length);
  assert.equal(series, 15);
  assert.equal(await page.textContent('#check-summary'), '数据无误，可以提交。');
  assert.deepEqual(pageErrors, []);
});

test('typing shows each kind of diagnostic next to its field', async () => {
  // Typed one key at a time, as a person does: the check runs on every keystroke.
  await page.locator(id('year', 'students')).pressSequentially('2325');
  await page.fill(id('year', 'health_test_eligible'), '2300');
  await page.fill(id('year', 'health_test_passed'), '2400');
  assert.deepEqual(await codesAt(diagBox('year', 'health_test_passed')), ['inconsistent_total']);
  const msg = await page.textContent(`${diagBox('year', 'health_test_passed')} .diag`);
  assert.match(msg, /超过/);
  assert.equal(await page.getAttribute(id('year', 'health_test_passed'), 'aria-invalid'), 'true');
  // Required values still empty in the report year.
  assert.deepEqual(await codesAt(diagBox('year', 'pe_teachers')), ['missing_required']);
  assert.deepEqual(await codesAt(diagBox('year', 'ice_snow_activity')), ['missing_required']);

  await page.fill(id('year', 'pe_teachers'), '-5');
  assert.deepEqual(await codesAt(diagBox('year', 'pe_teachers')), ['negative_value']);
  await page.fill(id('year', 'teachers'), '193.5');
  assert.deepEqual(await codesAt(diagBox('year', 'teachers')), ['fractional_count']);
  await page.fill(id('year', 'teachers_foreign_affairs'), '5人');
  assert.deepEqual(await codesAt(diagBox('year', 'teachers_foreign_affairs')), ['invalid_number']);
  await page.fill(sid('year', 'hs_graduates'), '2600');
  await page.fill(sid('year', 'hs_graduation_cohort'), '2450');
  assert.deepEqual(await codesAt('#d-series-year-hs_graduates'), ['inconsistent_total']);

  // The year itself: outside the plan.
  await page.fill('#report-year', '2021');
  assert.deepEqual(await codesAt('#diag-report-year'), ['period_outside_plan']);
  await page.fill('#report-year', '2018');
  assert.deepEqual(await codesAt('#diag-report-year'), []);

  const errors = Number(await page.getAttribute('#check-summary', 'data-errors'));
  assert.ok(errors >= 6, `expected at least 6 errors, got ${errors}`);
  await page.screenshot({ path: path.join(resultsDir, 'form-errors.png'), fullPage: true });
});

test('correcting the values clears the diagnostics', async () => {
  await page.fill(id('year', 'health_test_passed'), '2189');
  assert.deepEqual(await codesAt(diagBox('year', 'health_test_passed')), []);
  await page.fill(id('year', 'pe_teachers'), '10');
  await page.fill(id('year', 'pe_teachers_ice_snow_trained'), '8');
  await page.selectOption(id('year', 'ice_snow_activity'), 'true');
  await page.fill(id('year', 'teachers'), '193');
  await page.fill(id('year', 'teachers_foreign_affairs'), '5');
  await page.fill(sid('year', 'hs_graduates'), '2435');
  await page.fill(sid('year', 'preschool_children_hukou'), '10260');
  await page.fill(sid('year', 'preschool_enrolled_hukou'), '10188');
  await page.fill(sid('year', 'lifelong_learning_bases'), '86');
  assert.equal(await page.getAttribute('#check-summary', 'data-errors'), '0');
  assert.equal(await page.$$eval('.diag', (ns) => ns.length), 0);
});

/** The dataset the page shows, rebuilt here from the input values (not from page code). */
async function datasetFromInputs() {
  const values = await page.$$eval('[data-field]', (ns) =>
    ns.map((n) => ({ field: n.dataset.field, col: n.dataset.col, id: n.id, value: n.value.trim() })),
  );
  const year = (await page.inputValue('#report-year')).trim();
  const records = {};
  const series = {};
  for (const v of values) {
    if (v.value === '') continue;
    const key = v.col === 'base' ? '2015' : year;
    const value = v.value === 'true' ? true : v.value === 'false' ? false : v.value;
    if (v.id.startsWith('f-school-')) {
      records[key] ??= {};
      records[key][v.field] = value;
    } else {
      series[v.field] ??= { values: {} };
      series[v.field].values[key] = value;
    }
  }
  return {
    entities: [
      {
        kind: 'school',
        id: await page.inputValue('#school-id'),
        attributes: {
          level: await page.inputValue('#school-level'),
          street: await page.inputValue('#school-street'),
        },
        records,
      },
    ],
    series,
  };
}

test('the panel shows the status of every target the data touches, with its citation', async () => {
  const shown = await page.$$eval('#targets li', (ls) =>
    ls.map((l) => ({
      id: l.dataset.target,
      status: l.dataset.status,
      cite: l.querySelector('.t-cite cite')?.textContent ?? '',
      quote: l.querySelector('.t-cite .quote')?.textContent ?? '',
      caveat: l.querySelector('.t-caveat')?.textContent ?? null,
    })),
  );
  const ids = shown.map((s) => s.id);
  for (const t of ['A1', 'A3', 'A4.1', 'A6.1', 'A6.2', 'A7', 'A8.1', 'F1']) {
    assert.ok(ids.includes(t), `target ${t} missing from the panel (${ids.join(', ')})`);
  }
  assert.ok(!ids.includes('B2'), 'B2 reads no data this form gives');
  // Same statuses as the Node package on the same data.
  const plan = Plan.xicheng();
  const report = plan.evaluate(await datasetFromInputs(), '2018-12-31', { trail: false });
  const rules = new Map(plan.rules().targets.map((t) => [t.id, t]));
  for (const s of shown) {
    const r = report.results.find((x) => x.id === s.id);
    assert.equal(s.status, r.status, `status of ${s.id}`);
    assert.ok(s.quote.includes(rules.get(s.id).citation.quote), `citation of ${s.id}`);
    assert.equal(s.cite, rules.get(s.id).citation.location.zh);
    // A caveat stands next to the verdict, as the report gives it.
    assert.equal(s.caveat, r.caveat ? `※ ${r.caveat.zh}` : null, `caveat of ${s.id}`);
  }
  // The pass rate: 2189 / 2300 in 2018 against 2164 / 2364 in 2015.
  const a61 = shown.find((s) => s.id === 'A6.1');
  assert.ok(['on_track', 'off_track'].includes(a61.status), a61.status);
});

test('the language toggle switches messages, labels and statuses to English', async () => {
  await page.fill(id('year', 'health_test_passed'), '2400');
  await page.click('#lang-en');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  const msg = await page.textContent(`${diagBox('year', 'health_test_passed')} .diag`);
  assert.match(msg, /exceeds/);
  assert.equal(await page.textContent('h1'), 'School annual report');
  const label = await page.textContent('#school-table th[data-label="health_test_passed"] .label');
  assert.equal(label, 'Students passing the National Student Physical Health Standard');
  const badge = await page.textContent('#targets li[data-target="A6.1"] .badge');
  assert.equal(badge, 'not assessable');
  const cite = await page.textContent('#targets li[data-target="A6.1"] .t-cite cite');
  assert.match(cite, /^Annex 1/);
  await page.fill(id('year', 'health_test_passed'), '2189');
  await page.screenshot({ path: path.join(resultsDir, 'form-en.png'), fullPage: true });
  await page.click('#lang-zh');
  await page.screenshot({ path: path.join(resultsDir, 'form.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});
