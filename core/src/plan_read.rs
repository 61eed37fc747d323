//! Reading a rule set ([`Plan`]) from a parsed JSON value, by hand (see [`crate::json_read`]).
//!
//! The answers are those of serde's derived `Deserialize` impls wrapped in
//! `serde_path_to_error` (the way rule sets were read before): the same plan, or the same
//! first problem with the same JSON pointer and message. Rules and comparisons, internally
//! tagged enums, are read by [`crate::rule_read`].
//! The tests at the end check it against the derived path on the repository's rule sets, on
//! every odd value in every place and on random mutations.

use serde_json::Value;

use crate::dictionary::{AttributeSpec, Dictionary, EntityKindSpec, FieldSpec, ValueType};
use crate::json_read::{Fields, Path, ReadError, leaf, map, pair, seq, strings, unit_variant};
use crate::plan::{
    Citation, CitationSource, DeadlineBasis, Importance, MissingData, Note, NoteKind, Period, Plan,
    Target,
};
use crate::rule_read::{read_comparison, read_rule};
use crate::text::Text;

const PLAN: &[&str] = &[
    "id",
    "version",
    "title",
    "source",
    "period",
    "baseline_year",
    "dictionary",
    "targets",
    "notes",
];
const PERIOD: &[&str] = &["start", "end"];
const TARGET: &[&str] = &[
    "id",
    "title",
    "description",
    "category",
    "importance",
    "deadline",
    "deadline_basis",
    "citation",
    "related_citations",
    "rule",
    "missing_data",
    "comparison",
    "baseline_year",
    "notes",
];
const CITATION: &[&str] = &["source", "location", "quote"];
const NOTE: &[&str] = &["kind", "text"];
const TEXT: &[&str] = &["zh", "en"];
const DICTIONARY: &[&str] = &["series", "entity_kinds"];
const ENTITY_KIND: &[&str] = &["title", "attributes", "fields"];
const ATTRIBUTE: &[&str] = &["title", "allowed"];
const FIELD: &[&str] = &["title", "type", "unit", "states", "required", "at_most"];

const IMPORTANCE: &[&str] = &["key", "supporting"];
const DEADLINE_BASIS: &[&str] = &["stated", "plan_end"];
const CITATION_SOURCE: &[&str] = &["annex1", "annex2", "body", "review", "law"];
const NOTE_KIND: &[&str] = &["vague", "discrepancy", "interpretation", "source", "other"];
const MISSING_DATA: &[&str] = &["skip_if_any", "skip_if_all", "never_skip"];
const VALUE_TYPE: &[&str] = &["count", "quantity", "percent", "flag", "state"];

/// Reads a rule set; the first problem, if any, with its JSON pointer and serde's message.
pub(crate) fn read_plan(value: Value) -> Result<Plan, ReadError> {
    plan(value, &Path::Root)
}

fn plan(value: Value, path: &Path<'_>) -> Result<Plan, ReadError> {
    let mut f = Fields::new(value, path, "struct Plan", PLAN)?;
    let (mut id, mut version, mut title, mut source, mut period) = (None, None, None, None, None);
    let (mut baseline_year, mut dictionary, mut targets, mut notes) = (None, None, None, None);
    while let Some((i, step, v)) = f.next()? {
        let at = step.below(path);
        match i {
            0 => id = Some(leaf(v, &at)?),
            1 => version = Some(leaf(v, &at)?),
            2 => title = Some(text(v, &at)?),
            3 => source = Some(text(v, &at)?),
            4 => period = Some(read_period(v, &at)?),
            5 => baseline_year = Some(leaf(v, &at)?),
            6 => dictionary = Some(read_dictionary(v, &at)?),
            7 => targets = Some(seq(v, &at, target)?),
            _ => notes = Some(seq(v, &at, note)?),
        }
    }
    let plan = Plan {
        id: f.required(0, id)?,
        version: f.required(1, version)?,
        title: f.required(2, title)?,
        source: f.required(3, source)?,
        period: f.required(4, period)?,
        baseline_year: f.required(5, baseline_year)?,
        dictionary: f.required(6, dictionary)?,
        targets: f.required(7, targets)?,
        notes: notes.unwrap_or_default(),
    };
    f.finish()?;
    Ok(plan)
}

fn read_period(value: Value, path: &Path<'_>) -> Result<Period, ReadError> {
    let (start, end) = pair(value, path, "struct Period", PERIOD, leaf, leaf)?;
    Ok(Period { start, end })
}

