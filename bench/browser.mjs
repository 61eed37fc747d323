// Headless Chromium door: `node browser.mjs DATA_DIR` serves wasm/pkg on 127.0.0.1, loads the web
// build in /usr/bin/chromium (playwright-core) and prints one JSON object with the median time
// of `validate()` of the school form (one school, the 2015 baseline and the report year, as the
// demo form sends on every keystroke) and of `RowRules.judge` on the 12-target record, each after
// a second of warm-up; and the mean of the first 300 validate() calls after loading.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '.work/node/package.json'));
const { chromium } = require('playwright-core');
const data = path.resolve(process.argv[2]);
const record = JSON.parse(readFileSync(path.join(data, 'record.json'), 'utf8'));
const port = 8700 + Math.floor(Math.random() * 200);

const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1'], {
  cwd: path.join(here, '../wasm/pkg'),
  stdio: 'ignore',
});
let browser;
try {
  for (let i = 0; i < 50; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/package.json`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/package.json`);
  const result = await page.evaluate(async (rec) => {
    const api = await import('/web/index.js');
    await api.default();
    const school = {
      kind: 'school',
      id: 'S001',
      attributes: { level: 'primary', street: '月坛' },
      records: {
        2015: { ...rec.school, health_test_passed: rec.school.health_test_passed - 10 },
        2018: rec.school,
      },
    };
    const form = { entities: [school] };
    const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
    // Warm up for a second first (V8 compiles wasm with its baseline compiler and tiers hot
    // functions up while they run), then take samples of `perSample` calls.
    const time = (fn, calls, perSample) => {
      const warm = performance.now();
      for (let i = 0; i < 200 || performance.now() - warm < 1000; i++) fn();
      const samples = [];
      for (let s = 0; s < calls / perSample; s++) {
        const t = performance.now();
        for (let i = 0; i < perSample; i++) fn();
        samples.push(((performance.now() - t) / perSample) * 1000);
      }
      return median(samples);
    };
    const plan = api.Plan.xicheng();
    const answer = plan.validate(form);
    // The first 300 calls after loading, before any warm-up: what the first keystrokes cost.
    const first = performance.now();
    for (let i = 0; i < 300; i++) plan.validate(form);
    const validateFirstUs = ((performance.now() - first) / 300) * 1000;
    const d = api.rowRules();
    const s = api.rowRules('school');
    return {
      validate_ok: answer.ok,
      validate_first_us: validateFirstUs,
      validate_us: time(() => plan.validate(form), 6000, 300),
      validate_default_plan_us: time(() => api.validate(form), 6000, 300),
      row_judge_ns:
        time(
          () => {
            d.judge(rec.district);
            s.judge(rec.school, rec.attributes);
          },
          200000,
          2000,
        ) * 1000,
      user_agent: navigator.userAgent,
    };
  }, record);
  console.log(JSON.stringify({ engine: 'chromium', ...result }));
} finally {
  if (browser) await browser.close();
  server.kill();
}
