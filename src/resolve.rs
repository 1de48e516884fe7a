//! Resolution: the entity registry and the alias matcher.
//!
//! Checks what no single file can: ids unique across kinds, every reference
//! (`related`, entity facts, routes) pointing at an entity that exists. The
//! result, [`Registry`], is what every later stage looks entities up in.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::diagnostic::{did_you_mean, Code, Diagnostic, Diagnostics, Location};
use crate::load::SiteSources;
use crate::matcher::{AliasMatcher, Owner};
use typed_index_collections::{TiSlice, TiVec};

use crate::model::{
    slugify, ArticleDoc, ArticleId, EntityDoc, EntityId, FactValue, SiteConfig, SortBy, Spanned, Tag, TagId,
};
use crate::parse::ParsedSite;

/// Every entity and article of the site, resolved.
#[derive(Debug)]
pub struct Registry {
    pub config: SiteConfig,
    /// Sorted by kind, then id.
    pub entities: TiVec<EntityId, EntityDoc>,
    /// Sorted by date (newest first), then slug.
    pub articles: TiVec<ArticleId, ArticleDoc>,
    ids: HashMap<String, EntityId>,
    pub matcher: AliasMatcher,
    /// Resolved `related` lists, per entity.
    pub related: TiVec<EntityId, Vec<EntityId>>,
    /// Resolved `route` lists, per article: the places of its journey.
    pub routes: TiVec<ArticleId, Vec<EntityId>>,
    /// Each article's translations, both ways (declared on either side):
    /// (language, article), by language.
    pub translations: TiVec<ArticleId, Vec<(String, ArticleId)>>,
    /// Every tag of the published articles, A to Z by slug.
    pub tags: TiVec<TagId, Tag>,
    /// Each article's tags, as it lists them (each once).
    pub article_tags: TiVec<ArticleId, Vec<TagId>>,
    /// Ids of entity files that failed to parse (already reported).
    broken_ids: HashSet<String>,
    /// The images texts may show.
    pub images: crate::images::Library,
}

impl Registry {
    /// The entity with this id.
    pub fn lookup(&self, id: &str) -> Option<EntityId> {
        self.ids.get(id).copied()
    }

    /// A did-you-mean for an unknown id.
    ///
    /// An id close to an existing one (or to one whose file failed to parse)
    /// comes first; then an entity whose name or alias the id spells
    /// (`@putin` → `vladimir-putin`).
    pub(crate) fn suggest(&self, id: &str) -> Option<&str> {
        let ids = self.entities.iter().map(|e| e.id.as_str()).chain(self.broken_ids.iter().map(String::as_str));
        did_you_mean(id, ids).or_else(|| {
            self.entities
                .iter()
                .find(|e| std::iter::once(&e.name).chain(&e.aliases).any(|a| crate::model::slugify(&a.value) == id))
                .map(|e| e.id.as_str())
        })
    }

    /// Looks up a reference to `id`, written where `at` says. An unknown
    /// id is reported, unless its file exists but failed to parse (that
    /// error is reported already).
    pub(crate) fn reference(
        &self,
        id: &str,
        at: impl FnOnce() -> Location,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<EntityId> {
        let found = self.lookup(id);
        if found.is_none() && !self.broken_ids.contains(id) {
            diagnostics.push(self.unknown_entity(id, at()));
        }
        found
    }

    /// An "unknown entity" error for `id`, located at `at`.
    fn unknown_entity(&self, id: &str, at: Location) -> Diagnostic {
        let hint = match self.suggest(id) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("ids are entity file names: create content/<kind>/{id}.md or correct the id"),
        };
        Diagnostic::error(Code::UnknownEntity, format!("there is no entity with id `{id}`")).at(at).with_hint(hint)
    }
}

