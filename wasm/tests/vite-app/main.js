// A web developer's page: the installed package, `await init()`, then a form field validated
// as it is typed and the target it touches judged (wasm/test-pack.sh drives it in Chromium).
import init, { validate, rowRules } from 'plan-rules-wasm';

const $ = (id) => document.getElementById(id);
const value = (id) => ($(id).value.trim() === '' ? null : $(id).value.trim());

try {
  await init();
  const school = rowRules('school');
  const update = () => {
    const record = { health_test_eligible: value('eligible'), health_test_passed: value('passed') };
    const data = {
      entities: [{ kind: 'school', id: 'S1', attributes: { level: 'primary' }, records: { 2018: record } }],
    };
    const mine = validate(data).diagnostics.filter(
      (d) => d.path === '/entities/0/records/2018/health_test_passed',
    );
    $('passed-error').textContent = mine.map((d) => `${d.code}: ${d.message_en}`).join('\n');
    $('passed').setAttribute('aria-invalid', String(mine.length > 0));
    $('verdict').textContent = school.judge(record, { level: 'primary' })['A6.1'];
  };
  for (const id of ['eligible', 'passed']) $(id).addEventListener('input', update);
  update();
  $('state').textContent = 'ready';
} catch (e) {
  $('state').textContent = `error ${e.code ?? ''}: ${e.message}`;
}
