//! Bounds (界限): which way a target's value is better and whether the limit itself counts.
//! Plan tables say it in words: 达到/不低于/以上 (`>=`), 高于/超过/大于 (`>`), 控制在…以内/不高于/
//! 以下 (`<=`), 低于/小于 (`<`).

use std::cmp::Ordering;

use serde::{Serialize, Serializer};

use crate::text::Text;
use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError, named};

/// How a value must stand against its limit, written on the wire as `>=`, `>`, `<=` or `<`.
///
/// ```
/// use std::cmp::Ordering;
/// use plan_rules::bound::Op;
/// assert!(Op::AtLeast.holds(Ordering::Equal));
/// assert!(!Op::Above.holds(Ordering::Equal));
/// assert!(Op::Below.holds(Ordering::Less));
/// assert_eq!(Op::AtMost.symbol(), "≤");
/// assert!(!Op::Below.rising());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Op {
    /// `>=`: at least the limit (达到、不低于、以上). The default.
    #[default]
    AtLeast,
    /// `>`: strictly above the limit (高于、超过、大于).
    Above,
    /// `<=`: at most the limit (控制在…以内、不高于、以下).
    AtMost,
    /// `<`: strictly below the limit (低于、小于).
    Below,
}

impl Op {
    /// The four bounds with their wire names.
    pub const ALL: [(&'static str, Op); 4] = [
        (">=", Op::AtLeast),
        (">", Op::Above),
        ("<=", Op::AtMost),
        ("<", Op::Below),
    ];

    /// The wire name (`>=`, `>`, `<=`, `<`).
    pub fn as_str(self) -> &'static str {
        match self {
            Op::AtLeast => ">=",
            Op::Above => ">",
            Op::AtMost => "<=",
            Op::Below => "<",
        }
    }

    /// The symbol shown to people (`≥`, `>`, `≤`, `<`).
    pub fn symbol(self) -> &'static str {
        match self {
            Op::AtLeast => "≥",
            Op::Above => ">",
            Op::AtMost => "≤",
            Op::Below => "<",
        }
    }

    /// Whether a value that compares with the limit as `ordering` satisfies the bound.
    pub fn holds(self, ordering: Ordering) -> bool {
        match self {
            Op::AtLeast => ordering.is_ge(),
            Op::Above => ordering.is_gt(),
            Op::AtMost => ordering.is_le(),
            Op::Below => ordering.is_lt(),
        }
    }

    /// Whether a higher value is better (`>=`, `>`).
    pub fn rising(self) -> bool {
        matches!(self, Op::AtLeast | Op::Above)
    }

    /// Whether the limit itself satisfies the bound (`>=`, `<=`).
    pub fn inclusive(self) -> bool {
        matches!(self, Op::AtLeast | Op::AtMost)
    }

    /// The bound in words, as a plan writes it.
    pub fn words(self) -> Text {
        match self {
            Op::AtLeast => Text::new("不低于", "at least"),
            Op::Above => Text::new("高于", "above"),
            Op::AtMost => Text::new("不高于", "at most"),
            Op::Below => Text::new("低于", "below"),
        }
    }

    /// What a value that fails the bound is, in words: `below` for `>=`, `not above` for `>`,
    /// `above` for `<=`, `not below` for `<`.
    pub fn failure_words(self) -> Text {
        match self {
            Op::AtLeast => Text::new("低于", "below"),
            Op::Above => Text::new("未高于", "not above"),
            Op::AtMost => Text::new("高于", "above"),
            Op::Below => Text::new("未低于", "not below"),
        }
    }

    /// Whether this is the default (`>=`), which the canonical JSON leaves out.
    pub fn is_default(&self) -> bool {
        *self == Op::AtLeast
    }
}

impl std::fmt::Display for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.symbol())
    }
}

impl Serialize for Op {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Op {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Op".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "How the value must stand against the limit: >= (达到/不低于/以上, the default), > (高于/超过), <= (控制在…以内/不高于/以下), < (低于)",
            "type": "string",
            "enum": [">=", ">", "<=", "<"]
        })
    }
}

impl FromJson for Op {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        named(value, at, "op", &Op::ALL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_bound_holds_exactly_where_the_plan_says() {
        use Ordering::*;
        let table = [
            (Op::AtLeast, [false, true, true]),
            (Op::Above, [false, false, true]),
            (Op::AtMost, [true, true, false]),
            (Op::Below, [true, false, false]),
        ];
        for (op, expect) in table {
            assert_eq!(
                [Less, Equal, Greater].map(|o| op.holds(o)),
                expect,
                "{op:?}"
            );
            assert_eq!(op.inclusive(), expect[1], "{op:?}");
        }
    }

    #[test]
    fn wire_names_round_trip_and_unknown_ones_are_named() {
        for (name, op) in Op::ALL {
            let read = Op::from_json(Json::String(name.into()), &Path::Root).unwrap();
            assert_eq!(read, op);
            assert_eq!(op.as_str(), name);
        }
        let e = Op::from_json(Json::String("=>".into()), &Path::Root).unwrap_err();
        assert_eq!(e.message, "unknown op `=>`, expected one of >=, >, <=, <");
    }
}
