//! The article page: the annotated text, its notes, who and what appears in
//! it (which its preview cards show) and the map of its places.

use std::borrow::Cow;

use serde::Serialize;

use super::context::{link_with, KindContext, Meta};
use super::format::{dateline_date, display_date};
use super::input::Input;
use super::tags::TagLink;
use super::{map, notes, Page, Renderer};
use crate::diagnostic::Diagnostic;
use crate::index::CastMember;
use crate::model::{ArticleId, EntityId, Kind};
use crate::routes::{self, PageId};

#[derive(Serialize)]
struct ArticlePage<'a> {
    article: ArticleContext<'a>,
    /// Who and what appears, grouped by kind, in order of appearance:
    /// each group's list ready to show.
    cast_lists: Vec<CastList<'a>>,
    /// The same with each member's fields, for templates that name it
    /// (see [`super::Templates::article_cast`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    cast: Option<Vec<CastGroup<'a>>>,
    /// SVG map of the article's places, in journey order; null without places.
    map_svg: Option<String>,
    /// The places on the map, in its order: the map's text alternative.
    map_places: Vec<tera::Value>,
    /// The GeoJSON file of the map's places and route (relative to the
    /// page); null without places.
    geojson: Option<String>,
}

#[derive(Serialize)]
struct ArticleContext<'a> {
    slug: &'a str,
    title: &'a str,
    title_html: Cow<'a, str>,
    subtitle: Option<&'a str>,
    /// The subtitle with its mentions marked.
    subtitle_html: Option<Cow<'a, str>>,
    date: Option<&'a str>,
    /// The date for readers: `20 August 2002`.
    date_display: Option<String>,
    dateline: Option<&'a str>,
    /// What the dateline says of `date`: `"full"`, `"day"` (day and
    /// month) or null, so that the page shows each date once.
    dateline_date: Option<&'static str>,
    byline: Option<&'a str>,
    source: Option<&'a str>,
    source_url: Option<&'a str>,
    summary: Option<&'a str>,
    intro_html: Option<Cow<'a, str>>,
    notes_html: Vec<Cow<'a, str>>,
    /// What a reader can open to check the edition's notes.
    sources: &'a [crate::model::Source],
    body_html: Cow<'a, str>,
    footnotes: Vec<notes::Note<'a>>,
    /// Its tags, linked to their pages.
    tags: Vec<TagLink<'a>>,
    mention_count: usize,
    /// Whether the front matter declares a `route` (else the map follows
    /// the order of first mention).
    route_declared: bool,
    /// A draft, shown because drafts were asked for.
    draft: bool,
    /// Every footnote is also a sidenote (so wide screens can hide the list).
    all_sidenotes: bool,
    /// Its annotations as W3C Web Annotations (JSON-LD), relative to the
    /// page; null when the site writes none (`data_files`).
    annotations: Option<String>,
    /// Its language and direction when not the site's (else null).
    language: Option<&'a str>,
    dir: Option<&'static str>,
    /// The same article in other languages: `lang`, `name` (as the
    /// language calls itself), `url`.
    translations: Vec<Translation>,
}

#[derive(Serialize)]
struct Translation {
    lang: String,
    name: String,
    url: String,
}

#[derive(Serialize)]
struct CastGroup<'a> {
    kind: KindContext<'a>,
    /// Entity links with `count` (mentions in this article), `first`
    /// (link to the first of them), and what their preview cards show
    /// besides: `fact` and `image`.
    members: Vec<tera::Value>,
}

#[derive(Serialize)]
struct CastList<'a> {
    kind: KindContext<'a>,
    /// The kind's members, ready to show (see [`cast_list`]).
    html: String,
}

/// The markup of a member of a cast list, but for its count: the same on
/// every page naming the entity (see [`cast_list`]).
pub(super) struct CastItem {
    /// From `<li` to the `href` of the link to its first mention.
    open: String,
    /// From the end of that link to `</li>`.
    close: String,
}

