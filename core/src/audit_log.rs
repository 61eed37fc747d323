//! The audit log (审计日志): reports over time as JSON Lines, each entry holding the hash of the
//! one before. [`verify`] names the first altered, removed, inserted, reordered or truncated line.
//!
//! A line is `{"entry": {...}, "hash": "sha256:..."}` where `hash` is the SHA-256 of the entry's
//! canonical JSON (keys sorted, no spaces) and the entry holds `seq` (1, 2, ...), `prev` (the
//! previous line's hash; 64 zeros for the first), `recorded_at` (given by the caller; the core
//! reads no clock) and the `report`. A hash chain without a secret cannot stop someone who
//! rewrites every line after an edit: keep the head hash ([`VerifyOutcome::head`]) elsewhere.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::hash::sha256;
use crate::report::Report;

/// The `prev` of the first entry.
pub const GENESIS: &str = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

/// What is wrong with a log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LogProblemKind {
    /// The line is not a log entry.
    Malformed,
    /// The last line is cut short (a crash while writing); the lines before it verify.
    Truncated,
    /// The entry's content does not match its hash.
    Altered,
    /// The entry's `seq` is ahead: entries before it were removed.
    Removed,
    /// The entry's `seq` is behind or repeated: entries were reordered, duplicated or inserted.
    Reordered,
    /// The entry's `prev` is not the hash of the line before it.
    BrokenChain,
}

/// The first problem in a log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogProblem {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub kind: LogProblemKind,
    /// In words.
    pub message: String,
}

/// The result of verifying a log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyOutcome {
    /// Whether every line verifies.
    pub ok: bool,
    /// How many entries verify (before the first problem).
    pub verified: usize,
    /// The hash of the last verified entry (GENESIS for none).
    pub head: String,
    /// The first problem.
    pub problem: Option<LogProblem>,
}

/// Why an entry cannot be appended.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditLogError {
    /// The existing log does not verify; nothing is appended to a damaged log.
    #[error("audit log does not verify at line {}: {}", .0.line, .0.message)]
    Damaged(LogProblem),
    /// The report could not be turned into JSON.
    #[error("report cannot be serialised: {0}")]
    Serialize(String),
}

impl AuditLogError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            AuditLogError::Damaged(_) => "audit_log_damaged",
            AuditLogError::Serialize(_) => "serialize",
        }
    }
}

fn canonical_hash(entry: &Value) -> String {
    sha256(serde_json::to_string(entry).unwrap_or_default().as_bytes()).to_string()
}

fn seq_of(line: &str) -> Option<u64> {
    serde_json::from_str::<Value>(line)
        .ok()?
        .get("entry")?
        .get("seq")?
        .as_u64()
}

