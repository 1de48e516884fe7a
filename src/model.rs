//! The content model: site settings, entity kinds, entities and articles, as
//! they are after parsing and before resolution.
//!
//! Kinds are data: `site.yaml` may declare its own; the three defaults
//! (people, places, organisations) are declared in `kinds.yaml`, embedded in
//! the binary and parsed by the same code.

use std::ops::Range;
use std::path::PathBuf;

use serde::Serialize;
use typed_index_collections::TiVec;

/// Typed indices: an entity, an article and a kind are each named by their
/// place in the registry's list of them, with a type of its own so that one
/// can never be taken for another. Four bytes each: an archive keeps
/// millions of them.
macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(u32);

        impl From<usize> for $name {
            fn from(index: usize) -> Self {
                $name(u32::try_from(index).expect("fewer than 4 billion of them"))
            }
        }

        impl From<$name> for usize {
            fn from(id: $name) -> usize {
                id.0 as usize
            }
        }

        impl $name {
            /// The place in its list.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

typed_id!(
    /// An entity: its place in [`crate::resolve::Registry::entities`] (sorted
    /// by kind, then id).
    EntityId
);
typed_id!(
    /// An article: its place in [`crate::resolve::Registry::articles`]
    /// (newest first).
    ArticleId
);
typed_id!(
    /// A kind: its place in [`SiteConfig::kinds`].
    KindId
);
typed_id!(
    /// A tag: its place in [`crate::resolve::Registry::tags`] (A to Z).
    TagId
);

/// A tag of the site: the articles that carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// As first written (in article order); spellings with the same slug
    /// are one tag.
    pub name: String,
    /// Names its page: `tags/<slug>.html`.
    pub slug: String,
    /// In article order.
    pub articles: Vec<ArticleId>,
}

/// Settings from `content/site.yaml`.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    pub language: String,
    /// Only for absolute URLs (canonical links, sitemap); links stay relative.
    pub base_url: Option<String>,
    /// Let raw HTML in Markdown through. Off by default: content is not
    /// trusted to carry markup.
    pub allow_html: bool,
    /// Articles per home page (`index.html`, `page/2/index.html`, …); 0
    /// lists them all on one.
    pub paginate_by: usize,
    /// Articles per page of an entity's mentions; 0 lists them all on one.
    pub paginate_mentions_by: usize,
    /// How articles are ordered on the home pages and in feeds.
    pub sort_by: SortBy,
    /// Articles in each feed, newest first; 0 puts them all in.
    pub feed_limit: usize,
    pub kinds: TiVec<KindId, Kind>,
    /// How much each lint matters (`lints:`).
    pub lints: crate::lint::LintLevels,
    /// GeoJSON files under `content/` drawn on the plans of city-scale maps
    /// (`map_layers:`), in order, each with where `site.yaml` names it.
    pub map_layers: Vec<Spanned<String>>,
    /// What gloss writes into an article's HTML itself (a repair's label,
    /// a citation's), in the site's language ([`crate::strings::Labels`]).
    pub labels: crate::strings::Labels,
    /// Which data files for reuse the site writes (`data_files:`).
    pub data_files: DataFiles,
}

/// The data files for reuse a site writes beside its pages; all of them
/// unless `data_files:` lists fewer (an archive of a hundred thousand
/// articles may not want gigabytes of Web Annotations).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataFiles {
    /// `articles/<slug>.annotations.jsonld`.
    pub annotations: bool,
    /// `places.geojson` and `articles/<slug>.geojson`.
    pub geojson: bool,
    /// `entities.json`.
    pub entities: bool,
    /// `mentions.csv`.
    pub mentions: bool,
}

impl DataFiles {
    /// Their names in `data_files:`.
    pub const NAMES: [&'static str; 4] = ["annotations", "geojson", "entities", "mentions"];

    pub const ALL: DataFiles = DataFiles { annotations: true, geojson: true, entities: true, mentions: true };
    pub const NONE: DataFiles = DataFiles { annotations: false, geojson: false, entities: false, mentions: false };

    /// Turns on the one called `name`; false for no such name.
    pub fn include(&mut self, name: &str) -> bool {
        let flag = match name {
            "annotations" => &mut self.annotations,
            "geojson" => &mut self.geojson,
            "entities" => &mut self.entities,
            "mentions" => &mut self.mentions,
            _ => return false,
        };
        *flag = true;
        true
    }
}

/// How articles are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// Newest first; then by `weight`, then by title.
    #[default]
    Date,
    /// By `weight`, lowest first (articles without one last); then newest
    /// first, then by title.
    Weight,
    /// By title, A to Z.
    Title,
}

