//! `RowRules`: the core's row verdicts ([`plan_rules::row`]) for forms and column batches.
//! Compiled once from a plan for one kind of record (an entity kind such as `school`, or the
//! district series), then applied to one record or to many rows without building datasets or
//! reports.
//!
//! Values cross in a compact encoding that the JS wrapper (`js/api.js`) writes from plain
//! objects and arrays. A record has one *slot* per field, then one per attribute, in the order
//! of [`fields`](WasmRowRules::fields) and [`attributes`](WasmRowRules::attributes). Each slot
//! has a tag and a number:
//!
//! | tag | value |
//! |---|---|
//! | 0 | missing |
//! | 1 | the number (read by [`RowValue::from_f64`]) |
//! | 2 | text: the number is the text's index in a table of strings (a decimal or a state name for a field, the value of an attribute) |
//! | 3, 4 | `false`, `true` |
//! | 5 | a value that is none of these (judged invalid) |
//!
//! One record is written straight into buffers the `RowRules` object keeps in wasm memory
//! (`tagsPtr`, `numsPtr`, `outPtr`), so judging it allocates nothing on either side; its
//! strings are interned once (`intern`). A batch passes column-major arrays (slot `s` of row
//! `r` at `s × rows + r`) with the chunk's own table of distinct strings (`texts`, cut by
//! `lens`, their lengths in UTF-16 code units). Verdicts come back as the codes of
//! [`RowVerdict`] (`0` met, `1` not met, `2` missing, `3` invalid, `4` not applicable).
//!
//! The binding only decodes: reading values is [`RowRules::read_text`] and
//! [`RowValue::from_f64`], judging is [`RowRules::judge`] and [`RowRules::judge_columns`].

use plan_rules::Plan;
use plan_rules::dataset::RawValue;
use plan_rules::ffi::FfiError;
use plan_rules::row::{RowRules, RowValue, RowVerdict};
use wasm_bindgen::prelude::*;

use crate::error::to_js;

/// The tags of the slot encoding.
const MISSING: u8 = 0;
const NUMBER: u8 = 1;
const TEXT: u8 = 2;
const FALSE: u8 = 3;
const TRUE: u8 = 4;

/// Compiles the row rules of a plan, for the named targets only when a selection is given (see
/// `plan_rules::row::RowRules::compile` and `compile_selected`).
pub fn compile(
    plan: &Plan,
    kind: Option<&str>,
    targets: Option<&[String]>,
) -> Result<RowRules, FfiError> {
    match targets {
        None => RowRules::compile(plan, kind),
        Some(targets) => RowRules::compile_selected(plan, kind, targets),
    }
    .map_err(FfiError::from)
}

/// The table of strings of a batch: `texts` cut by lengths in UTF-16 code units.
pub fn split_texts<'a>(texts: &'a str, lens: &[u32]) -> Vec<&'a str> {
    let mut rest = texts;
    lens.iter()
        .map(|&len| {
            let (mut units, mut end) = (0u32, 0usize);
            for c in rest.chars() {
                if units >= len {
                    break;
                }
                units = units.saturating_add(c.len_utf16() as u32);
                end += c.len_utf8();
            }
            let (head, tail) = rest.split_at(end.min(rest.len()));
            rest = tail;
            head
        })
        .collect()
}

/// The string a text slot points at (`None` for an index outside the table).
fn text_at<S: AsRef<str>>(table: &[S], num: f64) -> Option<&str> {
    if num >= 0.0 && num.fract() == 0.0 {
        table.get(num as usize).map(AsRef::as_ref)
    } else {
        None
    }
}

/// One field value from its tag and number.
fn value<S: AsRef<str>>(
    rules: &RowRules,
    field: usize,
    tag: u8,
    num: f64,
    table: &[S],
) -> RowValue {
    match tag {
        MISSING => RowValue::Missing,
        NUMBER => RowValue::from_f64(num),
        TEXT => text_at(table, num).map_or(RowValue::Invalid, |t| rules.read_text(field, t)),
        FALSE => rules.read(field, &RawValue::Bool(false)),
        TRUE => rules.read(field, &RawValue::Bool(true)),
        _ => RowValue::Invalid,
    }
}

/// One attribute value from its tag and number: only text is a value.
fn attribute<S: AsRef<str>>(tag: u8, num: f64, table: &[S]) -> Option<&str> {
    if tag == TEXT {
        text_at(table, num)
    } else {
        None
    }
}

/// Values in the slot encoding.
#[derive(Debug, Clone, Copy)]
pub struct Encoded<'a, S> {
    /// One tag per slot.
    pub tags: &'a [u8],
    /// One number per slot.
    pub nums: &'a [f64],
    /// The strings text slots point at.
    pub texts: &'a [S],
}

