//! The site's data for reuse: files a script, a spreadsheet or a GIS reads,
//! beside the pages a reader does.
//!
//! - `places.geojson`: every entity with coordinates, one GeoJSON point
//!   each (RFC 7946: `[longitude, latitude]`).
//! - `articles/<slug>.geojson`: the places of an article's map, numbered as
//!   on it, and its route as a line, cut where it crosses the antimeridian.
//! - `entities.json`: every entity, with its facts, sources and counts.
//! - `mentions.csv`: every mention of every article, with its anchor.
//!
//! URLs in them are absolute when the site has a `base_url`, and otherwise
//! relative to the site root, whichever file they are in. Each file holds
//! one feature, entity or mention a line, so that a change to the site
//! shows as a change to the lines it touches. The README documents their
//! shapes.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;

use super::input::Input;
use crate::index::SiteIndex;
use crate::model::{ArticleId, EntityId, FactType, FactValue, Role, Source};
use crate::resolve::Registry;
use crate::review;

/// Does article `a`'s map have places: a stop of its route or a member of
/// its cast with coordinates? Then it has a GeoJSON file (the same test as
/// [`super::article::map_places`] makes, on the model itself, to list the
/// pages).
pub(super) fn mapped(registry: &Registry, index: &SiteIndex, a: ArticleId) -> bool {
    let located = |e: EntityId| registry.entities[e].coordinates.is_some();
    registry.routes[a].iter().copied().any(located) || index.cast[a].iter().any(|m| located(m.entity))
}

/// A GeoJSON feature.
#[derive(Serialize)]
struct Feature<'a, P: Serialize> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    geometry: Geometry,
    properties: P,
}

/// A GeoJSON geometry; positions are `[longitude, latitude]`.
#[derive(Debug, PartialEq, Serialize)]
#[serde(tag = "type")]
enum Geometry {
    Point { coordinates: [f64; 2] },
    LineString { coordinates: Vec<[f64; 2]> },
    MultiLineString { coordinates: Vec<Vec<[f64; 2]>> },
}

/// What a point says of its entity.
#[derive(Serialize)]
struct PlaceProperties<'a> {
    id: &'a str,
    name: &'a str,
    /// The kind's id (`place`).
    kind: &'a str,
    summary: Option<&'a str>,
    url: String,
    /// Its mentions: in all articles, or in an article's file in that
    /// article.
    mentions: usize,
    /// The articles that mention it (in `places.geojson` only: an
    /// article's file says nothing another article's edit changes).
    #[serde(skip_serializing_if = "Option::is_none")]
    articles: Option<usize>,
    /// Its number on the article's map (in an article's file only).
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<usize>,
}

/// Where a point is: in the site's file, or numbered on article `a`'s map.
#[derive(Clone, Copy)]
enum On {
    Site,
    Map(ArticleId, usize),
}

/// What the line of an article's route says.
#[derive(Serialize)]
struct RouteProperties<'a> {
    name: &'static str,
    /// The article's slug.
    article: &'a str,
}

/// `places.geojson`: a point for every entity with coordinates, of any
/// kind, in the registry's order.
pub(super) fn places(input: &Input) -> String {
    feature_collection(input.entity_ids().filter_map(|e| point(input, e, On::Site)))
}

/// `articles/<slug>.geojson`: a point for each place of article `a`'s map,
/// with its number there (the stops of its route first, in order, then its
/// other places in order of first mention), and with a declared route of
/// two stops or more the route as a line.
pub(super) fn article_places(input: &Input, a: ArticleId) -> String {
    let (places, stops) = super::article::map_places(input, a);
    let mut features: Vec<String> = Vec::with_capacity(places.len() + 1);
    for (i, &e) in places.iter().enumerate() {
        // A route that passes a place twice numbers it twice: its point
        // takes the first number.
        if !places[..i].contains(&e) {
            features.extend(point(input, e, On::Map(a, i + 1)));
        }
    }
    let route: Vec<[f64; 2]> =
        places[..stops].iter().filter_map(|&e| input.coordinates(e)).map(|(lat, lon)| [lon, lat]).collect();
    if route.len() >= 2 {
        if let Some(geometry) = route_geometry(&route) {
            let (doc, _) = input.article(a);
            let properties = RouteProperties { name: "Route", article: &doc.slug };
            features.push(json(&Feature { kind: "Feature", id: None, geometry, properties }));
        }
    }
    feature_collection(features.into_iter())
}