/// One kind of entity: where its files live and which facts it has.
#[derive(Debug, Clone, Serialize)]
pub struct Kind {
    /// Singular key, used by `gloss new` (`person`).
    pub id: String,
    /// Folder under `content/` and under the output (`people`).
    pub folder: String,
    /// Plural heading (`People`).
    pub title: String,
    /// Singular label (`Person`).
    pub singular: String,
    /// schema.org type for structured data (`Person`).
    pub schema: String,
    /// The typed facts an entity of this kind may have, in display order.
    pub facts: Vec<FactDef>,
}

/// A fact field declared by a kind.
#[derive(Debug, Clone, Serialize)]
pub struct FactDef {
    pub key: String,
    pub label: String,
    pub ty: FactType,
    /// What the fact is, for structured data and previews; none for facts
    /// that are only listed.
    pub role: Option<FactRole>,
}

/// What a fact says of its entity, whatever the kind calls it: a person's
/// `born` and a ship's `launched` are both beginnings. Structured data and
/// previews read facts by role, never by key, so a site's own kinds get
/// both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FactRole {
    /// When a person was born (schema.org `birthDate`).
    Birth,
    /// When a person died (`deathDate`).
    Death,
    /// When something was founded, built or launched (`foundingDate`).
    Founding,
    /// The place it is in: an entity (`containedInPlace` for a place,
    /// `location` for anything else).
    Location,
    /// What sort of thing it is ("port city", "news agency").
    Type,
}

impl FactRole {
    /// Every role, by the name `kinds.yaml` gives it.
    pub const ALL: [(&'static str, FactRole); 5] = [
        ("birth", FactRole::Birth),
        ("death", FactRole::Death),
        ("founding", FactRole::Founding),
        ("location", FactRole::Location),
        ("type", FactRole::Type),
    ];
}

/// How a fact's value is checked and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FactType {
    /// Any text.
    Text,
    /// A year as an integer, or text when sources disagree ("1941 or 1942").
    Year,
    /// A list of `{title, from, to}` (or plain strings).
    Roles,
    /// `[latitude, longitude]` in decimal degrees.
    Coordinates,
    /// The id of another entity.
    Entity,
    /// A list of texts.
    List,
}

/// A parsed fact value.
#[derive(Debug, Clone, PartialEq)]
pub enum FactValue {
    Text(String),
    Year(i64),
    Roles(Vec<Role>),
    Coordinates { lat: f64, lon: f64 },
    Entity(EntityRef),
    List(Vec<String>),
}

/// A reference to another entity, by id as written; resolution finds the
/// entity once, for every later stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityRef {
    pub id: String,
    /// The entity it names: set by resolution, and never `None` in a site
    /// that builds (an unknown id is an error).
    pub entity: Option<EntityId>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Role {
    pub title: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// A value together with the byte range in its file it came from, so later
/// stages can point at it.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Range<usize>,
}

/// One entity file, parsed.
#[derive(Debug, Clone)]
pub struct EntityDoc {
    /// The file stem.
    pub id: String,
    pub kind: KindId,
    pub path: PathBuf,
    pub name: Spanned<String>,
    /// How the name sorts in indexes ("Merkel, Angela"), when not as written.
    pub sort_as: Option<String>,
    pub aliases: Vec<Spanned<String>>,
    pub summary: Option<String>,
    pub same_as: Vec<String>,
    pub related: Vec<Spanned<String>>,
    /// A portrait, a photograph or a map of it.
    pub image: Option<EntityImage>,
    /// Facts in the order the kind declares them.
    pub facts: Vec<(usize, Spanned<FactValue>)>,
    /// Its coordinates (latitude, longitude), when a fact gives them: found
    /// among `facts` once ([`coordinates_of`]), as the maps of an archive
    /// ask for them millions of times.
    pub coordinates: Option<(f64, f64)>,
    /// What a reader can open to check it, numbered in this order.
    pub sources: Vec<Source>,
    /// Which of `sources` back each fact (parallel to `facts`) and each
    /// `same_as` link (parallel to `same_as`): indexes into `sources`.
    pub cited: Citations,
    /// Where the Markdown description starts in the file (see
    /// [`EntityDoc::body`]; the text is not copied).
    pub body_offset: usize,
}