/// How two articles are ordered on the home pages and in feeds: by
/// `sort_by`, then the other keys, then by slug (so the order never depends
/// on the order files were read in).
pub(crate) fn article_order(sort_by: SortBy, a: &ArticleDoc, b: &ArticleDoc) -> std::cmp::Ordering {
    // Articles without a weight come after those with one.
    let weight = |d: &ArticleDoc| (d.weight.is_none(), d.weight);
    let date = || b.date.cmp(&a.date);
    let title = || a.title.value.to_lowercase().cmp(&b.title.value.to_lowercase());
    let by = match sort_by {
        SortBy::Date => date().then_with(|| weight(a).cmp(&weight(b))).then_with(title),
        SortBy::Weight => weight(a).cmp(&weight(b)).then_with(date).then_with(title),
        SortBy::Title => title().then_with(date),
    };
    by.then_with(|| a.slug.cmp(&b.slug))
}

/// The first name of a person's name of two words or more, when it looks
/// like one (capitalised, two letters or more): standing alone in the text,
/// it is a possible mention. "Angela" of "Angela Merkel".
fn first_name(name: &str) -> Option<&str> {
    let mut words = name.split_whitespace();
    let first = words.next()?;
    words.next()?;
    let capitalised = first.chars().next().is_some_and(char::is_uppercase);
    let letters = first.chars().all(char::is_alphabetic) && first.chars().count() >= 2;
    (capitalised && letters).then_some(first)
}

/// Builds the registry, reporting every duplicate id and dangling reference
/// into `diagnostics`. The registry is built even when there are errors, so
/// later stages can go on finding more.
pub(crate) fn resolve(parsed: ParsedSite, sources: &SiteSources, diagnostics: &mut Diagnostics) -> Registry {
    let ParsedSite { config, mut articles, mut entities, broken_ids, .. } = parsed;
    let texts: HashMap<&std::path::Path, &str> =
        sources.content.iter().map(|f| (f.path.as_path(), f.text.as_str())).collect();
    let text_of = |path: &std::path::Path| texts.get(path).copied().unwrap_or("");

    entities.sort_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
    articles.sort_by(|a, b| article_order(config.sort_by, a, b));

    let entities: TiVec<EntityId, EntityDoc> = entities.into();
    let articles: TiVec<ArticleId, ArticleDoc> = articles.into();
    let mut ids: HashMap<String, EntityId> = HashMap::new();
    for (i, entity) in entities.iter_enumerated() {
        if let Some(&first) = ids.get(&entity.id) {
            let other = &entities[first];
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("the id `{}` is used twice: here and in {}", entity.id, other.path.display()),
                )
                .at(Location::from_range(&entity.path, text_of(&entity.path), 0..0))
                .with_hint("ids are unique across all kinds: rename one of the two files"),
            );
        } else {
            ids.insert(entity.id.clone(), i);
        }
    }
    let mut slugs: HashMap<&str, &ArticleDoc> = HashMap::new();
    for article in &articles {
        if !crate::model::is_slug(&article.slug) {
            diagnostics.push(
                Diagnostic::error(
                    Code::InvalidId,
                    format!("the file name `{}` is not a valid article slug", article.slug),
                )
                .in_file(&article.path)
                .with_hint(format!("rename it to `{}.md`", crate::model::slugify(&article.slug))),
            );
        }
        if let Some(other) = slugs.insert(&article.slug, article) {
            diagnostics.push(
                Diagnostic::error(Code::DuplicateId, format!("two articles have the slug `{}`", article.slug))
                    .in_file(&article.path)
                    .with_hint(format!("the other is {}", other.path.display())),
            );
        }
    }

    let aliases = entities.iter_enumerated().flat_map(|(i, e)| {
        std::iter::once((e.name.value.as_str(), Owner { entity: i, alias: None })).chain(
            e.aliases
                .iter()
                .enumerate()
                .map(move |(a, alias)| (alias.value.as_str(), Owner { entity: i, alias: Some(a) })),
        )
    });
    let first_names = entities.iter_enumerated().filter_map(|(i, e)| {
        let person = config.kinds[e.kind].schema == "Person";
        person.then(|| first_name(&e.name.value)).flatten().map(|first| (first, Owner { entity: i, alias: None }))
    });
    let mut matcher = AliasMatcher::new(aliases, first_names);
    // Stems only where some article's language inflects names: a site
    // with none pays nothing for them.
    if articles.iter().any(|a| inflects_names(a.language.as_deref().unwrap_or(&config.language))) {
        matcher = matcher.with_inflections();
    }

    let (tags, article_tags) = collect_tags(&articles, &texts, diagnostics);
    let mut registry = Registry {
        config,
        entities,
        articles,
        ids,
        matcher,
        related: TiVec::new(),
        routes: TiVec::new(),
        translations: TiVec::new(),
        tags,
        article_tags,
        broken_ids,
        images: crate::images::Library::new(sources),
    };

    let check = |reference: &Spanned<String>, path: &std::path::Path, diagnostics: &mut Diagnostics| {
        let mut found = Vec::new();
        let at = || Location::from_range(path, text_of(path), reference.span.clone());
        let entity = registry.reference(&reference.value, at, &mut found);
        diagnostics.extend(found);
        entity
    };
    let mut related = TiVec::with_capacity(registry.entities.len());
    // (entity, fact) → the entity the fact names.
    let mut fact_targets = Vec::new();
    for (e, entity) in registry.entities.iter_enumerated() {
        let mut list: Vec<EntityId> =
            entity.related.iter().filter_map(|r| check(r, &entity.path, diagnostics)).collect();
        list.dedup();
        related.push(list);
        for (f, (_, fact)) in entity.facts.iter().enumerate() {
            if let FactValue::Entity(reference) = &fact.value {
                let written = Spanned { value: reference.id.clone(), span: fact.span.clone() };
                fact_targets.push((e, f, check(&written, &entity.path, diagnostics)));
            }
        }
    }
    let routes = registry
        .articles
        .iter()
        .map(|article| article.route.iter().filter_map(|stop| check(stop, &article.path, diagnostics)).collect())
        .collect();
    for (e, f, target) in fact_targets {
        if let FactValue::Entity(reference) = &mut registry.entities[e].facts[f].1.value {
            reference.entity = target;
        }
    }
    registry.related = related;
    registry.routes = routes;
    registry.translations = translations(&registry, &texts, diagnostics);
    registry
}

