// Hand-written TypeScript declarations of every input and output of plan-rules.
// They mirror the Rust types of the core (plan_rules::{plan, dictionary, rules, dataset,
// report, diagnostic, ffi}); decimals are `Decimal` (a string) everywhere.

/** An exact decimal, as text (`"99.95"`). Never a JS number on the way out. */
export type Decimal = string;
/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;
/** An as-of: a `YYYY-MM-DD` date, or the id of a review of the plan's monitoring calendar
 * (`'mid_term'`, `'annual_2017'`). */
export type AsOf = IsoDate;
/** A lowercase hex SHA-256 digest. */
export type Sha256Hex = string;

/**
 * Text in Chinese and English. A draft rule set may leave one language out (a warning of
 * `check`); what `rules()` returns always has both (a language left out is `''`).
 */
export interface Text {
  zh: string;
  en: string;
}

/** Whether a rule set is published (the default) or a draft. */
export type PlanStatus = 'published' | 'draft';

/** Something a draft rule set leaves out that a published one must give. */
export interface SpecWarning {
  code: 'missing_quote' | 'missing_translation';
  /** JSON pointer of what is left out (`/targets/0/citation/quote`, `/targets/0/title/en`). */
  path: string;
  /** The target (or all-of part) it is in. */
  target: string | null;
  message_zh: string;
  message_en: string;
}

// ---------------------------------------------------------------------------------------------
// Datasets (input)

/** A value as it may be given: null (missing), a boolean, a number, a decimal string, a state. */
export type RawValue = null | boolean | number | bigint | string;
/** A value, or a value with its source. */
export type ObservationInput = RawValue | { value: RawValue; source?: string };

/** The values of one district series, keyed by year (`"2016"`). */
export interface SeriesInput {
  unit?: string;
  source?: string;
  values: Record<string, ObservationInput>;
}

/** One entity (school, street, project ...) and its records by year. */
export interface EntityInput {
  kind: string;
  id: string;
  name?: string;
  attributes?: Record<string, string>;
  active_from?: number;
  active_until?: number;
  source?: string;
  /** Records keyed by year, each a map of field to value. */
  records?: Record<string, Record<string, ObservationInput>>;
}

/** All observations handed to one evaluation. */
export interface DatasetInput {
  id?: string;
  description?: string;
  synthetic?: boolean;
  series?: Record<string, SeriesInput>;
  entities?: EntityInput[];
  /** Judgements recorded by reviewers on qualitative targets. */
  judgements?: Judgement[];
}

/** A dataset as an object or as JSON text. */
export type DataArg = DatasetInput | string;

/** Evaluation options. */
export interface EvaluateOptions {
  /** Record the audit trail of each result (default true). */
  trail?: boolean;
  /** Evaluate only binding (约束性) or only indicative (预期性) targets (default: all). */
  obligation?: Obligation;
}

// ---------------------------------------------------------------------------------------------
// Diagnostics (output of validate, and part of every report)

export type Severity = 'error' | 'warning';

export type DiagnosticCode =
  | 'invalid_type'
  | 'invalid_number'
  | 'negative_value'
  | 'fractional_count'
  | 'percent_out_of_range'
  | 'inconsistent_total'
  | 'invalid_state'
  | 'missing_required'
  | 'invalid_period'
  | 'period_outside_plan'
  | 'unknown_series'
  | 'unknown_entity_kind'
  | 'unknown_field'
  | 'invalid_attribute'
  | 'unknown_entity'
  | 'duplicate_entity'
  | 'unit_mismatch'
  | 'invalid_active_years';

/** One problem with a value in the data. */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** JSON pointer into the dataset (`/entities/0/records/2018/health_test_passed`). */
  path: string;
  /** The series or `kind.field` (`school.health_test_passed`). */
  field: string | null;
  entity: string | null;
  period: number | null;
  message_zh: string;
  message_en: string;
}

/** The answer to `validate`. */
export interface ValidateAnswer {
  /** No error-level diagnostic. */
  ok: boolean;
  errors: number;
  warnings: number;
  diagnostics: Diagnostic[];
}

