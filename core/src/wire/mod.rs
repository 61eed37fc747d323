//! The wire: every JSON document that enters the core, and the one way it is read.
//!
//! - [`json`]: the parser. Numbers keep their exact text (no `f64`, and no need for
//!   `serde_json`'s `arbitrary_precision`, which would change the float handling of every crate
//!   built with this one), keys keep their order, a repeated key is an error, and nesting is
//!   bounded by [`crate::limits::MAX_NESTING`] whatever the door.
//! - [`pointer`](mod@pointer): JSON pointers, the one way every error says where a value is.
//! - `read`: `FromJson` for every type on the wire and the `read_struct!` macro, in which a
//!   field is one line. Each type's reader sits next to the type, in the model's files
//!   ([`crate::plan`], [`crate::rules`], [`crate::dataset`] …) and the entry layer's
//!   ([`crate::ffi`]); this module knows nothing of them.
//!
//! Errors are a code, a JSON pointer and our own message; nothing of serde's internal
//! behaviour (structs given as arrays, variant indices as tags, buffered values) is part of
//! the format. Output is written with serde's `Serialize` (numbers as strings, or as their
//! exact text through `serde_json`'s `raw_value`).
//!
//! Adding a field to a rule kind: add it to the struct (with its rustdoc), then one line in
//! that kind's `read_struct!` beside it in `rules/<kind>.rs` (`field: req` for a required field, `def` for
//! one that defaults, `opt` for an `Option`, `or(value)` for another default). The JSON Schema
//! is generated from the struct (`plan-rules schema`).

pub mod json;
pub mod pointer;
pub(crate) mod read;