/// A source a reader can open to check a fact: a book, an article, a
/// database entry. `id` is how facts cite it (`source: kcna-1997`).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Source {
    pub id: String,
    pub title: String,
    /// Who published it: a publisher, a newspaper, a web site.
    pub publisher: Option<String>,
    /// When it was published, as written (`2002-08-20`, `1997`).
    pub date: Option<String>,
    pub url: Option<String>,
    /// When the URL was last read (`YYYY-MM-DD`).
    pub accessed: Option<String>,
    /// The words of the source that support the fact.
    pub quote: Option<String>,
    /// Where in it: a page, a section.
    pub page: Option<String>,
}

/// A stand-off annotation: something attached to the article's text
/// without touching it, anchored by a quote of that text (as the W3C
/// TextQuoteSelector anchors).
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    /// The text annotated; white space in it matches any white space.
    pub quote: String,
    /// Text right before and right after it, to tell several apart.
    pub prefix: Option<String>,
    pub suffix: Option<String>,
    /// Which of the matches left (from 1).
    pub occurrence: Option<usize>,
    pub body: AnnotationBody,
    /// Where the quote is written (for errors), and the file.
    pub at: crate::diagnostic::Location,
}

/// What an annotation says of its quote.
#[derive(Debug, Clone, PartialEq)]
pub enum AnnotationBody {
    /// A mention of these entities (ids as written); none: no mention at
    /// all, whatever the names in it.
    Mention(Vec<Spanned<String>>),
    /// An editorial note, in Markdown.
    Note(String),
    /// The edition's repair of the printed text (the quote), with an
    /// optional note, and optionally a mention of entities too.
    Correction { should_read: String, note: Option<String>, entities: Vec<Spanned<String>> },
}

/// Which sources back an entity's facts and authority links.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Citations {
    /// Per fact, in the order of [`EntityDoc::facts`].
    pub facts: Vec<Vec<usize>>,
    /// Per link, in the order of [`EntityDoc::same_as`].
    pub same_as: Vec<Vec<usize>>,
}

/// An entity's image, with the credit and licence it is published under.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityImage {
    /// Under `static/`, or a web address.
    pub src: Spanned<String>,
    /// What it shows; the entity's name when not given.
    pub alt: Option<String>,
    /// Who made it: "Photo: Kremlin.ru".
    pub credit: Option<String>,
    /// "CC BY 4.0".
    pub licence: Option<String>,
    pub licence_url: Option<String>,
}

/// The coordinates the first coordinates fact of `facts` gives.
pub fn coordinates_of(facts: &[(usize, Spanned<FactValue>)]) -> Option<(f64, f64)> {
    facts.iter().find_map(|(_, fact)| match fact.value {
        FactValue::Coordinates { lat, lon } => Some((lat, lon)),
        _ => None,
    })
}

impl EntityDoc {
    /// The name as indexes sort and file it: `sort_as`, else the name.
    pub fn sort_name(&self) -> &str {
        self.sort_as.as_deref().unwrap_or(&self.name.value)
    }

    /// The Markdown description, from the text of the entity's file.
    pub fn body<'t>(&self, file_text: &'t str) -> &'t str {
        file_text.get(self.body_offset..).unwrap_or("")
    }
}

