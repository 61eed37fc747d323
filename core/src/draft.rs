//! Draft rule sets (草稿规则集): what a draft may leave out that a published rule set must give,
//! namely a citation's verbatim quote and one language of a bilingual text. Each omission is found
//! once, by walking the rule set; in a published rule set it is an error of the static checks
//! ([`SpecError::Omitted`]), in a draft a warning ([`SpecWarning`], [`Plan::warnings`]). A text
//! with neither language is an error in both.

use crate::error::{SpecError, SpecWarning, WarningCode};
use crate::plan::{Citation, Note, Plan, PlanStatus};
use crate::rules::Rule;
use crate::text::{Lang, Text};
use crate::wire::pointer::join;

/// One thing left out, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Omission {
    code: WarningCode,
    /// JSON pointer of the member left out (`/targets/0/citation/quote`, `/targets/0/title/en`).
    path: String,
    /// JSON pointer of the text or citation it belongs to (`/targets/0/title`).
    at: String,
    /// The target (or all-of part) it is in.
    target: Option<String>,
    /// For a translation: the language left out.
    lang: Option<Lang>,
}

impl Omission {
    /// `target `A1`: ` or `rule set: `, as the static checks' messages begin.
    fn context(&self) -> (String, String) {
        match &self.target {
            Some(t) => (format!("目标`{t}`："), format!("target `{t}`: ")),
            None => ("规则集：".to_string(), "rule set: ".to_string()),
        }
    }

    /// What is left out, in Chinese and English.
    fn what(&self) -> (String, String) {
        let (czh, cen) = self.context();
        let at = &self.at;
        match (self.code, self.lang) {
            (WarningCode::MissingQuote, _) => (
                format!("{czh}`{at}`处的引文没有引用规划原文"),
                format!("{cen}the citation at `{at}` quotes nothing"),
            ),
            (WarningCode::MissingTranslation, Some(Lang::En)) => (
                format!("{czh}`{at}`处的文本缺少英文（`en`）"),
                format!("{cen}the text at `{at}` has no English (`en`)"),
            ),
            (WarningCode::MissingTranslation, _) => (
                format!("{czh}`{at}`处的文本缺少中文（`zh`）"),
                format!("{cen}the text at `{at}` has no Chinese (`zh`)"),
            ),
            (WarningCode::MissingText, _) => (
                format!("{czh}`{at}`处的文本既无中文（`zh`）也无英文（`en`）"),
                format!("{cen}the text at `{at}` has neither Chinese (`zh`) nor English (`en`)"),
            ),
        }
    }

    fn warning(&self) -> SpecWarning {
        let (zh, en) = self.what();
        SpecWarning {
            code: self.code,
            path: self.path.clone(),
            target: self.target.clone(),
            message_zh: format!("{zh}（草稿规则集可以省略，正式发布前须补全）"),
            message_en: format!("{en} (a draft may leave it out; complete it before publishing)"),
        }
    }

    fn error(&self) -> SpecError {
        let (_, en) = self.what();
        let why = match self.code {
            WarningCode::MissingQuote => {
                "only a draft rule set (`\"status\": \"draft\"`) may leave the quote out"
            }
            WarningCode::MissingTranslation => {
                "only a draft rule set (`\"status\": \"draft\"`) may give one language"
            }
            WarningCode::MissingText => "even a draft rule set must give one of them",
        };
        SpecError::Omitted {
            code: self.code,
            path: self.path.clone(),
            target: self.target.clone(),
            message: format!("{en}; {why}"),
        }
    }
}

/// Walks a rule set for what it leaves out.
#[derive(Default)]
struct Walker {
    found: Vec<Omission>,
}

impl Walker {
    fn text(&mut self, t: &Text, at: &str, target: Option<&str>) {
        let blank = |s: &str| s.trim().is_empty();
        let (code, lang) = match (blank(&t.zh), blank(&t.en)) {
            (false, false) => return,
            (true, true) => (WarningCode::MissingText, None),
            (true, false) => (WarningCode::MissingTranslation, Some(Lang::Zh)),
            (false, true) => (WarningCode::MissingTranslation, Some(Lang::En)),
        };
        let path = match lang {
            Some(Lang::Zh) => join(at, "zh"),
            Some(Lang::En) => join(at, "en"),
            None => at.to_string(),
        };
        self.found.push(Omission {
            code,
            path,
            at: at.to_string(),
            target: target.map(str::to_string),
            lang,
        });
    }

