//! The shape of the code: the modules of the crate form no cycle, so each
//! stage can be read (and changed) knowing only the ones before it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module and the modules it names (`crate::x`), its tests
/// and comments left out.
fn modules() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(&src).unwrap();
        let first = relative.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        let uses = modules.entry(module.clone()).or_default();
        for line in code.lines().map(|l| l.split("//").next().unwrap()) {
            for (at, _) in line.match_indices("crate::") {
                let rest = &line[at + "crate::".len()..];
                let names: Vec<&str> = match rest.strip_prefix('{') {
                    // `use crate::{a, b::C}`: each path's first segment.
                    Some(group) => group.split(',').map(|p| p.trim().split("::").next().unwrap()).collect(),
                    None => vec![rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap()],
                };
                uses.extend(names.into_iter().filter(|n| *n != module && !n.is_empty()).map(String::from));
            }
        }
    }
    let known: BTreeSet<String> = modules.keys().cloned().collect();
    for uses in modules.values_mut() {
        uses.retain(|m| known.contains(m));
    }
    modules
}

#[test]
fn no_module_depends_on_itself_through_others() {
    let modules = modules();
    assert!(modules.len() > 15, "the modules are found: {:?}", modules.keys());
    for start in modules.keys() {
        // Depth-first: is `start` reachable from what it uses?
        let mut stack: Vec<Vec<&String>> = modules[start].iter().map(|m| vec![start, m]).collect();
        let mut seen = BTreeSet::new();
        while let Some(path) = stack.pop() {
            let last = *path.last().unwrap();
            assert!(
                last != start || path.len() == 1,
                "a cycle: {}",
                path.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(" -> ")
            );
            if last == start || !seen.insert(last) {
                continue;
            }
            for next in &modules[last] {
                let mut longer = path.clone();
                longer.push(next);
                stack.push(longer);
            }
        }
    }
}
