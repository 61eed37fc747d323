// Generated from spec/schema/report.schema.json by wasm/scripts/schema-to-ts.mjs: do not edit.
// Regenerate with `node wasm/scripts/schema-to-ts.mjs` (wasm/README.md, *Types*).

/** A full evaluation. */
export interface Report {
  /** The as-of date (评估基准日). */
  as_of: Date;
  /** The data. */
  data: DataInfo;
  /** Every problem found in the data. */
  diagnostics: Diagnostic[];
  /** The engine. */
  engine: EngineInfo;
  /** When only the targets of one attribute were evaluated: which (binding or indicative). */
  obligation?: Obligation | null;
  /** The plan. */
  plan: PlanInfo;
  /** One result per target, in plan order. */
  results: TargetResult[];
  /** The review of the plan's monitoring calendar the report was asked for by name. */
  review?: ReviewInfo | null;
  /** Counts by status. */
  summary: Summary;
}

/** A second, stricter level (力争达到) and whether the observed value reaches it. */
export interface Aspiration {
  /** The level striven for. */
  level: Decimal;
  /** Whether the observed value reaches it (`None` without an observed value). */
  reached: boolean | null;
}

/** The tolerance band of an approximate target. */
export interface Band {
  /** Lowest value accepted. */
  lower: Decimal;
  /** The nominal value (30 in 30名左右). */
  nominal: Decimal;
  /** Where the observed value falls: `below`, `within` or `above`. */
  position: "below" | "within" | "above" | null;
  /** Highest value inside the band. */
  upper: Decimal;
}

/** What a verdict rests on. */
export type Basis = "computed" | "recorded";

/** Counts over a population of entities or items. */
export interface Counts {
  /** Members meeting the condition. */
  met: number;
  /** Members without data. */
  missing: number;
  /** Members of the population. */
  population: number;
  /** Members not meeting it. */
  unmet: number;
}

/** An entity or item at fault. */
export interface Culprit {
  /** What is wrong, in English. */
  en: string;
  /** Its id (an entity id, an item id, or a year for growth comparisons). */
  id: string;
  /** Its name, when known. */
  name: string | null;
  /** `unmet`, `missing`, `below_target` or `failed_year`. */
  problem: "unmet" | "missing" | "below_target" | "failed_year";
  /** What is wrong, in Chinese. */
  zh: string;
}

/** The data a report reads. */
export interface DataInfo {
  /** SHA-256 of the canonical dataset. */
  content_hash: Sha256Hex;
  /** Dataset id, if it has one. */
  id: string | null;
  /** Whether it is synthetic. */
  synthetic: boolean;
}

/** A calendar date, YYYY-MM-DD */
export type Date = string;

/** An exact decimal, written as a string such as "99.95" */
export type Decimal = string;

/** One problem with a value. */
export interface Diagnostic {
  /** What kind of problem. */
  code: DiagnosticCode;
  /** The entity id, for entity data. */
  entity: string | null;
  /** The series or field (`preschool_enrolled`, `school.health_test_passed`). */
  field: string | null;
  /** What is wrong and what was expected, in English. */
  message_en: string;
  /** What is wrong and what was expected, in Chinese. */
  message_zh: string;
  /** JSON pointer into the dataset (`/entities/3/records/2017/health_test_passed`). */
  path: string;
  /** The year. */
  period: number | null;
  /** How serious. */
  severity: Severity;
}

/** The kind of problem, with a stable snake_case code. */
export type DiagnosticCode = "invalid_type" | "invalid_number" | "negative_value" | "fractional_count" | "percent_out_of_range" | "inconsistent_total" | "invalid_state" | "missing_required" | "invalid_period" | "period_outside_plan" | "unknown_series" | "unknown_entity_kind" | "unknown_field" | "invalid_attribute" | "unknown_entity" | "duplicate_entity" | "unit_mismatch" | "invalid_active_years" | "invalid_judgement";

/** The engine that made a report. */
export interface EngineInfo {
  /** `plan-rules`. */
  name: string;
  /** Its version. */
  version: string;
}

/** How far off track a target is (after the Eurostat / Open SDG classification). */
export type Grade = "accelerate" | "insufficient" | "regressing";

