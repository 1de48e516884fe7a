//! The index: backlinks, co-mentions and each article's cast, built once
//! from every article's mentions.
//!
//! A plain data structure: pages look things up here instead of scanning
//! mentions, so rendering stays linear in the size of the site.

use std::collections::HashMap;
use std::sync::Mutex;

use rayon::prelude::*;

use typed_index_collections::{TiSlice, TiVec};

use crate::annotate::AnnotatedArticle;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::model::{ArticleId, EntityId};
use crate::resolve::Registry;
use crate::review::single_spaced;

/// A mention seen from an entity: which article, which mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MentionRef {
    pub article: ArticleId,
    /// Its place in the article's [`AnnotatedArticle::mentions`].
    pub mention: usize,
}

/// Another entity related to one entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub entity: EntityId,
    /// Declared in either entity's `related` list.
    pub declared: bool,
    /// Paragraphs in which both are mentioned.
    pub co_mentions: usize,
}

/// Who appears in an article, in order of first appearance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CastMember {
    pub entity: EntityId,
    pub mentions: usize,
    /// Index of the first mention in [`AnnotatedArticle::mentions`].
    pub first_mention: usize,
}

/// A form an entity is mentioned by ("the Dear Leader"), and how often.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Form {
    /// As printed, white space made single spaces.
    pub text: String,
    pub count: usize,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteIndex {
    /// Per entity: every mention, in article order, then text order.
    pub mentions_of: TiVec<EntityId, Vec<MentionRef>>,
    /// Per entity: the forms the articles use for it, most used first.
    pub forms: TiVec<EntityId, Vec<Form>>,
    /// Per entity: related entities, most related first.
    pub related: TiVec<EntityId, Vec<Relation>>,
    /// Per article: its cast.
    pub cast: TiVec<ArticleId, Vec<CastMember>>,
    /// Per entity: its place in the site's collation order of names,
    /// which breaks ties between equally related entities.
    name_rank: TiVec<EntityId, usize>,
    /// Per entity: how many articles mention it. Counted once: every
    /// article's map data asks it of each of its places.
    article_counts: TiVec<EntityId, usize>,
    /// Per entity with coordinates: the entities related to it or in the
    /// cast of an article that mentions it, in id order (its locator map
    /// shows those with coordinates). Kept here, brought up to date with
    /// the rest, because at 100,000 articles a place's articles' casts run
    /// to hundreds of thousands of entities.
    pub nearby: TiVec<EntityId, Vec<EntityId>>,
    /// Per pattern of the matcher: how many articles it matched in. An
    /// alias none matched is reported; counted here so that an edit need
    /// not go through every article again to know.
    pattern_uses: Vec<u32>,
}

/// How many articles `mentions` (an entity's, which come article by
/// article) are in.
fn count_articles(mentions: &[MentionRef]) -> usize {
    mentions.iter().enumerate().filter(|(i, r)| *i == 0 || mentions[i - 1].article != r.article).count()
}

/// Two entities mentioned in the same paragraph, lower id first.
type Pair = (EntityId, EntityId);

impl SiteIndex {
    /// How many articles mention entity `e` (its mentions come article by
    /// article).
    pub fn articles_mentioning(&self, e: EntityId) -> usize {
        self.article_counts[e]
    }