/** The answer to `check`. */
export interface CheckAnswer {
  ok: boolean;
  plan_id: string;
  plan_hash: Sha256Hex;
  targets: number;
  status: PlanStatus;
  /** What a draft leaves out (empty for a published rule set). */
  warnings: SpecWarning[];
  data: ValidateAnswer | null;
}

// ---------------------------------------------------------------------------------------------
// Rule sets (input to `new Plan`, output of `rules()`)

export type ValueType = 'count' | 'quantity' | 'percent' | 'flag' | 'state';

export interface FieldSpec {
  title: Text;
  type: ValueType;
  unit?: string;
  states?: string[];
  required?: boolean;
  /** Negative values are data (growth rates, changes); a signed percentage may exceed 100. */
  signed?: boolean;
  /** Another field this one may never exceed (passed <= eligible). */
  at_most?: string;
}

export interface AttributeSpec {
  title: Text;
  allowed?: string[];
}

export interface EntityKindSpec {
  title: Text;
  attributes?: Record<string, AttributeSpec>;
  fields?: Record<string, FieldSpec>;
}

export interface Dictionary {
  series?: Record<string, FieldSpec>;
  entity_kinds?: Record<string, EntityKindSpec>;
}

export type OverTime = 'latest' | 'cumulative';

export interface AttributeFilter {
  attribute: string;
  one_of: string[];
}

export type Measure =
  | { from: 'series'; series: string; over_time?: OverTime }
  | {
      from: 'entity_sum';
      entity_kind: string;
      field: string;
      filter?: AttributeFilter[];
      over_time?: OverTime;
    };

export type Condition =
  | { test: 'is_true'; field: string }
  | { test: 'at_least'; field: string; value: Decimal }
  | { test: 'ratio_at_least'; numerator: string; denominator: string; percent: Decimal }
  | { test: 'state_reached'; field: string; state: string };

/** How a value must stand against its limit: 达到/不低于 `>=` (the default), 高于 `>`,
 * 控制在…以内/不高于 `<=`, 低于 `<`. */
export type Op = '>=' | '>' | '<=' | '<';

export interface RateRule {
  type: 'rate';
  numerator: Measure;
  denominator: Measure;
  target_percent: Decimal;
  op?: Op;
  /** A second, stricter level (力争达到). */
  aspiration?: Decimal;
  /** A gross rate (毛入学率): the numerator may exceed the denominator. */
  gross?: boolean;
}
export interface CountRule {
  type: 'count';
  measure: Measure;
  target: Decimal;
  unit: string;
  op?: Op;
  aspiration?: Decimal;
}
/** A measured level against a limit (`< 5.5%`, `> 46`). */
export interface ValueRule {
  type: 'value';
  measure: Measure;
  op?: Op;
  limit: Decimal;
  unit: string;
  aspiration?: Decimal;
}
/** A change from a baseline: absolute, relative (%) or an average annual rate (%), from a level
 * series or from chained yearly rates. `amount` is signed (降低13.5% is `<=` `-13.5`). */