/// Judges one record given in the slot encoding; writes one code per target into `out`.
/// `row` and `verdicts` are scratch buffers, kept between calls.
pub fn judge_encoded<S: AsRef<str>>(
    rules: &RowRules,
    row: &mut Vec<RowValue>,
    verdicts: &mut Vec<RowVerdict>,
    input: Encoded<'_, S>,
    out: &mut [u8],
) {
    let Encoded { tags, nums, texts } = input;
    let slot = |k: usize| {
        (
            tags.get(k).copied().unwrap_or(MISSING),
            nums.get(k).copied().unwrap_or(f64::NAN),
        )
    };
    let fields = rules.fields().len();
    row.clear();
    row.extend((0..fields).map(|f| {
        let (tag, num) = slot(f);
        value(rules, f, tag, num, texts)
    }));
    // Plans filter on few attributes: no allocation for up to four.
    let n_attrs = rules.attributes().len();
    let mut small = [None; 4];
    let mut large = Vec::new();
    let attrs: &mut [Option<&str>] = if n_attrs <= small.len() {
        small.get_mut(..n_attrs).unwrap_or_default()
    } else {
        large.resize(n_attrs, None);
        &mut large
    };
    for (a, v) in attrs.iter_mut().enumerate() {
        let (tag, num) = slot(fields + a);
        *v = attribute(tag, num, texts);
    }
    verdicts.clear();
    verdicts.resize(rules.targets().len(), RowVerdict::Missing);
    rules.judge(row, attrs, verdicts);
    for (o, v) in out.iter_mut().zip(verdicts.iter()) {
        *o = *v as u8;
    }
}

/// Judges `rows` rows given column-major in the slot encoding; returns the codes target-major
/// (target `t` of row `r` at `t × rows + r`).
pub fn judge_columns_encoded<S: AsRef<str>>(
    rules: &RowRules,
    rows: usize,
    input: Encoded<'_, S>,
) -> Vec<u8> {
    let Encoded { tags, nums, texts } = input;
    let slot = |s: usize, r: usize| {
        let k = s.checked_mul(rows).and_then(|k| k.checked_add(r));
        (
            k.and_then(|k| tags.get(k)).copied().unwrap_or(MISSING),
            k.and_then(|k| nums.get(k)).copied().unwrap_or(f64::NAN),
        )
    };
    let fields = rules.fields().len();
    let columns: Vec<Vec<RowValue>> = (0..fields)
        .map(|f| {
            (0..rows)
                .map(|r| {
                    let (tag, num) = slot(f, r);
                    value(rules, f, tag, num, texts)
                })
                .collect()
        })
        .collect();
    let attrs: Vec<Vec<Option<&str>>> = (0..rules.attributes().len())
        .map(|a| {
            (0..rows)
                .map(|r| {
                    let (tag, num) = slot(fields + a, r);
                    attribute(tag, num, texts)
                })
                .collect()
        })
        .collect();
    let views: Vec<&[RowValue]> = columns.iter().map(Vec::as_slice).collect();
    let attr_views: Vec<&[Option<&str>]> = attrs.iter().map(Vec::as_slice).collect();
    rules
        .judge_columns(&views, &attr_views)
        .into_iter()
        .flat_map(|col| col.into_iter().map(|v| v as u8))
        .collect()
}

/// The row-judgeable targets of a plan for one kind of record, compiled, with the buffers
/// one record is written into.
#[wasm_bindgen(js_name = RowRules)]
pub struct WasmRowRules {
    rules: RowRules,
    /// One tag and one number per slot, and one verdict code per target: written and read
    /// by JS through views on the wasm memory. Never resized, so their addresses hold.
    tags: Vec<u8>,
    nums: Vec<f64>,
    out: Vec<u8>,
    /// Interned strings (text slots of one record point here).
    texts: Vec<String>,
    row: Vec<RowValue>,
    verdicts: Vec<RowVerdict>,
}

impl WasmRowRules {
    pub(crate) fn compile(
        plan: &Plan,
        kind: Option<String>,
        targets: Option<Vec<String>>,
    ) -> Result<WasmRowRules, JsValue> {
        let rules = compile(plan, kind.as_deref(), targets.as_deref()).map_err(to_js)?;
        let slots = rules.fields().len() + rules.attributes().len();
        let targets = rules.targets().len();
        Ok(WasmRowRules {
            tags: vec![MISSING; slots],
            nums: vec![0.0; slots],
            out: vec![RowVerdict::Missing as u8; targets],
            texts: Vec::new(),
            row: Vec::with_capacity(rules.fields().len()),
            verdicts: Vec::with_capacity(targets),
            rules,
        })
    }
}

#[wasm_bindgen(js_class = RowRules)]
impl WasmRowRules {
    /// The fields a record holds, in slot order.
    #[wasm_bindgen(getter)]
    pub fn fields(&self) -> Vec<String> {
        self.rules.fields().to_vec()
    }