    /// Builds the index. Per-article work runs in parallel; co-mentions are
    /// counted by sorting pairs rather than hashing them, which stays fast
    /// at millions of pairs.
    pub(crate) fn build(registry: &Registry, articles: &TiSlice<ArticleId, AnnotatedArticle>) -> SiteIndex {
        let n = registry.entities.len();
        // Per article: its cast and the entity pairs of each paragraph.
        let per_article: Vec<(Vec<CastMember>, Vec<Pair>)> = articles.raw.par_iter().map(cast_and_pairs).collect();

        let mut mentions_of: TiVec<EntityId, Vec<MentionRef>> = vec![Vec::new(); n].into();
        for (a, article) in articles.iter_enumerated() {
            for (m, mention) in article.mentions.iter().enumerate() {
                for &entity in &mention.entities {
                    mentions_of[entity].push(MentionRef { article: a, mention: m });
                }
            }
        }
        // Each pair's lower entity keeps the other of each: sorting those
        // lists one by one, in parallel, costs a tenth of sorting all pairs
        // together (a dense archive has millions).
        let mut partners: TiVec<EntityId, Vec<EntityId>> = vec![Vec::new(); n].into();
        let mut sizes: TiVec<EntityId, usize> = vec![0; n].into();
        for &(x, _) in per_article.iter().flat_map(|(_, pairs)| pairs) {
            sizes[x] += 1;
        }
        for (list, &size) in partners.iter_mut().zip(&sizes) {
            list.reserve_exact(size);
        }
        for &(x, y) in per_article.iter().flat_map(|(_, pairs)| pairs) {
            partners[x].push(y);
        }
        let cast: Vec<Vec<CastMember>> = per_article.into_iter().map(|(order, _)| order).collect();
        let cast = cast.into();
        partners.raw.par_iter_mut().for_each(|list| list.sort_unstable());

        let mut related: TiVec<EntityId, Vec<Relation>> = vec![Vec::new(); n].into();
        for (x, list) in partners.iter_enumerated() {
            for run in list.chunk_by(|a, b| a == b) {
                let y = run[0];
                related[x].push(Relation { entity: y, declared: false, co_mentions: run.len() });
                related[y].push(Relation { entity: x, declared: false, co_mentions: run.len() });
            }
        }
        drop(partners);
        for (x, list) in registry.related.iter_enumerated() {
            for &y in list.iter().filter(|&&y| y != x) {
                for (from, to) in [(x, y), (y, x)] {
                    match related[from].iter_mut().find(|r| r.entity == to) {
                        Some(r) => r.declared = true,
                        None => related[from].push(Relation { entity: to, declared: true, co_mentions: 0 }),
                    }
                }
            }
        }
        // Most related first; ties by name in the order of the site's
        // language (as the kind indexes sort), through a precomputed rank.
        let collation = crate::collate::Collation::of(&registry.config.language);
        let mut by_name: Vec<EntityId> = registry.entities.keys().collect();
        by_name.sort_by_cached_key(|&e| collation.sort_key(registry.entities[e].sort_name()));
        let mut name_rank: TiVec<EntityId, usize> = vec![0; n].into();
        for (rank, &e) in by_name.iter().enumerate() {
            name_rank[e] = rank;
        }
        let forms = count_forms(n, articles);
        let article_counts = mentions_of.iter().map(|m| count_articles(m)).collect();
        let nearby = vec![Vec::new(); n].into();
        let mut pattern_uses = vec![0; registry.matcher.patterns.len()];
        for article in articles {
            count_patterns(&mut pattern_uses, article, 1);
        }
        let mut index =
            SiteIndex { mentions_of, forms, related, cast, name_rank, article_counts, nearby, pattern_uses };
        let mut lists = std::mem::take(&mut index.related);
        lists.raw.par_iter_mut().for_each(|list| index.sort_relations(list));
        index.related = lists;
        let nearby: Vec<Vec<EntityId>> = registry
            .entities
            .keys()
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|e| index.nearby_of(registry, e))
            .collect();
        index.nearby = nearby.into();
        index
    }

    /// What [`SiteIndex::nearby`] holds for entity `e`: nothing for one
    /// without coordinates.
    fn nearby_of(&self, registry: &Registry, e: EntityId) -> Vec<EntityId> {
        if registry.entities[e].coordinates.is_none() {
            return Vec::new();
        }
        let mut nearby: Vec<EntityId> = self.related[e].iter().map(|r| r.entity).collect();
        let mut last: Option<ArticleId> = None;
        for article in self.mentions_of[e].iter().map(|m| m.article) {
            if last != Some(article) {
                nearby.extend(self.cast[article].iter().map(|c| c.entity));
                last = Some(article);
            }
        }
        nearby.sort_unstable();
        nearby.dedup();
        nearby.retain(|&other| other != e);
        nearby
    }

    /// Brings the index up to date after article `a` changed from `old` to
    /// `articles[a]` (names, aliases and relations unchanged): only the
    /// entities the article mentioned or mentions, and those co-mentioned
    /// with them, are touched, so `gloss serve` does not rebuild the whole
    /// index on every save. Gives the same index as [`SiteIndex::build`].
    /// Returns the entities whose entry (mentions, relations, forms)
    /// changed, sorted: found by comparing each before and after.
    pub(crate) fn replace_article(
        &mut self,
        registry: &Registry,
        a: ArticleId,
        old: &AnnotatedArticle,
        articles: &TiSlice<ArticleId, AnnotatedArticle>,
    ) -> Vec<EntityId> {
        let new = &articles[a];
        count_patterns(&mut self.pattern_uses, old, -1);
        count_patterns(&mut self.pattern_uses, new, 1);
        let (cast, pairs) = cast_and_pairs(new);
        let (old_cast, old_pairs) = cast_and_pairs(old);
        let members = |cast: &[CastMember]| {
            let mut list: Vec<EntityId> = cast.iter().map(|m| m.entity).collect();
            list.sort_unstable();
            list
        };
        let (members_before, members_after) = (members(&old_cast), members(&cast));
        let mut touched: Vec<EntityId> = members_before.iter().chain(&members_after).copied().collect();
        touched.sort_unstable();
        touched.dedup();
        // Co-mentions: the new article's pairs counted in, the old one's out.
        let mut delta: HashMap<Pair, isize> = HashMap::new();
        for (pairs, sign) in [(old_pairs, -1), (pairs, 1)] {
            for pair in pairs {
                *delta.entry(pair).or_insert(0) += sign;
            }
        }
        delta.retain(|_, d| *d != 0);
        let mut candidates = touched.clone();
        candidates.extend(delta.keys().flat_map(|&(x, y)| [x, y]));
        candidates.sort_unstable();
        candidates.dedup();
        let entry = |index: &SiteIndex, e: EntityId| {
            (index.mentions_of[e].clone(), index.related[e].clone(), index.forms[e].clone(), index.nearby[e].clone())
        };
        let before: Vec<_> = candidates.iter().map(|&e| entry(self, e)).collect();

        // Backlinks: the article's references move, in article order.
        for &e in &touched {
            let list = &mut self.mentions_of[e];
            list.retain(|r| r.article != a);
            let at = list.partition_point(|r| r.article < a);
            let fresh = new.mentions.iter().enumerate().filter(|(_, m)| m.entities.contains(&e));
            let fresh: Vec<MentionRef> = fresh.map(|(m, _)| MentionRef { article: a, mention: m }).collect();
            list.splice(at..at, fresh);
            self.article_counts[e] = count_articles(list);
            recount_forms(&mut self.forms[e], e, old, new);
        }
        self.cast[a] = cast;
        let mut relinked: Vec<EntityId> = Vec::new();
        for ((x, y), delta) in delta {
            for (from, to) in [(x, y), (y, x)] {
                let list = &mut self.related[from];
                match list.iter().position(|r| r.entity == to) {
                    Some(i) => list[i].co_mentions = list[i].co_mentions.saturating_add_signed(delta),
                    None => list.push(Relation { entity: to, declared: false, co_mentions: delta.max(0) as usize }),
                }
                relinked.push(from);
            }
        }
        relinked.sort_unstable();
        relinked.dedup();
        for &e in &relinked {
            let mut list = std::mem::take(&mut self.related[e]);
            list.retain(|r| r.declared || r.co_mentions > 0);
            self.sort_relations(&mut list);
            self.related[e] = list;
        }
        // Only the places in the article's cast, before or after, meet
        // other entities in it, and only if the cast is not the same
        // entities as before. Entities joining it join each member's
        // nearby entities; one leaving it may still be in another
        // article's cast, which only a count over them all can say.
        let left = members_before.iter().any(|e| members_after.binary_search(e).is_err());
        if left {
            for &e in &touched {
                self.nearby[e] = self.nearby_of(registry, e);
            }
        } else if members_before != members_after {
            for &e in members_after.iter().filter(|&&e| registry.entities[e].coordinates.is_some()) {
                let nearby = &mut self.nearby[e];
                nearby.extend(members_after.iter().copied().filter(|&other| other != e));
                nearby.sort_unstable();
                nearby.dedup();
            }
        }
        candidates.into_iter().zip(before).filter(|&(e, ref was)| entry(self, e) != *was).map(|(e, _)| e).collect()
    }

    fn sort_relations(&self, list: &mut [Relation]) {
        list.sort_by_key(|r| {
            (std::cmp::Reverse(r.co_mentions), std::cmp::Reverse(r.declared), self.name_rank[r.entity])
        });
    }
}

