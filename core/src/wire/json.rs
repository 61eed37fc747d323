//! JSON documents as the engine reads them: a tree whose numbers keep their exact text, whose
//! objects keep their keys in document order (a repeated key is an error, not a silent
//! overwrite), and whose depth is bounded by [`MAX_NESTING`] in every door (text, Python
//! objects, JavaScript objects).

use std::fmt;

use crate::limits::MAX_NESTING;

/// A parsed JSON value. Numbers are kept as their text (`"99.950"`, `"1e3"`), so reading a
/// decimal never goes through `f64`.
///
/// ```
/// use plan_rules::wire::Json;
/// let v = Json::parse(r#"{"a": [1.10, "x", null]}"#).unwrap();
/// let Json::Object(entries) = &v else { unreachable!() };
/// assert_eq!(entries[0].0, "a");
/// assert_eq!(v.to_string(), r#"{"a":[1.10,"x",null]}"#);
/// let err = Json::parse(r#"{"a": 1, "a": 2}"#).unwrap_err();
/// assert_eq!(err.code(), "invalid_json");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Json {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as its exact text (JSON's number grammar).
    Number(String),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object: its entries in document order, keys unique.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// Parses JSON text: one value, optional whitespace around it.
    pub fn parse(text: &str) -> Result<Json, ParseError> {
        let mut p = Parser {
            bytes: text.as_bytes(),
            text,
            at: 0,
            depth: 0,
        };
        p.space();
        let value = p.value()?;
        p.space();
        if p.at < p.bytes.len() {
            return Err(p.error("trailing characters after the JSON value"));
        }
        Ok(value)
    }

    /// What kind of value this is, for messages (`a string`, `an object`).
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    /// The value under `key`, when this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, when this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }
}

/// Whether `text` is a number in JSON's grammar (`-0.5`, `1e3`; not `+1`, `.5`, `01`, `NaN`).
///
/// ```
/// use plan_rules::wire::json::is_number;
/// assert!(is_number("-0.50") && is_number("1E+3"));
/// assert!(!is_number("+1") && !is_number(".5") && !is_number("01") && !is_number("1 "));
/// ```
pub fn is_number(text: &str) -> bool {
    let mut p = Parser {
        bytes: text.as_bytes(),
        text,
        at: 0,
        depth: 0,
    };
    p.number().is_ok() && p.at == text.len()
}