/// Each article's translations, both ways: an article that names another as
/// its German translation is that one's translation too. A slug no article
/// has, or an article in another language than the one named, is an error
/// where it is written.
fn translations(
    registry: &Registry,
    texts: &HashMap<&std::path::Path, &str>,
    diagnostics: &mut Diagnostics,
) -> TiVec<ArticleId, Vec<(String, ArticleId)>> {
    let text_of = |path: &std::path::Path| texts.get(path).copied().unwrap_or("");
    let articles = &registry.articles;
    let language = |a: &ArticleDoc| a.language.clone().unwrap_or_else(|| registry.config.language.clone());
    let mut found: TiVec<ArticleId, Vec<(String, ArticleId)>> = vec![Vec::new(); articles.len()].into();
    for (a, article) in articles.iter_enumerated() {
        for (tag, slug) in &article.translations {
            let at = || Location::from_range(&article.path, text_of(&article.path), slug.span.clone());
            let Some((b, other)) = articles.iter_enumerated().find(|(b, o)| o.slug == slug.value && *b != a) else {
                let hint = match crate::diagnostic::did_you_mean(&slug.value, articles.iter().map(|o| o.slug.as_str()))
                {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "name the translation by its slug, the name of its file without `.md`".into(),
                };
                diagnostics.push(
                    Diagnostic::error(Code::InvalidValue, format!("there is no article `{}`", slug.value))
                        .at(at())
                        .with_hint(hint),
                );
                continue;
            };
            if !language(other).eq_ignore_ascii_case(tag) {
                diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("`{}` is in `{}`, not `{tag}`", slug.value, language(other)),
                    )
                    .at(at())
                    .with_hint(format!(
                        "set `language: {tag}` in its front matter, or name it under `{}`",
                        language(other)
                    )),
                );
                continue;
            }
            found[a].push((language(other), b));
            found[b].push((language(article), a));
        }
    }
    for list in found.iter_mut() {
        list.sort();
        list.dedup();
    }
    found
}