/// Every entity's forms: each distinct text of its mentions, most used
/// first, then alphabetically. Counted article by article, while each
/// article's text is at hand: going entity by entity read every mention's
/// text from wherever its article lies, a cache miss or more each: at
/// 100,000 articles, over a CPU-second more than this. Each entity's tally
/// is locked for the moment of a count; the two threads seldom meet on one.
fn count_forms(n: usize, articles: &TiSlice<ArticleId, AnnotatedArticle>) -> TiVec<EntityId, Vec<Form>> {
    type Tally = rustc_hash::FxHashMap<Box<str>, usize>;
    let tallies: Vec<Mutex<Tally>> = (0..n).map(|_| Mutex::default()).collect();
    articles.raw.par_iter().for_each(|article| {
        for mention in &article.mentions {
            let text = single_spaced(article.mention_text(mention));
            for &e in &mention.entities {
                let mut tally = tallies[usize::from(e)].lock().expect("no thread panics holding a tally");
                match tally.get_mut(&*text) {
                    Some(count) => *count += 1,
                    None => {
                        tally.insert(text.as_ref().into(), 1);
                    }
                }
            }
        }
    });
    let forms: Vec<Vec<Form>> = tallies
        .into_par_iter()
        .map(|tally| {
            let tally = tally.into_inner().expect("no thread panics holding a tally");
            let mut forms: Vec<Form> =
                tally.into_iter().map(|(text, count)| Form { text: text.into_string(), count }).collect();
            sort_forms(&mut forms);
            forms
        })
        .collect();
    forms.into()
}