export interface ChangeRule {
  type: 'change';
  measure: Measure;
  method: 'absolute' | 'relative' | 'annual_rate';
  input?: 'level' | 'yearly_rates';
  op?: Op;
  amount: Decimal;
  /** `previous_year` only inside `every_year`. */
  from?: 'baseline' | 'previous_year';
  aspiration?: Decimal;
}
/** A bound that must hold in every year from `from_year` to the deadline's year. */
export interface EveryYearRule {
  type: 'every_year';
  from_year?: number;
  rule: ValueRule | CountRule | RateRule | DurationRule | CoverageRule | ChangeRule;
}
/** Decided only by a recorded judgement in the data, never by arithmetic. */
export interface QualitativeRule {
  type: 'qualitative';
  criterion: Text;
}
export interface ApproximateCountRule {
  type: 'approximate_count';
  measure: Measure;
  nominal: Decimal;
  lower: Decimal;
  upper: Decimal;
  unit: string;
  above_band: 'met' | 'not_met';
}
export interface DurationRule {
  type: 'duration';
  measure: Measure;
  target_years: Decimal;
  op?: Op;
  aspiration?: Decimal;
}
export interface CoverageRule {
  type: 'coverage';
  entity_kind: string;
  filter?: AttributeFilter[];
  condition: Condition;
  target_percent?: Decimal;
}
export interface GrowthComparisonRule {
  type: 'growth_comparison';
  subject: Measure;
  benchmark: Measure;
  mode: 'year_over_year' | 'cumulative';
  from_year?: number;
  strict?: boolean;
  /** In step (基本同步): subject growth ≥ benchmark growth − tolerance; needs `strict: false`. */
  tolerance?: { points: Decimal } | { relative_percent: Decimal };
  /** `yearly_rates`: both measures hold yearly growth rates in percent. */
  input?: 'level' | 'yearly_rates';
}
export interface MilestoneItem {
  id: string;
  name: Text;
  attributes?: Record<string, string>;
}
export interface MilestonesRule {
  type: 'milestones';
  entity_kind: string;
  state_field: string;
  required_state: string;
  items: MilestoneItem[];
}
export interface AllOfPart {
  id: string;
  title: Text;
  rule: Rule;
}
export interface AllOfRule {
  type: 'all_of';
  parts: AllOfPart[];
}
/** The rule kinds, tagged by `type`. */
export type Rule =
  | RateRule
  | CountRule
  | ValueRule
  | ChangeRule
  | EveryYearRule
  | QualitativeRule
  | ApproximateCountRule
  | DurationRule
  | CoverageRule
  | GrowthComparisonRule
  | MilestonesRule
  | AllOfRule;

export type CitationSource =
  | 'annex1'
  | 'annex2'
  | 'body'
  | 'review'
  | 'law'
  | 'indicator_table'
  | 'annex'
  | 'section'
  | 'other';

export interface Citation {
  source: CitationSource;
  location: Text;
  /** The sentence quoted verbatim from the plan (Chinese). */
  quote: string;
  /** The document quoted and where it was published, when not the plan itself. */
  document?: Text;
  url?: string;
}

/** The attribute (属性) of an indicator: 约束性 binding or 预期性 indicative. */
export type Obligation = 'binding' | 'indicative';

export interface Note {
  kind: 'vague' | 'discrepancy' | 'interpretation' | 'source' | 'other';
  text: Text;
}

export type Comparison =
  | { method: 'full_value' }
  | { method: 'rounded_value'; decimals: number };

export interface Target {
  id: string;
  title: Text;
  description: Text;
  category: Text;
  importance: 'key' | 'supporting';
  obligation?: Obligation;
  deadline: IsoDate;
  deadline_basis: 'stated' | 'plan_end';
  citation: Citation;
  related_citations?: Citation[];
  rule: Rule;
  missing_data?: 'skip_if_any' | 'skip_if_all' | 'never_skip';
  comparison?: Comparison;
  baseline_year?: number;
  notes?: Note[];
  /** What a reader must know next to the verdict (shown with ※). */
  caveat?: Text;
}

/** A date of the plan's monitoring calendar, asked for by its id in place of an as-of date. */
export interface Review {
  id: string;
  kind: 'annual' | 'mid_term' | 'final';
  title: Text;
  as_of: IsoDate;
  citation: Citation;
  notes?: Note[];
}

/** A rule set: what `rules()` returns and what `new Plan(...)` accepts. */
export interface PlanDocument {
  id: string;
  version: string;
  /** Absent: published. A draft may leave out quotes and one language of a text. */
  status?: PlanStatus;
  title: Text;
  source: Text;
  period: { start: IsoDate; end: IsoDate };
  baseline_year: number;
  dictionary: Dictionary;
  targets: Target[];
  notes?: Note[];
  /** The monitoring calendar (年度监测, 中期评估): `evaluate(data, 'mid_term')`. */
  monitoring?: Review[];
}

// ---------------------------------------------------------------------------------------------
// Reports (output of evaluate)

export type Status = 'met' | 'not_met' | 'on_track' | 'off_track' | 'not_assessable';
export type Grade = 'accelerate' | 'insufficient' | 'regressing';