/** One value read from the dataset. */
export interface InputRead {
  /** The entity id, for entity data. */
  entity: string | null;
  /** The series (`preschool_enrolled`) or entity field (`school.pe_teachers`). */
  field: string;
  /** The year. */
  period: number;
  /** Where the value comes from, when the data says. */
  source: string | null;
  /** The value as read (a decimal, `true`/`false`, a state), or null when missing. */
  value: string | null;
}

/**
 * A reviewer's recorded judgement on a qualitative target: the verdict, by whom, when, and on
 * what evidence. The report shows it as recorded, never as computed, and the audit log keeps it.
 */
export interface Judgement {
  /** Who recorded it (a person or a body: 区教委督导室). */
  by: string;
  /** The evidence or source it rests on. */
  evidence: string;
  /** The day it was recorded; a judgement after the as-of date is not yet visible. */
  on: Date;
  /** The target judged (a `qualitative` target's id). */
  target: string;
  /** The verdict: `met`, `not_met`, `on_track` or `off_track`. */
  verdict: Verdict;
}

/** The attribute (属性) an indicator table gives each indicator. */
export type Obligation = "binding" | "indicative";

/** Counts of results by status among the targets of one obligation. */
export interface ObligationSummary {
  /** Met. */
  met: number;
  /** Not assessable. */
  not_assessable: number;
  /** Not met. */
  not_met: number;
  /** Binding or indicative. */
  obligation: Obligation;
  /** Off track. */
  off_track: number;
  /** On track. */
  on_track: number;
  /** Targets with it. */
  total: number;
}

/** How the value must stand against the limit: >= (达到/不低于/以上, the default), > (高于/超过), <= (控制在…以内/不高于/以下), < (低于) */
export type Op = ">=" | ">" | "<=" | "<";

/** The plan a report judges. */
export interface PlanInfo {
  /** SHA-256 of the canonical rule set. */
  content_hash: Sha256Hex;
  /** Plan id. */
  id: string;
  /**
   * `draft` when the rule set is a draft (written only then), so a quick check is never
   * mistaken for the published evaluation.
   */
  status?: "draft";
  /** Rule-set version. */
  version: string;
}

/** Why a target is not assessable. */
export interface Reason {
  /** Stable code (`missing_value`, `zero_denominator` ...). */
  code: string;
  /** Explanation in English. */
  en: string;
  /** Explanation in Chinese. */
  zh: string;
}

/** The review a report stands for (中期评估 / mid-term review). */
export interface ReviewInfo {
  /** Its id in the plan's calendar. */
  id: string;
  /** Its kind. */
  kind: ReviewKind;
  /** Its title. */
  title: Text;
}

/** The kinds of review a plan calls for. */
export type ReviewKind = "annual" | "mid_term" | "final";

/** How serious a diagnostic is. */
export type Severity = "error" | "warning";

/** A SHA-256 digest: `sha256:` and 64 lowercase hex digits */
export type Sha256Hex = string;

/** The verdict on one target. */
export type Status = "met" | "not_met" | "on_track" | "off_track" | "not_assessable";

/** One step of arithmetic or judgement. */
export interface Step {
  /**
   * False when the result was rounded: under the arithmetic contract (28 significant digits
   * or 28 places) or to the fixed places the step names.
   */
  exact: boolean;
  /** What it computes, in words and numbers (`9650 ÷ 9700 × 100`). */
  expr: string;
  /**
   * What kind of step: `sum`, `ratio`, `round`, `compare`, `growth`, `root`, `cagr`, `r`,
   * `classify`, `count`, `missing`, `select` ...
   */
  op: string;
  /** The outcome (`99.48453608247422680412371134`, `true`). */
  result: string;
}

/** Counts of results by status, for the plan and for each obligation. */
export interface Summary {
  /** The same counts for binding and for indicative targets, when the plan marks any. */
  by_obligation?: ObligationSummary[];
  /** Met. */
  met: number;
  /** Not assessable. */
  not_assessable: number;
  /** Not met. */
  not_met: number;
  /** Off track. */
  off_track: number;
  /** On track. */
  on_track: number;
  /** Targets evaluated. */
  total: number;
}