/// One article file, parsed.
#[derive(Debug, Clone)]
pub struct ArticleDoc {
    /// The file stem.
    pub slug: String,
    pub path: PathBuf,
    pub title: Spanned<String>,
    pub subtitle: Option<Spanned<String>>,
    pub date: Option<String>,
    /// When it was last revised (`YYYY-MM-DD`), for feeds.
    pub updated: Option<String>,
    pub dateline: Option<String>,
    pub byline: Option<String>,
    pub source: Option<String>,
    pub source_url: Option<String>,
    pub summary: Option<String>,
    /// Editor's introduction (Markdown): shown before the text, not scanned.
    pub intro: Option<Spanned<String>>,
    /// Editorial notes on the piece as a whole (Markdown).
    pub notes: Vec<Spanned<String>>,
    /// As written; pages list them by [`crate::resolve::Registry::tags`].
    pub tags: Vec<Spanned<String>>,
    /// Places in the order of a journey, for maps.
    pub route: Vec<Spanned<String>>,
    /// Not published: left out of a build unless drafts are asked for.
    pub draft: bool,
    /// Orders articles of the same date (lower first), or all of them with
    /// `sort_by: weight`.
    pub weight: Option<i64>,
    /// Its language, when not the site's (a language tag).
    pub language: Option<String>,
    /// The articles that are it in other languages: (language, slug).
    pub translations: Vec<(String, Spanned<String>)>,
    /// What a reader can open to check the edition's notes on it.
    pub sources: Vec<Source>,
    /// Stand-off annotations: from `annotations:` in the front matter, then
    /// from the `<stem>.annotations.yaml` file beside the article.
    pub annotations: Vec<Annotation>,
    /// Where the Markdown body starts in the file (see [`ArticleDoc::body`];
    /// an archive's text is not copied).
    pub body_offset: usize,
}

impl ArticleDoc {
    /// The Markdown body, from the text of the article's file.
    pub fn body<'t>(&self, file_text: &'t str) -> &'t str {
        file_text.get(self.body_offset..).unwrap_or("")
    }
}

/// Does `url` use a scheme that runs code or smuggles content
/// (`javascript:`, `vbscript:`, `data:`)? Browsers ignore case, leading
/// spaces and embedded tabs or newlines in a scheme, so this does too.
pub(crate) fn is_dangerous_url(url: &str) -> bool {
    let scheme: String = url
        .trim_start_matches(|c: char| c.is_whitespace() || c.is_control())
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(11)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"].iter().any(|s| scheme.starts_with(s))
}

/// Is `id` a slug: lower-case ASCII letters, digits and single inner hyphens?
pub(crate) fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Turns a name in any script into a slug: `Kim Jong-il` → `kim-jong-il`,
/// `Lech Wałęsa` → `lech-walesa`, `Владивосток` → `vladivostok`, `北京` →
/// `bei-jing`. Letters and digits are transliterated to ASCII by deunicode;
/// apostrophes vanish (`Kim’s` → `kims`); anything else (spaces,
/// punctuation, symbols) separates words. Empty when the name has no
/// letter or digit that transliterates.
pub(crate) fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    let mut gap = false;
    for c in name.chars() {
        if matches!(c, '\'' | '’' | 'ʼ') {
            continue;
        }
        let ascii = if c.is_alphanumeric() { deunicode::deunicode_char(c).unwrap_or("") } else { "" };
        if ascii.is_empty() {
            gap = true;
            continue;
        }
        for a in ascii.chars() {
            if a.is_ascii_alphanumeric() {
                if gap && !slug.is_empty() {
                    slug.push('-');
                }
                gap = false;
                slug.push(a.to_ascii_lowercase());
            } else if a != '\'' {
                gap = true;
            }
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("kim-jong-il"));
        assert!(is_slug("b52"));
        assert!(!is_slug("Kim"));
        assert!(!is_slug("kim_jong"));
        assert!(!is_slug("-kim"));
        assert!(!is_slug(""));
    }

    #[test]
    fn slugify_names() {
        assert_eq!(slugify("Kim Jong-il"), "kim-jong-il");
        assert_eq!(slugify("Komsomolsk-on-Amur"), "komsomolsk-on-amur");
        assert_eq!(slugify("Kim’s  Train!"), "kims-train");
        assert_eq!(slugify("Société Générale"), "societe-generale");
    }

    #[test]
    fn slugify_transliterates_any_script() {
        assert_eq!(slugify("Lech Wałęsa"), "lech-walesa");
        assert_eq!(slugify("Gdańsk"), "gdansk");
        assert_eq!(slugify("Łódź"), "lodz");
        assert_eq!(slugify("Владивосток"), "vladivostok");
        assert_eq!(slugify("Straße des 17. Juni"), "strasse-des-17-juni");
        assert_eq!(slugify("Ангела Меркель"), "angela-merkel");
        assert_eq!(slugify("北京"), "bei-jing");
        assert_eq!(slugify("O’Neill"), "oneill");
    }

    #[test]
    fn slugify_gives_nothing_for_names_without_letters() {
        assert_eq!(slugify("🙂 — ‽"), "");
        assert_eq!(slugify("   "), "");
    }
}