fn target(value: Value, path: &Path<'_>) -> Result<Target, ReadError> {
    let mut f = Fields::new(value, path, "struct Target", TARGET)?;
    let (mut id, mut title, mut description, mut category) = (None, None, None, None);
    let (mut importance, mut deadline, mut deadline_basis, mut citation) = (None, None, None, None);
    let (mut related_citations, mut rule, mut missing_data) = (None, None, None);
    let (mut comparison, mut baseline_year, mut notes) = (None, None, None);
    while let Some((i, step, v)) = f.next()? {
        let at = step.below(path);
        match i {
            0 => id = Some(leaf(v, &at)?),
            1 => title = Some(text(v, &at)?),
            2 => description = Some(text(v, &at)?),
            3 => category = Some(text(v, &at)?),
            4 => {
                importance = Some(match unit_variant(v, &at, IMPORTANCE)? {
                    0 => Importance::Key,
                    _ => Importance::Supporting,
                });
            }
            5 => deadline = Some(leaf(v, &at)?),
            6 => {
                deadline_basis = Some(match unit_variant(v, &at, DEADLINE_BASIS)? {
                    0 => DeadlineBasis::Stated,
                    _ => DeadlineBasis::PlanEnd,
                });
            }
            7 => citation = Some(read_citation(v, &at)?),
            8 => related_citations = Some(seq(v, &at, read_citation)?),
            9 => rule = Some(read_rule(v, &at)?),
            10 => {
                missing_data = Some(match unit_variant(v, &at, MISSING_DATA)? {
                    0 => MissingData::SkipIfAny,
                    1 => MissingData::SkipIfAll,
                    _ => MissingData::NeverSkip,
                });
            }
            11 => comparison = Some(read_comparison(v, &at)?),
            12 => baseline_year = Some(leaf(v, &at)?),
            _ => notes = Some(seq(v, &at, note)?),
        }
    }
    let target = Target {
        id: f.required(0, id)?,
        title: f.required(1, title)?,
        description: f.required(2, description)?,
        category: f.required(3, category)?,
        importance: f.required(4, importance)?,
        deadline: f.required(5, deadline)?,
        deadline_basis: f.required(6, deadline_basis)?,
        citation: f.required(7, citation)?,
        related_citations: related_citations.unwrap_or_default(),
        rule: f.required(9, rule)?,
        missing_data: missing_data.unwrap_or_default(),
        comparison: comparison.unwrap_or_default(),
        baseline_year: baseline_year.unwrap_or_default(),
        notes: notes.unwrap_or_default(),
    };
    f.finish()?;
    Ok(target)
}

fn read_citation(value: Value, path: &Path<'_>) -> Result<Citation, ReadError> {
    let mut f = Fields::new(value, path, "struct Citation", CITATION)?;
    let (mut source, mut location, mut quote) = (None, None, None);
    while let Some((i, step, v)) = f.next()? {
        let at = step.below(path);
        match i {
            0 => {
                source = Some(match unit_variant(v, &at, CITATION_SOURCE)? {
                    0 => CitationSource::Annex1,
                    1 => CitationSource::Annex2,
                    2 => CitationSource::Body,
                    3 => CitationSource::Review,
                    _ => CitationSource::Law,
                });
            }
            1 => location = Some(text(v, &at)?),
            _ => quote = Some(leaf(v, &at)?),
        }
    }
    let citation = Citation {
        source: f.required(0, source)?,
        location: f.required(1, location)?,
        quote: f.required(2, quote)?,
    };
    f.finish()?;
    Ok(citation)
}

fn note(value: Value, path: &Path<'_>) -> Result<Note, ReadError> {
    let kind = |v: Value, at: &Path<'_>| {
        Ok(match unit_variant(v, at, NOTE_KIND)? {
            0 => NoteKind::Vague,
            1 => NoteKind::Discrepancy,
            2 => NoteKind::Interpretation,
            3 => NoteKind::Source,
            _ => NoteKind::Other,
        })
    };
    let (kind, text) = pair(value, path, "struct Note", NOTE, kind, text)?;
    Ok(Note { kind, text })
}

fn text(value: Value, path: &Path<'_>) -> Result<Text, ReadError> {
    let (zh, en) = pair(value, path, "struct Text", TEXT, leaf, leaf)?;
    Ok(Text { zh, en })
}

