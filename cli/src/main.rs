//! `plan-rules`: evaluate a development plan's targets from a terminal.
//!
//! Argument parsing, file reading, rendering choice and exit codes live here; every rule and
//! every judgement lives in the `plan-rules` library.
//!
//! Exit codes (the same for every subcommand):
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | findings: `--fail-on` matched a result, `check` found errors in a dataset, `verify-log` found a bad line |
//! | 2 | usage error: an unknown flag or subcommand, a bad flag value (`--as-of 2018-13-01`) |
//! | 3 | input error: a file that cannot be read, text that is not JSON, a rule set or dataset refused |
//!
//! A closed pipe (`plan-rules report | head`) ends the output quietly, with 0.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod csv_table;
mod parquet_table;
mod progress;
mod table;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use plan_rules::audit_log;
use plan_rules::plan::Obligation;
use plan_rules::render::{self, Language};
use plan_rules::{Dataset, Date, EvaluateOptions, Plan, Severity, Status};
use progress::{Progress, ProgressArg};

#[derive(Parser)]
#[command(
    name = "plan-rules",
    version,
    about = "Check a development plan's quantitative targets against data, with an audit trail",
    after_help = "Exit codes: 0 success, 1 findings (--fail-on, a dataset with errors, a bad \
                  audit log), 2 usage error, 3 input error. `-` reads standard input wherever a \
                  file is read."
)]
struct Cli {
    /// Output format: `text` (tables and messages), `json`, or `markdown`; errors follow it
    /// (a JSON error object on standard error with `--format json`).
    #[arg(long, value_enum, global = true, default_value_t = Format::Text)]
    format: Format,
    /// Colour in text output: `auto` (a terminal without NO_COLOR), `always` or `never`.
    #[arg(long, value_enum, global = true, default_value_t = ColorArg::Auto)]
    color: ColorArg,
    /// Language of text and Markdown (default: both).
    #[arg(long, value_enum, global = true)]
    lang: Option<LangArg>,
    /// A progress line on standard error (`reading`, `evaluating 35/70 targets`, `writing`):
    /// `auto` on a terminal once a report has taken a second, `always` a line per step
    /// wherever standard error goes, or `never`.
    #[arg(long, value_enum, global = true, default_value_t = ProgressArg::Auto)]
    progress: ProgressArg,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate a plan against data (default: the embedded Xicheng plan and synthetic sample).
    Report {
        /// Dataset JSON file, entity table (`.csv`, `.parquet`), or `-` for standard input,
        /// read as JSON unless --data-format says `csv` or `parquet` (default: the embedded
        /// synthetic sample).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Rule set JSON file, or `-` (default: the embedded Xicheng 2016-2020 plan).
        #[arg(long)]
        plan: Option<PathBuf>,
        /// As-of date, YYYY-MM-DD, or a review of the plan's monitoring calendar by name
        /// (`mid_term`, `annual_2017`, `final`; `plan-rules rules` lists them) (default: the last
        /// day of the plan period).
        #[arg(long)]
        as_of: Option<String>,
        /// Append the report to this hash-chained JSON Lines audit log.
        #[arg(long)]
        audit_log: Option<PathBuf>,
        /// Leave the audit trails out of JSON output.
        #[arg(long)]
        no_trail: bool,
        /// Evaluate only binding (约束性) or only indicative (预期性) targets.
        #[arg(long, value_enum)]
        obligation: Option<ObligationArg>,
        /// Exit with 1 when any target has one of these statuses (comma-separated or repeated),
        /// so a pipeline can stop on findings; the report is written all the same.
        #[arg(long, value_enum, value_delimiter = ',')]
        fail_on: Vec<FailOn>,
        /// How `--data` is written: `json` (a dataset document), or `csv` or `parquet` (an
        /// entity table, one row per entity and year, wide or long as in the Python package)
        /// (default: by the file's extension, `.csv` or `.parquet`, else `json`; standard input
        /// is `json` unless this says otherwise).
        #[arg(long, value_enum)]
        data_format: Option<DataFormat>,
        /// The entity kind of a table's rows (when it has no `kind` column).
        #[arg(long)]
        kind: Option<String>,
        /// Evaluate each group of a table's rows (the values of this column: a district, a
        /// street ...) as its own dataset, in parallel, and write one tidy table: a row per
        /// group and target.
        #[arg(long)]
        group_by: Option<String>,
    },
    /// List the targets of a rule set with their citations.
    Rules {
        /// Rule set JSON file, or `-` (default: the embedded Xicheng plan).
        #[arg(long)]
        plan: Option<PathBuf>,
    },
    /// Statically check a rule set, or a dataset against a rule set.
    Check {
        /// The file, or `-`: a rule set (it has `targets`) or a dataset.
        file: PathBuf,
        /// Rule set to check a dataset against (default: the embedded Xicheng plan).
        #[arg(long)]
        plan: Option<PathBuf>,
        /// The answer as JSON (the same as `--format json`).
        #[arg(long, hide = true)]
        json: bool,
    },
    /// Verify a hash-chained audit log; names the first bad line.
    VerifyLog {
        /// The JSON Lines log, or `-`.
        file: PathBuf,
    },
    /// Write the JSON Schemas of rule sets, datasets and reports.
    Schema {
        /// Folder to write `plan.schema.json`, `dataset.schema.json` (as read),
        /// `plan.canonical.schema.json` and `report.schema.json` (as written) into (default:
        /// print the rule-set schema).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print a shell completion script (`plan-rules completions bash > ~/.local/share/bash-completion/completions/plan-rules`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Tables and messages for people (`table` is the same).
    #[value(alias = "table")]
    Text,
    Json,
    Markdown,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DataFormat {
    /// A dataset document.
    Json,
    /// An entity table in CSV (comma-separated text).
    Csv,
    /// An entity table in Apache Parquet.
    Parquet,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    #[value(name = "not_met")]
    NotMet,
    #[value(name = "off_track")]
    OffTrack,
    #[value(name = "not_assessable")]
    NotAssessable,
}

impl FailOn {
    fn status(self) -> Status {
        match self {
            FailOn::NotMet => Status::NotMet,
            FailOn::OffTrack => Status::OffTrack,
            FailOn::NotAssessable => Status::NotAssessable,
        }
    }
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
    match l {
        Some(LangArg::Zh) => Language::Zh,
        Some(LangArg::En) => Language::En,
        Some(LangArg::Both) | None => Language::Both,
    }
}

/// Exit code: findings (`--fail-on`, a dataset with errors, a bad audit log).
const FINDINGS: u8 = 1;
/// Exit code: a usage error (clap's own, and bad flag values).
const USAGE: u8 = 2;
/// Exit code: an input that cannot be read or is refused.
const INPUT: u8 = 3;

/// A failure: its exit code, a stable code, where it is, and what is wrong.
struct Failure {
    exit: u8,
    code: String,
    location: Option<String>,
    message: String,
}

impl Failure {
    fn input(code: &str, location: Option<String>, message: String) -> Failure {
        Failure {
            exit: INPUT,
            code: code.to_string(),
            location,
            message,
        }
    }

    fn usage(code: &str, location: Option<String>, message: String) -> Failure {
        Failure {
            exit: USAGE,
            code: code.to_string(),
            location,
            message,
        }
    }
}

/// Writing to standard output; a closed pipe is reported as such, to end quietly.
enum Output {
    Closed,
    Failed(Failure),
}

impl From<std::io::Error> for Output {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Output::Closed
        } else {
            Output::Failed(Failure::input("io_error", None, e.to_string()))
        }
    }
}

