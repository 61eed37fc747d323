// Generated from spec/schema/plan.schema.json by wasm/scripts/schema-to-ts.mjs: do not edit.
// Regenerate with `node wasm/scripts/schema-to-ts.mjs` (wasm/README.md, *Types*).

/** A development plan: what it promises, by when, and what data its targets read. */
export interface Plan {
  /** The year trajectories start from (基期), usually the year before the period starts. */
  baseline_year: number;
  /** The quantities the targets read: district series and the fields of each entity kind. */
  dictionary: Dictionary;
  /** Stable identifier of the plan, e.g. `xicheng-education-2016-2020`. */
  id: string;
  /**
   * The plan's monitoring calendar (年度监测, 中期评估, the final evaluation): named as-of
   * dates a report can be asked for by name (`--as-of mid_term`).
   */
  monitoring?: Review[];
  /** Notes on the rule set as a whole. */
  notes?: Note[];
  /** The implementation period (规划实施期). */
  period: Period;
  /** The document the rules are taken from. */
  source: Text;
  /**
   * Whether the rule set is published (the default) or a draft, which may leave out quotes
   * and one language of its texts (see `spec/README.md`, *Draft rule sets*).
   */
  status?: PlanStatus;
  /** The targets (目标 / 指标). */
  targets: Target[];
  /** The plan's title. */
  title: Text;
  /** Version of this rule set (not of the plan document). */
  version: string;
}

/** The verdict on a value above the tolerance band. */
export type AboveBand = "met" | "not_met";

/** Keeps entities whose attribute is one of some values. */
export interface AttributeFilter {
  /** The attribute. */
  attribute: string;
  /** The values kept. */
  one_of: string[];
}

/** A textual attribute of an entity. */
export interface AttributeSpec {
  /** The values it may take; empty means any text. */
  allowed?: string[];
  /** Name of the attribute. */
  title: Text;
}

/** Where a change is measured from. */
export type ChangeFrom = "baseline" | "previous_year";

/** What a change rule's measure holds. */
export type ChangeInput = "level" | "yearly_rates";

/** How a change is measured. */
export type ChangeMethod = "absolute" | "relative" | "annual_rate";

/** Where the plan makes a commitment. */
export interface Citation {
  /**
   * The document quoted and where it was published, when it is not the plan's own `source`
   * (a law, a national outline as carried by a news agency).
   */
  document?: Text | null;
  /** The section, table row or article, in free text, e.g. 附件1 第4行 / annex 1, row 4. */
  location: Text;
  /**
   * The sentence quoted verbatim from the plan (Chinese). Required in a published rule set;
   * a draft may leave it out (read as empty, a warning of `check`).
   */
  quote?: string;
  /** What kind of place it is. */
  source: CitationSource;
  /** Where the quoted text can be read. */
  url?: string | null;
}

/** The kind of place a citation points to. */
export type CitationSource = "annex1" | "annex2" | "body" | "review" | "law" | "indicator_table" | "annex" | "section" | "other";

/** How an observed value is judged against its limit (GB/T 8170-2008, 4.3). */
export type Comparison =
  | FullValueComparison
  | RoundedValueComparison;

/** 全数值比较法: the exact value is compared; 99.95% does not reach 100% (the default). */
export interface FullValueComparison {
  method: "full_value";
}

/** 修约值比较法: the value is first rounded half-to-even to `decimals` places. */
export interface RoundedValueComparison {
  /** Decimal places kept (0-10). */
  decimals: number;
  method: "rounded_value";
}

/** What one entity must satisfy in a year. */
export type Condition =
  | IsTrueCondition
  | AtLeastCondition
  | RatioAtLeastCondition
  | StateReachedCondition;

/** A flag field is true. */
export interface IsTrueCondition {
  /** The flag field. */
  field: string;
  test: "is_true";
}

/** A number field is at least a value. */
export interface AtLeastCondition {
  /** The number field. */
  field: string;
  test: "at_least";
  /** The least value. */
  value: Decimal;
}

/** numerator / denominator × 100 is at least a percentage (a zero denominator is missing). */
export interface RatioAtLeastCondition {
  /** The denominator field. */
  denominator: string;
  /** The numerator field. */
  numerator: string;
  /** The least percentage. */
  percent: Decimal;
  test: "ratio_at_least";
}

