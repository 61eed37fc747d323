//! SHA-256 content hashes of canonical JSON.

use std::fmt;

use serde::{Serialize, Serializer};
use sha2::{Digest, Sha256};

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
pub fn sha256_json<T: Serialize>(value: &T) -> Sha256Hex {
    let mut hasher = Sha256::new();
    // Writing into a hasher cannot fail; a serialisation error would be an engine defect and
    // yields the hash of what was written so far, which never matches a real document.
    let _ = serde_json::to_writer(HashWriter(&mut hasher), value);
    let mut out = [0u8; 32];
    out.copy_from_slice(hasher.finalize().as_slice());
    Sha256Hex(out)
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
