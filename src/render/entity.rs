//! An entity's page: who or what it is, its facts and description, every
//! mention in its sentence (`paginate_mentions_by` articles a page), and
//! its relations.

use std::borrow::Cow;

use serde::Serialize;

use super::context::{link_with, KindContext, Meta};
use super::format::{authority_label, format_coordinates};
use super::input::Input;
use super::pagination::Paginator;
use super::{notes, structured, Page, Renderer, MAX_RELATED};
use crate::diagnostic::Diagnostic;
use crate::index::Form;
use crate::model::{EntityId, FactValue};
use crate::routes::{self, PageId};

#[derive(Serialize)]
struct EntityPage<'a> {
    /// The fact a preview card shows (life span, type and country…).
    key_fact: Option<String>,
    /// SVG locator map, for entities with coordinates.
    map_svg: Option<String>,
    entity: EntityContext<'a>,
    /// Mentions grouped by article: this page's articles.
    appearances: Vec<Appearance<'a>>,
    /// Mentions in all articles.
    mention_count: usize,
    paginator: Paginator,
    /// Entity links with `declared` and `co_mentions`.
    related: Vec<tera::Value>,
}

#[derive(Serialize)]
struct EntityContext<'a> {
    id: &'a str,
    name: &'a str,
    kind: KindContext<'a>,
    aliases: Vec<&'a str>,
    /// The forms the articles mention it by, most used first (`text`,
    /// `count`).
    forms: &'a [Form],
    summary: Option<&'a str>,
    description_html: Cow<'a, str>,
    /// The description's notes: `id`, `number`, `html`, `referenced`.
    notes: Vec<notes::Note<'a>>,
    facts: Vec<FactContext>,
    same_as: Vec<AuthorityLink<'a>>,
    /// What a reader can open to check it, numbered from 1 in this order;
    /// each fact and link lists the numbers of its own (`sources`).
    sources: &'a [crate::model::Source],
    coordinates: Option<[f64; 2]>,
    /// `html` (the `<img>`), `alt`, `credit`, `licence`, `licence_url`.
    image: Option<&'a crate::annotate::Portrait>,
}

#[derive(Serialize)]
struct FactContext {
    key: String,
    label: String,
    values: Vec<FactItem>,
    /// The numbers (from 1) of the sources that back it.
    sources: Vec<usize>,
}

#[derive(Serialize)]
struct FactItem {
    text: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct AuthorityLink<'a> {
    url: &'a str,
    label: String,
    /// The numbers (from 1) of the sources that back it.
    sources: Vec<usize>,
}

#[derive(Serialize)]
struct Appearance<'a> {
    title: &'a str,
    url: String,
    mentions: Vec<MentionContext<'a>>,
    /// The mention strip, ready to show (see [`strip_html`]).
    strip_html: String,
}

#[derive(Serialize)]
struct MentionContext<'a> {
    anchor: String,
    url: String,
    before: Cow<'a, str>,
    text: &'a str,
    after: Cow<'a, str>,
    position: f64,
}

/// The mention strip of an article's `mentions` (in the order of the
/// text): a tick where each falls, as a share of the text (`--at`). It is a
/// picture: assistive technology skips it for the list of mentions below
/// it, which leads to every mention and quotes it. gloss.js cuts it into
/// parts, each a link to the first mention in it, from that list's links:
/// repeating them here would be most of an archive's entity pages. Written
/// here rather than in the template: an entity page of an archive has
/// thousands of ticks.
fn strip_html(mentions: &[MentionContext]) -> String {
    let mut html = String::with_capacity(40 + 24 * mentions.len());
    html.push_str("<div class=\"strip\" aria-hidden=\"true\">");
    for m in mentions {
        html.push_str("<i style=\"--at:");
        crate::html::push_tenths(&mut html, (m.position.clamp(0.0, 100.0) * 10.0).round() as u64);
        html.push_str("%\"></i>");
    }
    html.push_str("</div>");
    html
}

/// Source indexes as the page numbers them, from 1.
fn numbers(cited: Option<&Vec<usize>>) -> Vec<usize> {
    cited.map_or_else(Vec::new, |list| list.iter().map(|i| i + 1).collect())
}