/// A point for entity `e`, if it has coordinates, as one line of JSON.
fn point(input: &Input, e: EntityId, on: On) -> Option<String> {
    let (lat, lon) = input.coordinates(e)?;
    let (mentions, articles, number) = match on {
        On::Site => (input.mentions_of(e).len(), Some(input.articles_mentioning(e)), None),
        // A stop of the route the text does not name is mentioned 0 times.
        On::Map(a, number) => {
            let in_cast = input.cast(a).iter().find(|m| m.entity == e);
            (in_cast.map_or(0, |m| m.mentions), None, Some(number))
        }
    };
    let properties = PlaceProperties {
        id: input.id(e),
        name: input.name(e),
        kind: &input.kind(input.kind_of(e)).id,
        summary: input.entity(e).summary.as_deref(),
        url: url(input, input.entity_path(e)),
        mentions,
        articles,
        number,
    };
    let geometry = Geometry::Point { coordinates: [lon, lat] };
    Some(json(&Feature { kind: "Feature", id: Some(input.id(e)), geometry, properties }))
}

/// A route through `stops` (`[longitude, latitude]`, at least two) as a
/// line. A leg whose longitudes are more than 180° apart is shorter across
/// the antimeridian, as the maps draw it: the line is cut there into a
/// MultiLineString, as RFC 7946 §3.1.9 recommends, so every longitude stays
/// within [-180, 180]. `None` when nothing is left of it (every stop on one
/// spot at the antimeridian).
fn route_geometry(stops: &[[f64; 2]]) -> Option<Geometry> {
    let mut parts: Vec<Vec<[f64; 2]>> = vec![vec![stops[0]]];
    for leg in stops.windows(2) {
        let ([lon1, lat1], [lon2, lat2]) = (leg[0], leg[1]);
        let delta = lon2 - lon1;
        let cut = delta.abs() > 180.0;
        if cut {
            // Eastward across 180° when the next stop lies far to the
            // west, westward across -180° when it lies far to the east.
            let (edge, unwrapped) = if delta < 0.0 { (180.0, lon2 + 360.0) } else { (-180.0, lon2 - 360.0) };
            // (From 180° to -180° is no way at all.)
            let at = if unwrapped == lon1 { 0.0 } else { (edge - lon1) / (unwrapped - lon1) };
            let lat = lat1 + at * (lat2 - lat1);
            let part = parts.last_mut().expect("there is always a part");
            if part.last() != Some(&[edge, lat]) {
                part.push([edge, lat]);
            }
            parts.push(vec![[-edge, lat]]);
        }
        // A stop right on the antimeridian already starts the part cut there.
        let part = parts.last_mut().expect("there is always a part");
        if !(cut && part.last() == Some(&[lon2, lat2])) {
            part.push([lon2, lat2]);
        }
    }
    parts.retain(|part| part.len() >= 2);
    match parts.len() {
        0 => None,
        1 => Some(Geometry::LineString { coordinates: parts.pop().expect("one part") }),
        _ => Some(Geometry::MultiLineString { coordinates: parts }),
    }
}

/// One entity in `entities.json`.
#[derive(Serialize)]
struct EntityRecord<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'a str,
    url: String,
    summary: Option<&'a str>,
    aliases: Vec<&'a str>,
    same_as: Vec<SameAs<'a>>,
    facts: Vec<FactRecord<'a>>,
    sources: &'a [Source],
    mentions: usize,
    articles: usize,
}

/// An authority link and the sources that back it.
#[derive(Serialize)]
struct SameAs<'a> {
    url: &'a str,
    /// Ids of the entity's sources.
    sources: Vec<&'a str>,
}

/// A fact, its value as JSON, and the sources that back it.
#[derive(Serialize)]
struct FactRecord<'a> {
    key: &'a str,
    label: &'a str,
    /// As the kind declares it: `text`, `year`, `roles`, `coordinates`,
    /// `entity` or `list`.
    #[serde(rename = "type")]
    ty: FactType,
    value: FactJson<'a>,
    /// Ids of the entity's sources.
    sources: Vec<&'a str>,
}