impl From<Failure> for Output {
    fn from(f: Failure) -> Self {
        Output::Failed(f)
    }
}

impl From<serde_json::Error> for Output {
    fn from(e: serde_json::Error) -> Self {
        Output::Failed(Failure::input("io_error", None, e.to_string()))
    }
}

/// The text of a file, or of standard input for `-`.
fn read(path: &Path) -> Result<String, Failure> {
    let where_ = Some(path.display().to_string());
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::input("cannot_read", where_, format!("standard input: {e}")))?;
        return Ok(text);
    }
    std::fs::read_to_string(path).map_err(|e| {
        Failure::input(
            "cannot_read",
            where_,
            format!("cannot read `{}`: {e}", path.display()),
        )
    })
}

/// The bytes of a file, or of standard input for `-` (read to its end).
fn read_bytes(path: &Path) -> Result<Vec<u8>, Failure> {
    let where_ = Some(path.display().to_string());
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::input("cannot_read", where_, format!("standard input: {e}")))?;
        return Ok(bytes);
    }
    std::fs::read(path).map_err(|e| {
        Failure::input(
            "cannot_read",
            where_,
            format!("cannot read `{}`: {e}", path.display()),
        )
    })
}

fn load_plan(path: Option<&Path>) -> Result<Plan, Failure> {
    match path {
        Some(p) => plan_from_text(&read(p)?, &p.display().to_string()),
        None => plan_from_text(plan_rules::plan::XICHENG_2016_2020_JSON, "embedded plan"),
    }
}

