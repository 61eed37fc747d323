//! SHA-256 content hashes of canonical JSON.

use std::fmt;

use serde::{Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError};

/// A SHA-256 digest, shown as `sha256:` and 64 lowercase hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sha256Hex(pub [u8; 32]);

impl fmt::Display for Sha256Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("sha256:")?;
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl Serialize for Sha256Hex {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Sha256Hex {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Sha256Hex".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A SHA-256 digest: `sha256:` and 64 lowercase hex digits",
            "type": "string",
            "pattern": "^sha256:[0-9a-f]{64}$"
        })
    }
}

/// Reads what [`fmt::Display`] writes: `sha256:` and 64 lowercase hex digits.
///
/// ```
/// use plan_rules::hash::{Sha256Hex, sha256};
/// let h = sha256(b"");
/// assert_eq!(h.to_string().parse::<Sha256Hex>(), Ok(h));
/// assert!("sha256:E3B0".parse::<Sha256Hex>().is_err());
/// ```
impl std::str::FromStr for Sha256Hex {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            let shown: String = s.chars().take(80).collect();
            format!("`{shown}` is not `sha256:` and 64 lowercase hex digits")
        };
        let hex = s.strip_prefix("sha256:").ok_or_else(bad)?;
        if hex.len() != 64 {
            return Err(bad());
        }
        let digit = |b: u8| match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            _ => None,
        };
        let mut out = [0u8; 32];
        for (byte, pair) in out.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
            let (Some(&hi), Some(&lo)) = (pair.first(), pair.get(1)) else {
                return Err(bad());
            };
            *byte = (digit(hi).ok_or_else(bad)? << 4) | digit(lo).ok_or_else(bad)?;
        }
        Ok(Sha256Hex(out))
    }
}

impl FromJson for Sha256Hex {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        String::from_json(value, at)?
            .parse()
            .map_err(|e: String| WireError::at(at, e))
    }
}

/// The SHA-256 of some bytes.
///
/// ```
/// assert_eq!(
///     plan_rules::hash::sha256(b"").to_string(),
///     "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/// );
/// ```
pub fn sha256(bytes: &[u8]) -> Sha256Hex {
    let digest = Sha256::digest(bytes);
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_slice());
    Sha256Hex(out)
}

/// The SHA-256 of a value's compact JSON serialisation (the engine's canonical form: struct
/// fields in declaration order, maps sorted by key, decimals normalised).
///
/// On WebAssembly the compact text is not written directly: the value is written pretty (the
/// serialiser the reports already use, so no second copy of every `Serialize` impl is
/// compiled in) and the pretty text's layout whitespace is dropped on the way into the hasher,
/// which gives the compact bytes exactly. Natively the compact text streams into the hasher.
pub fn sha256_json<T: Serialize>(value: &T) -> Sha256Hex {
    #[cfg(target_family = "wasm")]
    {
        sha256_json_via_pretty(value)
    }
    #[cfg(not(target_family = "wasm"))]
    {
        sha256_json_compact(value)
    }
}

/// [`sha256_json`] by writing the compact text into the hasher.
pub fn sha256_json_compact<T: Serialize>(value: &T) -> Sha256Hex {
    let mut hasher = Sha256::new();
    // Writing into a hasher cannot fail; a serialisation error would be an engine defect and
    // yields the hash of what was written so far, which never matches a real document.
    let _ = serde_json::to_writer(HashWriter(&mut hasher), value);
    let mut out = [0u8; 32];
    out.copy_from_slice(hasher.finalize().as_slice());
    Sha256Hex(out)
}

/// [`sha256_json`] by writing the pretty text and hashing it without its layout whitespace
/// (the same bytes as the compact text: serde_json's pretty printer only adds spaces and
/// newlines outside strings, and strings escape every control character).
pub fn sha256_json_via_pretty<T: Serialize>(value: &T) -> Sha256Hex {
    let mut pretty = Vec::new();
    let _ = serde_json::to_writer_pretty(&mut pretty, value);
    let mut hasher = Sha256::new();
    let (mut in_string, mut escaped, mut run) = (false, false, 0);
    for (i, &b) in pretty.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if b == b' ' || b == b'\n' {
            hasher.update(pretty.get(run..i).unwrap_or_default());
            run = i + 1;
        }
    }
    hasher.update(pretty.get(run..).unwrap_or_default());
    let mut out = [0u8; 32];
    out.copy_from_slice(hasher.finalize().as_slice());
    Sha256Hex(out)
}

/// A writer that hashes what is written to it: [`Sha256Writer::finish`] gives the digest.
#[derive(Default)]
pub struct Sha256Writer(Sha256);

impl Sha256Writer {
    /// The digest of everything written.
    pub fn finish(self) -> Sha256Hex {
        let mut out = [0u8; 32];
        out.copy_from_slice(self.0.finalize().as_slice());
        Sha256Hex(out)
    }
}

impl std::io::Write for Sha256Writer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct HashWriter<'a>(&'a mut Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pretty_route_hashes_the_compact_bytes() {
        let plan = crate::Plan::xicheng_2016_2020().unwrap();
        let data = crate::Dataset::from_json(crate::SAMPLE_DATA_JSON).unwrap();
        assert_eq!(sha256_json_via_pretty(&plan), sha256_json_compact(&plan));
        assert_eq!(sha256_json_via_pretty(&data), sha256_json_compact(&data));
        // Strings with quotes, escapes, spaces, newlines and non-ASCII; empty containers.
        let tricky = serde_json::json!({
            "a b": "x \" y\\ \n z",
            "e": [], "o": {}, "n": [1, [2, {"k": "\\"}], " "],
            "zh": "西城 区 \u{7f}\t",
        });
        assert_eq!(
            sha256_json_via_pretty(&tricky),
            sha256_json_compact(&tricky)
        );
        assert_eq!(
            sha256_json_via_pretty(&tricky),
            sha256(serde_json::to_string(&tricky).unwrap().as_bytes())
        );
    }
}
