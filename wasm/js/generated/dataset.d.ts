// Generated from spec/schema/dataset.schema.json by wasm/scripts/schema-to-ts.mjs: do not edit.
// Regenerate with `node wasm/scripts/schema-to-ts.mjs` (wasm/README.md, *Types*).

/** All observations handed to one evaluation. */
export interface Dataset {
  /** What the data is and where it comes from. */
  description?: string | null;
  /** Entities (schools, streets, projects ...) with their yearly records. */
  entities?: EntityData[];
  /** An identifier for the dataset. */
  id?: string | null;
  /** Judgements recorded by reviewers on qualitative targets. */
  judgements?: Judgement[];
  /** District-level series, by name. */
  series?: Record<string, SeriesData>;
  /** Whether the data is synthetic (made up for tests and demonstrations). */
  synthetic?: boolean;
}

/** A calendar date, YYYY-MM-DD */
export type Date = string;

/** One entity and its records by year. */
export interface EntityData {
  /** First year the entity exists (it is outside every population before). */
  active_from?: number | null;
  /** Last year the entity exists (it is outside every population after). */
  active_until?: number | null;
  /** Fixed attributes (level, street ...). */
  attributes?: Record<string, string>;
  /** Identifier, unique within its kind. */
  id: string;
  /** The entity kind (school, street, project ...), as named in the dictionary. */
  kind: string;
  /** Display name. */
  name?: string | null;
  /** Records keyed by year, each a map of field to observation. */
  records?: Record<string, Record<string, Observation>>;
  /** Where the records come from, unless an observation says otherwise. */
  source?: string | null;
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

/** A value (null for missing, a boolean, a number, a decimal string or a state), or an object with the value and its source */
export type Observation = null | boolean | number | bigint | string | {
  source?: string;
  value: null | boolean | number | bigint | string;
};

/** The values of one district series, by year. */
export interface SeriesData {
  /** Where the values come from, unless an observation says otherwise. */
  source?: string | null;
  /** The unit the values are in; when given it must match the dictionary's. */
  unit?: string | null;
  /** Observations keyed by year (`"2016"`). */
  values: Record<string, Observation>;
}

/** A recorded verdict. */
export type Verdict = "met" | "not_met" | "on_track" | "off_track";