/// Verifies a whole log. A last line without its final newline that still parses is accepted
/// (the newline is the only thing missing); one that does not parse is reported as truncated.
///
/// ```
/// use plan_rules::audit_log::{append, verify, LogProblemKind};
/// let plan = plan_rules::Plan::xicheng_2016_2020().unwrap();
/// let data = plan_rules::Dataset::default();
/// let report = plan_rules::evaluate(&plan, &data, "2018-12-31".parse().unwrap(), Default::default());
/// let mut log = String::new();
/// log.push_str(&append(&log, &report, "2026-11-28T00:00:00Z").unwrap());
/// log.push_str(&append(&log, &report, "2026-11-28T00:00:01Z").unwrap());
/// assert!(verify(&log).ok);
/// let tampered = log.replacen("2026-11-28T00:00:00Z", "2026-11-28T09:00:00Z", 1);
/// let outcome = verify(&tampered);
/// assert_eq!(outcome.problem.unwrap().kind, LogProblemKind::Altered);
/// ```
pub fn verify(log: &str) -> VerifyOutcome {
    let mut head = GENESIS.to_string();
    let mut verified = 0usize;
    let ends_with_newline = log.is_empty() || log.ends_with('\n');
    let lines: Vec<&str> = log.split_terminator('\n').collect();
    let fail = |line: usize, kind, message: String, verified, head: &str| VerifyOutcome {
        ok: false,
        verified,
        head: head.to_string(),
        problem: Some(LogProblem {
            line,
            kind,
            message,
        }),
    };
    for (i, raw) in lines.iter().enumerate() {
        let n = i + 1;
        let is_last = n == lines.len();
        let parsed: Option<(Value, String)> =
            serde_json::from_str::<Value>(raw).ok().and_then(|v| {
                let mut obj = match v {
                    Value::Object(o) => o,
                    _ => return None,
                };
                let hash = obj.remove("hash")?.as_str()?.to_string();
                let entry = obj.remove("entry")?;
                if !obj.is_empty() || !entry.is_object() {
                    return None;
                }
                Some((entry, hash))
            });
        let Some((entry, hash)) = parsed else {
            if is_last && !ends_with_newline {
                return fail(
                    n,
                    LogProblemKind::Truncated,
                    format!(
                        "line {n} is cut short (no final newline); the {verified} entries before it verify"
                    ),
                    verified,
                    &head,
                );
            }
            return fail(
                n,
                LogProblemKind::Malformed,
                format!("line {n} is not an audit-log entry"),
                verified,
                &head,
            );
        };
        if canonical_hash(&entry) != hash {
            return fail(
                n,
                LogProblemKind::Altered,
                format!("line {n} does not match its hash: it was altered"),
                verified,
                &head,
            );
        }
        let seq = entry.get("seq").and_then(Value::as_u64);
        match seq {
            Some(s) if s == n as u64 => {}
            Some(s) if s > n as u64 => {
                // Ahead: removed, unless the missing entry turns up later (then reordered).
                let later = lines.iter().skip(n).any(|l| seq_of(l) == Some(n as u64));
                if later {
                    return fail(
                        n,
                        LogProblemKind::Reordered,
                        format!(
                            "line {n} holds entry {s} but entry {n} comes later: entries were reordered"
                        ),
                        verified,
                        &head,
                    );
                }
                return fail(
                    n,
                    LogProblemKind::Removed,
                    format!(
                        "line {n} holds entry {s}: {} entries before it were removed",
                        s - n as u64
                    ),
                    verified,
                    &head,
                );
            }
            Some(s) => {
                return fail(
                    n,
                    LogProblemKind::Reordered,
                    format!(
                        "line {n} holds entry {s}: entries were reordered, repeated or inserted"
                    ),
                    verified,
                    &head,
                );
            }
            None => {
                return fail(
                    n,
                    LogProblemKind::Malformed,
                    format!("line {n} has no entry number"),
                    verified,
                    &head,
                );
            }
        }
        if entry.get("prev").and_then(Value::as_str) != Some(head.as_str()) {
            return fail(
                n,
                LogProblemKind::BrokenChain,
                format!(
                    "line {n} does not follow the line before it: an entry was replaced or inserted"
                ),
                verified,
                &head,
            );
        }
        head = hash;
        verified += 1;
    }
    VerifyOutcome {
        ok: true,
        verified,
        head,
        problem: None,
    }
}

/// The line (with its final newline) that appends a report to a log; the log must verify.
pub fn append(log: &str, report: &Report, recorded_at: &str) -> Result<String, AuditLogError> {
    let outcome = verify(log);
    if let Some(p) = outcome.problem {
        return Err(AuditLogError::Damaged(p));
    }
    let report_value =
        serde_json::to_value(report).map_err(|e| AuditLogError::Serialize(e.to_string()))?;
    let mut entry = Map::new();
    entry.insert("seq".into(), Value::from(outcome.verified as u64 + 1));
    entry.insert("prev".into(), Value::from(outcome.head));
    entry.insert("recorded_at".into(), Value::from(recorded_at));
    entry.insert("report".into(), report_value);
    let entry = Value::Object(entry);
    let hash = canonical_hash(&entry);
    let mut line = Map::new();
    line.insert("entry".into(), entry);
    line.insert("hash".into(), Value::from(hash));
    let mut text = serde_json::to_string(&Value::Object(line))
        .map_err(|e| AuditLogError::Serialize(e.to_string()))?;
    text.push('\n');
    Ok(text)
}
