//! Editors' mistakes: every case is caught, located and explained.

use std::fs;
use std::path::Path;
use std::process::Command;

use gloss::diagnostic::{Code, Diagnostic, Severity};

use crate::support::fixture;

/// The diagnostics of building a fixture that must fail.
fn errors_of(case: &str) -> Vec<Diagnostic> {
    match gloss::render_site(&fixture(&format!("invalid/{case}"))) {
        Ok(_) => panic!("invalid/{case} built without errors"),
        Err(diagnostics) => diagnostics.0.into_iter().filter(|d| d.severity == Severity::Error).collect(),
    }
}

/// Asserts the only error of `case` has this code, file, line and column.
fn expect_one(case: &str, code: Code, path: &str, line: usize, column: usize) -> Diagnostic {
    let errors = errors_of(case);
    assert_eq!(errors.len(), 1, "{case}: {errors:#?}");
    let error = errors.into_iter().next().unwrap();
    assert_eq!(error.code, code, "{case}: {error}");
    let location = error.location.as_ref().unwrap_or_else(|| panic!("{case}: no location: {error}"));
    assert_eq!(location.path, Path::new(path), "{case}");
    assert_eq!((location.line, location.column), (line, column), "{case}: {error}");
    error
}

#[test]
fn yaml_syntax_error() {
    let e = expect_one("yaml-syntax", Code::YamlSyntax, "content/people/kim-jong-il.md", 4, 32);
    assert!(e.message.contains("front matter ends before it is closed"));
}

#[test]
fn front_matter_never_closed() {
    expect_one("unclosed-front-matter", Code::UnclosedFrontMatter, "content/people/kim-jong-il.md", 1, 1);
}

#[test]
fn unknown_field_with_did_you_mean() {
    let e = expect_one("unknown-field", Code::UnknownField, "content/people/kim-jong-il.md", 3, 1);
    assert_eq!(e.hint.as_deref(), Some("did you mean `aliases`?"));
}

#[test]
fn missing_name() {
    expect_one("missing-name", Code::MissingField, "content/people/kim-jong-il.md", 2, 1);
}

#[test]
fn aliases_given_as_a_number() {
    // At the number, not at the key.
    expect_one("wrong-type", Code::InvalidValue, "content/people/kim-jong-il.md", 3, 10);
}

#[test]
fn coordinates_out_of_range() {
    // At the latitude out of range, `[131.89, 43.12]`, not at the key.
    expect_one("coordinates-out-of-range", Code::InvalidValue, "content/places/vladivostok.md", 4, 15);
}

#[test]
fn longitude_out_of_range() {
    expect_one("longitude-out-of-range", Code::InvalidValue, "content/places/vladivostok.md", 4, 22);
}

#[test]
fn an_item_that_repeats_text_of_the_one_before_is_located_itself() {
    // `related: [vladimir-putin, putin]`: at the second item, not inside the first.
    let e = expect_one("related-repeats-text", Code::UnknownEntity, "content/people/kim-jong-il.md", 5, 27);
    assert_eq!(e.location.unwrap().span_chars, "putin".len());
}

#[test]
fn unknown_field_inside_a_role() {
    let e = expect_one("unknown-role-field", Code::UnknownField, "content/people/kim-jong-il.md", 6, 58);
    assert_eq!(e.hint.as_deref(), Some("did you mean `from`?"));
}

#[test]
fn a_key_given_twice_is_reported_at_the_second() {
    let e = expect_one("duplicate-key", Code::YamlSyntax, "content/people/kim-jong-il.md", 5, 1);
    assert!(e.message.contains("`aliases` is given twice"), "{e}");
    assert_eq!(e.hint.as_deref(), Some("it is first given on line 3: keep one of them"));
}

#[test]
fn a_kind_declared_twice_is_reported_at_the_second() {
    let e = expect_one("duplicate-kind", Code::InvalidValue, "content/site.yaml", 5, 10);
    assert!(e.message.contains("declared twice"), "{e}");
}