/// Page `n` (from 0) of entity `e`.
pub(super) fn render(renderer: &Renderer, input: &Input, e: EntityId, n: usize) -> Result<Page, Diagnostic> {
    let doc = input.entity(e);
    let kind = input.kind(doc.kind);
    let mut coordinates = None;
    let facts = doc
        .facts
        .iter()
        .enumerate()
        .map(|(n, (i, fact))| {
            let def = &kind.facts[*i];
            if let FactValue::Coordinates { lat, lon } = fact.value {
                coordinates = Some([lat, lon]);
            }
            let values = fact_items(renderer, input, &fact.value);
            let sources = numbers(doc.cited.facts.get(n));
            FactContext { key: def.key.clone(), label: def.label.clone(), values, sources }
        })
        .collect();
    let appearances = appearances(input, e, n);
    // The strongest relations: every declared one, and the most
    // co-mentioned up to a readable list (an archive relates everyone).
    let related = input
        .related(e)
        .iter()
        .enumerate()
        .filter(|(rank, r)| r.declared || *rank < MAX_RELATED)
        .map(|(_, r)| {
            let fields = [("declared", r.declared.into()), ("co_mentions", r.co_mentions.into())];
            link_with(renderer.entity_link(input, r.entity), fields)
        })
        .collect();
    let entity = EntityContext {
        id: &doc.id,
        name: &doc.name.value,
        kind: kind.into(),
        aliases: doc.aliases.iter().map(|a| a.value.as_str()).collect(),
        forms: input.forms(e),
        summary: doc.summary.as_deref(),
        description_html: notes::fill(renderer, &input.description(e).html, &input.description(e).notes)?,
        notes: notes::list(renderer, &input.description(e).notes)?,
        facts,
        same_as: doc
            .same_as
            .iter()
            .enumerate()
            .map(|(n, url)| AuthorityLink {
                url,
                label: authority_label(url),
                sources: numbers(doc.cited.same_as.get(n)),
            })
            .collect(),
        sources: &doc.sources,
        coordinates,
        image: input.description(e).portrait.as_ref(),
    };
    let count = input.entity_page_count(e);
    let title = match n {
        0 => renderer.title(&doc.name.value),
        n => renderer.strings.fill(
            "title_page_n",
            &[
                ("title", &doc.name.value),
                ("n", &renderer.strings.number(n + 1)),
                ("count", &renderer.strings.number(count)),
                ("site", &renderer.site_title),
            ],
        ),
    };
    let id = PageId::Entity(e, n);
    // The pages share a folder: a link to one is its file name.
    let paginator = Paginator::new(n, count, input.articles_mentioning(e), |page| {
        routes::file_name(&input.path(PageId::Entity(e, page))).to_string()
    });
    let og_type = match kind.schema.as_str() {
        "Person" => "profile",
        "Place" => "place",
        _ => "website",
    };
    let meta = Meta { description: doc.summary.clone(), og_type, jsonld: structured::entity_ld(input, e) };
    let page = EntityPage {
        entity,
        appearances,
        mention_count: input.mentions_of(e).len(),
        paginator,
        related,
        key_fact: structured::key_fact(renderer.strings, input, e),
        map_svg: renderer.locator_map(input, e),
    };
    renderer.page("entity.html", id, input, title, meta, page)
}

/// A fact's values as the page lists them.
fn fact_items(renderer: &Renderer, input: &Input, value: &FactValue) -> Vec<FactItem> {
    let strings = renderer.strings;
    let plain = |text: String| FactItem { text, url: None };
    match value {
        FactValue::Text(t) => vec![plain(t.clone())],
        FactValue::Year(y) => vec![plain(y.to_string())],
        FactValue::List(items) => items.iter().map(|t| plain(t.clone())).collect(),
        FactValue::Roles(roles) => roles
            .iter()
            .map(|r| {
                plain(match (&r.from, &r.to) {
                    (Some(f), Some(t)) => strings.fill("role_years", &[("title", &r.title), ("from", f), ("to", t)]),
                    (Some(f), None) => strings.fill("role_from", &[("title", &r.title), ("from", f)]),
                    (None, Some(t)) => strings.fill("role_until", &[("title", &r.title), ("to", t)]),
                    (None, None) => r.title.clone(),
                })
            })
            .collect(),
        FactValue::Coordinates { lat, lon } => vec![plain(format_coordinates(strings, *lat, *lon))],
        FactValue::Entity(reference) => match reference.entity {
            Some(target) => {
                let url = Some(format!("../{}", input.entity_path(target)));
                vec![FactItem { text: input.name(target).to_string(), url }]
            }
            None => vec![plain(reference.id.clone())],
        },
    }
}

/// The articles page `n` of entity `e` lists (`paginate_mentions_by` of
/// them), each with its mentions of `e` in their sentences.
fn appearances<'a>(input: &Input<'a>, e: EntityId, n: usize) -> Vec<Appearance<'a>> {
    let per_page = match input.config().paginate_mentions_by {
        0 => usize::MAX,
        per_page => per_page,
    };
    let (first, end) = (n.saturating_mul(per_page), n.saturating_add(1).saturating_mul(per_page));
    let mut appearances: Vec<Appearance> = Vec::new();
    let mut current_article = None;
    let mut seen = 0;
    for r in input.mentions_of(e) {
        // Mentions come article by article: one appearance each.
        if current_article != Some(r.article) {
            current_article = Some(r.article);
            seen += 1;
            if (first..end).contains(&(seen - 1)) {
                let (doc, _) = input.article(r.article);
                let url = format!("../{}", input.article_path(r.article));
                appearances.push(Appearance {
                    title: &doc.title.value,
                    url,
                    mentions: Vec::new(),
                    strip_html: String::new(),
                });
            }
        }
        if !(first..end).contains(&(seen - 1)) {
            continue;
        }
        let (_, annotated) = input.article(r.article);
        let mention = &annotated.mentions[r.mention];
        let (before, after) = mention.quote.around(&annotated.blocks[mention.block], mention.range.clone());
        let appearance = appearances.last_mut().expect("pushed above");
        let mut url = String::with_capacity(appearance.url.len() + 40);
        url.push_str(&appearance.url);
        url.push('#');
        let fragment = url.len();
        input.push_anchor(mention, &mut url);
        appearance.mentions.push(MentionContext {
            anchor: url[fragment..].to_string(),
            url,
            before,
            text: annotated.mention_text(mention),
            after,
            position: (mention.position * 1000.0).round() / 10.0,
        });
    }
    for appearance in &mut appearances {
        appearance.strip_html = strip_html(&appearance.mentions);
    }
    appearances
}
