//! The search index: every entity (name, aliases, summary) and every
//! paragraph of every article, as a static script.
//!
//! It is a `.js` file that sets `window.glossSearch`, not JSON fetched at
//! run time, so search works from `file://` as well as on any host. Paths are
//! relative to the site root; the search script prefixes them.

use serde_json::{json, Value};

use crate::annotate::AnnotatedArticle;
use crate::render::article_path;
use crate::resolve::Registry;
use crate::structured::script_json;

/// Output path of the index.
pub const INDEX_PATH: &str = "search-index.js";

/// The contents of `search-index.js`.
pub fn search_index(registry: &Registry, articles: &[AnnotatedArticle]) -> String {
    let mut entries: Vec<Value> = Vec::new();
    for (e, entity) in registry.entities.iter().enumerate() {
        let kind = &registry.config.kinds[entity.kind];
        entries.push(json!({
            "t": entity.name.value,
            "k": kind.singular,
            "a": entity.aliases.iter().map(|a| a.value.as_str()).collect::<Vec<_>>().join(" · "),
            "s": entity.summary.as_deref().unwrap_or(""),
            "u": registry.entity_path(e),
        }));
    }
    for (doc, annotated) in registry.articles.iter().zip(articles) {
        let url = article_path(&doc.slug);
        let article_entry = entries.len();
        entries.push(json!({
            "t": doc.title.value,
            "k": "Article",
            "a": doc.byline.as_deref().unwrap_or(""),
            "s": doc.summary.as_deref().unwrap_or(""),
            "u": url,
        }));
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
            // `p` points at the article's own entry, for its title.
            entries.push(json!({"p": article_entry, "k": "Text", "s": text.trim(), "u": target}));
        }
    }
    format!("window.glossSearch = {};\n", script_json(&Value::Array(entries)))
}