fn read_dictionary(value: Value, path: &Path<'_>) -> Result<Dictionary, ReadError> {
    let mut f = Fields::new(value, path, "struct Dictionary", DICTIONARY)?;
    let mut dictionary = Dictionary::default();
    while let Some((i, step, v)) = f.next()? {
        let at = step.below(path);
        match i {
            0 => dictionary.series = map(v, &at, field_spec)?,
            _ => dictionary.entity_kinds = map(v, &at, entity_kind)?,
        }
    }
    f.finish()?;
    Ok(dictionary)
}

fn entity_kind(value: Value, path: &Path<'_>) -> Result<EntityKindSpec, ReadError> {
    let mut f = Fields::new(value, path, "struct EntityKindSpec", ENTITY_KIND)?;
    let (mut title, mut attributes, mut fields) = (None, None, None);
    while let Some((i, step, v)) = f.next()? {
        let at = step.below(path);
        match i {
            0 => title = Some(text(v, &at)?),
            1 => attributes = Some(map(v, &at, attribute)?),
            _ => fields = Some(map(v, &at, field_spec)?),
        }
    }
    let kind = EntityKindSpec {
        title: f.required(0, title)?,
        attributes: attributes.unwrap_or_default(),
        fields: fields.unwrap_or_default(),
    };
    f.finish()?;
    Ok(kind)
}

fn attribute(value: Value, path: &Path<'_>) -> Result<AttributeSpec, ReadError> {
    let mut f = Fields::new(value, path, "struct AttributeSpec", ATTRIBUTE)?;
    let (mut title, mut allowed) = (None, None);
    while let Some((i, step, v)) = f.next()? {
        let at = step.below(path);
        match i {
            0 => title = Some(text(v, &at)?),
            _ => allowed = Some(strings(v, &at)?),
        }
    }
    let attribute = AttributeSpec {
        title: f.required(0, title)?,
        allowed: allowed.unwrap_or_default(),
    };
    f.finish()?;
    Ok(attribute)
}

fn field_spec(value: Value, path: &Path<'_>) -> Result<FieldSpec, ReadError> {
    let mut f = Fields::new(value, path, "struct FieldSpec", FIELD)?;
    let (mut title, mut value_type, mut unit) = (None, None, None);
    let (mut states, mut required, mut at_most) = (None, None, None);
    while let Some((i, step, v)) = f.next()? {
        let at = step.below(path);
        match i {
            0 => title = Some(text(v, &at)?),
            1 => {
                value_type = Some(match unit_variant(v, &at, VALUE_TYPE)? {
                    0 => ValueType::Count,
                    1 => ValueType::Quantity,
                    2 => ValueType::Percent,
                    3 => ValueType::Flag,
                    _ => ValueType::State,
                });
            }
            2 => unit = Some(leaf(v, &at)?),
            3 => states = Some(strings(v, &at)?),
            4 => required = Some(leaf(v, &at)?),
            _ => at_most = Some(leaf(v, &at)?),
        }
    }
    let spec = FieldSpec {
        title: f.required(0, title)?,
        value_type: f.required(1, value_type)?,
        unit: unit.unwrap_or_default(),
        states: states.unwrap_or_default(),
        required: required.unwrap_or_default(),
        at_most: at_most.unwrap_or_default(),
    };
    f.finish()?;
    Ok(spec)
}

#[cfg(test)]
mod tests {
    //! The reader against the derived `Deserialize` impls through `serde_path_to_error`, the
    //! way rule sets were read before it.

    use super::*;
    use crate::json_read::mutation::{Rng, mutate, pointers};
    use crate::test_support::{VectorInput, vector_inputs};
    use serde_json::json;

    /// The previous reading: the pointer and message of the first problem, or the plan.
    fn reference(value: Value) -> Result<Plan, ReadError> {
        serde_path_to_error::deserialize(value).map_err(|e| ReadError {
            path: crate::error::json_pointer(e.path()),
            message: e.into_inner().to_string(),
        })
    }

    fn same(value: &Value) -> bool {
        let ours = read_plan(value.clone());
        assert_eq!(ours, reference(value.clone()), "input: {value}");
        ours.is_err()
    }

    /// Rule sets of the repository: the embedded one and every conformance vector's.
    fn corpus() -> Vec<Value> {
        let mut out = vec![serde_json::from_str(crate::plan::XICHENG_2016_2020_JSON).unwrap()];
        for input in vector_inputs("plan") {
            match input {
                VectorInput::File(text) => out.push(serde_json::from_str(&text).unwrap()),
                VectorInput::Inline(Value::Null) => {}
                VectorInput::Inline(v) => out.push(v),
            }
        }
        out
    }

