// The school annual report form: every keystroke builds a dataset from the form, validates it
// and evaluates it with the plan-rules WebAssembly package, in the page, with no server.
//
// Labels, units, required marks and the list of fields come from the plan's data dictionary
// (`plan.rules().dictionary`); every check and every status comes from the engine. This file
// only lays out the form, builds the dataset and shows the answers.
import init, { Plan, PlanRulesError, engineVersion } from './pkg/web/index.js';

const UI = {
  zh: {
    title: '学校年度统计报表',
    schoolSection: '学校基本信息',
    schoolId: '学校编号',
    schoolName: '学校名称',
    level: '学段',
    street: '所在街道',
    year: '报告年度',
    schoolFields: '学校年度数据',
    districtSection: '全区汇总',
    field: '项目',
    fillExample: '填入示例数据',
    otherProblems: '其他问题',
    checkTitle: '数据检查',
    targetsTitle: '相关规划目标',
    baseline: (y) => `${y}年（基期）`,
    reportYear: (y) => (y ? `${y}年` : '报告年度'),
    required: '必填',
    yes: '是',
    no: '否',
    none: '—',
    ok: '数据无误，可以提交。',
    problems: (e, w) => `${e} 个错误，${w} 个提示。`,
    hint: (d) => `评估基准日 ${d}；仅依据本表数据。`,
    noYear: '请填写有效的报告年度以评估目标。',
    noTargets: '尚未填写与规划目标相关的数据。',
    observed: '实际',
    target: '目标',
    progress: '完成',
    deadline: '期限',
    engine: (v, id, h) => `plan-rules ${v} · ${id} · ${h.slice(0, 19)}…`,
    loadError: (m) => `无法加载 WebAssembly 模块：${m}`,
    errorBanner: (c, m) => `错误 ${c}：${m}`,
    levels: {
      primary: '小学',
      secondary: '中学',
      nine_year: '九年一贯制',
      special_education: '特殊教育',
    },
  },
  en: {
    title: 'School annual report',
    schoolSection: 'School',
    schoolId: 'School id',
    schoolName: 'School name',
    level: 'Level',
    street: 'Subdistrict (jiedao)',
    year: 'Report year',
    schoolFields: 'Annual figures of the school',
    districtSection: 'District summary',
    field: 'Item',
    fillExample: 'Fill in example figures',
    otherProblems: 'Other problems',
    checkTitle: 'Data check',
    targetsTitle: 'Plan targets this data touches',
    baseline: (y) => `${y} (baseline)`,
    reportYear: (y) => (y ? `${y}` : 'Report year'),
    required: 'required',
    yes: 'yes',
    no: 'no',
    none: '—',
    ok: 'No problems: the report can be submitted.',
    problems: (e, w) =>
      `${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'}.`,
    hint: (d) => `As of ${d}, from this form's data only.`,
    noYear: 'Enter a valid report year to evaluate the targets.',
    noTargets: 'No data that a plan target reads has been entered yet.',
    observed: 'observed',
    target: 'target',
    progress: 'progress',
    deadline: 'deadline',
    engine: (v, id, h) => `plan-rules ${v} · ${id} · ${h.slice(0, 19)}…`,
    loadError: (m) => `Could not load the WebAssembly module: ${m}`,
    errorBanner: (c, m) => `Error ${c}: ${m}`,
    levels: {
      primary: 'primary',
      secondary: 'secondary',
      nine_year: 'nine-year',
      special_education: 'special education',
    },
  },
};

const STATUS = {
  met: { zh: '达标', en: 'met' },
  not_met: { zh: '未达标', en: 'not met' },
  on_track: { zh: '进展顺利', en: 'on track' },
  off_track: { zh: '进展滞后', en: 'off track' },
  not_assessable: { zh: '无法评估', en: 'not assessable' },
};
const GRADE = {
  accelerate: { zh: '需加快', en: 'accelerate' },
  insufficient: { zh: '进展不足', en: 'insufficient' },
  regressing: { zh: '倒退', en: 'regressing' },
};

