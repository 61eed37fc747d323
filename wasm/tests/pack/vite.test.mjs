// The packed tarball in Vite apps, as a web developer uses it (run by wasm/test-pack.sh, which
// installs the apps in scratch folders and passes them in VITE_APP and VITE7_APP):
// - Vite 8: `vite build` + `vite preview` and the `vite` dev server, with no configuration for
//   the package; the page's form field is validated in Chromium as it is typed;
// - the Node entry bundled into a server build (`vite build --ssr`, the package bundled in) is
//   ES-module clean, says what is missing without its `.wasm`, and runs with it beside it;
// - Vite 7: its dev server loses the `.wasm` of pre-bundled dependencies; the page gets a
//   `wasm_load_failed` error naming the fix, and with `optimizeDeps.exclude` the form works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';

const app = process.env.VITE_APP;
const app7 = process.env.VITE7_APP;
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
assert.ok(app && app7, 'VITE_APP and VITE7_APP must name the installed scratch apps (run test-pack.sh)');

let browser;

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

/** Starts `vite ARGS` in `dir` on a free port; resolves when it answers. */
async function serve(dir, args, env = {}) {
  const port = await freePort();
  const child = spawn(
    path.join(dir, 'node_modules/.bin/vite'),
    [...args, '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (b) => (output += b));
  child.stderr.on('data', (b) => (output += b));
  const url = `http://127.0.0.1:${port}/`;
  const until = Date.now() + 30000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite ${args.join(' ')} exited:\n${output}`);
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > until) {
      child.kill();
      throw new Error(`vite ${args.join(' ')} did not answer at ${url}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    log: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

/** Opens the page; records the `.wasm` responses and page errors. */
async function open(url) {
  const page = await browser.newPage();
  const wasm = [];
  const errors = [];
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.endsWith('.wasm')) {
      wasm.push({ url: r.url(), status: r.status(), type: r.headers()['content-type'] });
    }
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('state').textContent !== 'loading', null, {
    timeout: 30000,
  });
  return { page, wasm, errors };
}

/** Types into the form and checks what the page shows, as a user sees it. */
async function exerciseForm(page) {
  assert.equal(await page.textContent('#state'), 'ready');
  await page.fill('#passed', '201');
  assert.match(await page.textContent('#passed-error'), /^inconsistent_total: Students passing .* \(201\) exceeds .* \(200\)$/);
  assert.equal(await page.getAttribute('#passed', 'aria-invalid'), 'true');
  assert.equal(await page.textContent('#verdict'), 'invalid');
  await page.fill('#passed', '199');
  assert.equal(await page.textContent('#passed-error'), '');
  assert.equal(await page.getAttribute('#passed', 'aria-invalid'), 'false');
  assert.equal(await page.textContent('#verdict'), 'not_met');
  await page.fill('#passed', '200');
  assert.equal(await page.textContent('#verdict'), 'met');
  await page.fill('#passed', '-1');
  assert.match(await page.textContent('#passed-error'), /^negative_value: /);
}

before(async () => {
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
});

after(async () => {
  await browser?.close();
});

test('Vite 8: vite build + vite preview, the form validates in Chromium', async () => {
  execFileSync(path.join(app, 'node_modules/.bin/vite'), ['build'], { cwd: app, stdio: 'pipe' });
  const assets = readdirSync(path.join(app, 'dist/assets'));
  assert.ok(assets.some((f) => /^plan_rules_wasm_bg-.*\.wasm$/.test(f)), `no .wasm asset in ${assets}`);
  const server = await serve(app, ['preview']);
  try {
    const { page, wasm, errors } = await open(server.url);
    await exerciseForm(page);
    assert.deepEqual(errors, []);
    assert.equal(wasm.length, 1, JSON.stringify(wasm));
    assert.match(wasm[0].url, /\/assets\/plan_rules_wasm_bg-[^/]+\.wasm$/);
    assert.equal(wasm[0].type, 'application/wasm');
  } finally {
    await server.stop();
  }
});

test('Vite 8: the dev server, with no configuration for the package', async () => {
  const server = await serve(app, [], { PLAN_RULES_EXCLUDE: '' });
  try {
    const { page, wasm, errors } = await open(server.url);
    await exerciseForm(page);
    assert.deepEqual(errors, []);
    const loaded = wasm.filter((w) => w.status === 200);
    assert.equal(loaded.length, 1, JSON.stringify(wasm));
    assert.equal(loaded[0].type, 'application/wasm');
  } finally {
    await server.stop();
  }
});

test('Vite 8: the Node entry bundled into a server build: ES-module clean, its .wasm given by path or beside the bundle', () => {
  execFileSync(
    path.join(app, 'node_modules/.bin/vite'),
    ['build', '--ssr', 'ssr.mjs', '--outDir', 'dist-ssr'],
    { cwd: app, stdio: 'pipe' },
  );
  const bundle = path.join(app, 'dist-ssr/ssr.js');
  const code = readFileSync(bundle, 'utf8');
  assert.doesNotMatch(code, /from ['"]plan-rules-wasm['"]/, 'the package was left external, not bundled');
  assert.doesNotMatch(code, /__dirname|require\(/, 'the bundled Node entry is not ES-module clean');
  const run = (env = {}) =>
    spawnSync(process.execPath, [bundle], { cwd: path.dirname(app), encoding: 'utf8', env: { ...process.env, ...env } });
  const packaged = path.join(app, 'node_modules/plan-rules-wasm/web/plan_rules_wasm_bg.wasm');
  // Vite does not carry `new URL(..., import.meta.url)` assets into server builds: the bundle
  // says so, with the fix.
  const without = run();
  assert.notEqual(without.status, 0);
  assert.match(without.stderr, /wasm_load_failed/);
  assert.match(without.stderr, /plan_rules_wasm_bg\.wasm is neither at .* nor at .*dist-ssr\/plan_rules_wasm_bg\.wasm .*copy it next to the bundle/);
  // Given by path: init(path).
  const given = run({ PLAN_RULES_WASM: packaged });
  assert.equal(given.status, 0, given.stderr);
  assert.deepEqual(JSON.parse(given.stdout), { status: 'not_met', observed: '99.95' });
  // Copied beside the bundle.
  copyFileSync(packaged, path.join(app, 'dist-ssr/plan_rules_wasm_bg.wasm'));
  const copied = run();
  assert.equal(copied.status, 0, copied.stderr);
  assert.deepEqual(JSON.parse(copied.stdout), { status: 'not_met', observed: '99.95' });
});

test('Vite 7: the dev server without optimizeDeps.exclude gives wasm_load_failed, naming the fix', async () => {
  const server = await serve(app7, [], { PLAN_RULES_EXCLUDE: '' });
  try {
    const { page, wasm } = await open(server.url);
    const state = await page.textContent('#state');
    assert.match(state, /^error wasm_load_failed: cannot load the WebAssembly module from plan_rules_wasm_bg\.wasm next to .*\/\.vite\/deps\//);
    assert.match(state, /optimizeDeps: \{ exclude: \['plan-rules-wasm'\] \}/);
    assert.ok(wasm.some((w) => w.url.includes('/.vite/deps/') && w.type.startsWith('text/html')), JSON.stringify(wasm));
  } finally {
    await server.stop();
  }
});

test('Vite 7: the dev server with optimizeDeps.exclude, the form validates', async () => {
  const server = await serve(app7, ['--force'], { PLAN_RULES_EXCLUDE: '1' });
  try {
    const { page, wasm, errors } = await open(server.url);
    await exerciseForm(page);
    assert.deepEqual(errors, []);
    assert.ok(wasm.every((w) => w.type === 'application/wasm'), JSON.stringify(wasm));
  } finally {
    await server.stop();
  }
});
