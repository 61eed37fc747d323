//! Bilingual text: every title, note and message the engine shows has Chinese and English.

use serde::Serialize;

use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{FromJson, WireError, read_struct};

/// A piece of text in Chinese (`zh`) and English (`en`).
///
/// A published rule set gives both languages of every text; a draft (`"status": "draft"`, see
/// [`crate::plan::PlanStatus`]) may give one, each omission a warning of `check`. Read from a
/// rule set, a language left out reads as empty text, and the static checks decide.
///
/// ```
/// use plan_rules::Text;
/// let t = Text::new("学前教育", "Preschool education");
/// assert_eq!(t.get(plan_rules::Lang::Zh), "学前教育");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Chinese text.
    #[serde(default)]
    pub zh: String,
    /// English text.
    #[serde(default)]
    pub en: String,
}

/// A language the engine writes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Chinese (simplified).
    #[default]
    Zh,
    /// English.
    En,
}

impl Text {
    /// Text from its two languages.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in one language.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

impl FromJson for Text {
    fn from_json(value: Json, at: &Path<'_>) -> Result<Self, WireError> {
        // Absent languages read as empty; the static checks decide (a draft may omit one).
        read_struct!(value, at, "a text (zh and en)", Text { zh: def, en: def })
    }
}