export interface Reason {
  /** `missing_value`, `zero_denominator`, `missing_baseline` ... */
  code: string;
  zh: string;
  en: string;
}

export interface YearValue {
  year: number;
  value: Decimal;
}

export interface Trajectory {
  method: 'cagr' | 'linear' | 'baseline_at_target' | 'growth_ratio';
  observed_growth: Decimal | null;
  required_growth: Decimal | null;
  r: Decimal | null;
}

export interface Band {
  nominal: Decimal;
  lower: Decimal;
  upper: Decimal;
  position: 'below' | 'within' | 'above' | null;
}

export interface Counts {
  population: number;
  met: number;
  unmet: number;
  missing: number;
}

export interface Culprit {
  id: string;
  name: string | null;
  problem: 'unmet' | 'missing' | 'below_target' | 'failed_year';
  zh: string;
  en: string;
}

export interface InputRead {
  field: string;
  entity: string | null;
  period: number;
  value: string | null;
  source: string | null;
}

export interface Step {
  op: string;
  expr: string;
  result: string;
  exact: boolean;
}

export interface Trail {
  inputs: InputRead[];
  steps: Step[];
}

export interface TargetResult {
  id: string;
  title: Text;
  kind: Rule['type'];
  status: Status;
  /** `recorded` when a reviewer's judgement decides it (qualitative targets). */
  basis: 'computed' | 'recorded';
  grade: Grade | null;
  approximate: boolean;
  deadline: IsoDate;
  unit: string | null;
  observed: Decimal | null;
  observed_year: number | null;
  op: Op | null;
  target: Decimal | null;
  /** How far from the target in the better direction (negative once passed). */
  gap: Decimal | null;
  /** observed / target × 100, for rising targets only. */
  progress: Decimal | null;
  aspiration: { level: Decimal; reached: boolean | null } | null;
  obligation: Obligation | null;
  judgement: Judgement | null;
  baseline: YearValue | null;
  trajectory: Trajectory | null;
  band: Band | null;
  counts: Counts | null;
  culprits: Culprit[];
  reason: Reason | null;
  /** Indexes into the report's `diagnostics`. */
  diagnostics: number[];
  explanation: Text;
  /** What a reader must know next to the verdict. */
  caveat?: Text;
  parts: TargetResult[];
  /** Present unless evaluated with `{trail: false}`. */
  trail?: Trail;
}

export interface StatusCounts {
  total: number;
  met: number;
  not_met: number;
  on_track: number;
  off_track: number;
  not_assessable: number;
}

export interface Summary extends StatusCounts {
  /** The same counts for binding and for indicative targets, when the plan marks any. */
  by_obligation?: (StatusCounts & { obligation: Obligation })[];
}

/** A reviewer's recorded judgement on a qualitative target (in a dataset's `judgements`). */
export interface Judgement {
  target: string;
  verdict: 'met' | 'not_met' | 'on_track' | 'off_track';
  by: string;
  on: IsoDate;
  evidence: string;
}

/** A full evaluation, as `Report::to_json()` writes it. */
export interface Report {
  engine: { name: string; version: string };
  /** `status` is written only for a draft rule set (`'draft'`). */
  plan: { id: string; version: string; content_hash: Sha256Hex; status?: 'draft' };
  data: { id: string | null; synthetic: boolean; content_hash: Sha256Hex };
  as_of: IsoDate;
  /** Present when only the targets of one attribute were evaluated. */
  obligation?: Obligation;
  /** Present when a review of the plan's calendar was asked for by name. */
  review?: { id: string; kind: Review['kind']; title: Text };
  summary: Summary;
  results: TargetResult[];
  diagnostics: Diagnostic[];
}

// ---------------------------------------------------------------------------------------------
// Errors

/** One problem behind an error. */
export interface ErrorDetail {
  code: string;
  message: string;
  path?: string;
  target?: string;
  line?: number;
  column?: number;
}