/// Brings entity `e`'s `forms` up to date after an article changed from
/// `old` to `new`: only the forms the article used before or uses now are
/// counted again, not every mention of the entity in the site.
fn recount_forms(forms: &mut Vec<Form>, e: EntityId, old: &AnnotatedArticle, new: &AnnotatedArticle) {
    let mut delta: rustc_hash::FxHashMap<std::borrow::Cow<str>, isize> = Default::default();
    for (article, sign) in [(old, -1), (new, 1)] {
        for mention in article.mentions.iter().filter(|m| m.entities.contains(&e)) {
            *delta.entry(single_spaced(article.mention_text(mention))).or_insert(0) += sign;
        }
    }
    delta.retain(|_, d| *d != 0);
    if delta.is_empty() {
        return;
    }
    for (text, d) in delta {
        match forms.iter_mut().find(|f| f.text == *text) {
            Some(form) => form.count = form.count.saturating_add_signed(d),
            None => forms.push(Form { text: text.into_owned(), count: d.max(0) as usize }),
        }
    }
    forms.retain(|f| f.count > 0);
    sort_forms(forms);
}

/// Most used first, then alphabetically.
fn sort_forms(forms: &mut [Form]) {
    forms.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.text.cmp(&b.text)));
}

/// Counts `article`'s matched patterns in (`sign` 1) or out (-1).
fn count_patterns(uses: &mut [u32], article: &AnnotatedArticle, sign: i32) {
    for &p in &article.matched_patterns {
        uses[p] = uses[p].saturating_add_signed(sign);
    }
}

