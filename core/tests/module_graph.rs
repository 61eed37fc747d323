//! The core's modules import each other in one direction only: this test reads every source
//! file of `core/src`, takes the paths its code uses (`crate::…`, `super::…`, a `mod.rs`'s own
//! children; comments and unit-test modules left out), resolves each to the file that defines
//! it, and fails on any cycle between the core's modules (`eval`, `rules`, `wire`, …), naming
//! it. The files of one module's folder (`row/block.rs` and `row.rs`) are that module: they may
//! refer to each other.
//!
//! The layers, bottom to top, are written down in `core/src/lib.rs`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, as module paths (`wire/json` for `wire/json.rs`, `wire` for
/// `wire/mod.rs`) with their text.
fn sources(dir: &Path, prefix: &str, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if path.is_dir() {
            sources(&path, &format!("{prefix}{name}/"), out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let module = match name.as_str() {
                "mod" => prefix.trim_end_matches('/').to_string(),
                "lib" if prefix.is_empty() => "lib".to_string(),
                _ => format!("{prefix}{name}"),
            };
            out.insert(module, std::fs::read_to_string(&path).unwrap());
        }
    }
}

/// The code of a file: no comment lines, no `#[cfg(test)]` module.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules a file's code names: `crate::` paths (including `use crate::{a, b::c}`),
/// `super::` paths, and in a `mod.rs` its children's paths (`pub use child::X`). `module` is the
/// file's own module path (`wire/json`), `is_mod` whether it is a `mod.rs`.
fn imports_of(
    code: &str,
    module: &str,
    is_mod: bool,
    modules: &BTreeSet<String>,
) -> BTreeSet<String> {
    let parent = module.rsplit_once('/').map_or("", |(p, _)| p);
    let mut out = imports(code, "crate::", "", modules);
    let below = |base: &str| {
        if base.is_empty() {
            String::new()
        } else {
            format!("{base}::")
        }
    };
    // `super::` from `a/b.rs` is `a`; from `a/b/mod.rs` (module `a/b`) it is `a` too.
    let sup = if is_mod {
        parent
    } else {
        module.rsplit_once('/').map_or("", |(p, _)| p)
    };
    out.extend(imports(
        code,
        "super::",
        &below(&sup.replace('/', "::")),
        modules,
    ));
    if is_mod {
        let own = module.replace('/', "::");
        for child in modules
            .iter()
            .filter_map(|m| m.strip_prefix(&format!("{module}/")))
        {
            if !child.contains('/') {
                out.extend(imports(
                    code,
                    &format!("{child}::"),
                    &format!("{own}::{child}::"),
                    modules,
                ));
                out.extend(imports(
                    code,
                    &format!("use {child}::"),
                    &format!("{own}::{child}::"),
                    modules,
                ));
            }
        }
    }
    out
}

/// The modules named by paths that follow `marker`, read as `prefix` + the rest.
fn imports(code: &str, marker: &str, prefix: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find(marker) {
        // A marker inside a longer name (`my_child::`) is not one.
        let before = rest[..i].chars().next_back();
        rest = &rest[i + marker.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        // A path, or a brace group of paths.
        let end = rest
            .find(|c: char| {
                !(c.is_alphanumeric()
                    || c == '_'
                    || c == ':'
                    || c == '{'
                    || c == '}'
                    || c == ','
                    || c == ' '
                    || c == '\n')
            })
            .unwrap_or(rest.len());
        let group = &rest[..end];
        for path in expand(group) {
            if let Some(m) = resolve(&format!("{prefix}{path}"), modules) {
                out.insert(m);
            }
        }
    }
    out
}

/// `a::{b, c::d}` as `a::b`, `a::c::d` (one level of braces is all the code uses).
fn expand(group: &str) -> Vec<String> {
    let group = group.split(';').next().unwrap_or(group);
    match (group.find('{'), group.rfind('}')) {
        (Some(open), Some(close)) if open < close => {
            let head = &group[..open];
            group[open + 1..close]
                .split(',')
                .map(|p| format!("{head}{}", p.trim()))
                .collect()
        }
        _ => vec![
            group
                .split([',', ' ', '\n', '}'])
                .next()
                .unwrap_or("")
                .to_string(),
        ],
    }
}

/// The deepest module a `a::b::c` path names.
fn resolve(path: &str, modules: &BTreeSet<String>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("/"))
        .find(|m| modules.contains(m))
}

/// A cycle in the graph, if there is one (depth-first search).
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next.as_str()) {
                Some(1) => {
                    let from = stack.iter().position(|n| n == next).unwrap();
                    let mut found = stack[from..].to_vec();
                    found.push(next.clone());
                    return Some(found);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(next, graph, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if !state.contains_key(node.as_str())
            && let Some(c) = visit(node, graph, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

/// A file's module: the first step of its path (`row` for `row/block`).
fn top(module: &str) -> String {
    module.split('/').next().unwrap_or(module).to_string()
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    sources(&root, "", &mut files);
    let modules: BTreeSet<String> = files.keys().cloned().collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, text) in files.iter().filter(|(m, _)| m.as_str() != "lib") {
        let is_mod = text.contains("\nmod ")
            || text.contains("\npub mod ")
            || text.contains("\npub(crate) mod ");
        let deps = graph.entry(top(m)).or_default();
        for d in imports_of(&code(text), m, is_mod, &modules) {
            if top(&d) != top(m) && d != "lib" {
                deps.insert(top(&d));
            }
        }
    }
    graph
}

#[test]
fn the_core_s_modules_import_each_other_in_one_direction() {
    let graph = graph();
    assert!(graph.len() > 25, "only {} modules found", graph.len());
    if let Some(c) = cycle(&graph) {
        panic!(
            "the core's modules import each other in a cycle: {}",
            c.join(" -> ")
        );
    }
}

#[test]
fn the_checker_finds_a_cycle_and_reads_brace_groups() {
    let modules: BTreeSet<String> = ["a", "b", "c/d"].iter().map(|s| s.to_string()).collect();
    let deps = imports_of(
        "use crate::{a::X, c::d::{Y, Z}};\nfn f() { crate::b::g(); }",
        "e",
        false,
        &modules,
    );
    assert_eq!(
        deps,
        ["a", "b", "c/d"].iter().map(|s| s.to_string()).collect()
    );
    // `super::` from a file in `c`, and a `mod.rs`'s own children.
    let deps = imports_of("use super::d::Y;", "c/e", false, &modules);
    assert_eq!(deps, ["c/d"].iter().map(|s| s.to_string()).collect());
    let deps = imports_of("pub use d::{Y, Z};", "c", true, &modules);
    assert_eq!(deps, ["c/d"].iter().map(|s| s.to_string()).collect());
    let mut g = BTreeMap::new();
    g.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    g.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    g.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(cycle(&g).unwrap(), ["a", "b", "c", "a"]);
    g.insert("c".to_string(), BTreeSet::new());
    assert_eq!(cycle(&g), None);
}