/** The judgement on one target (or one part of an all-of target). */
export interface TargetResult {
  /** Whether the target is an approximate one ("about N"). */
  approximate: boolean;
  /** The aspiration (力争) level, and whether it is reached. */
  aspiration: Aspiration | null;
  /** The tolerance band, for approximate targets. */
  band: Band | null;
  /** The baseline value used for the trajectory. */
  baseline: YearValue | null;
  /** Whether the verdict is `computed` by the engine or `recorded` by a reviewer. */
  basis: Basis;
  /** What a reader must know next to the verdict (the target's `caveat`). */
  caveat?: Text | null;
  /** Counts over the population, for coverage and milestones. */
  counts: Counts | null;
  /** Entities, items or years at fault. */
  culprits: Culprit[];
  /** The deadline. */
  deadline: Date;
  /** Indexes into the report's diagnostics that concern this target. */
  diagnostics: number[];
  /** The verdict in a sentence. */
  explanation: Text;
  /**
   * How far the observed value still is from the target, in the better direction: target −
   * observed for `>=` and `>`, observed − target for `<=` and `<` (negative once passed).
   */
  gap: Decimal | null;
  /** How far off track (only for `off_track`). */
  grade: Grade | null;
  /** The target (or part) id. */
  id: string;
  /** The recorded judgement the verdict rests on (qualitative targets). */
  judgement: Judgement | null;
  /**
   * The rule kind (the `type` of its rule; the wasm package's type generator checks the list
   * against the rule set schema's).
   */
  kind: "rate" | "count" | "value" | "change" | "approximate_count" | "duration" | "coverage" | "growth_comparison" | "milestones" | "every_year" | "qualitative" | "all_of";
  /** The indicator's attribute: binding (约束性) or indicative (预期性), when the plan says. */
  obligation: Obligation | null;
  /** The latest observed value. */
  observed: Decimal | null;
  /** The year it describes. */
  observed_year: number | null;
  /**
   * How `observed` must stand against `target` (`>=`, `>`, `<=`, `<`), for targets with a
   * bound.
   */
  op: Op | null;
  /** The results of the parts, for all-of targets. */
  parts: TargetResult[];
  /** observed / target x 100, for rising targets (`>=`, `>`) only. */
  progress: Decimal | null;
  /** Why it is not assessable. */
  reason: Reason | null;
  /** The verdict. */
  status: Status;
  /** The target value (the lower end of the band for approximate targets). */
  target: Decimal | null;
  /** Its title. */
  title: Text;
  /** The inputs and arithmetic, when asked for. */
  trail?: Trail | null;
  /** The projection, before the deadline. */
  trajectory: Trajectory | null;
  /** The unit of `observed`, `target` and `gap` (`%` for rates and coverage). */
  unit: string | null;
}

/**
 * A piece of text in Chinese (`zh`) and English (`en`).
 *
 * A published rule set gives both languages of every text; a draft (`"status": "draft"`, see
 * `PlanStatus`) may give one, each omission a warning of `check`. Read from a
 * rule set, a language left out reads as empty text, and the static checks decide.
 */
export interface Text {
  /** English text. */
  en: string;
  /** Chinese text. */
  zh: string;
}

/** The inputs and steps behind one result. */
export interface Trail {
  /** Every value read, in the order read. */
  inputs: InputRead[];
  /** Every step of arithmetic and judgement, in order. */
  steps: Step[];
}

/** The projection of progress behind an on-track or off-track status. */
export interface Trajectory {
  /** The method. */
  method: TrajectoryMethod;
  /** Observed yearly growth (a rate for CAGR, a change per year for linear). */
  observed_growth: Decimal | null;
  /** R = observed / required, rounded half-to-even to 6 places; classified on that value. */
  r: Decimal | null;
  /** Required yearly growth from the baseline to reach the target by the deadline. */
  required_growth: Decimal | null;
}

/** How progress was projected. */
export type TrajectoryMethod = "cagr" | "linear" | "baseline_at_target" | "growth_ratio" | "average_rate";

/** A recorded verdict. */
export type Verdict = "met" | "not_met" | "on_track" | "off_track";

/** A year and a value. */
export interface YearValue {
  /** The value. */
  value: Decimal;
  /** The year. */
  year: number;
}
