//! What every page's context has: the site, the page's place in it, its
//! metadata, and the shape of an entity link. The README documents these
//! for theme authors; each page kind adds its own fields (see its module).

use serde::Serialize;

use crate::model::Kind;

/// `site` in every template.
#[derive(Serialize)]
pub(super) struct SiteContext<'a> {
    pub title: &'a str,
    pub language: &'a str,
    /// `ltr` or `rtl`: the direction the language is written in.
    pub dir: &'static str,
    pub base_url: Option<&'a str>,
    /// One entry per kind that has entities, for navigation.
    pub kinds: Vec<NavKind<'a>>,
    /// The home page (relative to the root).
    pub home: &'static str,
    /// The list of tags (relative to the root), when articles have tags.
    pub tags: Option<&'static str>,
    /// The feed of the articles (relative to the root), when there is one.
    pub feed: Option<&'static str>,
}

#[derive(Serialize)]
pub(super) struct NavKind<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: String,
    pub count: usize,
}

/// A kind as templates see it.
#[derive(Serialize)]
pub(super) struct KindContext<'a> {
    id: &'a str,
    title: &'a str,
    singular: &'a str,
    schema: &'a str,
    folder: &'a str,
}

impl<'a> From<&'a Kind> for KindContext<'a> {
    fn from(kind: &'a Kind) -> Self {
        KindContext {
            id: &kind.id,
            title: &kind.title,
            singular: &kind.singular,
            schema: &kind.schema,
            folder: &kind.folder,
        }
    }
}

/// A page's context: what every page has, and its own fields (`page`).
#[derive(Serialize)]
pub(super) struct Common<'a, T: Serialize> {
    /// [`SiteContext`], the same for every page: built once as a Tera value.
    pub site: &'a tera::Value,
    /// The strings table of the site's language, the same for every page.
    pub t: &'a tera::Value,
    /// Relative path back to the site root: `""`, `"../"`, …
    pub root: &'a str,
    /// This page's path relative to the site root.
    pub path: &'a str,
    /// Absolute URL of this page when `base_url` is set.
    pub canonical: Option<String>,
    /// The page title for `<title>`.
    pub title: String,
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(flatten)]
    pub page: T,
}

/// Metadata every page carries for its `<head>`.
#[derive(Serialize, Default)]
pub(super) struct Meta {
    /// One sentence for `<meta name="description">` and Open Graph.
    pub description: Option<String>,
    /// Open Graph type: `article`, `profile`, `place` or `website`.
    pub og_type: &'static str,
    /// JSON-LD, already escaped for a `<script>` element.
    pub jsonld: String,
}

/// An entity as templates see it wherever it is linked to, from a page one
/// folder down (`url` starts with `../`). Each is built once as a Tera value
/// and shared: Tera clones a [`tera::Value`] field instead of serialising it
/// again. It holds only what the entity's own file says: a page that also
/// shows a count adds it (see [`link_with`]), so that a page depends on an
/// entity's number of mentions only where it shows it.
#[derive(Serialize)]
pub(super) struct EntityLink<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub url: String,
    pub summary: Option<&'a str>,
}

/// An entity's link with more fields. Not a struct with
/// `#[serde(flatten)]`: that would serialise every field of the shared link
/// again each time instead of sharing its strings. Nor a copy of the link's
/// map extended: Tera makes a map it is given anew, hashing every key again
/// (a cast member was a twentieth of an archive's build).
pub(super) fn link_with<const N: usize>(link: tera::Value, fields: [(&'static str, tera::Value); N]) -> tera::Value {
    match link.as_map() {
        // Links are serialised structs: their keys are field names.
        Some(map) if map.keys().all(|key| matches!(key, tera::value::Key::Str(_))) => {
            tera::Value::from_serializable(&LinkWith { map, fields: &fields })
        }
        _ => {
            let mut map = link.into_map().unwrap_or_default();
            map.extend(fields.map(|(key, value)| (key.into(), value)));
            map.into()
        }
    }
}

/// A link's fields and more, serialised as one struct: Tera shares each
/// value it meets when serialising (a clone of it), and builds the struct's
/// map once.
struct LinkWith<'a, const N: usize> {
    map: &'a tera::value::Map,
    fields: &'a [(&'static str, tera::Value); N],
}

impl<const N: usize> Serialize for LinkWith<'_, N> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut link = serializer.serialize_struct("EntityLink", self.map.len() + N)?;
        for (key, value) in self.map {
            if let tera::value::Key::Str(key) = key {
                link.serialize_field(key, value)?;
            }
        }
        for (key, value) in self.fields {
            link.serialize_field(key, value)?;
        }
        link.end()
    }
}