pub use json::{Json, ParseError};
pub use pointer::{Path, escape, join};
pub(crate) use read::WireError;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{VectorInput, vector_inputs};
    use crate::{Dataset, Plan};

    fn plan_error(text: &str) -> (String, Option<String>, String) {
        let e = Plan::from_json(text).unwrap_err();
        let first = e.first();
        (
            first.code().to_string(),
            first.path().map(str::to_string),
            first.to_string(),
        )
    }

    fn data_error(text: &str) -> (String, Option<String>, String) {
        let e = Dataset::from_json(text).unwrap_err();
        (
            e.code().to_string(),
            e.path().map(str::to_string),
            e.to_string(),
        )
    }

    /// The embedded plan with one edit to its first target.
    fn edited(edit: impl FnOnce(&mut Vec<(String, Json)>)) -> String {
        let mut plan = Json::parse(crate::plan::XICHENG_2016_2020_JSON).unwrap();
        let Json::Object(entries) = &mut plan else {
            panic!()
        };
        let targets = entries.iter_mut().find(|(k, _)| k == "targets").unwrap();
        let Json::Array(items) = &mut targets.1 else {
            panic!()
        };
        let Json::Object(first) = &mut items[0] else {
            panic!()
        };
        edit(first);
        plan.to_string()
    }

    #[test]
    fn canonical_json_reads_back_to_the_same_plan_and_dataset() {
        let plan = Plan::xicheng_2016_2020().unwrap();
        assert_eq!(Plan::from_json(&plan.to_json()).unwrap(), plan);
        let data = Dataset::from_json(crate::SAMPLE_DATA_JSON).unwrap();
        assert_eq!(Dataset::from_json(&data.to_json()).unwrap(), data);
    }

    #[test]
    fn every_vector_input_reads_or_fails_with_a_code_and_a_pointer() {
        for key in ["plan", "data"] {
            for input in vector_inputs(key) {
                let text = match input {
                    VectorInput::File(text) => text,
                    VectorInput::Inline(Json::Null) => continue,
                    VectorInput::Inline(v) => v.to_string(),
                };
                if key == "plan" {
                    if let Err(e) = Plan::from_json(&text) {
                        assert!(!e.first().code().is_empty());
                    }
                } else if let Err(e) = Dataset::from_json(&text) {
                    assert!(e.path().is_some() || e.code() != "invalid_shape", "{e}");
                }
            }
        }
    }

    #[test]
    fn shape_errors_are_our_own_with_pointers() {
        // An unknown field is named at the key, before any missing field.
        let text = edited(|t| {
            t.retain(|(k, _)| k != "title");
            t.push(("titel".into(), Json::Null));
        });
        assert_eq!(
            plan_error(&text),
            (
                "invalid_shape".into(),
                Some("/targets/0/titel".into()),
                "rule set has the wrong shape at `/targets/0/titel`: unknown field `titel` in a \
                 target, expected one of `id`, `title`, `description`, `category`, `importance`, \
                 `obligation`, `deadline`, `deadline_basis`, `citation`, `related_citations`, `rule`, \
                 `missing_data`, `comparison`, `baseline_year`, `notes`, `caveat`"
                    .into()
            )
        );
        // A missing field is reported at its object.
        let text = edited(|t| t.retain(|(k, _)| k != "deadline"));
        let (code, path, message) = plan_error(&text);
        assert_eq!(
            (code.as_str(), path.as_deref()),
            ("invalid_shape", Some("/targets/0"))
        );
        assert!(message.ends_with("missing field `deadline`"), "{message}");
        // A struct given as an array is not read by position.
        let text = edited(|t| {
            let c = t.iter_mut().find(|(k, _)| k == "citation").unwrap();
            c.1 = Json::Array(vec![Json::String("body".into())]);
        });
        let (_, path, message) = plan_error(&text);
        assert_eq!(path.as_deref(), Some("/targets/0/citation"));
        assert!(
            message.ends_with("expected a citation, found an array"),
            "{message}"
        );
        // A tag is a name, never a variant index.
        let text = edited(|t| {
            let r = t.iter_mut().find(|(k, _)| k == "rule").unwrap();
            r.1 = Json::parse(r#"{"type": 0}"#).unwrap();
        });
        let (_, path, message) = plan_error(&text);
        assert_eq!(path.as_deref(), Some("/targets/0/rule/type"));
        assert!(
            message.ends_with("expected a string, found a number"),
            "{message}"
        );
        // A problem inside a rule is at its place, not at the rule.
        let text = edited(|t| {
            let r = t.iter_mut().find(|(k, _)| k == "rule").unwrap();
            let Json::Object(rule) = &mut r.1 else {
                panic!()
            };
            rule.push(("bogus".into(), Json::Bool(true)));
        });
        let (_, path, message) = plan_error(&text);
        assert_eq!(path.as_deref(), Some("/targets/0/rule/bogus"));
        assert!(
            message.contains("unknown field `bogus` in a rate rule"),
            "{message}"
        );
        // An unknown kind names the target.
        let text = edited(|t| {
            let r = t.iter_mut().find(|(k, _)| k == "rule").unwrap();
            r.1 = Json::parse(r#"{"type": "ratio"}"#).unwrap();
        });
        let e = Plan::from_json(&text).unwrap_err();
        assert_eq!(e.first().code(), "unknown_kind");
        assert_eq!(e.first().target(), Some("A1"));
        // Keys escaped in pointers.
        let (code, path, _) = data_error(r#"{"series": {"a/b~c": {"values": {"2016": [1]}}}}"#);
        assert_eq!(
            (code.as_str(), path.as_deref()),
            ("invalid_shape", Some("/series/a~1b~0c/values/2016"))
        );
        // A repeated key is an error, not a silent overwrite.
        let (code, _, message) = data_error(r#"{"id": "a", "id": "b"}"#);
        assert_eq!(code, "invalid_json");
        assert!(message.contains("duplicate key `id`"), "{message}");
    }

    #[test]
    fn numbers_keep_their_digits_without_arbitrary_precision() {
        let text = r#"{"series": {"x": {"values": {"2016": 12345678901234567890.123456789, "2017": 1.10}}}}"#;
        let data = Dataset::from_json(text).unwrap();
        assert_eq!(
            data.to_json(),
            r#"{"series":{"x":{"values":{"2016":12345678901234567890.123456789,"2017":1.10}}}}"#
        );
    }

    #[test]
    fn nesting_beyond_the_limit_is_too_deep_in_every_reader() {
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let (code, _, message) = data_error(&format!(
            r#"{{"series": {{"x": {{"values": {{"2016": {deep}}}}}}}}}"#
        ));
        assert_eq!(code, "too_deep");
        assert!(
            message.starts_with("data nests deeper than 128 levels at line 1, column"),
            "{message}"
        );
        assert_eq!(plan_error(&deep).0, "too_deep");
        let e = crate::ffi::evaluate_json(&format!(r#"{{"data": {deep}}}"#)).unwrap_err();
        assert_eq!((e.kind, e.code.as_str()), ("request", "too_deep"));
    }
}
