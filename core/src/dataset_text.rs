//! The common case of reading a dataset: straight from JSON text, without building a
//! `serde_json::Value` first.
//!
//! A form sends small, plain datasets on every keystroke; parsing them into a JSON value and
//! then reading that value was most of the time of `validate`. This reader takes only what it
//! can read exactly as the general path does ([`crate::dataset_read`], on the parsed value) and
//! gives up (`None`) on anything else, which the general path then reads, with its checks and
//! messages: a string with an escape or a control character, a number with an exponent, a
//! repeated or unknown key, a value of an unexpected type, a missing required field, text after
//! the document. So when it answers, the answer is the general path's (the tests below compare
//! them on the repository's data and on random edits of its text).

use serde::Deserialize;
use serde_json::{Number, Value};

use crate::dataset::{Dataset, EntityData, Observation, RawValue, SeriesData};

/// The dataset in `text` when it is plain enough to read directly, before its limits are
/// checked; `None` leaves it to the general path.
pub(crate) fn read_plain(text: &str) -> Option<Dataset> {
    let mut s = Scanner {
        text,
        bytes: text.as_bytes(),
        at: 0,
    };
    let data = s.dataset()?;
    s.space();
    (s.at == s.bytes.len()).then_some(data)
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Scanner<'a> {
    /// Skips JSON whitespace.
    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// The next byte after whitespace, not consumed.
    fn peek(&mut self) -> Option<u8> {
        self.space();
        self.bytes.get(self.at).copied()
    }

    /// Consumes `byte` (after whitespace).
    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// Consumes a literal (`true`, `false`, `null`).
    fn word(&mut self, word: &str) -> Option<()> {
        self.space();
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word.as_bytes()).then(|| self.at = end)
    }

    /// A string without escapes or control characters.
    fn string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let start = self.at;
        let len = plain_run(self.bytes.get(start..)?);
        self.at = start + len;
        if self.bytes.get(self.at) != Some(&b'"') {
            return None;
        }
        self.at += 1;
        self.text.get(start..start + len)
    }

    /// A string or null.
    fn optional_string(&mut self) -> Option<Option<String>> {
        if self.peek()? == b'n' {
            self.word("null")?;
            return Some(None);
        }
        Some(Some(self.string()?.to_string()))
    }

    fn boolean(&mut self) -> Option<bool> {
        match self.peek()? {
            b't' => self.word("true").map(|()| true),
            _ => self.word("false").map(|()| false),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        self.at - start
    }

    /// The text of a number without an exponent.
    fn number_text(&mut self) -> Option<&'a str> {
        self.space();
        let start = self.at;
        if self.bytes.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        match self.bytes.get(self.at)? {
            b'0' => self.at += 1,
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        self.text.get(start..self.at)
    }

    /// A number without an exponent, as serde_json parses it (its exact text).
    fn number(&mut self) -> Option<Number> {
        self.number_text()?.parse().ok()
    }

    /// An object, each entry handed to `entry` with its key.
    fn object(&mut self, mut entry: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(());
        }
        loop {
            let key = self.string()?;
            self.eat(b':')?;
            entry(self, key)?;
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// An array, each element handed to `item`.
    fn array(&mut self, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        if self.peek()? == b']' {
            self.at += 1;
            return Some(());
        }
        loop {
            item(self)?;
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// A bare value: null, a boolean, a number or a string.
    fn raw(&mut self) -> Option<RawValue> {
        match self.peek()? {
            b'"' => Some(RawValue::Text(self.string()?.to_string())),
            b'n' => self.word("null").map(|()| RawValue::Null),
            b't' | b'f' => self.boolean().map(RawValue::Bool),
            _ => {
                let text = self.number_text()?;
                // A whole number of up to 18 digits is its own text (as the value
                // deserialiser writes it back), `-0` aside; any other number is read by the
                // value deserialiser, as the general path does.
                if text.len() <= 18 && text != "-0" && !text.contains('.') {
                    Some(RawValue::Number(text.to_string()))
                } else {
                    RawValue::deserialize(Value::Number(text.parse().ok()?)).ok()
                }
            }
        }
    }

    /// A bare value, or `{"value", "source"}`.
    fn observation(&mut self) -> Option<Observation> {
        if self.peek()? != b'{' {
            return self.raw().map(Observation::from);
        }
        let (mut value, mut source) = (None, None);
        self.object(|s, key| match key {
            "value" if value.is_none() => {
                value = Some(s.raw()?);
                Some(())
            }
            "source" if source.is_none() => {
                source = Some(s.string()?.to_string());
                Some(())
            }
            _ => None,
        })?;
        Some(Observation {
            value: value?,
            source,
        })
    }

    /// A map of observations (a series' values, a record); a repeated key is left to the
    /// general path.
    fn observations(&mut self) -> Option<std::collections::BTreeMap<String, Observation>> {
        let mut out = std::collections::BTreeMap::new();
        self.object(|s, key| {
            let obs = s.observation()?;
            out.insert(key.to_string(), obs).is_none().then_some(())
        })?;
        Some(out)
    }

    fn dataset(&mut self) -> Option<Dataset> {
        let mut data = Dataset::default();
        let mut seen = Seen::default();
        self.object(|s, key| {
            match key {
                "id" if seen.first(0) => data.id = s.optional_string()?,
                "description" if seen.first(1) => data.description = s.optional_string()?,
                "synthetic" if seen.first(2) => data.synthetic = s.boolean()?,
                "series" if seen.first(3) => s.object(|s, name| {
                    let series = s.series()?;
                    data.series
                        .insert(name.to_string(), series)
                        .is_none()
                        .then_some(())
                })?,
                "entities" if seen.first(4) => s.array(|s| {
                    data.entities.push(s.entity()?);
                    Some(())
                })?,
                _ => return None,
            }
            Some(())
        })?;
        Some(data)
    }

    fn series(&mut self) -> Option<SeriesData> {
        let (mut unit, mut source, mut values) = (None, None, None);
        self.object(|s, key| {
            match key {
                "unit" if unit.is_none() => unit = Some(s.optional_string()?),
                "source" if source.is_none() => source = Some(s.optional_string()?),
                "values" if values.is_none() => values = Some(s.observations()?),
                _ => return None,
            }
            Some(())
        })?;
        Some(SeriesData {
            unit: unit.flatten(),
            source: source.flatten(),
            values: values?,
        })
    }

    fn entity(&mut self) -> Option<EntityData> {
        let mut e = EntityData::default();
        let (mut kind, mut id) = (None, None);
        let mut seen = Seen::default();
        self.object(|s, key| {
            match key {
                "kind" if kind.is_none() => kind = Some(s.string()?.to_string()),
                "id" if id.is_none() => id = Some(s.string()?.to_string()),
                "name" if seen.first(0) => e.name = s.optional_string()?,
                "attributes" if seen.first(1) => s.object(|s, name| {
                    let value = s.string()?.to_string();
                    e.attributes
                        .insert(name.to_string(), value)
                        .is_none()
                        .then_some(())
                })?,
                "active_from" if seen.first(2) => e.active_from = s.year()?,
                "active_until" if seen.first(3) => e.active_until = s.year()?,
                "source" if seen.first(4) => e.source = s.optional_string()?,
                "records" if seen.first(5) => s.object(|s, year| {
                    let record = s.observations()?;
                    e.records
                        .insert(year.to_string(), record)
                        .is_none()
                        .then_some(())
                })?,
                _ => return None,
            }
            Some(())
        })?;
        e.kind = kind?;
        e.id = id?;
        Some(e)
    }

    /// `active_from` and `active_until`: null, or a number read as the general path does.
    fn year(&mut self) -> Option<Option<i32>> {
        if self.peek()? == b'n' {
            self.word("null")?;
            return Some(None);
        }
        Option::<i32>::deserialize(Value::Number(self.number()?)).ok()
    }
}

/// The length of the run of bytes at the start of `bytes` that may stand in a string as they
/// are: up to the first `"`, `\\` or control character (or the end). Eight bytes at a time:
/// a word with none of them is skipped whole, and the word with one is looked at byte by byte.
fn plain_run(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let special = |b: &u8| *b == b'"' || *b == b'\\' || *b < 0x20;
    let mut skipped = 0;
    for chunk in bytes.chunks_exact(8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let x = u64::from_le_bytes(word);
        // A byte of `v` is zero, or `x` has a byte below 0x20: the high bit of that lane is set
        // (and possibly of lanes above it, which the byte-wise look sorts out).
        let zero = |v: u64| v.wrapping_sub(ONES) & !v;
        let found = zero(x ^ (ONES * u64::from(b'"')))
            | zero(x ^ (ONES * u64::from(b'\\')))
            | (x.wrapping_sub(ONES * 0x20) & !x);
        if found & HIGH != 0 {
            break;
        }
        skipped += 8;
    }
    let rest = bytes.get(skipped..).unwrap_or_default();
    skipped + rest.iter().position(special).unwrap_or(rest.len())
}

/// Which fields of an object have been read (a repeated key is left to the general path).
#[derive(Default)]
struct Seen(u8);

impl Seen {
    /// Whether field `i` is met for the first time (and marks it).
    fn first(&mut self, i: u8) -> bool {
        let bit = 1 << i;
        let first = self.0 & bit == 0;
        self.0 |= bit;
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DataError;
    use crate::json_read::mutation::Rng;
    use crate::test_support::{VectorInput, vector_inputs};

    /// The general path alone (the value parsed, then read): what `Dataset::from_json` did
    /// before this reader.
    fn general(text: &str) -> Result<Dataset, DataError> {
        let value: Value = serde_json::from_str(text).map_err(|e| DataError::Syntax {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        crate::dataset_read::read_dataset(value)
    }

    /// Whether the plain reader took the text, after checking that `Dataset::from_json`
    /// answers as the general path does.
    fn same(text: &str) -> bool {
        assert_eq!(Dataset::from_json(text), general(text), "text: {text}");
        read_plain(text).is_some()
    }

    /// Datasets of the repository as text: the sample, every conformance vector's data
    /// (compact and indented), and the demo form's.
    fn corpus() -> Vec<String> {
        let mut out = vec![crate::SAMPLE_DATA_JSON.to_string()];
        for input in vector_inputs("data") {
            match input {
                VectorInput::File(text) => out.push(text),
                VectorInput::Inline(v) => {
                    out.push(serde_json::to_string(&v).unwrap());
                    out.push(serde_json::to_string_pretty(&v).unwrap());
                }
            }
        }
        out.push(
            r#"{"entities":[{"kind":"school","id":"S001","attributes":{"level":"primary","street":"月坛"},"records":{"2015":{"students":2022,"health_test_eligible":2004,"health_test_passed":1820,"ice_snow_activity":true},"2018":{"students":"2022","health_test_passed":18.5,"pe_teachers":{"value":4,"source":"x"},"teachers":null}}}]}"#
                .to_string(),
        );
        out
    }

    #[test]
    fn the_repository_s_data_reads_as_before_and_mostly_directly() {
        let corpus = corpus();
        let direct = corpus.iter().filter(|t| same(t)).count();
        assert!(direct * 2 > corpus.len(), "{direct} of {}", corpus.len());
    }

    #[test]
    fn values_the_plain_reader_takes_or_leaves() {
        let cases = [
            (r#"{"series": {"s": {"values": {"2016": 1.0}}}}"#, true),
            (
                r#"{"series": {"s": {"values": {"2016": 1.50, "2017": -0, "2018": -0.0}}}}"#,
                true,
            ),
            (r#"{"series": {"s": {"values": {"2016": 1e2}}}}"#, false),
            (
                r#"{"series": {"s": {"values": {"2016": 18446744073709551616}}}}"#,
                true,
            ),
            (r#"{"series": {"s": {"values": {"2016": "a\"b"}}}}"#, false),
            (
                r#"{"series": {"s": {"values": {"2016": 1, "2016": 2}}}}"#,
                false,
            ),
            (r#"{"id": 1}"#, false),
            (r#"{"id": null, "synthetic": true} "#, true),
            (r#"{"id": null} x"#, false),
            (
                r#"{"entities": [{"kind": "k", "id": "i", "active_from": 2015, "active_until": null}]}"#,
                true,
            ),
            (
                r#"{"entities": [{"kind": "k", "id": "i", "active_from": 3000000000}]}"#,
                false,
            ),
            (r#"{"entities": [{"kind": "k"}]}"#, false),
            (
                r#"{"entities": [{"kind": "k", "id": "i", "records": {"2016": {"f": {"source": "s"}}}}]}"#,
                false,
            ),
            (
                r#"{"entities": [{"kind": "k", "id": "i", "records": {"2016": {"f": {"value": null, "source": "s"}}}}]}"#,
                true,
            ),
            ("{\"id\": \"a\tb\"}", false),
            ("\u{feff}{}", false),
            ("{}", true),
        ];
        for (text, direct) in cases {
            assert_eq!(same(text), direct, "{text}");
        }
    }

    /// Random mutations of the documents (each value in turn replaced, keys added and
    /// removed, objects turned into arrays), written compactly or indented.
    #[test]
    fn random_mutations_read_as_before() {
        use crate::json_read::mutation::mutate;
        use serde_json::json;
        let odd: Vec<Value> = [
            "null",
            "true",
            "0",
            "-0",
            "1.0",
            "1.50",
            "-2.5",
            "1e2",
            "3000000000",
            "\"x\"",
            "\"2016\"",
            "\"a\\\"b\"",
            "[]",
            "[1]",
            "{}",
            "{\"value\": 1}",
            "{\"value\": 1, \"source\": \"s\"}",
            "{\"source\": \"s\"}",
            "{\"value\": {}}",
            "{\"$serde_json::private::Number\": \"1\"}",
            "{\"kind\": \"school\", \"id\": \"S9\"}",
            "{\"values\": {\"2016\": 1}}",
        ]
        .iter()
        .map(|t| serde_json::from_str(t).unwrap())
        .collect();
        let keys = [
            "id",
            "description",
            "synthetic",
            "series",
            "entities",
            "unit",
            "source",
            "values",
            "kind",
            "name",
            "attributes",
            "active_from",
            "active_until",
            "records",
            "value",
            "bogus",
            "2016",
        ];
        let mut docs: Vec<Value> = corpus()
            .iter()
            .filter(|t| t.len() < 4_000)
            .map(|t| serde_json::from_str(t).unwrap())
            .collect();
        docs.push(json!({"series": {"s": {"unit": "u", "values": {"2016": 1}}}}));
        let mut rng = Rng(0x0BAD_5EED_0000_0001);
        let mut direct = 0;
        for round in 0..10_000 {
            let mut v = docs[round % docs.len()].clone();
            for _ in 0..=rng.below(2) {
                mutate(&mut v, &mut rng, &odd, &keys);
            }
            let text = if rng.below(2) == 0 {
                serde_json::to_string(&v).unwrap()
            } else {
                serde_json::to_string_pretty(&v).unwrap()
            };
            direct += usize::from(same(&text));
        }
        assert!(direct > 2_000, "{direct}");
    }

    /// The word-at-a-time scan finds the first byte a string cannot hold as it is, wherever it
    /// is, as the byte-wise one does.
    #[test]
    fn plain_runs_end_where_they_should() {
        let mut rng = Rng(0x1357_9BDF_2468_ACE0);
        let alphabet = [
            b'a', b'z', b'"', b'\\', 0x00, 0x1f, 0x20, 0x21, 0x7f, 0x80, 0xff, 0x5b, 0x5d,
        ];
        for _ in 0..100_000 {
            let len = rng.below(40);
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    if rng.below(4) == 0 {
                        alphabet[rng.below(alphabet.len())]
                    } else {
                        b'a' + rng.below(26) as u8
                    }
                })
                .collect();
            let expected = bytes
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .unwrap_or(bytes.len());
            assert_eq!(plain_run(&bytes), expected, "{bytes:?}");
        }
    }

    /// Random edits of the text (a byte removed, a piece repeated, a character inserted):
    /// mostly broken documents, which must still get the general path's answer.
    #[test]
    fn random_edits_read_as_before() {
        let corpus: Vec<String> = corpus().into_iter().filter(|t| t.len() < 4_000).collect();
        let inserts: &[&str] = &[
            " ",
            "\n",
            ",",
            ":",
            "{",
            "}",
            "[",
            "]",
            "\"",
            "\\",
            "0",
            "-",
            ".",
            "e",
            "1",
            "null",
            "true",
            "\"value\"",
            "\"source\"",
            "\"2016\"",
            "\"id\"",
            "\"kind\"",
            "字",
            "\t",
        ];
        let mut rng = Rng(0x00C0_FFEE_1234_5678);
        let mut direct = 0;
        for round in 0..20_000 {
            let mut text = corpus[round % corpus.len()].clone();
            for _ in 0..=rng.below(2) {
                let mut at = rng.below(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                match rng.below(3) {
                    0 => {
                        if let Some(c) = text.get(at..).and_then(|t| t.chars().next()) {
                            text.replace_range(at..at + c.len_utf8(), "");
                        }
                    }
                    1 => {
                        let mut end = (at + rng.below(40)).min(text.len());
                        while !text.is_char_boundary(end) {
                            end -= 1;
                        }
                        let piece = text[at..end].to_string();
                        text.insert_str(at, &piece);
                    }
                    _ => text.insert_str(at, inserts[rng.below(inserts.len())]),
                }
            }
            direct += usize::from(same(&text));
        }
        assert!(direct > 1_000, "{direct}");
    }
}
