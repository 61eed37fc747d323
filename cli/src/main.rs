//! `plan-rules`: evaluate a development plan's targets from a terminal.
//!
//! Argument parsing, file reading, rendering choice and exit codes live here; every rule and
//! every judgement lives in the `plan-rules` library.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use plan_rules::audit_log;
use plan_rules::plan::Obligation;
use plan_rules::render::{self, Language};
use plan_rules::{Dataset, Date, EvaluateOptions, Plan, Severity};

#[derive(Parser)]
#[command(
    name = "plan-rules",
    version,
    about = "Check a development plan's quantitative targets against data, with an audit trail"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate a plan against data (default: the embedded Xicheng plan and synthetic sample).
    Report {
        /// Dataset JSON file (default: the embedded synthetic sample).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Rule set JSON file (default: the embedded Xicheng 2016-2020 plan).
        #[arg(long)]
        plan: Option<PathBuf>,
        /// As-of date, YYYY-MM-DD, or a review of the plan's monitoring calendar by name
        /// (`mid_term`, `annual_2017`, `final`; `plan-rules rules` lists them) (default: the last
        /// day of the plan period).
        #[arg(long)]
        as_of: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Language of tables and Markdown (default: both).
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
        /// Append the report to this hash-chained JSON Lines audit log.
        #[arg(long)]
        audit_log: Option<PathBuf>,
        /// Leave the audit trails out of JSON output.
        #[arg(long)]
        no_trail: bool,
        /// Evaluate only binding (约束性) or only indicative (预期性) targets.
        #[arg(long, value_enum)]
        obligation: Option<ObligationArg>,
    },
    /// List the targets of a rule set with their citations.
    Rules {
        /// Rule set JSON file (default: the embedded Xicheng plan).
        #[arg(long)]
        plan: Option<PathBuf>,
        /// Output format (`json` prints the canonical rule set).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Language (default: both).
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// Statically check a rule set, or a dataset against a rule set.
    Check {
        /// The file: a rule set (it has `targets`) or a dataset.
        file: PathBuf,
        /// Rule set to check a dataset against (default: the embedded Xicheng plan).
        #[arg(long)]
        plan: Option<PathBuf>,
        /// Print the answer as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Verify a hash-chained audit log; names the first bad line.
    VerifyLog {
        /// The JSON Lines log.
        file: PathBuf,
    },
    /// Write the JSON Schemas of rule sets and datasets.
    Schema {
        /// Folder to write `plan.schema.json` and `dataset.schema.json` into (default: print the
        /// rule-set schema).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum ObligationArg {
    Binding,
    Indicative,
}

impl From<ObligationArg> for Obligation {
    fn from(o: ObligationArg) -> Obligation {
        match o {
            ObligationArg::Binding => Obligation::Binding,
            ObligationArg::Indicative => Obligation::Indicative,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Zh,
    En,
    Both,
}

fn language(l: Option<LangArg>) -> Language {
    {
        match l {
            Some(LangArg::Zh) => Language::Zh,
            Some(LangArg::En) => Language::En,
            Some(LangArg::Both) | None => Language::Both,
        }
    }
}

/// A failure to report on stderr with a non-zero exit.
struct Failure(String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string())
    }
}

fn read(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| Failure(format!("cannot read `{}`: {e}", path.display())))
}

fn load_plan(path: Option<&Path>) -> Result<Plan, Failure> {
    let (text, name) = match path {
        Some(p) => (read(p)?, p.display().to_string()),
        None => (
            plan_rules::plan::XICHENG_2016_2020_JSON.to_string(),
            "embedded plan".to_string(),
        ),
    };
    Plan::from_json(&text).map_err(|errors| {
        let mut msg = format!("rule set `{name}` has {} problem(s):", errors.len());
        for e in errors.iter() {
            msg.push_str(&format!("\n  [{}] {e}", e.code()));
        }
        Failure(msg)
    })
}

fn load_data(path: Option<&Path>) -> Result<Dataset, Failure> {
    match path {
        Some(p) => Dataset::from_json(&read(p)?)
            .map_err(|e| Failure(format!("dataset `{}`: [{}] {e}", p.display(), e.code()))),
        None => Dataset::from_json(plan_rules::SAMPLE_DATA_JSON)
            .map_err(|e| Failure(format!("embedded sample: {e}"))),
    }
}

fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let date = Date::from_unix_days(days)
        .map(|d| d.to_string())
        .unwrap_or_else(|| "1970-01-01".into());
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn colour_wanted() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let mut stdout = std::io::stdout().lock();
    match cli.command {
        Command::Report {
            data,
            plan,
            as_of,
            format,
            lang,
            audit_log: log,
            no_trail,
            obligation,
        } => {
            let plan = load_plan(plan.as_deref())?;
            if plan.is_draft() {
                eprintln!(
                    "note: rule set `{}` is a draft ({} warning(s), listed by `plan-rules check`); \
                     its report is a quick check, not the published evaluation",
                    plan.id,
                    plan.warnings().len()
                );
            }
            let data = load_data(data.as_deref())?;
            let (as_of, review) = plan_rules::ffi::resolve_as_of(&plan, as_of.as_deref())
                .map_err(|e| Failure(format!("--as-of: [{}] {}", e.code, e.message)))?;
            let review = review.map(str::to_string);
            let report = plan_rules::evaluate(
                &plan,
                &data,
                as_of,
                EvaluateOptions::default()
                    .with_trail(!no_trail)
                    .with_obligation(obligation.map(Obligation::from)),
            )
            .for_review(&plan, review.as_deref());
            let text = match format {
                Format::Json => report.to_json(),
                Format::Markdown => render::markdown(&report, language(lang)),
                Format::Table => render::table(&report, language(lang), colour_wanted()),
            };
            stdout.write_all(text.as_bytes())?;
            if let Some(path) = log {
                let existing = if path.exists() {
                    read(&path)?
                } else {
                    String::new()
                };
                let line = audit_log::append(&existing, &report, &now_rfc3339())?;
                let mut f = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&path)
                    .map_err(|e| Failure(format!("cannot open `{}`: {e}", path.display())))?;
                f.write_all(line.as_bytes())?;
                f.sync_all()?;
                eprintln!("appended entry to {}", path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules { plan, format, lang } => {
            let plan = load_plan(plan.as_deref())?;
            let text = match format {
                Format::Json => serde_json::to_string_pretty(&plan)? + "\n",
                Format::Table | Format::Markdown => render::rules_listing(&plan, language(lang)),
            };
            stdout.write_all(text.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { file, plan, json } => {
            let text = read(&file)?;
            let value = plan_rules::wire::Json::parse(&text).map_err(|e| {
                Failure(format!(
                    "`{}`: [{}] not JSON: {e}",
                    file.display(),
                    e.code()
                ))
            })?;
            if value.get("targets").is_some() {
                let checked = load_plan(Some(&file))?;
                let warnings = checked.warnings();
                if json {
                    let answer = serde_json::json!({
                        "ok": true,
                        "kind": "plan",
                        "plan_id": checked.id,
                        "plan_hash": checked.content_hash().to_string(),
                        "targets": checked.targets.len(),
                        "status": checked.status,
                        "warnings": warnings,
                    });
                    writeln!(stdout, "{}", serde_json::to_string_pretty(&answer)?)?;
                } else {
                    for w in &warnings {
                        writeln!(
                            stdout,
                            "warning[{}] {}: {} / {}",
                            w.code.as_str(),
                            w.path,
                            w.message_en,
                            w.message_zh
                        )?;
                    }
                    let what = if checked.is_draft() {
                        "draft rule set"
                    } else {
                        "rule set"
                    };
                    writeln!(
                        stdout,
                        "ok: {what} `{}` {} passes every static check ({} targets, {})",
                        checked.id,
                        checked.version,
                        checked.targets.len(),
                        checked.content_hash()
                    )?;
                    if checked.is_draft() {
                        writeln!(
                            stdout,
                            "{} warning(s): a draft is for quick checks; give every quote and both \
                             languages, and drop `\"status\": \"draft\"`, before publishing",
                            warnings.len()
                        )?;
                    }
                }
                return Ok(ExitCode::SUCCESS);
            }
            let plan = load_plan(plan.as_deref())?;
            let data = Dataset::from_json(&text).map_err(|e| {
                Failure(format!("dataset `{}`: [{}] {e}", file.display(), e.code()))
            })?;
            let answer = plan_rules::ffi::validate_dataset(&plan, &data);
            if json {
                stdout.write_all((serde_json::to_string_pretty(&answer)? + "\n").as_bytes())?;
            } else {
                for d in &answer.diagnostics {
                    let sev = match d.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                    };
                    writeln!(
                        stdout,
                        "{sev}[{}] {}: {} / {}",
                        d.code.as_str(),
                        d.path,
                        d.message_en,
                        d.message_zh
                    )?;
                }
                writeln!(
                    stdout,
                    "{}: {} error(s), {} warning(s) against `{}`",
                    file.display(),
                    answer.errors,
                    answer.warnings,
                    plan.id
                )?;
            }
            Ok(if answer.ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::VerifyLog { file } => {
            let text = read(&file)?;
            let outcome = audit_log::verify(&text);
            match &outcome.problem {
                None => {
                    writeln!(
                        stdout,
                        "ok: {} entries verify; head {}",
                        outcome.verified, outcome.head
                    )?;
                    Ok(ExitCode::SUCCESS)
                }
                Some(p) => {
                    eprintln!(
                        "{}: line {}: {:?}: {}",
                        file.display(),
                        p.line,
                        p.kind,
                        p.message
                    );
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Schema { out } => {
            let plan_schema = serde_json::to_string_pretty(&schemars::schema_for!(Plan))? + "\n";
            let data_schema = serde_json::to_string_pretty(&schemars::schema_for!(Dataset))? + "\n";
            match out {
                None => stdout.write_all(plan_schema.as_bytes())?,
                Some(dir) => {
                    std::fs::create_dir_all(&dir)?;
                    std::fs::write(dir.join("plan.schema.json"), plan_schema)?;
                    std::fs::write(dir.join("dataset.schema.json"), data_schema)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(Failure(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}