/// The page of article `a`.
pub(super) fn render(renderer: &Renderer, input: &Input, a: ArticleId) -> Result<Page, Diagnostic> {
    let (doc, annotated) = input.article(a);
    let cast = input.cast(a);
    let footnotes = &annotated.footnotes;
    let mut cast_lists: Vec<CastList> = Vec::new();
    let mut counts = Vec::new();
    let mut groups: Vec<CastGroup> = Vec::new();
    for k in input.config().kinds.keys() {
        let members: Vec<&CastMember> = cast.iter().filter(|m| input.kind_of(m.entity) == k).collect();
        if members.is_empty() {
            continue;
        }
        let kind = input.kind(k);
        cast_lists
            .push(CastList { kind: kind.into(), html: cast_list(renderer, input, a, kind, &members, &mut counts) });
        if renderer.templates.article_cast {
            let members = members
                .iter()
                .map(|m| {
                    let link = renderer.card_link(input, m.entity);
                    link_with(link, [("count", m.mentions.into()), ("first", first_mention(input, a, m).into())])
                })
                .collect();
            groups.push(CastGroup { kind: kind.into(), members });
        }
    }
    let own_language = doc.language.as_deref().filter(|l| !l.eq_ignore_ascii_case(&input.config().language));
    let article = ArticleContext {
        slug: &doc.slug,
        title: &doc.title.value,
        title_html: notes::fill(renderer, &annotated.title_html, footnotes)?,
        subtitle: doc.subtitle.as_ref().map(|s| s.value.as_str()),
        subtitle_html: annotated
            .subtitle_html
            .as_deref()
            .map(|html| notes::fill(renderer, html, footnotes))
            .transpose()?,
        date: doc.date.as_deref(),
        date_display: doc.date.as_deref().map(|d| display_date(renderer.strings, d)),
        dateline: doc.dateline.as_deref(),
        dateline_date: doc
            .dateline
            .as_deref()
            .zip(doc.date.as_deref())
            .and_then(|(l, d)| dateline_date(renderer.strings, l, d)),
        byline: doc.byline.as_deref(),
        source: doc.source.as_deref(),
        source_url: doc.source_url.as_deref(),
        summary: doc.summary.as_deref(),
        intro_html: annotated.intro_html.as_deref().map(|html| notes::fill(renderer, html, footnotes)).transpose()?,
        notes_html: annotated
            .notes_html
            .iter()
            .map(|html| notes::fill(renderer, html, footnotes))
            .collect::<Result<_, _>>()?,
        sources: &doc.sources,
        body_html: notes::fill(renderer, &annotated.body_html, footnotes)?,
        footnotes: notes::list(renderer, footnotes)?,
        tags: input.article_tags(a).iter().map(|&t| TagLink::new(input, &input.path(PageId::Article(a)), t)).collect(),
        mention_count: annotated.mentions.len(),
        route_declared: !doc.route.is_empty(),
        draft: doc.draft,
        all_sidenotes: annotated.footnotes.iter().all(|f| f.is_sidenote()),
        annotations: input
            .config()
            .data_files
            .annotations
            .then(|| routes::file_name(&input.path(PageId::ArticleAnnotations(a))).to_string()),
        language: own_language,
        dir: own_language.map(crate::language::direction),
        translations: input
            .translations(a)
            .iter()
            .map(|(lang, other)| Translation {
                lang: lang.clone(),
                name: crate::language::autonym(lang),
                url: routes::file_name(&input.path(PageId::Article(*other))).to_string(),
            })
            .collect(),
    };
    let title = renderer.title(&doc.title.value);
    let cast_ids = || cast.iter().map(|m| m.entity);
    let (places, stops) = map_places(input, a);
    let meta = Meta {
        description: doc.summary.clone(),
        og_type: "article",
        jsonld: renderer.entity_json.article_ld(input, a, cast_ids()),
    };
    let page = ArticlePage {
        article,
        cast_lists,
        cast: renderer.templates.article_cast.then_some(groups),
        map_svg: route_map(renderer, input, &places, stops),
        map_places: places.iter().map(|&e| renderer.entity_link(input, e)).collect(),
        geojson: (!places.is_empty() && input.config().data_files.geojson).then(|| {
            let path = input.path(PageId::Article(a));
            routes::link(&path, &input.path(PageId::ArticleGeoJson(a)))
        }),
    };
    renderer.page("article.html", PageId::Article(a), input, title, meta, page)
}

/// The link to a cast member's first mention in article `a`: `#m-…`.
fn first_mention(input: &Input, a: ArticleId, member: &CastMember) -> String {
    let (_, annotated) = input.article(a);
    let mut first = String::with_capacity(48);
    first.push('#');
    input.push_anchor(&annotated.mentions[member.first_mention], &mut first);
    first
}