/** A state field has reached a state (in the field's order of states). */
export interface StateReachedCondition {
  /** The state field. */
  field: string;
  /** The state to reach. */
  state: string;
  test: "state_reached";
}

/** A calendar date, YYYY-MM-DD */
export type Date = string;

/** Where a deadline comes from. */
export type DeadlineBasis = "stated" | "plan_end";

/** An exact decimal: a JSON number or a string such as "99.95" (at most 28 significant digits) */
export type Decimal = number | bigint | string;

/** What data a plan reads. */
export interface Dictionary {
  /** Entity kinds (主体类型: school, street, project ...), by name. */
  entity_kinds?: Record<string, EntityKindSpec>;
  /** District-level series (数据序列), by name. */
  series?: Record<string, FieldSpec>;
}

/** One kind of entity and what is recorded about it. */
export interface EntityKindSpec {
  /** Fixed, textual attributes (level, street ...), by name. */
  attributes?: Record<string, AttributeSpec>;
  /** Yearly fields, by name. */
  fields?: Record<string, FieldSpec>;
  /** Name of the kind. */
  title: Text;
}

/** A quantity recorded by year: its type, unit and constraints. */
export interface FieldSpec {
  /**
   * Another field (of the same series set or entity kind) this one may never exceed, e.g.
   * students who passed may not exceed students eligible.
   */
  at_most?: string | null;
  /** Whether a record must give it (forms report it missing otherwise). */
  required?: boolean;
  /**
   * Whether negative values are data (growth rates, changes): then a negative value is no
   * `negative_value` diagnostic, and a signed percentage may also exceed 100.
   */
  signed?: boolean;
  /** For `state`: the states in the order they are reached. */
  states?: string[];
  /** Name of the quantity. */
  title: Text;
  /** Its type. */
  type: ValueType;
  /** Its unit (persons, schools, years, 10k CNY ...); required for numbers, absent otherwise. */
  unit?: string | null;
}

/** How growth is compared over time. */
export type GrowthMode = "year_over_year" | "cumulative";

/** How the plan ranks a target. */
export type Importance = "key" | "supporting";

/** A quantity a rule reads. */
export type Measure =
  | SeriesMeasure
  | EntitySumMeasure;

/** A district series from the dictionary. */
export interface SeriesMeasure {
  from: "series";
  /** One year's value or the total since the plan began. */
  over_time?: OverTime;
  /** The series name. */
  series: string;
}

/** The sum of one field over the entities of a kind (optionally filtered by attributes). */
export interface EntitySumMeasure {
  /** The entity kind. */
  entity_kind: string;
  /** The field summed. */
  field: string;
  /** Only entities whose attributes pass every filter. */
  filter?: AttributeFilter[];
  from: "entity_sum";
  /** One year's value or the total since the plan began. */
  over_time?: OverTime;
}

/** One named item. */
export interface MilestoneItem {
  /** Descriptive attributes from the plan (type, street). */
  attributes?: Record<string, string>;
  /** Its id (the entity id in the data). */
  id: string;
  /** Its name. */
  name: Text;
}

/** What missing values mean for a target (after DHIS2 validation rules). */
export type MissingData = "skip_if_any" | "skip_if_all" | "never_skip";

/** A remark that keeps an interpretation visible. */
export interface Note {
  /** What kind of remark it is. */
  kind: NoteKind;
  /** The remark. */
  text: Text;
}

/** What a note is about. */
export type NoteKind = "vague" | "discrepancy" | "interpretation" | "source" | "other";

/** The attribute (属性) an indicator table gives each indicator. */
export type Obligation = "binding" | "indicative";

/** How the value must stand against the limit: >= (达到/不低于/以上, the default), > (高于/超过), <= (控制在…以内/不高于/以下), < (低于) */
export type Op = ">=" | ">" | "<=" | "<";

/** How a measure treats time. */
export type OverTime = "latest" | "cumulative";

/** One part of an all-of target. */
export interface Part {
  /** Id, unique within the target (shown as `TARGET/PART`). */
  id: string;
  /** The part's rule. */
  rule: Rule;
  /** Title. */
  title: Text;
}