/// An article's cast, in order of first appearance, and the entity pairs of
/// each of its paragraphs.
fn cast_and_pairs(article: &AnnotatedArticle) -> (Vec<CastMember>, Vec<Pair>) {
    let mut order: Vec<CastMember> = Vec::new();
    let mut position: HashMap<EntityId, usize> = HashMap::new();
    let mut by_block: Vec<(usize, EntityId)> = Vec::new();
    for (m, mention) in article.mentions.iter().enumerate() {
        for &entity in &mention.entities {
            by_block.push((mention.block, entity));
            match position.get(&entity) {
                Some(&i) => order[i].mentions += 1,
                None => {
                    position.insert(entity, order.len());
                    order.push(CastMember { entity, mentions: 1, first_mention: m });
                }
            }
        }
    }
    by_block.sort_unstable();
    by_block.dedup();
    let mut pairs = Vec::new();
    for block in by_block.chunk_by(|a, b| a.0 == b.0) {
        for (i, &(_, x)) in block.iter().enumerate() {
            for &(_, y) in &block[i + 1..] {
                pairs.push((x, y));
            }
        }
    }
    (order, pairs)
}

/// Warnings that need the whole site: entities never mentioned, aliases that
/// never match, entities without a summary. What `drafts` (articles left out
/// of the site) mention or match counts too: an entity only a draft names
/// is about to be mentioned, not forgotten.
pub(crate) fn lint(
    registry: &Registry,
    drafts: &[AnnotatedArticle],
    index: &SiteIndex,
    texts: &TiSlice<EntityId, &str>,
) -> Vec<Diagnostic> {
    let matcher = &registry.matcher;
    let mut used: TiVec<EntityId, Vec<bool>> = registry.entities.iter().map(|e| vec![false; e.aliases.len()]).collect();
    let mut mark = |pattern: usize| {
        for owner in &matcher.patterns[pattern].owners {
            if let Some(a) = owner.alias {
                used[owner.entity][a] = true;
            }
        }
    };
    let mut in_drafts: std::collections::HashSet<EntityId> = std::collections::HashSet::new();
    for draft in drafts {
        in_drafts.extend(draft.mentions.iter().flat_map(|m| m.entities.iter().copied()));
    }
    // Aliases written inside explicit links are among them too.
    for (p, _) in index.pattern_uses.iter().enumerate().filter(|(_, &uses)| uses > 0) {
        mark(p);
    }
    for draft in drafts {
        draft.matched_patterns.iter().for_each(|&p| mark(p));
    }
    let mut warnings = Vec::new();
    // Off by default: most sites cite nothing.
    let check_sources = registry.config.lints.level(Code::Unsourced) != Some(crate::lint::Level::Allow);
    for (e, entity) in registry.entities.iter_enumerated() {
        let at = |span: std::ops::Range<usize>| Location::from_range(&entity.path, texts[e], span);
        if index.mentions_of[e].is_empty() && !in_drafts.contains(&e) && !registry.articles.is_empty() {
            warnings.push(
                Diagnostic::warning(
                    Code::NeverMentioned,
                    format!("`{}` is never mentioned in any article", entity.name.value),
                )
                .at(at(entity.name.span.clone()))
                .with_hint("add an alias that occurs in the text, or link a mention explicitly with `[text](@id)`"),
            );
        }
        if check_sources {
            let kind = &registry.config.kinds[entity.kind];
            for ((i, fact), cited) in entity.facts.iter().zip(&entity.cited.facts) {
                if cited.is_empty() {
                    let key = &kind.facts[*i].key;
                    warnings.push(
                        Diagnostic::warning(Code::Unsourced, format!("`{key}` of `{}` names no source", entity.id))
                            .at(at(fact.span.clone()))
                            .with_hint(format!("cite one of `sources:` with `{key}: {{value: …, source: <id>}}`")),
                    );
                }
            }
            for (url, cited) in entity.same_as.iter().zip(&entity.cited.same_as) {
                if cited.is_empty() {
                    let span = texts[e].find(url.as_str()).map_or(0..0, |i| i..i + url.len());
                    warnings.push(
                        Diagnostic::warning(
                            Code::Unsourced,
                            format!("the link `{url}` of `{}` names no source", entity.id),
                        )
                        .at(at(span))
                        .with_hint("cite the source that confirms it is the same: `- {value: <url>, source: <id>}`"),
                    );
                }
            }
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