/**
 * Stable error codes: `invalid_json`, `invalid_shape`, `too_large`, `too_deep` (nesting beyond
 * 128 levels), `limit_exceeded` (data or spec), `unknown_kind`, `duplicate_id`, `unit_mismatch`, `rate_unit_mismatch`,
 * `deadline_outside_period`, `unknown_reference`, `invalid_rule` (spec), `invalid_request`,
 * `invalid_as_of`, `unknown_target` (request), `invalid_number` (a JS number JSON cannot carry),
 * `not_initialized` (web: init() not awaited), `wasm_load_failed` (web: the `.wasm` could not be
 * fetched or compiled; see the message), `internal_error`.
 */
export type ErrorCode = string;

export type ErrorKind = 'spec' | 'data' | 'request' | 'internal';

/** Every error plan-rules throws. */
export declare class PlanRulesError extends Error {
  constructor(code: ErrorCode, message: string, details?: Partial<ErrorDetails>);
  readonly name: 'PlanRulesError';
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  /** JSON pointer of the first problem, where known. */
  readonly path: string | null;
  /** Target id of the first problem, where it applies. */
  readonly target: string | null;
  /** Every problem. */
  readonly errors: ErrorDetail[];
  readonly details: ErrorDetails;
}

export interface ErrorDetails {
  kind: ErrorKind;
  code: ErrorCode;
  message: string;
  path: string | null;
  target: string | null;
  errors: ErrorDetail[];
}

// ---------------------------------------------------------------------------------------------
// The API

/** A loaded and checked rule set, kept in WebAssembly memory. */
export declare class Plan {
  /** Loads a rule set (object or JSON text); throws PlanRulesError (kind `spec`). */
  constructor(rules: PlanDocument | string);
  /** The embedded Xicheng District 2016-2020 education plan. */
  static xicheng(): Plan;
  readonly id: string;
  readonly version: string;
  readonly contentHash: Sha256Hex;
  readonly targetCount: number;
  /** `'published'`, or `'draft'` for a rule set written for a quick check. */
  readonly status: PlanStatus;
  /** What a draft leaves out (each quote, each missing language), in document order. */
  readonly warnings: readonly SpecWarning[];
  rules(): PlanDocument;
  rulesJson(): string;
  evaluate(data: DataArg, asOf: AsOf, options?: EvaluateOptions): Report;
  /** The report JSON, byte for byte what Rust and Python write. */
  evaluateJson(data: DataArg, asOf: AsOf, options?: EvaluateOptions): string;
  validate(data: DataArg): ValidateAnswer;
  validateJson(data: DataArg): string;
  check(data?: DataArg): CheckAnswer;
  checkJson(data?: DataArg): string;
  /**
   * Row verdicts for an entity kind (`'school'`), or for the district series when `kind` is
   * omitted; throws `invalid_request` for a kind the plan does not define. `options.targets`
   * names the targets to judge; naming one a record cannot decide throws `not_row_judgeable`.
   */
  rowRules(kind?: string, options?: RowRulesOptions): RowRules;
  /** Frees the wasm memory now (otherwise the garbage collector does). */
  free(): void;
}

// ---------------------------------------------------------------------------------------------
// Row verdicts (plan_rules::row)

/** One record's answer for one target. */
export type RowVerdict = 'met' | 'not_met' | 'missing' | 'invalid' | 'not_applicable';
/** The numeric code of a verdict: its index in `VERDICTS`. */
export type RowVerdictCode = 0 | 1 | 2 | 3 | 4;
/** The verdicts by code: `VERDICTS[code]`. */
export declare const VERDICTS: readonly ['met', 'not_met', 'missing', 'invalid', 'not_applicable'];

/**
 * A field's value in a record: a number or a decimal string (counts, quantities, percents; a
 * string keeps its exact digits), a boolean (flags), a state name (states), `null` or absent
 * (missing). Numbers JSON cannot carry exactly throw `invalid_number`.
 */
export type RowInput = number | string | boolean | bigint | null | undefined;
/** One record: field name to value. */
export type RowRecord = Record<string, RowInput>;
/** The attributes a record's filters read (`{ level: 'primary' }`). */
export type RowAttributes = Record<string, string | null | undefined>;
/** A column of a batch: an array of values, or a typed array (NaN is missing in float arrays). */
export type RowColumn =
  | readonly RowInput[]
  | Float64Array
  | Float32Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** Options of `rowRules`. */
