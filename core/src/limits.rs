//! Limits on untrusted input, each reported as a typed error when exceeded.

/// Largest rule-set or dataset document accepted, in bytes (64 MiB).
pub const MAX_DOCUMENT_BYTES: usize = 64 * 1024 * 1024;
/// Most entities in one dataset.
pub const MAX_ENTITIES: usize = 1_000_000;
/// Most targets in one plan.
pub const MAX_TARGETS: usize = 10_000;
/// Deepest nesting of any JSON document (objects and arrays), whichever door it comes
/// through: text, Python objects or JavaScript objects. Deeper is a `too_deep` error.
pub const MAX_NESTING: usize = 128;
/// Deepest nesting of `all_of` rules.
pub const MAX_RULE_DEPTH: usize = 8;
/// Longest identifier (target, series, field, entity kind, entity id), in characters.
pub const MAX_ID_CHARS: usize = 200;
/// Longest free text in data (names, sources, descriptions, text values), in characters.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// Earliest and latest year an observation may be keyed by.
pub const YEAR_RANGE: std::ops::RangeInclusive<i32> = 1900..=2999;
