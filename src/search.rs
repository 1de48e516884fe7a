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

/// One search entry: an entity or an article. A paragraph names its
/// article by position (`p`) and its first mention by anchor (`h`) instead of
/// repeating the article's title, kind and address: at archive scale those
/// repeats would be a fifth of the file.
#[derive(Serialize)]
struct Entry<'a> {
    t: &'a str,
    k: &'a str,
    a: &'a str,
    s: &'a str,
    u: &'a str,
}

#[derive(Serialize)]
struct Paragraph<'a> {
    s: &'a str,
    p: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    h: Option<&'a str>,
}

/// The contents of `search-index.js`, serialised entry by entry straight
/// from borrowed text into one buffer: an archive's index runs to tens of
/// megabytes and is never held twice.
pub fn search_index(registry: &Registry, articles: &[AnnotatedArticle]) -> String {
    // Room for every entry and its JSON, so the buffer is never copied to
    // grow (pages not written to are never touched).
    let texts: usize = articles.iter().flat_map(|a| &a.blocks).map(|b| b.len() + 100).sum();
    let mut out = Vec::with_capacity(texts + registry.entities.len() * 300);
    out.extend_from_slice(b"window.glossSearch = [");
    let mut count = 0;
    for (e, entity) in registry.entities.iter().enumerate() {
        let aliases = entity.aliases.iter().map(|a| a.value.as_str()).collect::<Vec<_>>().join(" · ");
        let entry = Entry {
            t: &entity.name.value,
            k: &registry.config.kinds[entity.kind].singular,
            a: &aliases,
            s: entity.summary.as_deref().unwrap_or(""),
            u: &registry.entity_path(e),
        };
        push(&mut out, &mut count, &entry);
    }
    let mut anchors: Vec<Option<String>> = Vec::new();
    for (doc, annotated) in registry.articles.iter().zip(articles) {
        let article_entry = count;
        let entry = Entry {
            t: &doc.title.value,
            k: "Article",
            a: doc.byline.as_deref().unwrap_or(""),
            s: doc.summary.as_deref().unwrap_or(""),
            u: &article_path(&doc.slug),
        };
        push(&mut out, &mut count, &entry);
        // Each paragraph links to its first mention when it has one.
        anchors.clear();
        anchors.resize(annotated.blocks.len(), None);
        for mention in &annotated.mentions {
            anchors[mention.block].get_or_insert_with(|| mention.anchor(registry));
        }
        for (block, text) in annotated.blocks.iter().enumerate().skip(1) {
            if !text.trim().is_empty() {
                push(
                    &mut out,
                    &mut count,
                    &Paragraph { s: text.trim(), p: article_entry, h: anchors[block].as_deref() },
                );
            }
        }
    }
    out.extend_from_slice(b"];\n");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// Appends one entry to the array being written.
fn push<T: Serialize>(out: &mut Vec<u8>, count: &mut usize, entry: &T) {
    if *count > 0 {
        out.push(b',');
    }
    *count += 1;
    write_script_json(out, entry);
}