/** A closed range of dates. */
export interface Period {
  /** Last day of the period. */
  end: Date;
  /** First day of the period. */
  start: Date;
}

/** Whether a rule set is published or a draft. */
export type PlanStatus = "published" | "draft";

/** One date of a plan's monitoring calendar. */
export interface Review {
  /** The date it stands at. */
  as_of: Date;
  /** Where the plan calls for it. */
  citation: Citation;
  /** Its name, asked for instead of a date (`mid_term`, `annual_2017`, `final`). */
  id: string;
  /** What kind of review it is. */
  kind: ReviewKind;
  /** How the date was chosen, when the plan gives none. */
  notes?: Note[];
  /** Its title. */
  title: Text;
}

/** The kinds of review a plan calls for. */
export type ReviewKind = "annual" | "mid_term" | "final";

/** A typed, checkable rule. */
export type Rule =
  | RateRule
  | CountRule
  | ValueRule
  | ChangeRule
  | ApproximateCountRule
  | DurationRule
  | CoverageRule
  | GrowthComparisonRule
  | MilestonesRule
  | EveryYearRule
  | QualitativeRule
  | AllOfRule;

/** numerator / denominator reaches a percentage. */
export interface RateRule {
  /** A second, stricter level the plan strives for (力争达到). */
  aspiration?: Decimal | null;
  /** Out of what (children of age). */
  denominator: Measure;
  /** Whether this is a gross rate, whose numerator may exceed its denominator. */
  gross?: boolean;
  /** What is counted (children enrolled). */
  numerator: Measure;
  /** How the rate must stand against `target_percent` (`>=` unless said). */
  op?: Op;
  /** The percentage to reach (0-100, or more for a gross rate). */
  target_percent: Decimal;
  type: "rate";
}

/** A quantity reaches N (or stands against it as its bound says). */
export interface CountRule {
  /** A second, stricter level the plan strives for (力争达到). */
  aspiration?: Decimal | null;
  /** What is counted. */
  measure: Measure;
  /** How the value must stand against `target` (`>=` unless said). */
  op?: Op;
  /** The number to reach. */
  target: Decimal;
  type: "count";
  /** The unit, which must be the measure's. */
  unit: string;
}

/** A measured level stands against a limit (`< 5.5%`, `> 46`). */
export interface ValueRule {
  /** A second, stricter level the plan strives for (力争达到). */
  aspiration?: Decimal | null;
  /** The limit. */
  limit: Decimal;
  /** What is read. */
  measure: Measure;
  /** How the value must stand against `limit` (`>=` unless said). */
  op?: Op;
  type: "value";
  /** The unit, which must be the measure's. */
  unit: string;
}

/** A change from a baseline (absolute, relative or an average annual rate). */
export interface ChangeRule {
  /**
   * The change the plan asks for, signed (in the measure's unit for `absolute`, in percent
   * otherwise).
   */
  amount: Decimal;
  /** A second, stricter change the plan strives for (力争). */
  aspiration?: Decimal | null;
  /** Where the change is measured from. */
  from?: ChangeFrom;
  /** What the measure holds. */
  input?: ChangeInput;
  /** What is read: the level itself, or its yearly growth rates in percent (`input`). */
  measure: Measure;
  /** How the change is measured. */
  method: ChangeMethod;
  /** How the change must stand against `amount` (`>=` unless said). */
  op?: Op;
  type: "change";
}

/** A quantity is about N, within a declared band. */
export interface ApproximateCountRule {
  /** Whether a value above the band is met or not. */
  above_band: AboveBand;
  /** Lowest value accepted (inclusive). */
  lower: Decimal;
  /** What is counted. */
  measure: Measure;
  /** The plan's number (30). */
  nominal: Decimal;
  type: "approximate_count";
  /** The unit, which must be the measure's. */
  unit: string;
  /** Highest value inside the band (inclusive). */
  upper: Decimal;
}

/** Years provided reach N. */
export interface DurationRule {
  /** A second, stricter level the plan strives for (力争达到). */
  aspiration?: Decimal | null;
  /** Years provided. */
  measure: Measure;
  /** How the years must stand against `target_years` (`>=` unless said). */
  op?: Op;
  /** Years to reach. */
  target_years: Decimal;
  type: "duration";
}