// The order a school's statistics form lists its items in; fields the dictionary has beyond
// these follow in the dictionary's order.
const SCHOOL_ORDER = [
  'students',
  'health_test_eligible',
  'health_test_passed',
  'pe_teachers',
  'pe_teachers_ice_snow_trained',
  'ice_snow_activity',
  'teachers',
  'district_key_teachers',
  'teachers_foreign_affairs',
  'international_exchange',
  'teachers_international_exchange',
  'students_international_exchange',
];
const SERIES_ORDER = [
  'preschool_children_hukou',
  'preschool_enrolled_hukou',
  'free_education_years_disabled',
  'hs_graduation_cohort',
  'hs_graduates',
  'excellent_teacher_seminars',
  'reserve_cadres_selected',
  'principals_offjob_trained',
  'principal_seminars',
  'lifelong_learning_bases',
  'certification_points',
  'education_appropriation',
  'recurring_fiscal_revenue',
  'teachers_fulltime_total',
  'key_teachers_total',
];

// Last year's submitted figures (the baseline column) and example figures for the report year,
// taken from the synthetic sample (spec/samples, made up, not statistics).
const SCHOOL_BASE = {
  students: '2397', health_test_eligible: '2364', health_test_passed: '2164', pe_teachers: '10',
  pe_teachers_ice_snow_trained: '0', ice_snow_activity: 'true', teachers: '199',
  district_key_teachers: '7', teachers_foreign_affairs: '2', international_exchange: 'false',
  teachers_international_exchange: '80', students_international_exchange: '240',
};
const SCHOOL_EXAMPLE = {
  students: '2325', health_test_eligible: '2300', health_test_passed: '2189', pe_teachers: '10',
  pe_teachers_ice_snow_trained: '8', ice_snow_activity: 'true', teachers: '193',
  district_key_teachers: '3', teachers_foreign_affairs: '5', international_exchange: 'true',
  teachers_international_exchange: '68', students_international_exchange: '420',
};
const SERIES_BASE = {
  preschool_children_hukou: '9800', preschool_enrolled_hukou: '9506',
  free_education_years_disabled: '12', hs_graduation_cohort: '2530', hs_graduates: '2502',
  excellent_teacher_seminars: '0', reserve_cadres_selected: '0', principals_offjob_trained: '0',
  principal_seminars: '0', lifelong_learning_bases: '62', certification_points: '120',
  education_appropriation: '450000.00', recurring_fiscal_revenue: '3200000.00',
  teachers_fulltime_total: '9420', key_teachers_total: '2430',
};
const SERIES_EXAMPLE = {
  preschool_children_hukou: '10260', preschool_enrolled_hukou: '10188',
  free_education_years_disabled: '12', hs_graduation_cohort: '2450', hs_graduates: '2435',
  lifelong_learning_bases: '86', certification_points: '320',
  education_appropriation: '540820.80', recurring_fiscal_revenue: '3739680.00',
  teachers_fulltime_total: '9730', key_teachers_total: '2627',
};

let lang = 'zh';
const tr = (key, ...args) => {
  const v = UI[lang][key];
  return typeof v === 'function' ? v(...args) : v;
};
const pick = (text) => (text ? text[lang] : '');
const $ = (sel) => document.querySelector(sel);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

/** Rounds decimal text for display (half away from zero), without going through floats. */
function shortDecimal(text, places = 2) {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return text;
  const [, sign, int, frac = ''] = m;
  if (frac.length <= places) return text;
  const scaled = BigInt(int + frac.slice(0, places)) + (frac[places] >= '5' ? 1n : 0n);
  let digits = scaled.toString().padStart(places + 1, '0');
  const head = digits.slice(0, digits.length - places);
  const tail = digits.slice(digits.length - places).replace(/0+$/, '');
  digits = tail ? `${head}.${tail}` : head;
  return `${sign}${digits}`;
}

function withUnit(value, unit) {
  if (value === null || value === undefined) return '—';
  const v = shortDecimal(value);
  if (unit === '%') return `${v}%`;
  if (!unit || unit === 'items') return v;
  return `${v} ${unit}`;
}

/** A quotation in Chinese quotation marks, unless it already opens with one. */
function quoted(text) {
  return text.startsWith('“') ? text : `“${text}”`;
}

function ordered(names, order) {
  return [...order.filter((n) => names.includes(n)), ...names.filter((n) => !order.includes(n))];
}

