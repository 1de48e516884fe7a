//! Feeds arbitrary bytes through front-matter parsing, annotation and
//! rendering of an in-memory site. The input is split at NUL bytes into the
//! article, an entity file and site.yaml; a build must succeed or return
//! errors, never panic.
#![no_main]

use std::path::PathBuf;

use gloss::diagnostic::Diagnostics;
use gloss::{SiteSources, SourceFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\0');
    let article = parts.next().unwrap_or("");
    let entity = parts.next().unwrap_or("---\nname: Kim Jong-il\naliases: [Kim]\n---\nLeader.\n");
    let site_yaml = parts.next().unwrap_or("title: Fuzz\n");
    let file = |path: &str, text: String| SourceFile { path: PathBuf::from(path), text };
    let sources = SiteSources {
        site_yaml: Some(file("content/site.yaml", site_yaml.to_string())),
        content: vec![
            file("content/articles/a.md", format!("---\ntitle: Fuzz\n---\n{article}")),
            file("content/articles/raw.md", article.to_string()),
            file("content/people/kim.md", entity.to_string()),
            file("content/places/pyongyang.md", "---\nname: Pyongyang\ncoordinates: [39.02, 125.75]\n---\nA city.\n".into()),
        ],
        templates: Vec::new(),
        static_files: Vec::new(),
        ..SiteSources::default()
    };
    let _ = gloss::render_sources(sources, Diagnostics::default());
});