/// Compact JSON text (numbers as their kept text, keys in their order).
impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Json::Null => f.write_str("null"),
            Json::Bool(b) => write!(f, "{b}"),
            Json::Number(n) => f.write_str(n),
            Json::String(s) => write_string(f, s),
            Json::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Json::Object(entries) => {
                f.write_str("{")?;
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write_string(f, k)?;
                    write!(f, ":{v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

fn write_string(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if u32::from(c) < 0x20 => write!(f, "\\u{:04x}", u32::from(c))?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("\"")
}

/// Why a text is not a JSON document the engine reads: where (1-based line and column), and
/// what. Nesting deeper than [`MAX_NESTING`] has its own code, `too_deep`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at line {line}, column {column}")]
pub struct ParseError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// Whether the problem is nesting beyond [`MAX_NESTING`].
    pub too_deep: bool,
}

impl ParseError {
    /// `invalid_json`, or `too_deep` for nesting beyond [`MAX_NESTING`].
    pub fn code(&self) -> &'static str {
        if self.too_deep {
            "too_deep"
        } else {
            "invalid_json"
        }
    }
}

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, message: impl Into<String>) -> ParseError {
        let at = self.at.min(self.bytes.len());
        let before = self.text.get(..at).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        ParseError {
            line,
            column,
            message: message.into(),
            too_deep: false,
        }
    }

    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn unexpected(&self) -> ParseError {
        match self.text.get(self.at..).and_then(|s| s.chars().next()) {
            Some(c) => self.error(format!("unexpected character `{c}`")),
            None => self.error("unexpected end of input"),
        }
    }

    fn value(&mut self) -> Result<Json, ParseError> {
        match self.peek() {
            Some(b'{') => self.nested(Parser::object),
            Some(b'[') => self.nested(Parser::array),
            Some(b'"') => Ok(Json::String(self.string()?)),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.word("true", Json::Bool(true)),
            Some(b'f') => self.word("false", Json::Bool(false)),
            Some(b'n') => self.word("null", Json::Null),
            _ => Err(self.unexpected()),
        }
    }

    fn nested(
        &mut self,
        read: fn(&mut Self) -> Result<Json, ParseError>,
    ) -> Result<Json, ParseError> {
        if self.depth >= MAX_NESTING {
            let mut e = self.error(format!("nesting deeper than {MAX_NESTING} levels"));
            e.too_deep = true;
            return Err(e);
        }
        self.depth += 1;
        let out = read(self);
        self.depth -= 1;
        out
    }

    fn word(&mut self, word: &str, value: Json) -> Result<Json, ParseError> {
        let end = self.at + word.len();
        if self.bytes.get(self.at..end) == Some(word.as_bytes()) {
            self.at = end;
            Ok(value)
        } else {
            Err(self.unexpected())
        }
    }

    fn object(&mut self) -> Result<Json, ParseError> {
        self.at += 1;
        self.space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Json::Object(Vec::new()));
        }
        let mut entries: Vec<(String, Json)> = Vec::with_capacity(8);
        loop {
            self.space();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a string key"));
            }
            let key_at = self.at;
            let key = self.string()?;
            // Small objects are checked as they grow; large ones once, sorted, at the end.
            if entries.len() < 32 && entries.iter().any(|(k, _)| *k == key) {
                self.at = key_at;
                return Err(self.error(format!("duplicate key `{}`", shorten(&key))));
            }
            self.space();
            if self.peek() != Some(b':') {
                return Err(self.error("expected `:` after an object key"));
            }
            self.at += 1;
            self.space();
            let value = self.value()?;
            entries.push((key, value));
            self.space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    break;
                }
                _ => return Err(self.error("expected `,` or `}` in an object")),
            }
        }
        if entries.len() > 32 {
            let mut keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
            keys.sort_unstable();
            if let Some(w) = keys.windows(2).find(|w| w.first() == w.get(1)) {
                let key = w.first().copied().unwrap_or_default();
                return Err(self.error(format!(
                    "duplicate key `{}` in the object ending",
                    shorten(key)
                )));
            }
        }
        Ok(Json::Object(entries))
    }

    fn array(&mut self) -> Result<Json, ParseError> {
        self.at += 1;
        let mut items = Vec::new();
        self.space();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Json::Array(items));
        }
        loop {
            self.space();
            items.push(self.value()?);
            self.space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err(self.error("expected `,` or `]` in an array")),
            }
        }
    }

    fn number(&mut self) -> Result<Json, ParseError> {
        let start = self.at;
        let digits = |p: &mut Self| {
            let from = p.at;
            while let Some(b'0'..=b'9') = p.peek() {
                p.at += 1;
            }
            p.at - from
        };
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(self.error("expected a digit in a number")),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if digits(self) == 0 {
                return Err(self.error("expected a digit after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if digits(self) == 0 {
                return Err(self.error("expected a digit in the exponent"));
            }
        }
        let text = self.text.get(start..self.at).unwrap_or_default();
        Ok(Json::Number(text.to_string()))
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.at += 1;
        // The common case: no escape before the closing quote, copied in one allocation.
        let run = self.run();
        if self.peek() == Some(b'"') {
            let out = self
                .text
                .get(self.at - run..self.at)
                .unwrap_or_default()
                .to_string();
            self.at += 1;
            return Ok(out);
        }
        let mut out = String::from(self.text.get(self.at - run..self.at).unwrap_or_default());
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.at += 1;
                            out.push(self.unicode_escape()?);
                            let run = self.run();
                            out.push_str(self.text.get(self.at - run..self.at).unwrap_or_default());
                            continue;
                        }
                        _ => return Err(self.error("invalid escape in a string")),
                    };
                    self.at += 1;
                    out.push(c);
                    let run = self.run();
                    out.push_str(self.text.get(self.at - run..self.at).unwrap_or_default());
                }
                Some(_) => return Err(self.error("control character in a string")),
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    /// Skips the bytes of a string up to the next quote, backslash or control character;
    /// returns how many it skipped.
    fn run(&mut self) -> usize {
        let rest = self.bytes.get(self.at..).unwrap_or_default();
        let n = rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
            .unwrap_or(rest.len());
        self.at += n;
        n
    }

    /// The character of a `\uXXXX` escape (after the `u`), with its low surrogate if it is a
    /// high one.
    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let hex = |p: &mut Self| -> Result<u32, ParseError> {
            let digits = p
                .text
                .get(p.at..p.at + 4)
                .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                .ok_or_else(|| p.error("expected four hex digits after `\\u`"))?;
            p.at += 4;
            u32::from_str_radix(digits, 16).map_err(|_| p.error("invalid `\\u` escape"))
        };
        let first = hex(self)?;
        let code = if (0xD800..0xDC00).contains(&first) {
            if self.bytes.get(self.at..self.at + 2) != Some(b"\\u") {
                return Err(self.error("unpaired surrogate in a `\\u` escape"));
            }
            self.at += 2;
            let second = hex(self)?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err(self.error("unpaired surrogate in a `\\u` escape"));
            }
            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        } else {
            first
        };
        char::from_u32(code).ok_or_else(|| self.error("unpaired surrogate in a `\\u` escape"))
    }
}