#[test]
fn unknown_lint_in_site_yaml() {
    let e = expect_one("unknown-lint", Code::UnknownField, "content/site.yaml", 4, 3);
    assert_eq!(e.hint.as_deref(), Some("did you mean `missing_summary`?"));
}

#[test]
fn bad_lint_level_in_site_yaml() {
    // At the level, not at the lint's name.
    let e = expect_one("bad-lint-level", Code::InvalidValue, "content/site.yaml", 4, 20);
    assert!(e.message.contains("not `off`"), "{e}");
}

#[test]
fn file_name_that_is_not_a_slug() {
    let e = expect_one("invalid-id", Code::InvalidId, "content/people/Vladimir_Putin.md", 1, 1);
    assert!(e.hint.unwrap().contains("vladimir-putin.md"));
}

#[test]
fn same_id_in_two_kinds() {
    let e = expect_one("duplicate-id", Code::DuplicateId, "content/places/kim-jong-il.md", 1, 1);
    assert!(e.message.contains("content/people/kim-jong-il.md"));
}

#[test]
fn alias_claimed_twice_and_used_unsettled() {
    // "Kim" comes before either Kim is named: nothing settles it.
    let e = expect_one("ambiguous-alias", Code::AmbiguousAlias, "content/articles/trip.md", 4, 17);
    assert!(e.message.contains("kim-jong-il") && e.message.contains("kim-yong-sam"), "{e}");
    // The hint offers every candidate, not one of them.
    let hint = e.hint.as_deref().unwrap_or_default();
    assert!(hint.contains("[Kim](@kim-jong-il)") && hint.contains("[Kim](@kim-yong-sam)"), "{hint}");
}

#[test]
fn explicit_mention_of_an_unknown_id() {
    let e = expect_one("unknown-mention-id", Code::UnknownEntity, "content/articles/trip.md", 4, 34);
    assert_eq!(e.hint.as_deref(), Some("did you mean `vladimir-putin`?"));
}

#[test]
fn related_names_an_unknown_id() {
    expect_one("unknown-related", Code::UnknownEntity, "content/people/kim-jong-il.md", 5, 27);
}

#[test]
fn file_that_is_not_utf8() {
    expect_one("not-utf8", Code::NotUtf8, "content/people/kim-jong-il.md", 3, 33);
}

#[test]
fn article_with_no_body() {
    expect_one("empty-article", Code::EmptyArticle, "content/articles/trip.md", 4, 1);
}

#[test]
fn template_syntax_error() {
    let e = expect_one("template-syntax", Code::Template, "templates/entity.html", 3, 20);
    assert!(e.message.contains("entity.html"));
}

#[test]
fn template_using_an_undefined_variable() {
    let e = expect_one("template-undefined", Code::Template, "templates/kind.html", 4, 12);
    assert!(e.message.contains("motto"), "{e}");
}

#[test]
fn every_error_in_every_file_at_once() {
    let errors = errors_of("many-errors");
    let places: Vec<(String, usize)> = errors
        .iter()
        .map(|e| {
            let l = e.location.as_ref().unwrap();
            (l.path.display().to_string(), l.line)
        })
        .collect();
    assert_eq!(
        places,
        [
            ("content/articles/trip.md".to_string(), 4),
            ("content/people/kim-jong-il.md".to_string(), 3),
            ("content/places/vladivostok.md".to_string(), 3)
        ]
    );
    // `@putin` is no id, but it spells an alias of one.
    assert_eq!(errors[0].hint.as_deref(), Some("did you mean `vladimir-putin`?"));
}

#[test]
fn warnings_are_located_and_do_not_fail_a_build() {
    let site = gloss::render_site(&fixture("warnings")).expect("warnings never fail a build");
    let codes: Vec<Code> = site.warnings.0.iter().map(|d| d.code).collect();
    for code in [Code::PossibleMention, Code::UnusedAlias, Code::NeverMentioned, Code::MissingSummary] {
        assert!(codes.contains(&code), "no {code:?} in {codes:?}");
    }
    let possible = site.warnings.0.iter().find(|d| d.code == Code::PossibleMention).unwrap();
    let at = possible.location.as_ref().unwrap();
    assert_eq!((at.line, at.column), (4, 26));
}