    #[test]
    fn the_repository_s_rule_sets_read_as_before() {
        let corpus = corpus();
        assert!(corpus.len() > 20, "{}", corpus.len());
        for v in &corpus {
            same(v);
        }
    }

    /// Values that exercise every branch: each kind of JSON value, numbers serde reads in
    /// different ways (64-bit, 128-bit, beyond), variant names, tags, structs as arrays.
    fn odd_values() -> Vec<Value> {
        let numbers = [
            "0",
            "-1",
            "1.5",
            "1.0",
            "1e2",
            "2016",
            "2147483648",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775809",
            "340282366920938463463374607431768211456",
            "123456789012345678901234567890",
        ];
        let mut out: Vec<Value> = numbers
            .iter()
            .map(|n| serde_json::from_str(n).unwrap())
            .collect();
        out.extend([
            Value::Null,
            json!(true),
            json!(""),
            json!("x"),
            json!("2020-12-31"),
            json!("2016-02-30"),
            json!("key"),
            json!("supporting"),
            json!("plan_end"),
            json!("annex1"),
            json!("vague"),
            json!("never_skip"),
            json!("count"),
            json!("state"),
            json!("rate"),
            json!("all_of"),
            json!("full_value"),
            json!([]),
            json!(["x"]),
            json!(["x", "y"]),
            json!(["x", "y", "z"]),
            json!(["2016-01-01", "2020-12-31"]),
            json!(["body", ["位置", "place"], "quote"]),
            json!(["vague", {"zh": "z", "en": "e"}]),
            json!(["rate"]),
            json!(["count", {"from": "series", "series": "x"}, 5, "bases"]),
            json!(["count", 18446744073709551616_u128]),
            json!({}),
            json!({"zh": "z", "en": "e"}),
            json!({"zh": "z"}),
            json!({"key": null}),
            json!({"key": 1}),
            json!({"bogus": null}),
            json!({"key": null, "supporting": null}),
            json!({"method": "rounded_value", "decimals": 1}),
            json!({"method": "rounded_value", "decimals": -1}),
            json!({"method": "full_value"}),
            json!({"method": "full_value", "x": 1}),
            json!({"method": 5}),
            json!({"type": "count", "measure": {"from": "series", "series": "x"}, "target": 5, "unit": "u"}),
            json!({"type": "count", "target": 18446744073709551616_u128}),
            json!({"type": "count", "a": [1, {"b": -9223372036854775809_i128}]}),
            json!({"type": "nope"}),
            json!({"type": 1}),
            json!({"title": {"zh": "z", "en": "e"}, "type": "count", "unit": "u"}),
            json!({"title": {"zh": "z", "en": "e"}}),
            json!({"series": {}, "entity_kinds": {}}),
            json!({"a/b~c": 1}),
            // Inside rules: measures, conditions, filters, parts, items, unit enums, numbers.
            json!({"from": "series", "series": "x"}),
            json!({"from": 1, "entity_kind": "school", "field": "f"}),
            json!({"from": 5}),
            json!(["series", "x"]),
            json!(["entity_sum", "school", "f", [], "latest", 1]),
            json!({"test": "is_true", "field": "f"}),
            json!({"test": 3, "field": "f", "state": "s"}),
            json!(["at_least", "f", 5]),
            json!({"cumulative": {}}),
            json!({"cumulative": null}),
            json!({"latest": 1}),
            json!("latest"),
            json!("cumulative"),
            json!("met"),
            json!("year_over_year"),
            json!("99.5"),
            json!({"$serde_json::private::Number": "5"}),
            json!({"$serde_json::private::Number": "5", "a": 1}),
            json!({"$serde_json::private::Number": 5}),
            json!({"attribute": "level", "one_of": ["primary"]}),
            json!([{"attribute": "level", "one_of": ["primary"]}]),
            json!({"id": "p", "title": {"zh": "z", "en": "e"}, "rule": {"type": "count"}}),
            json!([{"id": "p", "title": ["z", "e"], "rule": ["duration", {"from": "series", "series": "y"}, "1e1"]}]),
            json!({"id": "i", "name": {"zh": "z", "en": "e"}, "attributes": {"a": "b"}}),
        ]);
        for n in ["-0", "-0.0", "0.1", "1e400", "1.50"] {
            out.push(serde_json::from_str(n).unwrap());
        }
        out
    }

