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
struct EntityPage<'a, 'p> {
    /// The fact a preview card shows (life span, type and country…).
    key_fact: Option<String>,
    /// SVG locator map, for entities with coordinates.
    map_svg: Option<String>,
    entity: EntityContext<'a>,
    /// Mentions grouped by article: this page's articles, each list ready
    /// to show.
    mention_lists: &'p [Appearance<'a>],
    /// The same with each mention's fields (`mentions[]`), for templates
    /// that name it (see [`super::Templates::entity_appearances`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    appearances: Option<&'p [Appearance<'a>]>,
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
    /// The mention strip, ready to show (see [`Lists`]).
    strip_html: String,
    /// The list of mentions, ready to show (see [`Lists`]).
    html: String,
    /// Each mention's fields, when a template asks for them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    mentions: Vec<MentionContext<'a, 'static>>,
}

/// A mention as templates see it, borrowing its address while the list
/// is written (`'u`), owning it once kept (`'static`).
#[derive(Serialize)]
struct MentionContext<'a, 'u> {
    anchor: Cow<'u, str>,
    url: Cow<'u, str>,
    before: Cow<'a, str>,
    text: &'a str,
    after: Cow<'a, str>,
    position: f64,
}

impl<'a> MentionContext<'a, '_> {
    fn into_owned(self) -> MentionContext<'a, 'static> {
        MentionContext {
            anchor: Cow::Owned(self.anchor.into_owned()),
            url: Cow::Owned(self.url.into_owned()),
            before: self.before,
            text: self.text,
            after: self.after,
            position: self.position,
        }
    }
}

/// An article's mention strip and list of mentions, written here rather
/// than by the template: an archive's entity pages quote hundreds of
/// thousands of mentions, and a Tera map for each, looped over by the
/// template, cost a dense archive's build a tenth of its CPU time.
///
/// The strip is a tick where each mention falls, as a share of the text
/// (`--at`). It is a picture: assistive technology skips it for the list
/// below it, which leads to every mention and quotes it. gloss.js cuts it
/// into parts, each a link to the first mention in it, from that list's
/// links: repeating them in the strip would be most of an archive's entity
/// pages.
struct Lists {
    strip: String,
    list: String,
}

impl Lists {
    fn new() -> Self {
        let mut lists = Lists { strip: String::with_capacity(1024), list: String::with_capacity(4096) };
        lists.strip.push_str("<div class=\"strip\" aria-hidden=\"true\">");
        lists.list.push_str("<ol class=\"mention-list\">");
        lists
    }

    fn push(&mut self, m: &MentionContext) {
        self.strip.push_str("<i style=\"--at:");
        crate::html::push_tenths(&mut self.strip, (m.position.clamp(0.0, 100.0) * 10.0).round() as u64);
        self.strip.push_str("%\"></i>");
        let list = &mut self.list;
        list.push_str("\n      <li><a href=\"");
        crate::html::push_escaped(list, &m.url);
        list.push_str("\">");
        crate::html::push_escaped(list, &m.before);
        list.push_str("<mark>");
        crate::html::push_escaped(list, m.text);
        list.push_str("</mark>");
        crate::html::push_escaped(list, &m.after);
        list.push_str("</a></li>");
    }

    fn finish(mut self) -> (String, String) {
        self.strip.push_str("</div>");
        self.list.push_str("\n    </ol>");
        (self.strip, self.list)
    }
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
    let appearances = appearances(input, e, n, renderer.templates.entity_appearances);
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
        mention_lists: &appearances,
        appearances: renderer.templates.entity_appearances.then_some(&appearances[..]),
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
/// them), each with its mentions of `e` in their sentences; each mention's
/// fields too when `detailed`.
fn appearances<'a>(input: &Input<'a>, e: EntityId, n: usize, detailed: bool) -> Vec<Appearance<'a>> {
    let per_page = match input.config().paginate_mentions_by {
        0 => usize::MAX,
        per_page => per_page,
    };
    let (first, end) = (n.saturating_mul(per_page), n.saturating_add(1).saturating_mul(per_page));
    let mut appearances: Vec<Appearance> = Vec::new();
    let mut lists: Vec<Lists> = Vec::new();
    let mut current_article = None;
    let mut seen = 0;
    let mut url = String::new();
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
                    strip_html: String::new(),
                    html: String::new(),
                    mentions: Vec::new(),
                });
                lists.push(Lists::new());
            }
        }
        if !(first..end).contains(&(seen - 1)) {
            continue;
        }
        let (_, annotated) = input.article(r.article);
        let mention = &annotated.mentions[r.mention];
        let (before, after) = mention.quote.around(&annotated.blocks[mention.block], mention.range.clone());
        let appearance = appearances.last_mut().expect("pushed above");
        url.clear();
        url.push_str(&appearance.url);
        url.push('#');
        let fragment = url.len();
        input.push_anchor(mention, &mut url);
        let quoted = MentionContext {
            anchor: Cow::Borrowed(&url[fragment..]),
            url: Cow::Borrowed(&url),
            before,
            text: annotated.mention_text(mention),
            after,
            position: (mention.position * 1000.0).round() / 10.0,
        };
        lists.last_mut().expect("pushed above").push(&quoted);
        if detailed {
            appearance.mentions.push(quoted.into_owned());
        }
    }
    for (appearance, lists) in appearances.iter_mut().zip(lists) {
        (appearance.strip_html, appearance.html) = lists.finish();
    }
    appearances
}
