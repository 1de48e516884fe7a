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
use crate::model::{ArticleId, EntityId};
use crate::routes::{self, PageId};

#[derive(Serialize)]
struct ArticlePage<'a> {
    article: ArticleContext<'a>,
    /// Who and what appears, grouped by kind, in order of appearance.
    cast: Vec<CastGroup<'a>>,
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

/// The page of article `a`.
pub(super) fn render(renderer: &Renderer, input: &Input, a: ArticleId) -> Result<Page, Diagnostic> {
    let (doc, annotated) = input.article(a);
    let cast = input.cast(a);
    let footnotes = &annotated.footnotes;
    let mut groups: Vec<CastGroup> = Vec::new();
    for k in input.config().kinds.keys() {
        let members: Vec<tera::Value> = cast
            .iter()
            .filter(|m| input.kind_of(m.entity) == k)
            .map(|m| {
                let mut first = String::from("#");
                input.push_anchor(&annotated.mentions[m.first_mention], &mut first);
                let link = renderer.card_link(input, m.entity);
                link_with(link, [("count", m.mentions.into()), ("first", first.into())])
            })
            .collect();
        if !members.is_empty() {
            groups.push(CastGroup { kind: input.kind(k).into(), members });
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
        cast: groups,
        map_svg: route_map(renderer, input, &places, stops),
        map_places: places.iter().map(|&e| renderer.entity_link(input, e)).collect(),
        geojson: (!places.is_empty() && input.config().data_files.geojson).then(|| {
            let path = input.path(PageId::Article(a));
            routes::link(&path, &input.path(PageId::ArticleGeoJson(a)))
        }),
    };
    renderer.page("article.html", PageId::Article(a), input, title, meta, page)
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