/// A key for a message: at most 40 characters.
fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind_of_value_and_writes_it_back() {
        let text = r#"{"a":[true,false,null,-0.50,1E+3,"x\"\\\n\u00e9\ud83d\ude00"],"b":{}}"#;
        let v = Json::parse(text).unwrap();
        assert_eq!(
            v.get("a").unwrap(),
            &Json::parse(r#"[true,false,null,-0.50,1E+3,"x\"\\\né😀"]"#).unwrap()
        );
        assert_eq!(Json::parse(&v.to_string()).unwrap(), v);
        // Numbers keep their text.
        assert_eq!(Json::parse("1.10").unwrap(), Json::Number("1.10".into()));
    }

    #[test]
    fn refuses_what_json_does_not_allow() {
        for (bad, message) in [
            ("", "unexpected end of input"),
            ("01", "trailing characters after the JSON value"),
            ("1.", "expected a digit after the decimal point"),
            ("-", "expected a digit in a number"),
            ("1e", "expected a digit in the exponent"),
            ("[1,]", "unexpected character `]`"),
            ("{\"a\" 1}", "expected `:` after an object key"),
            ("{\"a\":1,}", "expected a string key"),
            ("\"a\u{1}\"", "control character in a string"),
            ("\"\\x\"", "invalid escape in a string"),
            ("\"\\ud800\"", "unpaired surrogate in a `\\u` escape"),
            ("\"abc", "unterminated string"),
            ("nul", "unexpected character `n`"),
            ("NaN", "unexpected character `N`"),
            ("[1] x", "trailing characters after the JSON value"),
        ] {
            let e = Json::parse(bad).unwrap_err();
            assert_eq!(e.message, message, "{bad:?}");
            assert_eq!(e.code(), "invalid_json");
        }
        let e = Json::parse("{\n  \"a\": 1,\n  \"a\": 2}").unwrap_err();
        assert_eq!(
            (e.line, e.column, e.message.as_str()),
            (3, 3, "duplicate key `a`")
        );
    }

    #[test]
    fn finds_duplicates_in_large_objects() {
        let mut text = String::from("{");
        for i in 0..100 {
            text.push_str(&format!("\"k{i}\": {i},"));
        }
        text.push_str("\"k7\": 0}");
        let e = Json::parse(&text).unwrap_err();
        assert!(e.message.starts_with("duplicate key `k7`"), "{}", e.message);
    }

    #[test]
    fn nesting_is_bounded_at_any_depth() {
        for depth in [MAX_NESTING, MAX_NESTING + 1, 100_000] {
            let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            let result = Json::parse(&text);
            if depth <= MAX_NESTING {
                assert!(result.is_ok(), "{depth}");
            } else {
                let e = result.unwrap_err();
                assert_eq!(e.code(), "too_deep");
                assert_eq!((e.line, e.column), (1, MAX_NESTING + 1));
            }
        }
        let text = format!("{}1{}", "{\"a\":".repeat(200), "}".repeat(200));
        assert_eq!(Json::parse(&text).unwrap_err().code(), "too_deep");
    }
}