    /// The attributes the targets' filters read, in slot order after the fields.
    #[wasm_bindgen(getter)]
    pub fn attributes(&self) -> Vec<String> {
        self.rules.attributes().to_vec()
    }

    /// The target ids (`A6.1`, `B3/teachers` for a part), in the order verdicts are written.
    #[wasm_bindgen(getter, js_name = targetIds)]
    pub fn target_ids(&self) -> Vec<String> {
        self.rules.targets().iter().map(|t| t.id.clone()).collect()
    }

    /// The targets (and all-of parts) one record of this kind cannot decide, as JSON text:
    /// `[{id, kind, reason, message_zh, message_en}]`, in plan order.
    #[wasm_bindgen(getter, js_name = leftOutJson)]
    pub fn left_out_json(&self) -> String {
        serde_json::to_string(self.rules.left_out()).unwrap_or_else(|_| "[]".into())
    }

    /// The rule kind of each target.
    #[wasm_bindgen(getter, js_name = targetKinds)]
    pub fn target_kinds(&self) -> Vec<String> {
        self.rules
            .targets()
            .iter()
            .map(|t| t.kind.to_string())
            .collect()
    }

    /// The dictionary type of each field (`count`, `quantity`, `percent`, `flag`, `state`).
    #[wasm_bindgen(getter, js_name = valueTypes)]
    pub fn value_types(&self) -> Vec<String> {
        (0..self.rules.fields().len())
            .map(|f| {
                self.rules
                    .value_type(f)
                    .map(|t| t.as_str().to_string())
                    .unwrap_or_default()
            })
            .collect()
    }

    /// The states of a `state` field, in the order they are reached.
    pub fn states(&self, field: usize) -> Vec<String> {
        self.rules.states(field).to_vec()
    }

    /// Where the record's slot tags are in wasm memory (one byte per slot).
    #[wasm_bindgen(getter, js_name = tagsPtr)]
    pub fn tags_ptr(&self) -> usize {
        self.tags.as_ptr() as usize
    }

    /// Where the record's slot numbers are in wasm memory (one f64 per slot).
    #[wasm_bindgen(getter, js_name = numsPtr)]
    pub fn nums_ptr(&self) -> usize {
        self.nums.as_ptr() as usize
    }

    /// Where the verdict codes are written (one byte per target).
    #[wasm_bindgen(getter, js_name = outPtr)]
    pub fn out_ptr(&self) -> usize {
        self.out.as_ptr() as usize
    }

    /// Keeps a string for text slots; returns its index.
    pub fn intern(&mut self, text: String) -> usize {
        self.texts.push(text);
        self.texts.len() - 1
    }

    /// Forgets the interned strings.
    #[wasm_bindgen(js_name = clearTexts)]
    pub fn clear_texts(&mut self) {
        self.texts.clear();
    }

    /// Judges the record in the buffers; the verdict codes are in the `out` buffer after.
    pub fn judge(&mut self) {
        let input = Encoded {
            tags: &self.tags,
            nums: &self.nums,
            texts: &self.texts,
        };
        judge_encoded(
            &self.rules,
            &mut self.row,
            &mut self.verdicts,
            input,
            &mut self.out,
        );
    }

    /// Judges `rows` rows in the column-major slot encoding, with the chunk's table of strings
    /// (`texts` cut by `lens`); returns the verdict codes, target-major.
    #[wasm_bindgen(js_name = judgeColumns)]
    pub fn judge_columns(
        &self,
        rows: usize,
        tags: &[u8],
        nums: &[f64],
        texts: &str,
        lens: &[u32],
    ) -> Vec<u8> {
        let table = split_texts(texts, lens);
        let input = Encoded {
            tags,
            nums,
            texts: &table,
        };
        judge_columns_encoded(&self.rules, rows, input)
    }
}

