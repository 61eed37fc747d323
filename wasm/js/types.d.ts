// TypeScript declarations of every input and output of plan-rules. The rule set, dataset and
// report types are generated from the JSON Schemas in spec/schema/ (which the Rust types write)
// into generated/*.d.ts by scripts/schema-to-ts.mjs, and re-exported here under the package's
// names; wasm/test.sh fails when they drift. The API, errors, row verdicts, options and the
// answers of validate and check are declared here. Decimals come out as `Decimal` (a string)
// everywhere; in inputs they may also be numbers or bigints.

import type * as D from './generated/dataset.js';
import type * as R from './generated/report.js';
import type { Plan as PlanDocument, PlanStatus, ValueType } from './generated/plan.js';
import type { Plan as PlanInput } from './generated/plan-input.js';
import type { Report } from './generated/report.js';

/** An exact decimal, as text (`"99.95"`): every decimal the engine writes. */
export type Decimal = R.Decimal;
/** A decimal as an input may give it: a number, a bigint or a decimal string. */
export type { Decimal as DecimalInput } from './generated/plan-input.js';
/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = R.Date;
/** An as-of: a `YYYY-MM-DD` date, or the id of a review of the plan's monitoring calendar
 * (`'mid_term'`, `'annual_2017'`). */
export type AsOf = IsoDate;
/** `sha256:` and 64 lowercase hex digits. */
export type Sha256Hex = R.Sha256Hex;

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
// Datasets (input), generated from spec/schema/dataset.schema.json

export type {
  Dataset as DatasetInput,
  SeriesData as SeriesInput,
  EntityData as EntityInput,
  Observation as ObservationInput,
  Verdict,
} from './generated/dataset.js';
/** A value as it may be given: null (missing), a boolean, a number, a decimal string or bigint, a
 * state. */
export type RawValue = Exclude<D.Observation, object>;

/** A dataset as an object or as JSON text. */
export type DataArg = D.Dataset | string;

/** Evaluation options. */
export interface EvaluateOptions {
  /** Record the audit trail of each result (default true). */
  trail?: boolean;
  /** Evaluate only binding (约束性) or only indicative (预期性) targets (default: all). */
  obligation?: R.Obligation;
}

// ---------------------------------------------------------------------------------------------
// Rule sets: as the engine writes them (`rules()`, `PlanDocument`; generated from
// spec/schema/plan.canonical.schema.json, decimals as strings) and as `new Plan(...)` takes them
// (`PlanInput`; from spec/schema/plan.schema.json, decimals also as numbers, fields with defaults
// optional). A `PlanDocument` is a `PlanInput`.

export type { Plan as PlanInput } from './generated/plan-input.js';
export type {
  Plan as PlanDocument,
  PlanStatus,
  Text,
  Period,
  Dictionary,
  FieldSpec,
  ValueType,
  AttributeSpec,
  EntityKindSpec,
  Target,
  Importance,
  DeadlineBasis,
  MissingData,
  Citation,
  CitationSource,
  Note,
  NoteKind,
  Review,
  ReviewKind,
  Comparison,
  FullValueComparison,
  RoundedValueComparison,
  Obligation,
  Op,
  Measure,
  SeriesMeasure,
  EntitySumMeasure,
  OverTime,
  AttributeFilter,
  Condition,
  IsTrueCondition,
  AtLeastCondition,
  RatioAtLeastCondition,
  StateReachedCondition,
  Rule,
  RateRule,
  CountRule,
  ValueRule,
  ChangeRule,
  ChangeMethod,
  ChangeInput,
  ChangeFrom,
  EveryYearRule,
  QualitativeRule,
  ApproximateCountRule,
  AboveBand,
  DurationRule,
  CoverageRule,
  GrowthComparisonRule,
  GrowthMode,
  Tolerance,
  MilestoneItem,
  MilestonesRule,
  Part as AllOfPart,
  AllOfRule,
} from './generated/plan.js';

// ---------------------------------------------------------------------------------------------
// Reports (output of evaluate) and diagnostics (output of validate, and part of every report),
// generated from spec/schema/report.schema.json

export type {
  Report,
  EngineInfo,
  PlanInfo,
  DataInfo,
  ReviewInfo,
  Summary,
  ObligationSummary,
  TargetResult,
  Status,
  Basis,
  Grade,
  Reason,
  YearValue,
  Trajectory,
  TrajectoryMethod,
  Band,
  Aspiration,
  Counts,
  Culprit,
  Judgement,
  Trail,
  InputRead,
  Step,
  Diagnostic,
  DiagnosticCode,
  Severity,
} from './generated/report.js';
/** Counts of results by status. */
export type StatusCounts = Omit<R.ObligationSummary, 'obligation'>;

/** The answer to `validate`. */
export interface ValidateAnswer {
  /** No error-level diagnostic. */
  ok: boolean;
  errors: number;
  warnings: number;
  diagnostics: R.Diagnostic[];
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
  constructor(rules: PlanInput | string);
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