/// The tags of `articles`, A to Z, and each article's. Spellings with one
/// slug are one tag (`Far East`, `far east`), named as first written; the
/// others are reported, so the edition spells each tag one way. A tag with
/// no letter or digit to name its page is an error.
fn collect_tags(
    articles: &TiSlice<ArticleId, ArticleDoc>,
    texts: &HashMap<&std::path::Path, &str>,
    diagnostics: &mut Diagnostics,
) -> (TiVec<TagId, Tag>, TiVec<ArticleId, Vec<TagId>>) {
    let text_of = |path: &std::path::Path| texts.get(path).copied().unwrap_or("");
    // slug → (the tag, where it was first written)
    let mut by_slug: BTreeMap<String, (Tag, &ArticleDoc, &Spanned<String>)> = BTreeMap::new();
    for (a, article) in articles.iter_enumerated() {
        for written in &article.tags {
            let at = || Location::from_range(&article.path, text_of(&article.path), written.span.clone());
            let slug = slugify(&written.value);
            if slug.is_empty() {
                diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("the tag `{}` has no letter or digit to name its page", written.value),
                    )
                    .at(at())
                    .with_hint("write the tag in words, for example `tags: [Diplomacy]`"),
                );
                continue;
            }
            let (tag, first, first_written) = by_slug
                .entry(slug.clone())
                .or_insert_with(|| (Tag { name: written.value.clone(), slug, articles: Vec::new() }, article, written));
            if tag.articles.last() != Some(&a) {
                tag.articles.push(a);
            }
            if written.value != tag.name {
                let first_at = Location::from_range(&first.path, text_of(&first.path), first_written.span.clone());
                diagnostics.push(
                    Diagnostic::warning(
                        Code::TagSpelling,
                        format!(
                            "the tag `{}` is written `{}` elsewhere: both are listed as `{}`",
                            written.value, tag.name, tag.name
                        ),
                    )
                    .at(at())
                    .with_hint(format!(
                        "write it `{}` as at {}:{}:{}, or the same way everywhere",
                        tag.name,
                        first_at.path.display(),
                        first_at.line,
                        first_at.column
                    )),
                );
            }
        }
    }
    let tags: TiVec<TagId, Tag> = by_slug.into_values().map(|(tag, ..)| tag).collect();
    let mut article_tags: TiVec<ArticleId, Vec<TagId>> = articles.iter().map(|_| Vec::new()).collect();
    for (t, tag) in tags.iter_enumerated() {
        for &a in &tag.articles {
            article_tags[a].push(t);
        }
    }
    // Each article's tags in the order it lists them.
    for (a, article) in articles.iter_enumerated() {
        let place = |t: &TagId| article.tags.iter().position(|w| slugify(&w.value) == tags[*t].slug);
        article_tags[a].sort_by_key(place);
    }
    (tags, article_tags)
}

/// Does the language of `tag` (`ru`, `pl-PL`) inflect names, so that
/// `gloss mentions` should look for their inflected forms (`Путина` for
/// `Путин`) in an article in it? The Slavic and Baltic languages, Finnic,
/// Hungarian, Greek, Icelandic, Latin, Georgian and Armenian.
pub(crate) fn inflects_names(tag: &str) -> bool {
    let language = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    const INFLECTING: &[&str] = &[
        "be", "bs", "cs", "cnr", "csb", "dsb", "hr", "hsb", "pl", "ru", "rue", "sh", "sk", "sl", "sr", "szl", "uk",
        "lt", "lv", "ltg", "fi", "et", "se", "hu", "el", "is", "la", "ka", "hy",
    ];
    INFLECTING.contains(&language.as_str())
}