/** Every entity of a kind (or a declared share) satisfies a condition. */
export interface CoverageRule {
  /** What each entity must satisfy. */
  condition: Condition;
  /** The entity kind (school, street ...). */
  entity_kind: string;
  /** Only entities whose attributes pass every filter. */
  filter?: AttributeFilter[];
  /** The share of the population to reach, in percent. */
  target_percent?: Decimal;
  type: "coverage";
}

/** Growth of one series exceeds growth of another. */
export interface GrowthComparisonRule {
  /** The series it is compared with (recurring fiscal revenue). */
  benchmark: Measure;
  /** The first year of the comparison (default: the baseline year). */
  from_year?: number | null;
  /**
   * What both measures hold: levels (growth is computed) or yearly growth rates in percent
   * (as statistics bulletins publish real growth).
   */
  input?: ChangeInput;
  /** Each year against the year before, or the whole span at once. */
  mode: GrowthMode;
  /** Whether growth must be strictly higher (高于) rather than at least equal. */
  strict?: boolean;
  /** The series that must grow faster (education appropriation). */
  subject: Measure;
  /**
   * How far the subject's growth may fall behind the benchmark's and still hold (与经济增长
   * 基本同步: in step, within a tolerance). Only with `strict: false`.
   */
  tolerance?: Tolerance | null;
  type: "growth_comparison";
}

/** Named items each reach a state. */
export interface MilestonesRule {
  /** The entity kind of the items (project). */
  entity_kind: string;
  /** The items. */
  items: MilestoneItem[];
  /** The state every item must reach. */
  required_state: string;
  /** The state field (a `state` field of that kind). */
  state_field: string;
  type: "milestones";
}

/** A bound that must hold in every year of a span. */
export interface EveryYearRule {
  /** The first year that must hold (default: the first year of the plan period). */
  from_year?: number | null;
  /** The rule each year must satisfy. */
  rule: Rule;
  type: "every_year";
}

/** Decided only by a recorded judgement, never by arithmetic. */
export interface QualitativeRule {
  /** What a reviewer must establish to record it as met. */
  criterion: Text;
  type: "qualitative";
}

/** Every part is reached. */
export interface AllOfRule {
  /** The parts. */
  parts: Part[];
  type: "all_of";
}

/** One commitment of the plan, with the rule that decides it, its deadline and its citation. */
export interface Target {
  /** A baseline year for this target, overriding the plan's. */
  baseline_year?: number | null;
  /** The plan's heading for it, e.g. 学前教育 / preschool education. */
  category: Text;
  /**
   * What a reader must know next to the verdict (a population narrower than the plan's
   * words, a reading of an ambiguous sentence): shown beside the status in every rendering
   * and in the form.
   */
  caveat?: Text | null;
  /** Where the plan says it, with the quoted sentence. */
  citation: Citation;
  /** How an observed value is judged against the limit (GB/T 8170-2008). */
  comparison?: Comparison;
  /** The day by which it must be reached. */
  deadline: Date;
  /** Whether the plan states the deadline or it falls due at the plan's end. */
  deadline_basis: DeadlineBasis;
  /** What the target asks, in full. */
  description: Text;
  /** Stable identifier, e.g. `A1` or `A4.2`. */
  id: string;
  /** How the plan ranks it. */
  importance: Importance;
  /** What missing values mean for this target (DHIS2's missing-value strategies). */
  missing_data?: MissingData;
  /** Vagueness, discrepancies and interpretations, stated openly. */
  notes?: Note[];
  /** Whether the plan's indicator table marks it binding (约束性) or indicative (预期性). */
  obligation?: Obligation | null;
  /** Other places in the plan that state the same or a related commitment. */
  related_citations?: Citation[];
  /** The rule that decides it. */
  rule: Rule;
  /** Short title. */
  title: Text;
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
  en?: string;
  /** Chinese text. */
  zh?: string;
}

/** How far behind the benchmark's growth the subject's may be. */
export type Tolerance = {
  points: Decimal;
} | {
  relative_percent: Decimal;
};

/** The type of a recorded quantity. */
export type ValueType = "count" | "quantity" | "percent" | "flag" | "state";
