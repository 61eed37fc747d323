//! One record alone in a dataset: the evaluation a row verdict stands for
//! (`plan_rules::row::RowVerdict::agrees_with`), shared by the row vectors' runner and the
//! randomised agreement test.

use std::collections::BTreeMap;

use plan_rules::{Dataset, EvaluateOptions, Plan, Report, evaluate};

/// A plan made ready to evaluate one record alone: its milestones reduced to their first item
/// (the population a project record stands for alone), each kind's lone entity named.
pub struct Alone {
    pub plan: Plan,
    /// Per entity kind, the id its lone entity has: the first milestone item of the kind, if
    /// any.
    ids: BTreeMap<String, String>,
}

impl Alone {
    pub fn new(plan: &Plan) -> Alone {
        let mut value = serde_json::to_value(plan).unwrap();
        let mut ids = BTreeMap::new();
        for t in value["targets"].as_array_mut().unwrap() {
            if t["rule"]["type"] == "milestones" {
                let kind = t["rule"]["entity_kind"].as_str().unwrap().to_string();
                let items = t["rule"]["items"].as_array_mut().unwrap();
                items.truncate(1);
                let id = items[0]["id"].as_str().unwrap().to_string();
                ids.entry(kind).or_insert(id);
            }
        }
        Alone {
            plan: Plan::from_json(&value.to_string()).unwrap(),
            ids,
        }
    }

    /// The dataset text holding one record of `kind` (`None`: the district series) in `year`:
    /// `fields` and `attrs` as (name, JSON text of the value).
    pub fn dataset_text(
        &self,
        kind: Option<&str>,
        fields: &[(String, String)],
        attrs: &[(String, String)],
        year: i32,
    ) -> String {
        let join = |parts: Vec<String>| parts.join(", ");
        match kind {
            None => {
                let series = join(
                    fields
                        .iter()
                        .map(|(f, v)| format!("{f:?}: {{\"values\": {{\"{year}\": {v}}}}}"))
                        .collect(),
                );
                format!("{{\"series\": {{{series}}}}}")
            }
            Some(k) => {
                let id = self.ids.get(k).map_or("X", String::as_str);
                let record = join(fields.iter().map(|(f, v)| format!("{f:?}: {v}")).collect());
                let attributes = join(attrs.iter().map(|(a, v)| format!("{a:?}: {v}")).collect());
                format!(
                    "{{\"entities\": [{{\"kind\": {k:?}, \"id\": {id:?}, \"attributes\": {{{attributes}}}, \"records\": {{\"{year}\": {{{record}}}}}}}]}}"
                )
            }
        }
    }

    /// What `evaluate()` concludes on the dataset holding the record alone, in the year of the
    /// deadline (every target's: the plans here have one), as of the deadline; and the dataset.
    pub fn report(
        &self,
        kind: Option<&str>,
        fields: &[(String, String)],
        attrs: &[(String, String)],
    ) -> (Report, String) {
        let deadline = self.plan.targets.first().unwrap().deadline;
        assert!(self.plan.targets.iter().all(|t| t.deadline == deadline));
        let text = self.dataset_text(kind, fields, attrs, deadline.year());
        let data = Dataset::from_json(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let report = evaluate(
            &self.plan,
            &data,
            deadline,
            EvaluateOptions::default().with_trail(false),
        );
        (report, text)
    }
}
