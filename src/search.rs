//! The search index: every entity (name, aliases, summary) and every
//! paragraph of every article, as a static script.
//!
//! It is a `.js` file that sets `window.glossSearch`, not JSON fetched at
//! run time, so search works from `file://` as well as on any host. Paths are
//! relative to the site root; the search script prefixes them.

use serde::Serialize;

use crate::annotate::AnnotatedArticle;
use crate::render::article_path;
use crate::resolve::Registry;
use crate::structured::write_script_json;

/// Output path of the index.
pub const INDEX_PATH: &str = "search-index.js";

/// One search entry. Paragraphs name their article by position (`p`)
/// instead of repeating its title.
#[derive(Serialize)]
struct Entry<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    t: Option<&'a str>,
    k: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    a: Option<String>,
    s: &'a str,
    u: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    p: Option<usize>,
}

/// The contents of `search-index.js`. Serialised straight from borrowed
/// text: an archive's index runs to tens of megabytes.
pub fn search_index(registry: &Registry, articles: &[AnnotatedArticle]) -> String {
    let mut entries: Vec<Entry> = Vec::new();
    for (e, entity) in registry.entities.iter().enumerate() {
        let kind = &registry.config.kinds[entity.kind];
        entries.push(Entry {
            t: Some(&entity.name.value),
            k: &kind.singular,
            a: Some(entity.aliases.iter().map(|a| a.value.as_str()).collect::<Vec<_>>().join(" · ")),
            s: entity.summary.as_deref().unwrap_or(""),
            u: registry.entity_path(e),
            p: None,
        });
    }
    for (doc, annotated) in registry.articles.iter().zip(articles) {
        let url = article_path(&doc.slug);
        let article_entry = entries.len();
        entries.push(Entry {
            t: Some(&doc.title.value),
            k: "Article",
            a: Some(doc.byline.clone().unwrap_or_default()),
            s: doc.summary.as_deref().unwrap_or(""),
            u: url.clone(),
            p: None,
        });
        // Each paragraph links to its first mention when it has one.
        let mut first_anchor: Vec<Option<&str>> = vec![None; annotated.blocks.len()];
        for mention in &annotated.mentions {
            first_anchor[mention.block].get_or_insert(&mention.anchor);
        }
        for (block, text) in annotated.blocks.iter().enumerate().skip(1) {
            if text.trim().is_empty() {
                continue;
            }
            let target = match first_anchor[block] {
                Some(anchor) => format!("{url}#{anchor}"),
                None => url.clone(),
            };
            entries.push(Entry { t: None, k: "Text", a: None, s: text.trim(), u: target, p: Some(article_entry) });
        }
    }
    let mut out = Vec::with_capacity(entries.iter().map(|e| e.s.len() + e.u.len() + 40).sum());
    out.extend_from_slice(b"window.glossSearch = ");
    write_script_json(&mut out, &entries);
    out.extend_from_slice(b";\n");
    String::from_utf8(out).expect("JSON is UTF-8")
}