    const KEYS: &[&str] = &[
        "id",
        "version",
        "title",
        "source",
        "period",
        "baseline_year",
        "dictionary",
        "targets",
        "notes",
        "start",
        "end",
        "description",
        "category",
        "importance",
        "deadline",
        "deadline_basis",
        "citation",
        "related_citations",
        "rule",
        "missing_data",
        "comparison",
        "location",
        "quote",
        "kind",
        "text",
        "zh",
        "en",
        "series",
        "entity_kinds",
        "attributes",
        "fields",
        "allowed",
        "type",
        "unit",
        "states",
        "required",
        "at_most",
        "method",
        "decimals",
        "target",
        "measure",
        "from",
        "bogus",
        " ",
        "a/b~c",
        "numerator",
        "denominator",
        "target_percent",
        "over_time",
        "entity_kind",
        "field",
        "filter",
        "attribute",
        "one_of",
        "condition",
        "test",
        "value",
        "percent",
        "state",
        "subject",
        "benchmark",
        "mode",
        "from_year",
        "strict",
        "items",
        "name",
        "parts",
        "nominal",
        "lower",
        "upper",
        "above_band",
        "target_years",
        "state_field",
        "required_state",
        "$serde_json::private::Number",
    ];

    #[test]
    fn random_mutations_read_as_before() {
        let odd = odd_values();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        // Small rule sets, so mutations land everywhere: three targets at most, each with a
        // trimmed dictionary.
        let mut corpus = Vec::new();
        for v in self::corpus() {
            let targets = v["targets"].as_array().cloned().unwrap_or_default();
            for window in targets.chunks(3).take(6) {
                let mut v = v.clone();
                v["targets"] = Value::Array(window.to_vec());
                trim_dictionary(&mut v);
                corpus.push(v);
            }
        }
        let mut errors = 0;
        let mut kinds = std::collections::BTreeSet::new();
        for round in 0..8_000 {
            let mut v = corpus[round % corpus.len()].clone();
            for _ in 0..=rng.below(3) {
                mutate(&mut v, &mut rng, &odd, KEYS);
            }
            let ours = read_plan(v.clone());
            if let Err(e) = &ours {
                errors += 1;
                kinds.insert(e.message.split(['`', '"']).next().unwrap_or("").to_string());
            }
            assert_eq!(ours, reference(v.clone()), "input: {v}");
        }
        assert!(errors > 4_000, "{errors} errors");
        assert!(kinds.len() > 30, "{kinds:#?}");
    }

    /// At most two series, two entity kinds and three fields of each, with all their parts.
    fn trim_dictionary(v: &mut Value) {
        let Some(Value::Object(d)) = v.get_mut("dictionary") else {
            return;
        };
        let keep = |m: &mut Value, n: usize| {
            if let Value::Object(m) = m {
                let drop: Vec<String> = m.keys().skip(n).cloned().collect();
                for k in drop {
                    m.remove(&k);
                }
            }
        };
        if let Some(series) = d.get_mut("series") {
            keep(series, 2);
        }
        if let Some(kinds) = d.get_mut("entity_kinds") {
            keep(kinds, 2);
            if let Value::Object(kinds) = kinds {
                for kind in kinds.values_mut() {
                    if let Some(fields) = kind.get_mut("fields") {
                        keep(fields, 3);
                    }
                }
            }
        }
    }

    #[test]
    fn every_value_in_every_place() {
        let odd = odd_values();
        // The smallest rule sets of the corpus, with the embedded plan's first targets.
        let mut bases = corpus();
        bases.sort_by_key(|v| v.to_string().len());
        bases.truncate(2);
        bases.iter_mut().for_each(trim_dictionary);
        let mut xicheng: Value = serde_json::from_str(crate::plan::XICHENG_2016_2020_JSON).unwrap();
        if let Some(Value::Array(t)) = xicheng.get_mut("targets") {
            t.truncate(1);
        }
        trim_dictionary(&mut xicheng);
        bases.push(xicheng);
        let mut errors = 0;
        for base in &bases {
            let mut all = Vec::new();
            pointers(base, String::new(), &mut all);
            for at in &all {
                for x in &odd {
                    let mut v = base.clone();
                    *v.pointer_mut(at).unwrap() = x.clone();
                    errors += usize::from(same(&v));
                }
            }
        }
        assert!(errors > 1000, "{errors}");
    }
}