    fn citation(&mut self, c: &Citation, at: &str, target: &str) {
        self.text(&c.location, &join(at, "location"), Some(target));
        if let Some(d) = &c.document {
            self.text(d, &join(at, "document"), Some(target));
        }
        if c.quote.trim().is_empty() {
            self.found.push(Omission {
                code: WarningCode::MissingQuote,
                path: join(at, "quote"),
                at: at.to_string(),
                target: Some(target.to_string()),
                lang: None,
            });
        }
    }

    fn notes(&mut self, notes: &[Note], at: &str, target: Option<&str>) {
        for (i, n) in notes.iter().enumerate() {
            self.text(&n.text, &format!("{at}/{i}/text"), target);
        }
    }

    fn rule(&mut self, rule: &Rule, at: &str, target: &str) {
        match rule {
            Rule::AllOf(a) => {
                for (k, p) in a.parts.iter().enumerate() {
                    let part = format!("{target}/{}", p.id);
                    let here = format!("{at}/parts/{k}");
                    self.text(&p.title, &format!("{here}/title"), Some(&part));
                    self.rule(&p.rule, &format!("{here}/rule"), &part);
                }
            }
            Rule::Milestones(m) => {
                for (k, item) in m.items.iter().enumerate() {
                    self.text(&item.name, &format!("{at}/items/{k}/name"), Some(target));
                }
            }
            Rule::Qualitative(q) => {
                self.text(&q.criterion, &format!("{at}/criterion"), Some(target));
            }
            Rule::EveryYear(e) => self.rule(&e.rule, &format!("{at}/rule"), target),
            _ => {}
        }
    }

    fn plan(&mut self, plan: &Plan) {
        self.text(&plan.title, "/title", None);
        self.text(&plan.source, "/source", None);
        let dict = &plan.dictionary;
        for (name, spec) in &dict.series {
            let at = join("/dictionary/series", name);
            self.text(&spec.title, &join(&at, "title"), None);
        }
        for (kind, k) in &dict.entity_kinds {
            let at = join("/dictionary/entity_kinds", kind);
            self.text(&k.title, &join(&at, "title"), None);
            for (name, a) in &k.attributes {
                let here = join(&join(&at, "attributes"), name);
                self.text(&a.title, &join(&here, "title"), None);
            }
            for (name, f) in &k.fields {
                let here = join(&join(&at, "fields"), name);
                self.text(&f.title, &join(&here, "title"), None);
            }
        }
        for (i, t) in plan.targets.iter().enumerate() {
            let at = format!("/targets/{i}");
            let id = Some(t.id.as_str());
            self.text(&t.title, &format!("{at}/title"), id);
            self.text(&t.description, &format!("{at}/description"), id);
            self.text(&t.category, &format!("{at}/category"), id);
            self.citation(&t.citation, &format!("{at}/citation"), &t.id);
            for (j, c) in t.related_citations.iter().enumerate() {
                self.citation(c, &format!("{at}/related_citations/{j}"), &t.id);
            }
            self.rule(&t.rule, &format!("{at}/rule"), &t.id);
            self.notes(&t.notes, &format!("{at}/notes"), id);
            if let Some(c) = &t.caveat {
                self.text(c, &format!("{at}/caveat"), id);
            }
        }
        self.notes(&plan.notes, "/notes", None);
        for (i, r) in plan.monitoring.iter().enumerate() {
            let at = format!("/monitoring/{i}");
            self.text(&r.title, &format!("{at}/title"), None);
            self.citation(&r.citation, &format!("{at}/citation"), &r.id);
            self.notes(&r.notes, &format!("{at}/notes"), None);
        }
    }
}

fn omissions(plan: &Plan) -> Vec<Omission> {
    let mut w = Walker::default();
    w.plan(plan);
    w.found
}

/// The static checks' errors for what the rule set leaves out: every omission in a published
/// rule set, only texts without either language in a draft.
pub(crate) fn omission_errors(plan: &Plan) -> Vec<SpecError> {
    omissions(plan)
        .iter()
        .filter(|o| plan.status.is_published() || o.code == WarningCode::MissingText)
        .map(Omission::error)
        .collect()
}