/// A fact's value as JSON.
#[derive(Serialize)]
#[serde(untagged)]
enum FactJson<'a> {
    /// Text, and a year sources disagree on (`"1941 or 1942"`).
    Text(&'a str),
    Year(i64),
    /// `[{title, from, to}]`.
    Roles(&'a [Role]),
    Coordinates {
        lat: f64,
        lon: f64,
    },
    /// The other entity's id.
    Entity(&'a str),
    List(&'a [String]),
}

/// `entities.json`: every entity, in the registry's order (by kind, then
/// id), one a line.
pub(super) fn entities(input: &Input) -> String {
    let mut out = String::from("{\"entities\": [");
    lines(&mut out, input.entity_ids().map(|e| json(&entity_record(input, e))));
    out.push_str("]}\n");
    out
}

fn entity_record<'a>(input: &Input<'a>, e: EntityId) -> EntityRecord<'a> {
    let doc = input.entity(e);
    let kind = input.kind(doc.kind);
    // Citations are indexes into the entity's sources: given by their ids.
    let cited = |list: Option<&'a Vec<usize>>| -> Vec<&'a str> {
        list.into_iter().flatten().filter_map(|&s| doc.sources.get(s)).map(|s| s.id.as_str()).collect()
    };
    let facts = doc
        .facts
        .iter()
        .enumerate()
        .map(|(i, (def, fact))| {
            let def = &kind.facts[*def];
            let value = match &fact.value {
                FactValue::Text(text) => FactJson::Text(text),
                FactValue::Year(year) => FactJson::Year(*year),
                FactValue::Roles(roles) => FactJson::Roles(roles),
                FactValue::Coordinates { lat, lon } => FactJson::Coordinates { lat: *lat, lon: *lon },
                FactValue::Entity(reference) => FactJson::Entity(&reference.id),
                FactValue::List(items) => FactJson::List(items),
            };
            FactRecord { key: &def.key, label: &def.label, ty: def.ty, value, sources: cited(doc.cited.facts.get(i)) }
        })
        .collect();
    let same_as = doc
        .same_as
        .iter()
        .enumerate()
        .map(|(i, link)| SameAs { url: link, sources: cited(doc.cited.same_as.get(i)) })
        .collect();
    EntityRecord {
        id: &doc.id,
        name: &doc.name.value,
        kind: &kind.id,
        url: url(input, input.entity_path(e)),
        summary: doc.summary.as_deref(),
        aliases: doc.aliases.iter().map(|a| a.value.as_str()).collect(),
        same_as,
        facts,
        sources: &doc.sources,
        mentions: input.mentions_of(e).len(),
        articles: input.articles_mentioning(e),
    }
}

/// The columns of `mentions.csv`.
const MENTIONS_HEADER: [&str; 6] = ["article", "anchor", "url", "text", "entities", "how"];

/// `mentions.csv`: every mention, article by article (in the site's
/// order), each in text order: the article's slug, the mention's fragment
/// id on its page and the URL of it, its text as printed, its entities'
/// ids (`a, b` for a mention of several) and how it was decided. The same
/// text, entities and decisions as `gloss mentions --format csv`, written
/// by the same code.
pub(super) fn mentions(input: &Input) -> String {
    // An archive's file runs to tens of megabytes: room for it up front (a
    // row is under 200 bytes but for long quotes), not grown by copying.
    let rows: usize = input.article_ids().map(|a| input.article(a).1.mentions.len()).sum();
    let mut out = Vec::with_capacity(200 * rows + 100);
    write_mentions(input, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("CSV of UTF-8 fields is UTF-8")
}

/// [`mentions`], written to `out` as it is made. A row borrows what it
/// can, rather than make six strings for each of millions of rows.
pub(super) fn write_mentions(input: &Input, out: &mut impl Write) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(MENTIONS_HEADER)?;
    write_mention_rows(input, input.article_ids(), &mut csv)?;
    csv.flush()
}

/// The rows of `mentions.csv` for `articles`, in text order each.
fn write_mention_rows<W: Write>(
    input: &Input,
    articles: impl Iterator<Item = ArticleId>,
    csv: &mut csv::Writer<W>,
) -> io::Result<()> {
    // The page's address and `#`, then each row's anchor: one string.
    let mut link = String::new();
    for a in articles {
        let (doc, annotated) = input.article(a);
        link.clear();
        link.push_str(&input.article_path(a));
        link.push('#');
        let page = link.len();
        for mention in &annotated.mentions {
            link.truncate(page);
            input.push_anchor(mention, &mut link);
            let entities = match mention.entities.as_slice() {
                [one] => Cow::Borrowed(input.id(*one)),
                several => {
                    Cow::Owned(review::linked_entities(&several.iter().map(|&e| input.id(e)).collect::<Vec<_>>()))
                }
            };
            let absolute = input.absolute(&link);
            csv.write_record([
                doc.slug.as_str(),
                &link[page..],
                absolute.as_deref().unwrap_or(&link),
                &review::single_spaced(annotated.mention_text(mention)),
                &entities,
                mention.how.label(),
            ])?;
        }
    }
    Ok(())
}

/// The URL of the file at `path` (from the root): absolute with a
/// `base_url`, else as it is.
fn url(input: &Input, path: String) -> String {
    input.absolute(&path).unwrap_or(path)
}

/// A GeoJSON FeatureCollection of `features` (each one line of JSON).
fn feature_collection(features: impl Iterator<Item = String>) -> String {
    let mut out = String::from("{\"type\": \"FeatureCollection\", \"features\": [");
    lines(&mut out, features);
    out.push_str("]}\n");
    out
}

/// Appends the items of a JSON array, one a line.
fn lines(out: &mut String, items: impl Iterator<Item = String>) {
    let mut any = false;
    for item in items {
        out.push_str(if any { ",\n" } else { "\n" });
        out.push_str(&item);
        any = true;
    }
    if any {
        out.push('\n');
    }
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_that_stays_on_one_side_is_one_line() {
        let stops = [[129.7, 62.0], [131.9, 43.1], [13.4, 52.5]];
        assert_eq!(route_geometry(&stops), Some(Geometry::LineString { coordinates: stops.to_vec() }));
    }

    #[test]
    fn a_route_across_the_antimeridian_is_cut_there() {
        // Vladivostok to Anchorage, east across 180°, and back west.
        let (vladivostok, anchorage) = ([131.9, 43.1], [-149.9, 61.2]);
        let Some(Geometry::MultiLineString { coordinates }) = route_geometry(&[vladivostok, anchorage, vladivostok])
        else {
            panic!("a cut line")
        };
        assert_eq!(coordinates.len(), 3, "{coordinates:?}");
        // The latitude where the straight leg meets 180°.
        let lat = 43.1 + (180.0 - 131.9) / (210.1 - 131.9) * (61.2 - 43.1);
        assert_eq!(coordinates[0][0], vladivostok);
        assert_eq!(coordinates[0][1][0], 180.0);
        assert!((coordinates[0][1][1] - lat).abs() < 1e-9, "{coordinates:?}");
        assert_eq!(coordinates[1][0], [-180.0, coordinates[0][1][1]]);
        assert_eq!(coordinates[1][1], anchorage);
        assert_eq!(coordinates[1][2][0], -180.0);
        assert_eq!(coordinates[2][0][0], 180.0);
        assert_eq!(*coordinates[2].last().unwrap(), vladivostok);
        for position in coordinates.iter().flatten() {
            assert!((-180.0..=180.0).contains(&position[0]), "{position:?}");
        }
        for part in &coordinates {
            for leg in part.windows(2) {
                assert!((leg[1][0] - leg[0][0]).abs() <= 180.0, "{leg:?}");
            }
        }
    }

    #[test]
    fn a_route_from_or_to_the_antimeridian_keeps_no_empty_part() {
        let line = |coordinates: Vec<[f64; 2]>| Some(Geometry::LineString { coordinates });
        assert_eq!(route_geometry(&[[180.0, 65.0], [-170.0, 64.0]]), line(vec![[-180.0, 65.0], [-170.0, 64.0]]));
        assert_eq!(route_geometry(&[[170.0, 65.0], [-180.0, 64.0]]), line(vec![[170.0, 65.0], [180.0, 64.0]]));
        assert_eq!(route_geometry(&[[180.0, 65.0], [-180.0, 65.0]]), None);
    }
}
