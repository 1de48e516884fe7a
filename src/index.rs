//! The index: backlinks, co-mentions and each article's cast, built once
//! from every article's mentions.
//!
//! A plain data structure: pages look things up here instead of scanning
//! mentions, so rendering stays linear in the size of the site.

use std::collections::{BTreeMap, HashMap};

use crate::annotate::AnnotatedArticle;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::resolve::Registry;

/// A mention seen from an entity: which article, which mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MentionRef {
    pub article: usize,
    pub mention: usize,
}

/// Another entity related to one entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub entity: usize,
    /// Declared in either entity's `related` list.
    pub declared: bool,
    /// Paragraphs in which both are mentioned.
    pub co_mentions: usize,
}

/// Who appears in an article, in order of first appearance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CastMember {
    pub entity: usize,
    pub mentions: usize,
    /// Anchor of the first mention.
    pub first_anchor: String,
}

#[derive(Debug, Clone, Default)]
pub struct SiteIndex {
    /// Per entity: every mention, in article order, then text order.
    pub mentions_of: Vec<Vec<MentionRef>>,
    /// Per entity: related entities, most related first.
    pub related: Vec<Vec<Relation>>,
    /// Per article: its cast.
    pub cast: Vec<Vec<CastMember>>,
}

impl SiteIndex {
    pub fn build(registry: &Registry, articles: &[AnnotatedArticle]) -> SiteIndex {
        let n = registry.entities.len();
        let mut mentions_of = vec![Vec::new(); n];
        let mut pairs: HashMap<(usize, usize), usize> = HashMap::new();
        let mut cast = Vec::with_capacity(articles.len());
        for (a, article) in articles.iter().enumerate() {
            let mut order: Vec<CastMember> = Vec::new();
            let mut position: HashMap<usize, usize> = HashMap::new();
            let mut by_block: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
            for (m, mention) in article.mentions.iter().enumerate() {
                for &entity in &mention.entities {
                    mentions_of[entity].push(MentionRef { article: a, mention: m });
                    by_block.entry(mention.block).or_default().push(entity);
                    match position.get(&entity) {
                        Some(&i) => order[i].mentions += 1,
                        None => {
                            position.insert(entity, order.len());
                            order.push(CastMember { entity, mentions: 1, first_anchor: mention.anchor.clone() });
                        }
                    }
                }
            }
            for mut entities in by_block.into_values() {
                entities.sort_unstable();
                entities.dedup();
                for (i, &x) in entities.iter().enumerate() {
                    for &y in &entities[i + 1..] {
                        *pairs.entry((x, y)).or_insert(0) += 1;
                    }
                }
            }
            cast.push(order);
        }

        let mut related: Vec<BTreeMap<usize, Relation>> = vec![BTreeMap::new(); n];
        let mut relate = |x: usize, y: usize, declared: bool, count: usize| {
            let entry = related[x].entry(y).or_insert(Relation { entity: y, declared: false, co_mentions: 0 });
            entry.declared |= declared;
            entry.co_mentions += count;
        };
        for (&(x, y), &count) in &pairs {
            relate(x, y, false, count);
            relate(y, x, false, count);
        }
        for (x, list) in registry.related.iter().enumerate() {
            for &y in list {
                if x != y {
                    relate(x, y, true, 0);
                    relate(y, x, true, 0);
                }
            }
        }
        let related = related
            .into_iter()
            .map(|map| {
                let mut list: Vec<Relation> = map.into_values().collect();
                list.sort_by(|a, b| {
                    b.co_mentions.cmp(&a.co_mentions).then(b.declared.cmp(&a.declared)).then_with(|| {
                        registry.entities[a.entity].name.value.cmp(&registry.entities[b.entity].name.value)
                    })
                });
                list
            })
            .collect();
        SiteIndex { mentions_of, related, cast }
    }
}

/// Warnings that need the whole site: entities never mentioned, aliases that
/// never match, entities without a summary.
pub(crate) fn lint(
    registry: &Registry,
    articles: &[AnnotatedArticle],
    index: &SiteIndex,
    texts: &[&str],
) -> Vec<Diagnostic> {
    let matcher = &registry.matcher;
    let mut used: Vec<Vec<bool>> = registry.entities.iter().map(|e| vec![false; e.aliases.len()]).collect();
    let mut mark = |pattern: usize| {
        for owner in &matcher.patterns[pattern].owners {
            if let Some(a) = owner.alias {
                used[owner.entity][a] = true;
            }
        }
    };
    for article in articles {
        article.matched_patterns.iter().for_each(|&p| mark(p));
        // An alias written inside an explicit link counts as used too.
        for mention in article.mentions.iter().filter(|m| m.explicit) {
            let text = article.mention_text(mention);
            for found in matcher.find(text) {
                if found.start == 0 && found.end == text.len() {
                    mark(found.pattern);
                }
            }
        }
    }
    let mut warnings = Vec::new();
    for (e, entity) in registry.entities.iter().enumerate() {
        let at = |span: std::ops::Range<usize>| Location::from_range(&entity.path, texts[e], span);
        if index.mentions_of[e].is_empty() && !registry.articles.is_empty() {
            warnings.push(
                Diagnostic::warning(
                    Code::NeverMentioned,
                    format!("`{}` is never mentioned in any article", entity.name.value),
                )
                .at(at(entity.name.span.clone()))
                .with_hint("add an alias that occurs in the text, or link a mention explicitly with `[text](@id)`"),
            );
        }
        if entity.summary.is_none() {
            warnings.push(
                Diagnostic::warning(Code::MissingSummary, format!("`{}` has no summary", entity.name.value))
                    .at(at(entity.name.span.clone()))
                    .with_hint("add `summary: ...`, one sentence shown in previews and indexes"),
            );
        }
        for (a, alias) in entity.aliases.iter().enumerate() {
            if !used[e][a] && !registry.articles.is_empty() {
                warnings.push(
                    Diagnostic::warning(
                        Code::UnusedAlias,
                        format!("the alias `{}` never matches any article text", alias.value),
                    )
                    .at(at(alias.span.clone()))
                    .with_hint("aliases match case-sensitively and as whole words; check the spelling or remove it"),
                );
            }
        }
    }
    warnings
}