export interface RowRulesOptions {
  /**
   * The targets to judge: ids (`'A6.1'`, `'B3/teachers'`) or all-of targets (`'B3'`, all its
   * parts); verdicts keep the rules' order. A target one record cannot decide is refused with
   * `not_row_judgeable` (the error's `target` and `path` name it); an unknown id with
   * `unknown_target`.
   */
  targets?: readonly string[];
}

/** Why a target cannot be judged on one record (`spec/README.md`, *Row verdicts*). */
export type LeftOutReason =
  | 'cumulative_over_time'
  | 'needs_several_years'
  | 'other_entity_kind'
  | 'district_series'
  | 'entity_records'
  | 'different_filters'
  | 'not_row_judgeable_kind'
  | 'unknown_reference';

/** A target (or all-of part) row rules leave out, with the reason. */
export interface LeftOut {
  readonly id: string;
  /** The rule kind. */
  readonly kind: string;
  readonly reason: LeftOutReason;
  readonly message_zh: string;
  readonly message_en: string;
}

export interface JudgeColumnsOptions {
  /** Rows encoded and judged per call into WebAssembly (default 65536). */
  chunkRows?: number;
}

/**
 * The targets of a plan judgeable on one record (a school-year, a district-year), compiled
 * once. Not constructed directly: use `rowRules(kind?)` or `Plan#rowRules(kind?)`.
 */
export declare class RowRules {
  private constructor();
  /** The fields a record holds. */
  readonly fields: readonly string[];
  /** The attributes the targets' filters read. */
  readonly attributes: readonly string[];
  /** The target ids (`A6.1`, `B3/teachers` for a part of an all-of target), in verdict order. */
  readonly targetIds: readonly string[];
  /** The rule kind of each target. */
  readonly targetKinds: readonly string[];
  /**
   * The plan's targets (and all-of parts) one record of this kind cannot decide, with the
   * reason, in plan order (the same whatever `targets` selected).
   */
  readonly leftOut: readonly LeftOut[];
  /** The dictionary type of each field. */
  readonly valueTypes: readonly ValueType[];
  /** The states of a `state` field, in the order they are reached (empty otherwise). */
  states(field: string): string[];
  /** The verdict of each target on one record, by target id. */
  judge(record: RowRecord, attributes?: RowAttributes): Record<string, RowVerdict>;
  /** The verdict codes of one record in `targetIds` order; the array is reused by the next call. */
  judgeCodes(record: RowRecord, attributes?: RowAttributes): Uint8Array;
  /** Judges many rows given as columns: per target id, one verdict code per row. */
  judgeColumns(
    columns: Record<string, RowColumn | null | undefined>,
    attributes?: Record<string, readonly (string | null | undefined)[] | null | undefined>,
    options?: JudgeColumnsOptions,
  ): Record<string, Uint8Array>;
  /** Frees the wasm memory now (otherwise the garbage collector does). */
  free(): void;
}

/** Row verdicts of the embedded Xicheng plan for an entity kind, or the district series. */
export declare function rowRules(kind?: string, options?: RowRulesOptions): RowRules;

/** The engine's version (recorded in reports). */
export declare function engineVersion(): string;
/** The embedded Xicheng rule set. */
export declare function rules(): PlanDocument;
export declare function rulesJson(): string;
/** Evaluates a dataset with the embedded Xicheng plan. */
export declare function evaluate(data: DataArg, asOf: AsOf, options?: EvaluateOptions): Report;
/** The report JSON, byte for byte what Rust and Python write. */
export declare function evaluateJson(
  data: DataArg,
  asOf: IsoDate,
  options?: EvaluateOptions,
): string;
/** Field-level diagnostics of a dataset against the embedded plan. */
export declare function validate(data: DataArg): ValidateAnswer;
export declare function validateJson(data: DataArg): string;
/** The embedded plan's identity and, if given, a dataset's diagnostics. */
export declare function check(data?: DataArg): CheckAnswer;
export declare function checkJson(data?: DataArg): string;
