//! Property tests: whatever the text, a build either succeeds with a sound
//! site or fails with located errors. It never panics.

use std::path::PathBuf;

use gloss::diagnostic::Diagnostics;
use gloss::{SiteSources, SourceFile};
use proptest::prelude::*;

/// Pieces that exercise the annotator: aliases (some shared), Markdown
/// syntax, mention links, footnotes, raw HTML, awkward Unicode.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Kim".to_string()),
        Just("Kim Yong Sam".to_string()),
        Just("Kim’s".to_string()),
        Just("the North".to_string()),
        Just("the north".to_string()),
        Just("Putin".to_string()),
        Just("[the leader](@kim)".to_string()),
        Just("[x](@kim,putin)".to_string()),
        Just("[x](@nobody)".to_string()),
        Just("[Kim](@)".to_string()),
        Just("[link](https://example.org)".to_string()),
        Just("[bad](javascript:alert(1))".to_string()),
        Just("`Kim`".to_string()),
        Just("```\nKim\n```".to_string()),
        Just("*".to_string()),
        Just("**".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("(".to_string()),
        Just("[^n]".to_string()),
        Just("[@src]".to_string()),
        Just("[@nobody; @src]".to_string()),
        Just("\n\n[^n]: a note on Kim\n\n".to_string()),
        Just("<b>".to_string()),
        Just("</script>".to_string()),
        Just("\n\n".to_string()),
        Just("\n- ".to_string()),
        Just("\n> ".to_string()),
        Just("\n# ".to_string()),
        Just("| a | b |\n|---|---|\n| Kim | Putin |".to_string()),
        Just(". ".to_string()),
        Just("\u{2028}".to_string()),
        Just("e\u{301}".to_string()),
        Just("\r\n".to_string()),
        Just("\t".to_string()),
        "[a-zA-Z]{1,8}",
        "\\PC{1,4}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..40).prop_map(|p| p.join(" "))
}

fn entity(name: &str, aliases: &[String], related: &str, body: &str) -> String {
    let aliases: Vec<String> = aliases.iter().map(|a| format!("{a:?}")).collect();
    format!("---\nname: {name}\naliases: [{}]\nsummary: s\nrelated: [{related}]\n---\n{body}\n", aliases.join(", "))
}

fn site(article: &str, title: &str, kim_aliases: &[String], putin_aliases: &[String], body: &str) -> SiteSources {
    site_with_annotations(article, title, kim_aliases, putin_aliases, body, None)
}

fn site_with_annotations(
    article: &str,
    title: &str,
    kim_aliases: &[String],
    putin_aliases: &[String],
    body: &str,
    annotations: Option<String>,
) -> SiteSources {
    let file = |path: &str, text: String| SourceFile { path: PathBuf::from(path), text };
    let sources = "sources: [{id: src, title: A source}]";
    let mut extra = Vec::new();
    if let Some(yaml) = annotations {
        extra.push(file("content/articles/a.annotations.yaml", yaml));
    }
    SiteSources {
        site_yaml: Some(file("content/site.yaml", "title: Property\nlints: {unsourced_fact: warn}\n".into())),
        content: vec![
            file("content/articles/a.md", format!("---\ntitle: {title:?}\n{sources}\n---\n{article}\n")),
            file("content/people/kim.md", entity("Kim Jong-il", kim_aliases, "putin", body)),
            file("content/people/putin.md", entity("Vladimir Putin", putin_aliases, "kim", "President.")),
            file("content/people/kim-yong-sam.md", entity("Kim Yong-sam", &["Kim Yong Sam".into()], "", "x")),
        ]
        .into_iter()
        .chain(extra)
        .collect(),
        templates: Vec::new(),
        static_files: Vec::new(),
        ..SiteSources::default()
    }
}

fn aliases() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(prop_oneof![Just("Kim".to_string()), Just("the North".to_string()), "[a-z]{1,6}"], 0..3)
}

/// The site builds and checks clean, or fails with errors each in a file.
fn sound_or_located(sources: SiteSources) -> Result<(), TestCaseError> {
    match gloss::render_sources(sources, Diagnostics::default()) {
        Ok(site) => {
            let (problems, _) = site.check();
            let shown: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
            prop_assert!(problems.is_empty(), "{}", shown.join("\n"));
        }
        Err(diagnostics) => {
            prop_assert!(diagnostics.has_errors());
            for d in diagnostics.0.iter().filter(|d| d.is_error()) {
                prop_assert!(d.path.is_some(), "an error without a file: {}", d);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn any_text_builds_a_sound_site_or_fails_with_located_errors(
        article in text(),
        title in text(),
        kim in aliases(),
        putin in aliases(),
        body in text(),
    ) {
        sound_or_located(site(&article, &title, &kim, &putin, &body))?;
    }

    /// Stand-off annotations quoting anything (pieces of the text or not),
    /// of any kind, at any occurrence: the site builds soundly, or fails
    /// with errors located in a file.
    #[test]
    fn any_stand_off_annotations_build_a_sound_site_or_fail_with_located_errors(
        article in text(),
        quotes in prop::collection::vec((piece(), 0..4usize, 0..4usize), 0..6),
    ) {
        let mut yaml = String::new();
        for (quote, kind, occurrence) in &quotes {
            yaml.push_str(&format!("- quote: {quote:?}\n"));
            if *occurrence > 0 {
                yaml.push_str(&format!("  occurrence: {occurrence}\n"));
            }
            yaml.push_str(match kind {
                0 => "  entity: kim\n",
                1 => "  entity: []\n",
                2 => "  note: A note [@src] on *it*.\n",
                _ => "  should_read: \"<Kim & co>\"\n  entity: putin\n",
            });
        }
        let sources = site_with_annotations(&article, "T", &[], &[], "x", Some(yaml));
        sound_or_located(sources)?;
    }
}