impl Plan {
    /// Whether the rule set is a draft (`"status": "draft"`).
    pub fn is_draft(&self) -> bool {
        self.status == PlanStatus::Draft
    }

    /// What this draft leaves out that a published rule set must give, in document order: each
    /// citation without its quote (`missing_quote`) and each text in one language only
    /// (`missing_translation`), with its JSON pointer, target and a message in Chinese and
    /// English. Empty for a published rule set (where these are load errors).
    ///
    /// ```
    /// let mut doc: serde_json::Value =
    ///     serde_json::from_str(plan_rules::plan::XICHENG_2016_2020_JSON).unwrap();
    /// doc["status"] = "draft".into();
    /// doc["targets"][0]["citation"]["quote"] = "".into();
    /// doc["targets"][0]["title"].as_object_mut().unwrap().remove("en");
    /// let plan = plan_rules::Plan::from_json(&doc.to_string()).unwrap();
    /// let w = plan.warnings();
    /// assert_eq!(w.len(), 2);
    /// assert_eq!((w[0].code.as_str(), w[0].path.as_str()), ("missing_translation", "/targets/0/title/en"));
    /// assert_eq!((w[1].code.as_str(), w[1].path.as_str()), ("missing_quote", "/targets/0/citation/quote"));
    /// assert_eq!(w[1].target.as_deref(), Some("A1"));
    /// ```
    pub fn warnings(&self) -> Vec<SpecWarning> {
        if self.status.is_published() {
            return Vec::new();
        }
        omissions(self)
            .iter()
            .filter(|o| o.code != WarningCode::MissingText)
            .map(Omission::warning)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
    use std::collections::BTreeSet;

    use super::*;
    use crate::test_support::{VectorInput, vector_inputs};
    use crate::wire::Json;

    /// Every place a serialised rule set holds a text: an object of exactly two strings, `zh`
    /// and `en` (but not a milestone item's attributes, a map that could be keyed so).
    fn texts_in(v: &Json, at: &str, out: &mut BTreeSet<String>) {
        match v {
            Json::Object(entries) => {
                let keys: BTreeSet<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
                let strings = entries.iter().all(|(_, v)| matches!(v, Json::String(_)));
                if keys == BTreeSet::from(["en", "zh"]) && strings && !at.ends_with("/attributes") {
                    out.insert(at.to_string());
                    return;
                }
                for (k, v) in entries {
                    texts_in(v, &join(at, k), out);
                }
            }
            Json::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    texts_in(v, &format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }

    /// The walker visits every text of a rule set: on every rule set of the conformance vectors
    /// (which use every rule kind) and the embedded plan, blanking every text makes the walker
    /// report exactly the places a generic search of the serialised rule set finds. A text field
    /// added to a rule kind fails this test until the walker reads it.
    #[test]
    fn the_walker_finds_every_text() {
        let mut plans = vec![Plan::xicheng_2016_2020().unwrap()];
        for input in vector_inputs("plan") {
            let text = match input {
                VectorInput::File(text) => text,
                VectorInput::Inline(Json::Null) => continue,
                VectorInput::Inline(v) => v.to_string(),
            };
            if let Ok(p) = Plan::from_json(&text) {
                plans.push(p);
            }
        }
        assert!(plans.len() > 50, "{}", plans.len());
        for plan in plans {
            let mut places = BTreeSet::new();
            texts_in(&Json::parse(&plan.to_json()).unwrap(), "", &mut places);
            assert!(!places.is_empty());
            // Every text blanked: each is a text with neither language.
            let mut value: serde_json::Value = serde_json::from_str(&plan.to_json()).unwrap();
            for p in &places {
                *value.pointer_mut(p).unwrap() = serde_json::json!({"zh": "", "en": ""});
            }
            let blanked =
                crate::check::read_plan(Json::parse(&value.to_string()).unwrap()).unwrap();
            let found: BTreeSet<String> = omissions(&blanked)
                .into_iter()
                .filter(|o| o.code == WarningCode::MissingText)
                .map(|o| o.at)
                .collect();
            assert_eq!(found, places, "{}", plan.id);
        }
    }
}