/// The wasm memory, for the wrapper's views on the `RowRules` buffers.
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn school() -> RowRules {
        compile(&Plan::xicheng_2016_2020().unwrap(), Some("school"), None).unwrap()
    }

    #[test]
    fn unknown_kinds_are_request_errors() {
        let plan = Plan::xicheng_2016_2020().unwrap();
        let e = compile(&plan, Some("hospital"), None).unwrap_err();
        assert_eq!((e.kind, e.code.as_str()), ("request", "invalid_request"));
        assert_eq!(e.path.as_deref(), Some("/kind"));
        assert_eq!(compile(&plan, None, None).unwrap().targets().len(), 5);
    }

    #[test]
    fn a_selection_naming_a_left_out_target_is_refused() {
        let plan = Plan::xicheng_2016_2020().unwrap();
        let only = compile(&plan, None, Some(&["B1".to_string()])).unwrap();
        assert_eq!(only.targets().len(), 1);
        let e = compile(&plan, None, Some(&["B1".to_string(), "F1".to_string()])).unwrap_err();
        assert_eq!(
            (
                e.kind,
                e.code.as_str(),
                e.path.as_deref(),
                e.target.as_deref()
            ),
            (
                "request",
                "not_row_judgeable",
                Some("/targets/1"),
                Some("F1")
            )
        );
    }

    #[test]
    fn texts_are_cut_by_utf16_lengths() {
        let t = split_texts("月坛😀x99.5", &[2, 3, 4, 9, 1]);
        assert_eq!(t, vec!["月坛", "😀x", "99.5", "", ""]);
        assert_eq!(text_at(&t, 2.0), Some("99.5"));
        assert_eq!(text_at(&t, 2.5), None);
        assert_eq!(text_at(&t, -1.0), None);
        assert_eq!(text_at(&t, 9.0), None);
    }

    #[test]
    fn one_record_and_columns_agree_with_the_core() {
        let rules = school();
        let nf = rules.fields().len();
        let idx = |f: &str| rules.field_index(f).unwrap();
        let mut tags = vec![MISSING; nf + 1];
        let mut nums = vec![0.0; nf + 1];
        let mut core = vec![RowValue::Missing; nf];
        for (f, v) in [
            ("health_test_eligible", 200.0),
            ("health_test_passed", 199.0),
            ("pe_teachers", 4.0),
            ("pe_teachers_ice_snow_trained", 4.0),
        ] {
            tags[idx(f)] = NUMBER;
            nums[idx(f)] = v;
            core[idx(f)] = RowValue::from_f64(v);
        }
        let texts = ["primary", "250"];
        tags[idx("students")] = TEXT;
        nums[idx("students")] = 1.0;
        core[idx("students")] = RowValue::Num(250.into());
        tags[idx("ice_snow_activity")] = TRUE;
        core[idx("ice_snow_activity")] = RowValue::Flag(true);
        tags[idx("teachers")] = 5;
        core[idx("teachers")] = RowValue::Invalid;
        tags[idx("teachers_foreign_affairs")] = TEXT;
        nums[idx("teachers_foreign_affairs")] = 7.0; // outside the table of strings
        core[idx("teachers_foreign_affairs")] = RowValue::Invalid;
        tags[nf] = TEXT;
        nums[nf] = 0.0;

        let mut expected = vec![RowVerdict::Missing; rules.targets().len()];
        rules.judge(&core, &[Some("primary")], &mut expected);
        let expected: Vec<u8> = expected.into_iter().map(|v| v as u8).collect();
        let mut out = vec![9u8; rules.targets().len()];
        let input = Encoded {
            tags: &tags,
            nums: &nums,
            texts: &texts,
        };
        judge_encoded(&rules, &mut Vec::new(), &mut Vec::new(), input, &mut out);
        assert_eq!(out, expected);
        assert_eq!(out[idx_of(&rules, "A4.1")], RowVerdict::Met as u8);
        assert_eq!(out[idx_of(&rules, "A6.1")], RowVerdict::NotMet as u8);
        assert_eq!(out[idx_of(&rules, "A7")], RowVerdict::Invalid as u8);

        // The same record as a batch of one row (column-major is the same layout for one row).
        assert_eq!(judge_columns_encoded(&rules, 1, input), expected);
    }

    #[test]
    fn columns_are_column_major_and_short_input_is_missing() {
        let rules = school();
        let nf = rules.fields().len();
        let flag = rules.field_index("ice_snow_activity").unwrap();
        let a62 = idx_of(&rules, "A6.2");
        let rows = 3;
        let mut tags = vec![MISSING; (nf + 1) * rows];
        tags[flag * rows] = TRUE;
        tags[flag * rows + 1] = FALSE;
        tags[flag * rows + 2] = NUMBER;
        let nums = vec![1.0; (nf + 1) * rows];
        let input = Encoded::<&str> {
            tags: &tags,
            nums: &nums,
            texts: &[],
        };
        let out = judge_columns_encoded(&rules, rows, input);
        assert_eq!(out.len(), rules.targets().len() * rows);
        assert_eq!(&out[a62 * rows..a62 * rows + rows], &[0, 1, 3]);
        // Nothing given at all: every verdict is `missing` or `not_applicable`.
        let empty = Encoded::<&str> {
            tags: &[],
            nums: &[],
            texts: &[],
        };
        let out = judge_columns_encoded(&rules, 2, empty);
        assert!(out.iter().all(|&c| c == 2 || c == 4), "{out:?}");
    }

    fn idx_of(rules: &RowRules, id: &str) -> usize {
        rules.targets().iter().position(|t| t.id == id).unwrap()
    }
}