fn gloss() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gloss"))
}

#[test]
fn printed_errors_name_file_line_and_column_then_a_count() {
    let out = gloss().args(["build", "--root"]).arg(fixture("invalid/many-errors")).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("content/articles/trip.md:4:24: error: there is no entity with id `putin`\n"),
        "{stderr}"
    );
    assert!(stderr.contains("3 | alises: [Kim]\n  | ^^^^^^"), "{stderr}");
    assert!(stderr.contains("(3 errors, 0 warnings)"), "{stderr}");
    assert!(!stderr.contains("\u{1b}["), "no colour when stderr is not a terminal");
}

#[test]
fn warnings_fail_only_strict_builds_and_checks() {
    let site = fixture("warnings");
    let out = tempfile::tempdir().unwrap();
    let build = |strict: bool| {
        let mut cmd = gloss();
        cmd.args(["build", "--root"]).arg(&site).arg("--output").arg(out.path().join("public"));
        if strict {
            cmd.arg("--strict");
        }
        cmd.output().unwrap().status.code()
    };
    assert_eq!(build(false), Some(0));
    assert_eq!(build(true), Some(1));
    let check = |strict: &[&str]| gloss().args(["check", "--root"]).arg(&site).args(strict).output().unwrap();
    let plain = check(&[]);
    assert_eq!(plain.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&plain.stderr);
    assert!(stderr.contains("0 errors, 5 warnings"), "{stderr}");
    // Each finding names its lint; the first of each says how to change it.
    assert!(stderr.contains("warning[unused_alias]: the alias `the Dear Leader`"), "{stderr}");
    assert!(stderr.contains("= note: `unused_alias` is `warn` by default"), "{stderr}");
    assert_eq!(check(&["--strict"]).status.code(), Some(1));
}

#[test]
fn check_passes_on_the_default_site_and_writes_nothing() {
    let out = gloss().args(["check", "--root"]).arg(crate::support::default_site()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("0 errors, 0 warnings"), "{stderr}");
}

#[test]
fn output_folders_that_hold_the_site_are_refused() {
    let site = fixture("warnings");
    for output in
        [site.clone(), site.join("content"), site.join("content/public"), site.parent().unwrap().to_path_buf()]
    {
        let out = gloss().args(["build", "--root"]).arg(&site).arg("--output").arg(&output).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", output.display());
        assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to write the site into"));
    }
}

#[test]
fn a_folder_gloss_did_not_write_is_not_replaced_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("mine");
    fs::create_dir(&output).unwrap();
    fs::write(output.join("thesis.txt"), "years of work").unwrap();
    let build = |force: bool| {
        let mut cmd = gloss();
        cmd.args(["build", "--root"]).arg(fixture("warnings")).arg("--output").arg(&output);
        if force {
            cmd.arg("--force");
        }
        cmd.output().unwrap().status.code()
    };
    assert_eq!(build(false), Some(1));
    assert_eq!(fs::read_to_string(output.join("thesis.txt")).unwrap(), "years of work");
    assert_eq!(build(true), Some(0));
    assert!(output.join("index.html").exists());
}

#[test]
fn a_write_error_midway_leaves_the_previous_site_and_no_litter() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    crate::support::copy_dir(&fixture("warnings"), &site);
    let output = dir.path().join("out");
    let build = || gloss().args(["build", "--root"]).arg(&site).arg("--output").arg(&output).output().unwrap();
    assert!(build().status.success());
    let before = fs::read(output.join("people/kim-jong-il.html")).unwrap();

    // A static file named like a generated folder: writing it fails after
    // every page has been written to the staging folder.
    fs::create_dir_all(site.join("static")).unwrap();
    fs::write(site.join("static/people"), "in the way").unwrap();
    let failed = build();
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("people"), "names the failing path: {stderr}");
    assert_eq!(fs::read(output.join("people/kim-jong-il.html")).unwrap(), before);
    let names: Vec<String> =
        fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    assert_eq!(names.len(), 2, "no staging litter: {names:?}");
}