/// The members of one kind in an article's cast, as a list ready to show:
/// `<ul data-kind data-kind-name>`, each `<li>` also the member's preview
/// card (gloss.js reads its first link, `.summary`, `data-fact` and
/// `data-image`). Written here rather than by the template: an archive's
/// articles list hundreds of thousands of members, and each as a Tera map,
/// looped over by the template, was about a tenth of its build.
///
/// `counts` keeps the markup after a member's first link for each count
/// met so far: an article's members share a handful of counts.
fn cast_list(
    renderer: &Renderer,
    input: &Input,
    a: ArticleId,
    kind: &Kind,
    members: &[&CastMember],
    counts: &mut Vec<(usize, String)>,
) -> String {
    use crate::html::push_escaped;
    let strings = renderer.strings;
    let mut html = String::with_capacity(64 + 512 * members.len());
    html.push_str("<ul data-kind=\"");
    push_escaped(&mut html, &kind.id);
    html.push_str("\" data-kind-name=\"");
    push_escaped(&mut html, &kind.singular);
    html.push_str("\">");
    for m in members {
        let item = cast_item(renderer, input, m.entity);
        html.push_str(&item.open);
        push_escaped(&mut html, &first_mention(input, a, m));
        let count = match counts.iter().position(|(n, _)| *n == m.mentions) {
            Some(i) => &counts[i].1,
            None => {
                let mut count = String::from("\" aria-label=\"");
                push_escaped(&mut count, &strings.plural("mentions_go_to_first", m.mentions, &[]));
                count.push_str("\">");
                push_escaped(&mut count, &strings.plural("count_times", m.mentions, &[]));
                counts.push((m.mentions, count));
                &counts[counts.len() - 1].1
            }
        };
        html.push_str(count);
        html.push_str(&item.close);
    }
    html.push_str("\n  </ul>");
    html
}

/// The parts of an entity's cast item that every article shares.
fn cast_item<'r>(renderer: &'r Renderer, input: &Input, entity: EntityId) -> &'r CastItem {
    use crate::html::push_escaped;
    // Read on every use, so each page that shows it records it.
    let doc = input.entity(entity);
    renderer.cast_items[entity].get_or_init(|| {
        let card = renderer.entity_json.card(input, entity);
        let mut open = String::from("\n    <li data-entity=\"");
        push_escaped(&mut open, &doc.id);
        open.push('"');
        if let Some(fact) = card.fact.as_deref().filter(|f| !f.is_empty()) {
            open.push_str(" data-fact=\"");
            push_escaped(&mut open, fact);
            open.push('"');
        }
        if let Some(image) = &card.image {
            open.push_str(" data-image=\"");
            push_escaped(&mut open, &image.src);
            open.push_str("\" data-image-alt=\"");
            push_escaped(&mut open, &image.alt);
            open.push('"');
        }
        open.push_str("><a href=\"");
        push_escaped(&mut open, &format!("../{}", input.entity_path(entity)));
        open.push_str("\">");
        push_escaped(&mut open, &doc.name.value);
        open.push_str("</a> <a class=\"count\" href=\"");
        let mut close = String::from("</a>");
        if let Some(summary) = doc.summary.as_deref().filter(|s| !s.is_empty()) {
            close.push_str("<br><span class=\"summary\">");
            push_escaped(&mut close, summary);
            close.push_str("</span>");
        }
        close.push_str("</li>");
        CastItem { open, close }
    })
}

/// The places an article's map shows, in order, and how many of the first
/// are the stops of its `route`: the route's places, then every other place
/// with coordinates in order of first mention.
pub(super) fn map_places(input: &Input, a: ArticleId) -> (Vec<EntityId>, usize) {
    let mut places: Vec<EntityId> =
        input.route(a).iter().copied().filter(|&e| input.coordinates(e).is_some()).collect();
    let stops = places.len();
    for m in input.cast(a) {
        if !places.contains(&m.entity) && input.coordinates(m.entity).is_some() {
            places.push(m.entity);
        }
    }
    (places, stops)
}

/// The SVG map of an article's places, numbered in order, the first `stops`
/// joined by the route line.
fn route_map(renderer: &Renderer, input: &Input, places: &[EntityId], stops: usize) -> Option<String> {
    if places.is_empty() {
        return None;
    }
    let pins: Vec<map::Pin> = places
        .iter()
        .enumerate()
        .map(|(i, &e)| renderer.pin(input, e, Some(i + 1), format!("../{}", input.entity_path(e))))
        .collect();
    let strings = renderer.strings;
    let names: Vec<String> = pins
        .iter()
        .map(|p| strings.fill("route_map_place", &[("number", &p.number.unwrap_or_default()), ("place", &p.name)]))
        .collect();
    let title = strings.plural("route_map_label", names.len(), &[("places", &names.join(", "))]);
    Some(renderer.keep_tiles(input, &map::route_map(&pins, stops, "../", &title, input.map_layers())))
}