/** The fields and series a rule reads, as `kind.field` and `series:name`. */
function reads(rule, kind = null, out = new Set()) {
  if (Array.isArray(rule)) {
    rule.forEach((r) => reads(r, kind, out));
  } else if (rule && typeof rule === 'object') {
    const k = typeof rule.entity_kind === 'string' ? rule.entity_kind : kind;
    if (typeof rule.series === 'string') out.add(`series:${rule.series}`);
    for (const key of ['field', 'numerator', 'denominator', 'state_field']) {
      if (typeof rule[key] === 'string' && k) out.add(`${k}.${rule[key]}`);
    }
    for (const v of Object.values(rule)) if (v && typeof v === 'object') reads(v, k, out);
  }
  return out;
}

async function main() {
  try {
    await init();
  } catch (e) {
    const banner = $('#load-error');
    banner.textContent = tr('loadError', e && e.message ? e.message : String(e));
    banner.hidden = false;
    return;
  }
  const plan = Plan.xicheng();
  const doc = plan.rules();
  const schoolKind = doc.dictionary.entity_kinds.school;
  const seriesSpecs = doc.dictionary.series;
  const baseKey = String(doc.baseline_year);
  const schoolFields = ordered(Object.keys(schoolKind.fields), SCHOOL_ORDER);
  const seriesNames = ordered(Object.keys(seriesSpecs), SERIES_ORDER);
  const targetReads = new Map(doc.targets.map((t) => [t.id, reads(t.rule)]));
  const targetsById = new Map(doc.targets.map((t) => [t.id, t]));

  const inputs = new Map(); // `${scope}|${col}|${name}` -> input element
  const diagBoxes = new Map(); // same key -> diagnostics container

  function inputFor(scope, col, name, spec, initial) {
    const key = `${scope}|${col}|${name}`;
    const id = `f-${scope}-${col}-${name}`;
    let input;
    if (spec.type === 'flag') {
      input = el('select', { id, name: id, 'data-field': name, 'data-col': col });
      for (const v of ['', 'true', 'false']) input.append(el('option', { value: v }));
      input.value = initial ?? '';
    } else {
      input = el('input', {
        id,
        name: id,
        'data-field': name,
        'data-col': col,
        inputmode: spec.type === 'count' ? 'numeric' : 'decimal',
        spellcheck: 'false',
        value: initial ?? '',
      });
    }
    const box = el('div', { class: 'diags', id: `d-${scope}-${col}-${name}` });
    input.setAttribute('aria-describedby', box.id);
    inputs.set(key, input);
    diagBoxes.set(key, box);
    return el('td', { class: 'num' }, input, box);
  }

  function rowFor(scope, name, spec, base) {
    const label = el('th', { scope: 'row', 'data-label': name });
    return el(
      'tr',
      { 'data-row': name },
      label,
      inputFor(scope, 'base', name, spec, base[name]),
      inputFor(scope, 'year', name, spec, ''),
    );
  }

  const schoolBody = $('#school-table tbody');
  for (const f of schoolFields) schoolBody.append(rowFor('school', f, schoolKind.fields[f], SCHOOL_BASE));
  const districtBody = $('#district-table tbody');
  for (const s of seriesNames) districtBody.append(rowFor('series', s, seriesSpecs[s], SERIES_BASE));

  const levelSel = $('#school-level');
  for (const v of schoolKind.attributes.level.allowed) levelSel.append(el('option', { value: v }));
  levelSel.value = 'primary';
  const streetSel = $('#school-street');
  for (const v of schoolKind.attributes.street.allowed) streetSel.append(el('option', { value: v, text: v }));
  streetSel.value = '西长安街';
  const yearInput = $('#report-year');

  function labelRows() {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = `${tr('title')} — plan-rules`;
    document.querySelectorAll('[data-i18n]').forEach((n) => {
      n.textContent = tr(n.dataset.i18n);
    });
    $('#plan-title').textContent = pick(doc.title);
    for (const [scope, specs] of [['school', schoolKind.fields], ['series', seriesSpecs]]) {
      const table = scope === 'school' ? schoolBody : districtBody;
      table.querySelectorAll('th[data-label]').forEach((th) => {
        const spec = specs[th.dataset.label];
        const parts = [el('span', { class: 'label', text: pick(spec.title) })];
        if (spec.unit) parts.push(el('span', { class: 'unit', text: spec.unit }));
        if (spec.required) parts.push(el('span', { class: 'req', title: tr('required'), text: '*' }));
        th.replaceChildren(...parts);
      });
    }
    document.querySelectorAll('select[data-field] option').forEach((o) => {
      o.textContent = o.value === 'true' ? tr('yes') : o.value === 'false' ? tr('no') : tr('none');
    });
    levelSel.querySelectorAll('option').forEach((o) => {
      o.textContent = UI[lang].levels[o.value] ?? o.value;
    });
    const y = yearInput.value.trim();
    for (const s of ['school', 'district']) {
      $(`#${s}-base-head`).textContent = tr('baseline', baseKey);
      $(`#${s}-year-head`).textContent = tr('reportYear', y);
    }
    document.querySelectorAll('button[data-lang]').forEach((b) => {
      b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
    });
  }

  function valueOf(input) {
    const v = input.value.trim();
    if (v === '') return undefined;
    if (input.tagName === 'SELECT') return v === 'true';
    return v; // decimals cross as strings
  }

  /** The dataset the form describes. */
  function buildData() {
    const yearKey = yearInput.value.trim();
    const records = {};
    const series = {};
    for (const [col, key] of [['base', baseKey], ['year', yearKey]]) {
      if (key === '') continue;
      const rec = {};
      for (const f of schoolFields) {
        const v = valueOf(inputs.get(`school|${col}|${f}`));
        if (v !== undefined) rec[f] = v;
      }
      if (Object.keys(rec).length > 0) records[key] = { ...(records[key] ?? {}), ...rec };
      for (const s of seriesNames) {
        const v = valueOf(inputs.get(`series|${col}|${s}`));
        if (v === undefined) continue;
        series[s] ??= { values: {} };
        series[s].values[key] = v;
      }
    }
    return {
      id: 'school-annual-report-form',
      description: 'Entered in the school annual report form',
      entities: [
        {
          kind: 'school',
          id: $('#school-id').value.trim(),
          name: $('#school-name').value.trim() || undefined,
          attributes: { level: levelSel.value, street: streetSel.value },
          records,
        },
      ],
      series,
    };
  }

  /** Where a diagnostic belongs in the form. */
  function placeOf(path) {
    const yearKey = yearInput.value.trim();
    const col = (key) => (key === baseKey ? 'base' : key === yearKey ? 'year' : null);
    let m = /^\/entities\/0\/records\/([^/]+)\/([^/]+)$/.exec(path);
    if (m && col(m[1])) return `school|${col(m[1])}|${m[2]}`;
    m = /^\/entities\/0\/records\/([^/]+)$/.exec(path);
    if (m) return 'year';
    m = /^\/series\/([^/]+)\/values\/([^/]+)$/.exec(path);
    if (m && col(m[2])) return `series|${col(m[2])}|${m[1]}`;
    return null;
  }

  function diagItem(d) {
    return el(
      'p',
      { class: `diag ${d.severity}`, 'data-code': d.code },
      el('span', { class: 'code', text: d.code }),
      ' ',
      lang === 'zh' ? d.message_zh : d.message_en,
    );
  }

  function showDiagnostics(answer) {
    for (const box of diagBoxes.values()) box.replaceChildren();
    for (const input of inputs.values()) {
      input.classList.remove('invalid', 'warning');
      input.removeAttribute('aria-invalid');
    }
    const yearBox = $('#diag-report-year');
    yearBox.replaceChildren();
    yearInput.classList.remove('invalid');
    const other = [];
    for (const d of answer.diagnostics) {
      const place = placeOf(d.path);
      if (place === 'year') {
        yearBox.append(diagItem(d));
        yearInput.classList.add('invalid');
      } else if (place && diagBoxes.has(place)) {
        diagBoxes.get(place).append(diagItem(d));
        const input = inputs.get(place);
        input.classList.add(d.severity === 'error' ? 'invalid' : 'warning');
        if (d.severity === 'error') input.setAttribute('aria-invalid', 'true');
      } else {
        other.push(el('li', {}, diagItem(d)));
      }
    }
    $('#other-diags').replaceChildren(...other);
    $('#other-diags-card').hidden = other.length === 0;
    const summary = $('#check-summary');
    summary.className = `summary ${answer.ok ? 'ok' : 'bad'}`;
    summary.textContent = answer.diagnostics.length === 0 ? tr('ok') : tr('problems', answer.errors, answer.warnings);
    summary.dataset.errors = String(answer.errors);
  }

  function filledReads(data) {
    const filled = new Set();
    for (const rec of Object.values(data.entities[0].records)) {
      for (const f of Object.keys(rec)) filled.add(`school.${f}`);
    }
    for (const s of Object.keys(data.series)) filled.add(`series:${s}`);
    return filled;
  }

  function targetItem(r) {
    const t = targetsById.get(r.id);
    const status = STATUS[r.status];
    const badge = el('span', { class: `badge ${r.status}`, text: status[lang] });
    if (r.grade) badge.textContent += ` · ${GRADE[r.grade][lang]}`;
    const values = el(
      'p',
      { class: 't-values' },
      `${tr('observed')} ${withUnit(r.observed, r.unit)}`,
      r.observed_year ? ` (${r.observed_year})` : '',
      ` · ${tr('target')} ${r.op && r.op !== '>=' ? `${{ '>': '>', '<=': '≤', '<': '<' }[r.op]} ` : ''}${withUnit(r.target, r.unit)}`,
      r.progress ? ` · ${tr('progress')} ${shortDecimal(r.progress, 1)}%` : '',
      ` · ${tr('deadline')} ${r.deadline}`,
    );
    return el(
      'li',
      { class: `target ${r.status}`, 'data-target': r.id, 'data-status': r.status },
      el(
        'div',
        { class: 't-head' },
        el('span', { class: 't-id', text: r.id }),
        el('span', { class: 't-title', text: pick(r.title) }),
        badge,
      ),
      values,
      // A caveat stands next to the verdict, before its explanation (A6.1's population).
      r.caveat ? el('p', { class: 't-caveat', text: `※ ${pick(r.caveat)}` }) : null,
      el('p', { class: 't-expl', text: pick(r.explanation) }),
      r.reason && !pick(r.explanation).includes(r.reason[lang])
        ? el('p', { class: 't-reason', text: r.reason[lang] })
        : null,
      t
        ? el(
            'blockquote',
            { class: 't-cite' },
            el('cite', { text: pick(t.citation.location) }),
            el('span', { class: 'quote', text: quoted(t.citation.quote) }),
          )
        : null,
    );
  }

  function showTargets(data) {
    const list = $('#targets');
    const hint = $('#targets-hint');
    const yearKey = yearInput.value.trim();
    if (!/^\d{4}$/.test(yearKey)) {
      hint.textContent = tr('noYear');
      list.replaceChildren();
      return;
    }
    const asOf = `${yearKey}-12-31`;
    let report;
    try {
      report = plan.evaluate(data, asOf, { trail: false });
    } catch (e) {
      hint.textContent = e instanceof PlanRulesError ? tr('errorBanner', e.code, e.message) : String(e);
      list.replaceChildren();
      return;
    }
    const filled = filledReads(data);
    const touched = report.results.filter((r) =>
      [...(targetReads.get(r.id) ?? [])].some((name) => filled.has(name)),
    );
    hint.textContent = touched.length ? tr('hint', asOf) : tr('noTargets');
    list.replaceChildren(...touched.map(targetItem));
  }

  let updates = 0;
  function update() {
    labelRows();
    const data = buildData();
    const banner = $('#load-error');
    try {
      showDiagnostics(plan.validate(data));
      banner.hidden = true;
    } catch (e) {
      banner.textContent =
        e instanceof PlanRulesError ? tr('errorBanner', e.code, e.message) : String(e);
      banner.hidden = false;
    }
    showTargets(data);
    updates += 1;
    document.body.dataset.updates = String(updates);
  }

  $('#report-form').addEventListener('input', update);
  $('#report-form').addEventListener('change', update);
  $('#report-form').addEventListener('submit', (e) => e.preventDefault());
  $('#fill-example').addEventListener('click', () => {
    for (const [f, v] of Object.entries(SCHOOL_EXAMPLE)) {
      const input = inputs.get(`school|year|${f}`);
      if (input) input.value = v;
    }
    for (const [s, v] of Object.entries(SERIES_EXAMPLE)) {
      const input = inputs.get(`series|year|${s}`);
      if (input) input.value = v;
    }
    update();
  });
  document.querySelectorAll('button[data-lang]').forEach((b) =>
    b.addEventListener('click', () => {
      lang = b.dataset.lang;
      update();
    }),
  );
  $('#engine').textContent = UI.en.engine(engineVersion(), plan.id, plan.contentHash);
  update();
  document.body.dataset.ready = 'true';
}

main();
