//! A kind's index: its entities A to Z, and who appears with whom.

use std::collections::HashMap;

use serde::Serialize;

use super::context::{link_with, KindContext, Meta};
use super::input::Input;
use super::{structured, Page, Renderer};
use crate::collate::Collation;
use crate::diagnostic::Diagnostic;
use crate::graph;
use crate::model::{EntityId, Kind, KindId};
use crate::routes::{self, PageId};

/// How many entities the network shows: the most mentioned.
const NETWORK_SIZE: usize = 24;

#[derive(Serialize)]
struct KindPage<'a> {
    kind: KindContext<'a>,
    letters: Vec<Letter>,
    count: usize,
    /// Who appears with whom; null when fewer than two are co-mentioned.
    network: Option<Network>,
    /// The site's data files, those it has: `entities.json`,
    /// `mentions.csv`, `places.geojson`.
    downloads: Vec<Download>,
}

/// A data file of the site, linked from the kind indexes.
#[derive(Serialize)]
struct Download {
    /// Its file name.
    name: String,
    /// Relative to the page.
    url: String,
    /// Its media type, for the link's `type`.
    media_type: &'static str,
}

#[derive(Serialize)]
struct Letter {
    letter: String,
    /// Entity links with `mentions`, their number of mentions.
    entities: Vec<tera::Value>,
}

/// A co-mention network: an SVG and the same numbers as a table.
#[derive(Serialize)]
struct Network {
    svg: String,
    /// The entities, most mentioned first: the table's rows and columns
    /// (entity links with `mentions`).
    entities: Vec<tera::Value>,
    /// `counts[i][j]`: paragraphs mentioning both `entities[i]` and `[j]`.
    counts: Vec<Vec<usize>>,
}

/// The index of kind `k`.
pub(super) fn render(renderer: &Renderer, input: &Input, k: KindId) -> Result<Page, Diagnostic> {
    let kind = input.kind(k);
    let mut members: Vec<EntityId> = input.entities_of_kind(k).collect();
    // In the order of the site's language, filed under its letters.
    let collation = Collation::of(&input.config().language);
    members.sort_by_cached_key(|&e| collation.index_key(input.sort_name(e)));
    let mut letters: Vec<Letter> = Vec::new();
    for &e in &members {
        let letter = collation.initial(input.sort_name(e));
        if letters.last().is_none_or(|l| l.letter != letter) {
            letters.push(Letter { letter, entities: Vec::new() });
        }
        let link = counted_link(renderer, input, e);
        letters.last_mut().expect("pushed above").entities.push(link);
    }
    let title = renderer.title(&kind.title);
    let meta = Meta {
        description: Some(
            renderer.strings.fill("kind_description", &[("kind", &kind.title), ("site", &renderer.site_title)]),
        ),
        og_type: "website",
        jsonld: structured::website_ld(input, &title),
    };
    let network = network(renderer, input, &members, kind);
    let page = KindPage { kind: kind.into(), letters, count: members.len(), network, downloads: downloads(input, k) };
    renderer.page("kind.html", PageId::Kind(k), input, title, meta, page)
}

/// The site's data files, for the index of kind `k`: those the site has.
fn downloads(input: &Input, k: KindId) -> Vec<Download> {
    let path = input.path(PageId::Kind(k));
    let pages = input.all_pages();
    [
        (PageId::EntitiesJson, "application/json"),
        (PageId::MentionsCsv, "text/csv"),
        (PageId::PlacesGeoJson, "application/geo+json"),
    ]
    .into_iter()
    .filter(|(id, _)| pages.contains(id))
    .map(|(id, media_type)| {
        let to = input.path(id);
        Download { name: routes::file_name(&to).to_string(), url: routes::link(&path, &to), media_type }
    })
    .collect()
}

/// An entity's link with its number of mentions.
fn counted_link(renderer: &Renderer, input: &Input, e: EntityId) -> tera::Value {
    link_with(renderer.entity_link(input, e), [("mentions", input.mentions_of(e).len().into())])
}

/// Who appears with whom among `members` (of one kind): the most
/// mentioned, up to [`NETWORK_SIZE`], joined by co-mentions in the same
/// paragraph.
fn network(renderer: &Renderer, input: &Input, members: &[EntityId], kind: &Kind) -> Option<Network> {
    let mut nodes: Vec<EntityId> = members.iter().copied().filter(|&e| !input.mentions_of(e).is_empty()).collect();
    nodes.sort_by_key(|&e| std::cmp::Reverse(input.mentions_of(e).len()));
    nodes.truncate(NETWORK_SIZE);
    let position: HashMap<EntityId, usize> = nodes.iter().enumerate().map(|(i, &e)| (e, i)).collect();
    let mut counts = vec![vec![0; nodes.len()]; nodes.len()];
    let mut edges = Vec::new();
    for (i, &e) in nodes.iter().enumerate() {
        for relation in input.related(e) {
            if let Some(&j) = position.get(&relation.entity) {
                counts[i][j] = relation.co_mentions;
                if i < j && relation.co_mentions > 0 {
                    edges.push((i, j, relation.co_mentions));
                }
            }
        }
    }
    if edges.is_empty() {
        return None;
    }
    let names: Vec<graph::Node> = nodes
        .iter()
        .map(|&e| graph::Node {
            name: input.name(e),
            href: format!("../{}", input.entity_path(e)),
            mentions: input.mentions_of(e).len(),
        })
        .collect();
    let label = renderer
        .strings
        .fill("network_label", &[("count", &nodes.len()), ("kind", &renderer.strings.kind_in_text(&kind.title))]);
    Some(Network {
        svg: graph::network_svg(&names, &edges, &label),
        entities: nodes.iter().map(|&e| counted_link(renderer, input, e)).collect(),
        counts,
    })
}