/// A rule set from its text (`name` says where it came from, in messages).
fn plan_from_text(text: &str, name: &str) -> Result<Plan, Failure> {
    Plan::from_json(text).map_err(|errors| {
        let mut msg = format!("rule set `{name}` has {} problem(s):", errors.len());
        for e in errors.iter() {
            msg.push_str(&format!("\n  [{}] {e}", e.code()));
        }
        let first = errors.iter().next();
        let code = first.map_or("invalid_rule", |e| e.code());
        let location = first.and_then(|e| e.path()).map(str::to_string);
        Failure::input(code, location.or(Some(name.to_string())), msg)
    })
}

fn load_data(path: Option<&Path>) -> Result<Dataset, Failure> {
    match path {
        Some(p) => Dataset::from_json(&read(p)?).map_err(|e| {
            Failure::input(
                e.code(),
                e.path()
                    .map(str::to_string)
                    .or(Some(p.display().to_string())),
                format!("dataset `{}`: [{}] {e}", p.display(), e.code()),
            )
        }),
        None => Dataset::from_json(plan_rules::SAMPLE_DATA_JSON)
            .map_err(|e| Failure::input(e.code(), None, format!("embedded sample: {e}"))),
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

fn colour_wanted(choice: ColorArg) -> bool {
    match choice {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

fn run(cli: Cli) -> Result<ExitCode, Output> {
    let mut stdout = std::io::stdout().lock();
    let (format, lang) = (cli.format, language(cli.lang));
    match cli.command {
        Command::Report {
            data,
            plan,
            as_of,
            audit_log: log,
            no_trail,
            obligation,
            fail_on,
            data_format,
            kind,
            group_by,
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
            let read_as = match (data_format, data.as_deref()) {
                (Some(f), _) => f,
                (None, Some(p)) => {
                    let ext = p
                        .extension()
                        .map(|e| e.to_string_lossy().to_ascii_lowercase());
                    match ext.as_deref() {
                        Some("csv") => DataFormat::Csv,
                        Some("parquet") => DataFormat::Parquet,
                        _ => DataFormat::Json,
                    }
                }
                (None, None) => DataFormat::Json,
            };
            if (group_by.is_some() || kind.is_some()) && read_as == DataFormat::Json {
                let flag = if group_by.is_some() {
                    "--group-by"
                } else {
                    "--kind"
                };
                return Err(Failure::usage(
                    "invalid_request",
                    Some(flag.into()),
                    "--group-by and --kind read an entity table (--data table.csv or \
                     table.parquet, or --data-format csv or parquet)"
                        .into(),
                )
                .into());
            }
            let progress = Progress::new(cli.progress);
            progress.step(match data.as_deref() {
                Some(p) if p != Path::new("-") => format!("reading {}", p.display()),
                Some(_) => "reading standard input".to_string(),
                None => "reading the sample dataset".to_string(),
            });
            let dataset = if read_as == DataFormat::Json {
                load_data(data.as_deref())?
            } else {
                let path = data.as_deref().unwrap_or(Path::new("-"));
                let (entity, by) =
                    load_table(path, read_as, kind.as_deref(), &plan, group_by.as_deref())?;
                if let (Some(by), Some(column)) = (by, group_by.as_deref()) {
                    return report_groups(
                        &plan,
                        entity,
                        &by,
                        column,
                        as_of.as_deref(),
                        no_trail,
                        obligation,
                        &fail_on,
                        format,
                        lang,
                        &progress,
                        &mut stdout,
                    );
                }
                let mut dataset = Dataset::default();
                plan_rules::batch::add_entity_table(&mut dataset, entity)
                    .map_err(|e| data_failure(&e, path))?;
                dataset
            };
            report_one(
                &plan,
                &dataset,
                as_of.as_deref(),
                no_trail,
                obligation,
                log,
                &fail_on,
                format,
                lang,
                cli.color,
                &progress,
                &mut stdout,
            )
        }
        _ => run_other(cli.command, format, lang, &mut stdout),
    }
}

fn data_failure(e: &plan_rules::DataError, path: &Path) -> Failure {
    Failure::input(
        e.code(),
        e.path()
            .map(str::to_string)
            .or(Some(path.display().to_string())),
        format!("dataset `{}`: [{}] {e}", path.display(), e.code()),
    )
}

/// An entity table (CSV or Parquet), and the group of each row when one is asked for.
fn load_table(
    path: &Path,
    format: DataFormat,
    kind: Option<&str>,
    plan: &Plan,
    group_by: Option<&str>,
) -> Result<
    (
        plan_rules::batch::EntityTable,
        Option<plan_rules::batch::Labels>,
    ),
    Failure,
> {
    let source = path.display().to_string();
    let table = if format == DataFormat::Parquet {
        parquet_table::read(read_bytes(path)?, &source)
    } else {
        csv_table::read(&read(path)?, &source)
    };
    let table = table
        .and_then(|t| table::entity_table(t, kind, plan, group_by))
        .map_err(|e| {
            Failure::input(
                e.code,
                Some(e.location.clone()),
                format!("{}: {}", e.location, e.message),
            )
        })?;
    Ok(table)
}

fn resolve(plan: &Plan, as_of: Option<&str>) -> Result<(Date, Option<String>), Failure> {
    let (as_of, review) = plan_rules::ffi::resolve_as_of(plan, as_of).map_err(|e| {
        Failure::usage(
            &e.code,
            Some("--as-of".into()),
            format!("--as-of: [{}] {}", e.code, e.message),
        )
    })?;
    Ok((as_of, review.map(str::to_string)))
}

fn fail_on_found(
    fail_on: &[FailOn],
    statuses: impl Iterator<Item = Status>,
    what: &str,
) -> ExitCode {
    let wanted: Vec<Status> = fail_on.iter().map(|f| f.status()).collect();
    let found = statuses.filter(|s| wanted.contains(s)).count();
    if found > 0 {
        eprintln!(
            "{found} {what} {} (--fail-on)",
            fail_on
                .iter()
                .map(|f| f.status().as_str())
                .collect::<Vec<_>>()
                .join(" or ")
        );
        return ExitCode::from(FINDINGS);
    }
    ExitCode::SUCCESS
}

/// Each group of a table's rows evaluated as its own dataset: one tidy table.
#[allow(clippy::too_many_arguments)]
fn report_groups(
    plan: &Plan,
    entity: plan_rules::batch::EntityTable,
    by: &plan_rules::batch::Labels,
    column: &str,
    as_of: Option<&str>,
    no_trail: bool,
    obligation: Option<ObligationArg>,
    fail_on: &[FailOn],
    format: Format,
    lang: Language,
    progress: &Progress,
    stdout: &mut impl Write,
) -> Result<ExitCode, Output> {
    let (as_of, _review) = resolve(plan, as_of)?;
    let input = |e: plan_rules::DataError| {
        Failure::input(e.code(), e.path().map(str::to_string), e.to_string())
    };
    let groups = plan_rules::groups::split_table(entity, by, column).map_err(input)?;
    let mut datasets = Vec::with_capacity(groups.len());
    for (group, rows) in groups {
        let mut data = Dataset::default();
        plan_rules::batch::add_entity_table(&mut data, rows).map_err(input)?;
        datasets.push((group, data));
    }
    let options = EvaluateOptions::default()
        .with_trail(!no_trail)
        .with_obligation(obligation.map(Obligation::from));
    let total = datasets.len();
    progress.step(format!("evaluating 0/{total} groups"));
    let done = |done: usize| {
        progress.step(format!("evaluating {done}/{total} groups"));
        true
    };
    // The tidy table has no column for the datasets' hashes: they are not computed.
    let reports =
        plan_rules::groups::evaluate_groups_unhashed_with(plan, &datasets, as_of, options, &done)
            .unwrap_or_default();
    progress.step("writing the table");
    let rows =
        plan_rules::groups::tidy_results(reports.iter().map(|(g, r)| (g.as_str(), r.results())));
    let text = match format {
        Format::Json => {
            let mut t = serde_json::to_string_pretty(&rows).unwrap_or_default();
            t.push('\n');
            t
        }
        Format::Markdown | Format::Text => group_table(&rows, column, format, lang),
    };
    progress.finish();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(fail_on_found(
        fail_on,
        rows.iter().map(|r| r.status),
        "group result(s)",
    ))
}

/// The tidy table for people: text columns or a Markdown table.
fn group_table(
    rows: &[plan_rules::groups::GroupRow],
    column: &str,
    format: Format,
    lang: Language,
) -> String {
    let num = |n: Option<plan_rules::Num>| n.map(|n| n.to_string()).unwrap_or_default();
    let count = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
    let header: Vec<String> = [
        column,
        "target",
        "status",
        "observed",
        "goal",
        "gap",
        "unit",
        "population",
        "met",
        "unmet",
        "missing",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut cells: Vec<Vec<String>> = vec![header];
    for r in rows {
        cells.push(vec![
            r.group.clone(),
            r.target.clone(),
            match lang {
                Language::Zh => r.status.label().zh,
                Language::En => r.status.label().en,
                Language::Both => format!("{} {}", r.status.label().zh, r.status.label().en),
            },
            num(r.observed),
            num(r.goal),
            num(r.gap),
            r.unit.clone().unwrap_or_default(),
            count(r.population),
            count(r.met),
            count(r.unmet),
            count(r.missing),
        ]);
    }
    let mut out = String::new();
    if format == Format::Markdown {
        for (i, row) in cells.iter().enumerate() {
            out.push_str(&format!("| {} |\n", row.join(" | ")));
            if i == 0 {
                out.push_str(&format!("|{}\n", "---|".repeat(row.len())));
            }
        }
        return out;
    }
    let widths: Vec<usize> = (0..cells.first().map_or(0, Vec::len))
        .map(|c| {
            cells
                .iter()
                .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in &cells {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w.saturating_sub(c.chars().count()))))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// One dataset's report, written, logged, and checked against `--fail-on`.
#[allow(clippy::too_many_arguments)]
fn report_one(
    plan: &Plan,
    data: &Dataset,
    as_of: Option<&str>,
    no_trail: bool,
    obligation: Option<ObligationArg>,
    log: Option<PathBuf>,
    fail_on: &[FailOn],
    format: Format,
    lang: Language,
    color: ColorArg,
    progress: &Progress,
    stdout: &mut impl Write,
) -> Result<ExitCode, Output> {
    let (as_of, review) = resolve(plan, as_of)?;
    let obligation = obligation.map(Obligation::from);
    let options = EvaluateOptions::default()
        .with_trail(!no_trail)
        .with_obligation(obligation);
    let total = plan
        .targets
        .iter()
        .filter(|t| obligation.is_none_or(|o| t.obligation == Some(o)))
        .count();
    progress.step(format!("evaluating 0/{total} targets"));
    let done = |done: usize| {
        progress.step(format!("evaluating {done}/{total} targets"));
        true
    };
    // Every core judges; the dataset is hashed while the JSON is written. The hook never
    // cancels, so there is always a report.
    let judged = plan_rules::eval::evaluate_unhashed(plan, data, as_of, options, &done)
        .map(|r| r.for_review(plan, review.as_deref()));
    progress.step("writing the report");
    let (report, text) = match (judged, format) {
        (Some(judged), Format::Json) => judged.finish_to_json(data),
        (judged, format) => {
            let report = match judged {
                Some(judged) => judged.finish(data),
                None => plan_rules::evaluate(plan, data, as_of, options)
                    .for_review(plan, review.as_deref()),
            };
            let text = match format {
                Format::Json => report.to_json(),
                Format::Markdown => render::markdown(&report, lang),
                Format::Text => render::table(&report, lang, colour_wanted(color)),
            };
            (report, text)
        }
    };
    progress.finish();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    if let Some(path) = log {
        let existing = if path.exists() {
            read(&path)?
        } else {
            String::new()
        };
        let line = audit_log::append(&existing, &report, &now_rfc3339()).map_err(|e| {
            Failure::input(e.code(), Some(path.display().to_string()), e.to_string())
        })?;
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut f| f.write_all(line.as_bytes()).and_then(|()| f.sync_all()));
        written.map_err(|e| {
            Failure::input(
                "cannot_write",
                Some(path.display().to_string()),
                format!("cannot append to `{}`: {e}", path.display()),
            )
        })?;
        eprintln!("appended entry to {}", path.display());
    }
    Ok(fail_on_found(
        fail_on,
        report.results.iter().map(|r| r.status),
        "target(s)",
    ))
}

/// The commands other than `report`.
fn run_other(
    command: Command,
    format: Format,
    lang: Language,
    stdout: &mut impl Write,
) -> Result<ExitCode, Output> {
    match command {
        Command::Report { .. } => Ok(ExitCode::SUCCESS),
        Command::Rules { plan } => {
            let plan = load_plan(plan.as_deref())?;
            let text = match format {
                Format::Json => serde_json::to_string_pretty(&plan)? + "\n",
                Format::Text | Format::Markdown => render::rules_listing(&plan, lang),
            };
            stdout.write_all(text.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { file, plan, json } => {
            let json = json || format == Format::Json;
            let text = read(&file)?;
            let value = plan_rules::wire::Json::parse(&text).map_err(|e| {
                Failure::input(
                    e.code(),
                    Some(file.display().to_string()),
                    format!("`{}`: [{}] not JSON: {e}", file.display(), e.code()),
                )
            })?;
            if value.get("targets").is_some() {
                let checked = plan_from_text(&text, &file.display().to_string())?;
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
                Failure::input(
                    e.code(),
                    e.path().map(str::to_string),
                    format!("dataset `{}`: [{}] {e}", file.display(), e.code()),
                )
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
                ExitCode::from(FINDINGS)
            })
        }
        Command::VerifyLog { file } => {
            let text = read(&file)?;
            let outcome = audit_log::verify(&text);
            if format == Format::Json {
                writeln!(stdout, "{}", serde_json::to_string_pretty(&outcome)?)?;
            } else if outcome.problem.is_none() {
                writeln!(
                    stdout,
                    "ok: {} entries verify; head {}",
                    outcome.verified, outcome.head
                )?;
            }
            match &outcome.problem {
                None => Ok(ExitCode::SUCCESS),
                Some(p) => {
                    if format != Format::Json {
                        eprintln!(
                            "{}: line {}: {}: {}",
                            file.display(),
                            p.line,
                            serde_json::to_value(p.kind)
                                .ok()
                                .and_then(|v| v.as_str().map(str::to_string))
                                .unwrap_or_default(),
                            p.message
                        );
                    }
                    Ok(ExitCode::from(FINDINGS))
                }
            }
        }
        Command::Schema { out } => {
            let plan_schema = serde_json::to_string_pretty(&schemars::schema_for!(Plan))? + "\n";
            let data_schema = serde_json::to_string_pretty(&schemars::schema_for!(Dataset))? + "\n";
            // What the engine writes: reports, and rule sets in their canonical form (`rules`,
            // what the content hash covers), with every decimal a string.
            let written = || {
                schemars::generate::SchemaSettings::draft2020_12()
                    .for_serialize()
                    .into_generator()
            };
            let canonical_schema = written().into_root_schema_for::<Plan>();
            let canonical_schema = serde_json::to_string_pretty(&canonical_schema)? + "\n";
            let report_schema = written().into_root_schema_for::<plan_rules::Report>();
            let report_schema = serde_json::to_string_pretty(&report_schema)? + "\n";
            match out {
                None => stdout.write_all(plan_schema.as_bytes())?,
                Some(dir) => {
                    let write = |name: &str, text: &str| {
                        std::fs::create_dir_all(&dir)
                            .and_then(|()| std::fs::write(dir.join(name), text))
                            .map_err(|e| {
                                Failure::input(
                                    "cannot_write",
                                    Some(dir.join(name).display().to_string()),
                                    e.to_string(),
                                )
                            })
                    };
                    write("plan.schema.json", &plan_schema)?;
                    write("dataset.schema.json", &data_schema)?;
                    write("plan.canonical.schema.json", &canonical_schema)?;
                    write("report.schema.json", &report_schema)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            let mut command = Cli::command();
            let mut buffer = Vec::new();
            clap_complete::generate(shell, &mut command, "plan-rules", &mut buffer);
            stdout.write_all(&buffer)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Reports a failure on standard error, as text or (with `--format json`) as a JSON object.
fn report_failure(f: &Failure, format: Format) {
    if format == Format::Json {
        let error = serde_json::json!({
            "error": {"code": f.code, "location": f.location, "message": f.message}
        });
        eprintln!("{error}");
    } else {
        eprintln!("error: {}", f.message);
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version are not errors; every usage error exits with 2.
            let code = if e.use_stderr() { USAGE } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let format = cli.format;
    match run(cli) {
        Ok(code) => code,
        Err(Output::Closed) => ExitCode::SUCCESS,
        Err(Output::Failed(f)) => {
            report_failure(&f, format);
            ExitCode::from(f.exit)
        }
    }
}
