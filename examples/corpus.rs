//! A deterministic benchmark corpus: the same invented news archive as a gloss
//! site and as an equivalent Hugo site.
//!
//! ```sh
//! cargo run --release --example corpus -- --articles 1000 --entities 1000 [--seed 1] OUT
//! ```
//!
//! How densely the articles name things is set by `--mentions N` (the mean
//! number of mentions in an article, default 42: as dense as wire copy),
//! `--surnames P` (the share of later references to a person made by
//! surname alone or title and surname, default 0.5) and `--shared-surnames
//! N` (people who share a surname with a relative; default one in 200
//! entities, at least 2).
//!
//! Writes `OUT/gloss/` (a gloss site: `content/site.yaml`, `content/articles`,
//! and people, places and organisations in equal thirds) and `OUT/hugo/` (a
//! Hugo site with the same Markdown article bodies, the entities as taxonomy
//! terms with a term page each, and minimal templates). Existing `OUT/gloss`
//! and `OUT/hugo` folders are replaced.
//!
//! Everything is invented: names from syllables, prose from word lists, so no
//! data is needed and the same seed always gives byte-identical output. The
//! articles are about 800 words, each mentioning entities by name or alias
//! (from half to one and a half times `--mentions` times), some by explicit
//! `[text](@id)` links. A few aliases are claimed by
//! two entities on purpose (relatives sharing a surname; a football club
//! named after its town); they are always settled with an explicit link, so
//! the gloss site builds with no errors and no warnings (given enough
//! articles to use every alias at least once: about N >= M / 2).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// ---------------------------------------------------------------------------
// Randomness: splitmix64, std only.

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) % n as u64) as usize
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

// ---------------------------------------------------------------------------
// Word lists.

const ONSETS: &[&str] = &[
    "b", "br", "d", "dr", "f", "g", "gr", "h", "k", "kr", "l", "m", "n", "p", "pr", "r", "s", "st", "t", "tr", "v",
    "z", "sh", "ch", "j", "kl", "sv", "vr", "zel", "or", "al", "ist", "el", "an",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "a", "e", "o", "i", "a", "ei", "ia"];
const CODAS: &[&str] = &["", "", "", "n", "r", "l", "s", "k", "m", "v", "sk", "nd", "rt", "sh", "th", "z"];
const SURNAME_ENDS: &[&str] =
    &["ov", "enko", "ski", "sen", "berg", "ez", "ani", "escu", "ek", "ler", "ova", "ic", "son", "er", "ard", "ini", ""];
const GIVEN: &[&str] = &[
    "Anna", "Boris", "Clara", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Irina", "Jonas", "Katya", "Luis", "Maya",
    "Nikolai", "Olga", "Pavel", "Rosa", "Sergei", "Tamar", "Umar", "Vera", "Walter", "Yasmin", "Zoran", "Adele",
    "Bruno", "Carmen", "Daniel", "Esther", "Felix", "Gloria", "Henrik", "Ines", "Jakub", "Karin", "Leon", "Marta",
    "Nadia", "Oskar", "Petra", "Rafael", "Sofia", "Tomas", "Ursula", "Viktor", "Wanda", "Yuri", "Zofia", "Amira",
    "Bernard", "Celine", "Dario", "Emil", "Fatima", "Gustav", "Hana", "Igor", "Julia", "Kemal", "Lidia", "Mikhail",
    "Noor", "Otto", "Paula", "Quentin", "Ruth", "Stefan", "Teodora", "Uwe", "Valeria", "Wilhelm", "Xenia", "Yusuf",
    "Zara", "Arjun", "Beatrix", "Cyril", "Dora", "Edvard", "Frida", "Gideon", "Helga", "Ivan", "Johanna", "Kasper",
    "Lena", "Matteo", "Nina", "Orhan", "Priya", "Ramon", "Selma", "Timur", "Ulla", "Vasco", "Wiktor", "Ada", "Jorge",
];
const TITLES: &[&str] = &[
    "Minister",
    "General",
    "Dr",
    "Senator",
    "Governor",
    "Mayor",
    "Professor",
    "Judge",
    "Admiral",
    "Ambassador",
    "Colonel",
    "Commissioner",
];
const ROLES: &[&str] = &[
    "Minister of Finance",
    "Minister of Transport",
    "Governor of the Northern Province",
    "Mayor of the capital",
    "Chief Executive",
    "Chair of the Board",
    "Ambassador to the Union",
    "Head of the Port Authority",
    "Speaker of the Assembly",
    "Director of Research",
    "Commander of the Coastal Fleet",
    "Chief Justice",
];
const COUNTRY_ENDS: &[&str] = &["ia", "istan", "ovia", "land", "ania", "ara", "eria"];
const CITY_ENDS: &[&str] =
    &["grad", "ovo", "burg", "mouth", "haven", "ford", "sk", "ovka", "ville", "stad", "polis", ""];
const CITY_PREFIXES: &[&str] = &["Port", "Lake", "Novo", "San", "Upper", "Fort", "Saint"];
const PLACE_ALIAS_ENDS: &[&str] = &["City", "Province", "District", "Oblast", "Harbour", "Valley", "Region"];
const ORG_TYPES: &[(&str, &str)] = &[
    ("Shipping Company", "shipping company"),
    ("Railways", "railway operator"),
    ("Institute", "research institute"),
    ("University", "university"),
    ("Mining Corporation", "mining company"),
    ("Press Agency", "news agency"),
    ("Bank", "bank"),
    ("Steelworks", "steel producer"),
    ("Football Club", "football club"),
    ("Energy Trust", "energy company"),
    ("Workers' Union", "trade union"),
    ("Party", "political party"),
    ("Foundation", "charitable foundation"),
    ("Airlines", "airline"),
];

const NOUNS: &[(&str, &str)] = &[
    ("budget", "budgets"),
    ("plan", "plans"),
    ("agreement", "agreements"),
    ("railway", "railways"),
    ("harbour", "harbours"),
    ("report", "reports"),
    ("committee", "committees"),
    ("proposal", "proposals"),
    ("election", "elections"),
    ("factory", "factories"),
    ("contract", "contracts"),
    ("bridge", "bridges"),
    ("delegation", "delegations"),
    ("strike", "strikes"),
    ("tariff", "tariffs"),
    ("pipeline", "pipelines"),
    ("survey", "surveys"),
    ("reform", "reforms"),
    ("treaty", "treaties"),
    ("investigation", "investigations"),
    ("festival", "festivals"),
    ("shipyard", "shipyards"),
    ("school", "schools"),
    ("hospital", "hospitals"),
    ("road", "roads"),
    ("market", "markets"),
    ("council", "councils"),
    ("loan", "loans"),
    ("project", "projects"),
    ("ceasefire", "ceasefires"),
    ("visit", "visits"),
    ("merger", "mergers"),
    ("drought", "droughts"),
    ("harvest", "harvests"),
    ("museum", "museums"),
    ("newspaper", "newspapers"),
    ("ministry", "ministries"),
    ("airport", "airports"),
    ("tunnel", "tunnels"),
    ("census", "censuses"),
    ("summit", "summits"),
    ("ferry", "ferries"),
    ("dispute", "disputes"),
    ("programme", "programmes"),
    ("inquiry", "inquiries"),
    ("exhibition", "exhibitions"),
    ("deal", "deals"),
    ("warehouse", "warehouses"),
];
const ADJECTIVES: &[&str] = &[
    "new",
    "annual",
    "regional",
    "controversial",
    "long-awaited",
    "modest",
    "ambitious",
    "costly",
    "delayed",
    "provisional",
    "northern",
    "southern",
    "coastal",
    "rural",
    "public",
    "private",
    "joint",
    "official",
    "unexpected",
    "bitter",
    "quiet",
    "sweeping",
    "temporary",
    "permanent",
    "revised",
    "historic",
    "fragile",
    "crowded",
    "empty",
    "national",
    "local",
    "foreign",
    "wealthy",
    "struggling",
    "remote",
    "industrial",
    "familiar",
    "urgent",
    "narrow",
    "broad",
];
const VERBS: &[(&str, &str)] = &[
    ("approve", "approved"),
    ("reject", "rejected"),
    ("announce", "announced"),
    ("delay", "delayed"),
    ("review", "reviewed"),
    ("question", "questioned"),
    ("welcome", "welcomed"),
    ("criticise", "criticised"),
    ("fund", "funded"),
    ("expand", "expanded"),
    ("suspend", "suspended"),
    ("sign", "signed"),
    ("draft", "drafted"),
    ("open", "opened"),
    ("defend", "defended"),
    ("challenge", "challenged"),
    ("praise", "praised"),
    ("endorse", "endorsed"),
    ("outline", "outlined"),
    ("unveil", "unveiled"),
    ("postpone", "postponed"),
    ("revise", "revised"),
    ("support", "supported"),
    ("block", "blocked"),
    ("back", "backed"),
    ("propose", "proposed"),
    ("examine", "examined"),
    ("inspect", "inspected"),
    ("finance", "financed"),
    ("abandon", "abandoned"),
];
const ADVERBS: &[&str] = &[
    "quietly",
    "sharply",
    "slowly",
    "suddenly",
    "formally",
    "publicly",
    "reluctantly",
    "swiftly",
    "cautiously",
    "firmly",
    "briefly",
    "largely",
    "openly",
    "jointly",
    "eventually",
    "repeatedly",
];
const CONNECTIVES: &[&str] = &[
    "Meanwhile,",
    "However,",
    "At the same time,",
    "By contrast,",
    "Earlier,",
    "Later,",
    "In the end,",
    "For now,",
    "Even so,",
    "Still,",
    "In practice,",
    "Last year,",
];
const GROUPS: &[&str] = &[
    "officials",
    "residents",
    "analysts",
    "workers",
    "farmers",
    "diplomats",
    "engineers",
    "critics",
    "investors",
    "teachers",
    "traders",
    "economists",
    "observers",
    "local leaders",
    "union members",
];
const WEEKDAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DESCRIPTORS: [&[&str]; 3] = [
    &["the minister", "the official", "the veteran politician", "the envoy", "the former mayor", "the economist"],
    &["the city", "the port", "the region", "the town", "the province", "the capital"],
    &["the company", "the agency", "the group", "the institution", "the firm", "the organisation"],
];
const GROUP_DESCRIPTORS: [&str; 3] = ["the two officials", "both towns", "the two organisations"];

/// Every word of the prose vocabulary, lower-cased: no alias may equal one,
/// or gloss would report a possible mention (same text except for case).
fn vocabulary() -> HashSet<String> {
    let mut words = HashSet::new();
    let mut add = |text: &str| {
        for w in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            words.insert(w.to_lowercase());
        }
    };
    for list in [ADJECTIVES, ADVERBS, CONNECTIVES, GROUPS, WEEKDAYS, MONTHS] {
        list.iter().for_each(|w| add(w));
    }
    for (a, b) in NOUNS.iter().chain(VERBS) {
        add(a);
        add(b);
    }
    for list in DESCRIPTORS {
        list.iter().for_each(|w| add(w));
    }
    for t in SENTENCE_WORDS {
        add(t);
    }
    words
}

/// Fixed words used by the sentence templates below.
const SENTENCE_WORDS: &[&str] =
    &["the a an and of to in on at by for with from that this which who would said told reporters according \
     declined comment later week month year officials expected few so much as many than more most some several \
     both over under after before during since while about across between into against without is was were be \
     been has have had it its their they he she his her not no only also even still yet again once twice \
     kilometres per cent million people spokesperson statement visit talks meeting news briefing key points \
     background read full text here records show details source sources close matter added argued warned insisted \
     noted claimed there will may could should must last next first second third other another each every \
     almost nearly around just well long short time times day days spokeswoman spokesman interview letter \
     left arrived returned travelled met visited called urged asked whether when where why how what what's \
     remains unclear little doubt widely seen step towards end deadline review cost costs rose fell percent"];

// ---------------------------------------------------------------------------
// Entities.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Person,
    Place,
    Org,
}

impl Kind {
    fn index(self) -> usize {
        match self {
            Kind::Person => 0,
            Kind::Place => 1,
            Kind::Org => 2,
        }
    }
    fn folder(self) -> &'static str {
        ["people", "places", "organisations"][self.index()]
    }
}

struct Entity {
    id: String,
    kind: Kind,
    name: String,
    aliases: Vec<String>,
    summary: String,
    description: String,
    /// Front matter lines for the kind's facts.
    facts: Vec<String>,
    same_as: Vec<String>,
    related: Vec<usize>,
}

struct Names {
    taken: HashSet<String>,
    roots: HashSet<String>,
    ids: HashSet<String>,
    vocabulary: HashSet<String>,
}

impl Names {
    /// An invented word of 2 or 3 syllables, never used before.
    fn root(&mut self, rng: &mut Rng) -> String {
        loop {
            let syllables = if rng.chance(0.9) { 2 } else { 3 };
            let mut s = String::new();
            for i in 0..syllables {
                s.push_str(rng.pick::<&str>(ONSETS));
                s.push_str(rng.pick::<&str>(VOWELS));
                if i + 1 == syllables && rng.chance(0.6) {
                    s.push_str(rng.pick::<&str>(CODAS));
                }
            }
            if s.len() < 4 || s.len() > 8 || self.vocabulary.contains(&s) || !self.roots.insert(s.clone()) {
                continue;
            }
            return capitalise(&s);
        }
    }

    /// Is `text` free as a name or alias? Compares case-insensitively, so no
    /// alias is a near miss of another either.
    fn free(&self, text: &str) -> bool {
        let lower = text.to_lowercase();
        !self.taken.contains(&lower) && !self.vocabulary.contains(&lower)
    }

    /// Is `name` free, with an id not taken either?
    fn available(&self, name: &str) -> bool {
        self.free(name) && !self.ids.contains(&slugify(name))
    }

    fn claim(&mut self, text: &str) {
        self.taken.insert(text.to_lowercase());
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Prose of about `words` words about an entity, for descriptions.
fn description(rng: &mut Rng, name: &str, what: &str, words: usize) -> String {
    let mut text = String::new();
    let mut count = 0;
    let mut first = true;
    while count < words {
        let sentence = if first {
            first = false;
            format!(
                "{name} is {} {} {what} best known for a part in the {} {}.",
                if rng.chance(0.5) { "a" } else { "an often cited" },
                rng.pick(ADJECTIVES),
                rng.pick(ADJECTIVES),
                rng.pick(NOUNS).0
            )
        } else {
            plain_sentence(rng)
        };
        count += sentence.split_whitespace().count();
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&sentence);
    }
    text
}

/// How densely articles name people, places and organisations.
#[derive(Clone, Copy)]
struct Density {
    /// The mean number of mentions in an article; each article has from
    /// half to one and a half times as many.
    mentions: usize,
    /// The share of later references to a person made by surname alone or
    /// by title and surname (`Fopriartova`, `Ambassador Fopriartova`).
    surnames: f64,
    /// People who share their surname with a relative (then an ambiguous
    /// alias, always settled with an explicit link); `None`: one in 200
    /// entities, at least 2.
    shared_surnames: Option<usize>,
}

impl Default for Density {
    fn default() -> Self {
        Density { mentions: 42, surnames: 0.5, shared_surnames: None }
    }
}

fn make_entities(rng: &mut Rng, m: usize, density: Density) -> (Vec<Entity>, BTreeSet<String>) {
    let mut vocabulary = vocabulary();
    // Name parts are never roots either, so no invented word is also a given
    // name, a title or part of a place or organisation name.
    for w in GIVEN.iter().chain(TITLES).chain(CITY_PREFIXES).chain(PLACE_ALIAS_ENDS) {
        vocabulary.insert(w.to_lowercase());
    }
    for (t, _) in ORG_TYPES {
        for w in t.split_whitespace() {
            vocabulary.insert(w.trim_end_matches("'").to_lowercase());
        }
    }
    let mut names = Names { taken: HashSet::new(), roots: HashSet::new(), ids: HashSet::new(), vocabulary };
    let people = m / 3;
    let places = m / 3;
    let orgs = m - people - places;
    let mut entities: Vec<Entity> = Vec::with_capacity(m);
    let mut ambiguous: BTreeSet<String> = BTreeSet::new();

    // Places first: countries, then towns in them.
    let countries = (places / 8).clamp(1, places);
    let mut country_ids: Vec<usize> = Vec::new();
    while country_ids.len() < countries {
        let root = names.root(rng);
        let name = format!("{}{}", root.trim_end_matches(['a', 'e', 'i', 'o', 'u', 'y']), rng.pick(COUNTRY_ENDS));
        if !names.available(&name) {
            continue;
        }
        let mut candidates =
            vec![format!("Republic of {name}"), format!("{name}n Republic"), format!("Kingdom of {name}")];
        rng.shuffle(&mut candidates);
        let wanted = rng.range(1, 3);
        let facts = vec!["type: country".to_string(), coordinates(rng)];
        let e =
            add_entity(&mut names, &mut entities, Kind::Place, name, candidates, wanted, None, facts, rng, "country");
        country_ids.push(e);
    }
    let mut towns: Vec<usize> = Vec::new();
    while towns.len() < places - countries {
        let root = names.root(rng);
        let name = if rng.chance(0.2) {
            format!("{} {}", rng.pick(CITY_PREFIXES), root)
        } else {
            format!("{root}{}", rng.pick(CITY_ENDS))
        };
        if !names.available(&name) {
            continue;
        }
        let mut candidates: Vec<String> = PLACE_ALIAS_ENDS.iter().map(|e| format!("{name} {e}")).collect();
        candidates.push(format!("Greater {name}"));
        rng.shuffle(&mut candidates);
        let wanted = rng.range(1, 4);
        let kind = *rng.pick(&["city", "town", "port", "village", "province"]);
        let country = entities[country_ids[rng.below(country_ids.len())]].id.clone();
        let facts = vec![format!("type: {kind}"), format!("country: {country}"), coordinates(rng)];
        let e = add_entity(&mut names, &mut entities, Kind::Place, name, candidates, wanted, None, facts, rng, kind);
        towns.push(e);
    }

    // People. The last few are relatives of the first few and share their
    // surname, which is then an ambiguous alias of both.
    let shared_surnames = density.shared_surnames.unwrap_or(m / 200).clamp(2, people / 2);
    let mut surnames: Vec<(String, String)> = Vec::new();
    while surnames.len() < people {
        let p = surnames.len();
        let relative = p >= people - shared_surnames;
        let (given, surname) = if relative {
            let (their_given, surname) = surnames[p - (people - shared_surnames)].clone();
            let mut given = rng.pick(GIVEN).to_string();
            while given.as_bytes()[0] == their_given.as_bytes()[0] {
                given = rng.pick(GIVEN).to_string();
            }
            (given, surname)
        } else {
            (rng.pick(GIVEN).to_string(), format!("{}{}", names.root(rng), rng.pick(SURNAME_ENDS)))
        };
        let name = format!("{given} {surname}");
        if !names.available(&name) || (!relative && !names.free(&surname)) {
            continue;
        }
        let initial = &given[..1];
        let middle = (b'A' + rng.below(26) as u8) as char;
        let mut candidates = vec![
            format!("{initial}. {surname}"),
            format!("{given} {middle}. {surname}"),
            format!("{} {surname}", rng.pick(TITLES)),
            format!("{} {surname}", rng.pick(TITLES)),
        ];
        rng.shuffle(&mut candidates);
        let mut shared = None;
        if p < shared_surnames || relative {
            candidates.insert(0, surname.clone());
            if relative {
                ambiguous.insert(surname.clone());
                shared = Some(surname.clone());
            }
        } else if rng.chance(0.8) {
            candidates.insert(0, surname.clone());
        }
        let wanted = rng.range(1, 4);
        let born = rng.range(1930, 1990);
        let mut facts = vec![format!("born: {born}")];
        if rng.chance(0.2) {
            facts.push(format!("died: {}", (born + rng.range(40, 85)).min(2024)));
        }
        if rng.chance(0.6) {
            let from = born + rng.range(25, 40);
            facts.push(format!(
                "roles:\n  - {{title: \"{}\", from: {from}, to: {}}}",
                rng.pick(ROLES),
                from + rng.range(1, 12)
            ));
        }
        let what = format!("{} figure", rng.pick(&["political", "business", "public", "academic", "military"]));
        add_entity(&mut names, &mut entities, Kind::Person, name, candidates, wanted, shared, facts, rng, &what);
        surnames.push((given, surname));
    }

    // Organisations. A few football clubs are named after their town, whose
    // name is then an ambiguous alias of town and club.
    let clubs = (m / 400).clamp(1, orgs.min(towns.len()));
    let mut made = 0;
    while made < orgs {
        let (name, mut candidates, what, shared);
        if made < clubs {
            let town = entities[towns[made]].name.clone();
            name = format!("{town} United");
            candidates = vec![format!("{town} Football Club"), format!("{town} FC")];
            what = "football club";
            ambiguous.insert(town.clone());
            shared = Some(town);
        } else {
            let root = names.root(rng);
            let (suffix, kind) = *rng.pick(ORG_TYPES);
            name = format!("{root} {suffix}");
            let acronym: String = name.split_whitespace().filter_map(|w| w.chars().next()).collect();
            candidates = vec![root.clone(), format!("{root} Group")];
            let first_word = suffix.split_whitespace().next().unwrap();
            if first_word != suffix && !first_word.ends_with('\'') {
                candidates.push(format!("{root} {first_word}"));
            }
            if acronym.len() >= 3 {
                candidates.push(acronym);
            }
            candidates.dedup();
            what = kind;
            shared = None;
        }
        if !names.available(&name) {
            continue;
        }
        rng.shuffle(&mut candidates);
        if let Some(town) = &shared {
            candidates.insert(0, town.clone());
        }
        let wanted = rng.range(1, 4);
        let facts = vec![format!("type: {what}"), format!("founded: {}", rng.range(1850, 2015))];
        add_entity(&mut names, &mut entities, Kind::Org, name, candidates, wanted, shared, facts, rng, what);
        made += 1;
    }

    // Related entities: a few others, by id.
    let n = entities.len();
    for (e, entity) in entities.iter_mut().enumerate() {
        let mut related = Vec::new();
        for _ in 0..rng.range(0, 3) {
            let r = rng.below(n);
            if r != e && !related.contains(&r) {
                related.push(r);
            }
        }
        entity.related = related;
    }
    for &a in &ambiguous.iter().collect::<Vec<_>>() {
        let owners = entities.iter().filter(|e| e.name == *a || e.aliases.contains(a)).count();
        assert!(owners == 2, "ambiguous alias {a} has {owners} owners");
    }
    (entities, ambiguous)
}

fn coordinates(rng: &mut Rng) -> String {
    let lat = rng.unit() * 120.0 - 60.0;
    let lon = rng.unit() * 340.0 - 170.0;
    format!("coordinates: [{lat:.2}, {lon:.2}]")
}

#[allow(clippy::too_many_arguments)]
fn add_entity(
    names: &mut Names,
    entities: &mut Vec<Entity>,
    kind: Kind,
    name: String,
    candidates: Vec<String>,
    wanted: usize,
    shared: Option<String>,
    facts: Vec<String>,
    rng: &mut Rng,
    what: &str,
) -> usize {
    names.claim(&name);
    let id = slugify(&name);
    names.ids.insert(id.clone());
    let mut aliases = Vec::new();
    for c in candidates {
        if aliases.len() >= wanted {
            break;
        }
        // An ambiguous alias is claimed by a second entity on purpose.
        if (names.free(&c) || shared.as_deref() == Some(c.as_str())) && c != name {
            names.claim(&c);
            aliases.push(c);
        }
    }
    let summary = format!(
        "{} {} {what} {} with the {} {} of recent years.",
        capitalise(if rng.chance(0.5) { "a" } else { "an influential" }),
        rng.pick(ADJECTIVES),
        rng.pick(&["associated", "closely linked", "often credited", "repeatedly connected"]),
        rng.pick(ADJECTIVES),
        rng.pick(NOUNS).1
    );
    let description = description(rng, &name, what, 50);
    let same_as = if rng.chance(0.5) {
        vec![format!("https://www.wikidata.org/wiki/Q{}", 1000 + rng.below(9_000_000))]
    } else {
        Vec::new()
    };
    entities.push(Entity { id, kind, name, aliases, summary, description, facts, same_as, related: Vec::new() });
    entities.len() - 1
}

// ---------------------------------------------------------------------------
// Prose.

fn a_or_an(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn noun_phrase(rng: &mut Rng) -> String {
    if rng.chance(0.5) {
        format!("the {} {}", rng.pick(ADJECTIVES), rng.pick(NOUNS).0)
    } else {
        format!("the {}", rng.pick(NOUNS).0)
    }
}

/// A sentence with no mention.
fn plain_sentence(rng: &mut Rng) -> String {
    let s = match rng.below(8) {
        0 => format!("{} {} {} {}.", noun_phrase(rng), rng.pick(ADVERBS), rng.pick(VERBS).1, noun_phrase(rng)),
        1 => {
            let adjective = *rng.pick(ADJECTIVES);
            format!(
                "{} {} {} {} {adjective} {} after {} of {}.",
                rng.pick(CONNECTIVES),
                noun_phrase(rng),
                rng.pick(VERBS).1,
                a_or_an(adjective),
                rng.pick(NOUNS).0,
                rng.pick(&["weeks", "months", "years", "days"]),
                rng.pick(&["talks", "delays", "protests", "negotiations", "uncertainty"])
            )
        }
        2 => format!(
            "{} said {} would {} {} by {}.",
            rng.pick(GROUPS),
            noun_phrase(rng),
            rng.pick(VERBS).0,
            noun_phrase(rng),
            rng.pick(MONTHS)
        ),
        3 => format!(
            "few {} expected {} to {} so {}, and many {} {} it as a step towards {}.",
            rng.pick(GROUPS),
            noun_phrase(rng),
            rng.pick(&["pass", "collapse", "stall", "succeed", "change"]),
            rng.pick(&["quickly", "soon", "easily", "abruptly"]),
            rng.pick(GROUPS),
            rng.pick(&["described", "saw", "welcomed", "criticised"]),
            noun_phrase(rng)
        ),
        4 => format!(
            "the cost of {} rose by {} per cent last year, according to {} {}.",
            noun_phrase(rng),
            rng.range(2, 40),
            noun_phrase(rng),
            rng.pick(&["estimates", "figures", "records"])
        ),
        5 => format!(
            "{} remains unclear whether {} will {} {}.",
            "it",
            noun_phrase(rng),
            rng.pick(VERBS).0,
            noun_phrase(rng)
        ),
        6 => format!(
            "{} said the {} {} {} {} in {}, {}.",
            rng.pick(GROUPS),
            rng.pick(ADJECTIVES),
            rng.pick(NOUNS).0,
            rng.pick(&["was discussed", "came up", "was raised"]),
            rng.pick(&["first", "again", "once more", "briefly"]),
            rng.pick(MONTHS),
            rng.pick(&["without result", "to little effect", "with some success", "amid protests"])
        ),
        _ => format!(
            "more than {} {} took part, {} than {} {}.",
            rng.range(2, 900) * 10,
            rng.pick(GROUPS),
            rng.pick(&["more", "fewer"]),
            rng.pick(&["last year", "expected", "in any previous year"]),
            rng.pick(&["", ""])
        )
        .replace(" .", "."),
    };
    capitalise(&s)
}

/// One mention as written: an alias (maybe possessive) or an explicit link.
struct MentionText {
    text: String,
    possessive_ok: bool,
}

/// A sentence carrying the given mentions (one or two), for their kinds.
fn mention_sentence(rng: &mut Rng, mentions: &[(Kind, MentionText)]) -> String {
    let s = if mentions.len() == 2 {
        let (a, b) = (&mentions[0].1.text, &mentions[1].1.text);
        match rng.below(3) {
            0 => format!("both {a} and {b} {} {}.", rng.pick(VERBS).1, noun_phrase(rng)),
            1 => format!(
                "{} {} {a}, {b} and several {}.",
                noun_phrase(rng),
                rng.pick(&["involved", "brought together", "divided"]),
                rng.pick(GROUPS)
            ),
            _ => format!(
                "talks between {a} and {b} {} on {}.",
                rng.pick(&["resumed", "stalled", "ended", "began"]),
                rng.pick(WEEKDAYS)
            ),
        }
    } else {
        let (kind, m) = (&mentions[0].0, &mentions[0].1);
        let x = &m.text;
        let poss = if m.possessive_ok && rng.chance(0.15) { Some(format!("{x}\u{2019}s")) } else { None };
        match (kind, rng.below(5)) {
            (_, 0) if poss.is_some() => {
                format!(
                    "{} {} {} {} {}.",
                    poss.unwrap(),
                    rng.pick(NOUNS).0,
                    rng.pick(ADVERBS),
                    rng.pick(VERBS).1,
                    noun_phrase(rng)
                )
            }
            (Kind::Person, 0 | 1) => {
                format!("{x} {} {} on {}.", rng.pick(VERBS).1, noun_phrase(rng), rng.pick(WEEKDAYS))
            }
            (Kind::Person, 2) => format!(
                "\u{201C}{} is {},\u{201D} {x} told reporters.",
                capitalise(&noun_phrase(rng)),
                rng.pick(&["not finished", "a mistake", "long overdue", "our priority", "under review"])
            ),
            (Kind::Person, 3) => {
                format!("according to {x}, {} {} {}.", noun_phrase(rng), rng.pick(ADVERBS), rng.pick(VERBS).1)
            }
            (Kind::Person, _) => format!(
                "{x}, who {} {} in {}, declined to comment.",
                rng.pick(VERBS).1,
                noun_phrase(rng),
                rng.range(1990, 2020)
            ),
            (Kind::Place, 0 | 1) => {
                format!("in {x}, {} {} {}.", noun_phrase(rng), rng.pick(ADVERBS), rng.pick(VERBS).1)
            }
            (Kind::Place, 2) => format!(
                "{} was {} {} kilometres from {x}.",
                noun_phrase(rng),
                rng.pick(&["built", "planned", "moved"]),
                rng.range(3, 400)
            ),
            (Kind::Place, 3) => format!(
                "{} {} travelled to {x} on {}.",
                rng.pick(&["a", "the"]),
                rng.pick(&["delegation", "convoy", "minister", "committee"]),
                rng.pick(WEEKDAYS)
            ),
            (Kind::Place, _) => format!("{} in {x} {} {}.", rng.pick(GROUPS), rng.pick(VERBS).1, noun_phrase(rng)),
            (Kind::Org, 0 | 1) => {
                format!("{x} {} {} last {}.", rng.pick(VERBS).1, noun_phrase(rng), rng.pick(&["week", "month", "year"]))
            }
            (Kind::Org, 2) => format!("a spokesperson for {x} said {} was {}.", noun_phrase(rng), rng.pick(ADJECTIVES)),
            (Kind::Org, 3) => format!(
                "{} {} by {x} {} {}.",
                noun_phrase(rng),
                rng.pick(&["run", "owned", "funded"]),
                rng.pick(ADVERBS),
                rng.pick(VERBS).1
            ),
            (Kind::Org, _) => format!("{x} {} {} {}.", rng.pick(ADVERBS), rng.pick(VERBS).1, noun_phrase(rng)),
        }
    };
    capitalise_sentence(&s)
}

/// Upper-cases the first letter, even inside a leading `[` or quote.
fn capitalise_sentence(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut done = false;
    for c in s.chars() {
        if !done && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            done = true;
        } else {
            out.push(c);
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Articles.

struct Article {
    slug: String,
    title: String,
    date: String,
    summary: String,
    body: String,
    /// Entities mentioned, for Hugo's taxonomies.
    entities: BTreeSet<usize>,
}

/// What an article must use: an entity by name (`None`) or by an alias.
type Use = (usize, Option<usize>);

fn make_article(
    rng: &mut Rng,
    i: usize,
    entities: &[Entity],
    popularity: &[usize],
    ambiguous: &BTreeSet<String>,
    must: &[Use],
    density: Density,
) -> Article {
    let m = entities.len();
    let mentions = rng.range(density.mentions / 2, density.mentions * 3 / 2).max(1);
    // The cast: required entities first, then popular ones (skewed draw),
    // as many as leave the leading three named about three times each and
    // the others one and a half.
    let target = (((mentions as f64 - 4.5) / 1.5).round() as usize).clamp(1, mentions).min(m);
    let mut cast: Vec<usize> = Vec::new();
    for &(e, _) in must {
        if !cast.contains(&e) {
            cast.push(e);
        }
    }
    while cast.len() < target {
        let u = rng.unit();
        let e = popularity[((u * u * u) * m as f64) as usize % m];
        if !cast.contains(&e) {
            cast.push(e);
        }
    }
    // Each cast member is mentioned once, the leading three up to three
    // times more, the others at random until there are `mentions`; the
    // sequence is shuffled.
    let mut times = vec![1; cast.len()];
    let mut extra = mentions.saturating_sub(cast.len());
    for t in times.iter_mut().take(3) {
        let more = rng.range(1, 3).min(extra);
        *t += more;
        extra -= more;
    }
    for _ in 0..extra {
        times[rng.below(cast.len())] += 1;
    }
    let mut sequence: Vec<usize> = Vec::new();
    for (&e, &n) in cast.iter().zip(&times) {
        sequence.extend(std::iter::repeat_n(e, n));
    }
    rng.shuffle(&mut sequence);
    let mut pending: HashMap<usize, Vec<Option<usize>>> = HashMap::new();
    for &(e, alias) in must {
        pending.entry(e).or_default().push(alias);
    }
    let mut seen: HashSet<usize> = HashSet::new();
    let mut texts: Vec<(Kind, MentionText)> = Vec::new();
    for &e in &sequence {
        let entity = &entities[e];
        let first = seen.insert(e);
        let form = match pending.get_mut(&e).and_then(|p| p.pop()) {
            Some(form) => form,
            None if first || entity.aliases.is_empty() => None,
            None => Some(later_form(rng, entity, density)),
        };
        let text = form.map_or(entity.name.as_str(), |a| entity.aliases[a].as_str());
        // Ambiguous aliases are always settled; others now and then linked.
        let mention = if ambiguous.contains(text) || rng.chance(0.06) {
            MentionText { text: format!("[{text}](@{})", entity.id), possessive_ok: false }
        } else if !first && rng.chance(0.05) {
            let d = rng.pick(DESCRIPTORS[entity.kind.index()]);
            MentionText { text: format!("[{d}](@{})", entity.id), possessive_ok: false }
        } else {
            MentionText { text: text.to_string(), possessive_ok: true }
        };
        texts.push((entity.kind, mention));
    }
    // Any required use not placed yet (an entity listed twice in `must`
    // with only one occurrence) is appended.
    let mut left: Vec<(usize, Vec<Option<usize>>)> = pending.into_iter().filter(|(_, f)| !f.is_empty()).collect();
    left.sort();
    for (e, forms) in left {
        for form in forms {
            let entity = &entities[e];
            let text = form.map_or(entity.name.as_str(), |a| entity.aliases[a].as_str());
            let text = if ambiguous.contains(text) { format!("[{text}](@{})", entity.id) } else { text.to_string() };
            texts.push((entity.kind, MentionText { text, possessive_ok: false }));
        }
    }

    // Title: a place of the cast, by an unambiguous name.
    let title_place =
        cast.iter().copied().find(|&e| entities[e].kind == Kind::Place && !ambiguous.contains(&entities[e].name));
    let (noun, nouns) = *rng.pick(NOUNS);
    let title = match title_place {
        Some(p) => format!(
            "{} {} {} in {}",
            capitalise(rng.pick::<&str>(ADJECTIVES)),
            if rng.chance(0.5) { noun } else { nouns },
            rng.pick(&["under scrutiny", "on hold", "back on the agenda", "divides opinion", "draws crowds"]),
            entities[p].name
        ),
        None => format!(
            "{} {} {}",
            capitalise(rng.pick::<&str>(ADJECTIVES)),
            nouns,
            rng.pick(&["under scrutiny", "on hold"])
        ),
    };
    let slug = format!("{}-{}", slugify(&title), i + 1);
    let date = format!("{}-{:02}-{:02}", rng.range(2000, 2024), rng.range(1, 12), rng.range(1, 28));
    let summary = capitalise(&format!(
        "{} {} {} {}, and {} {} the {} {}.",
        noun_phrase(rng),
        rng.pick(ADVERBS),
        rng.pick(VERBS).1,
        noun_phrase(rng),
        rng.pick(GROUPS),
        rng.pick(&["weigh", "question", "welcome", "count"]),
        rng.pick(ADJECTIVES),
        rng.pick(NOUNS).1
    ));

    // Body: paragraphs of 3-6 sentences, ~800 words, mentions spread evenly.
    let target_words = rng.range(720, 880);
    let mut words = 0;
    let mut body = String::new();
    let mut queue = texts.into_iter();
    let mut remaining = queue.len();
    let mut paragraph: Vec<String> = Vec::new();
    let mut paragraph_len = rng.range(3, 6);
    let mut paragraphs = 0;
    let heading_at = rng.range(3, 5);
    let list_at = if rng.chance(0.6) { Some(rng.range(2, 6)) } else { None };
    let mut group_link_done = !rng.chance(0.35);
    while words < target_words || remaining > 0 {
        let sentences_left = ((target_words.saturating_sub(words)) / 15).max(1);
        // Spread mentions evenly: on average remaining / sentences left.
        let rate = remaining as f64 / sentences_left as f64;
        let take = (rate.floor() as usize + usize::from(rng.chance(rate.fract()))).clamp(0, 2).min(remaining);
        let mut sentence = if take == 0 {
            plain_sentence(rng)
        } else {
            let ms: Vec<(Kind, MentionText)> = queue.by_ref().take(take).collect();
            remaining -= ms.len();
            mention_sentence(rng, &ms)
        };
        // Occasional inline markup: emphasis, bold, an ordinary link.
        let roll = rng.below(100);
        if roll < 6 {
            sentence.push_str(&format!(" The word was *{}*.", rng.pick(ADJECTIVES)));
        } else if roll < 10 {
            sentence = format!("**{}** {sentence}", rng.pick(&["Update:", "Correction:", "Note:"]));
        } else if roll < 14 {
            let (n, _) = *rng.pick(NOUNS);
            sentence.push_str(&format!(
                " The [full {n} text](https://example.org/{n}/{}) was published {}.",
                rng.range(1, 9999),
                rng.pick(&["online", "later", "in part"])
            ));
        }
        if !group_link_done && words > 200 {
            // A mention of several entities at once: [the two ...](@a,b).
            group_link_done = true;
            let pair: Vec<&Entity> =
                cast.iter().map(|&e| &entities[e]).filter(|e| e.kind == Kind::Person).take(2).collect();
            let mut pair_ids: Vec<&str> = pair.iter().map(|e| e.id.as_str()).collect();
            pair_ids.sort();
            if pair_ids.len() == 2 {
                sentence.push_str(&format!(
                    " [{}]({}) {} the outcome.",
                    capitalise(GROUP_DESCRIPTORS[0]),
                    format_args!("@{},{}", pair_ids[0], pair_ids[1]),
                    rng.pick(&["welcomed", "disputed", "questioned"])
                ));
            }
        }
        words += sentence.split_whitespace().count();
        paragraph.push(sentence);
        if paragraph.len() >= paragraph_len {
            body.push_str(&paragraph.join(" "));
            body.push_str("\n\n");
            paragraph.clear();
            paragraph_len = rng.range(3, 6);
            paragraphs += 1;
            if paragraphs == heading_at {
                let (_, ns) = *rng.pick(NOUNS);
                body.push_str(&format!("## {} {}\n\n", capitalise(rng.pick::<&str>(ADJECTIVES)), ns));
            }
            if Some(paragraphs) == list_at {
                body.push_str("Key points:\n\n");
                for _ in 0..rng.range(3, 5) {
                    let item = capitalise(&format!("{} {} {}", noun_phrase(rng), rng.pick(VERBS).1, noun_phrase(rng)));
                    words += item.split_whitespace().count();
                    body.push_str(&format!("- {item}\n"));
                }
                body.push('\n');
            }
        }
    }
    if !paragraph.is_empty() {
        body.push_str(&paragraph.join(" "));
        body.push('\n');
    }
    let mut mentioned: BTreeSet<usize> = cast.into_iter().collect();
    if let Some(p) = title_place {
        mentioned.insert(p);
    }
    // Group links may name entities from `seen` (always in the cast).
    Article { slug, title, date, summary, body, entities: mentioned }
}

/// The alias a later reference to `entity` uses: for a person, by surname
/// (alone or after a title) with the density's share, where there is one.
fn later_form(rng: &mut Rng, entity: &Entity, density: Density) -> usize {
    let surname = entity.name.rsplit(' ').next().unwrap_or_default();
    let short = |a: &String| {
        a == surname || a.split_once(' ').is_some_and(|(title, rest)| rest == surname && TITLES.contains(&title))
    };
    let (short, long): (Vec<usize>, Vec<usize>) = (0..entity.aliases.len()).partition(|&a| short(&entity.aliases[a]));
    let wanted = if entity.kind == Kind::Person && rng.chance(density.surnames) { &short } else { &long };
    match wanted.is_empty() {
        true => rng.below(entity.aliases.len()),
        false => *rng.pick(wanted),
    }
}

// ---------------------------------------------------------------------------
// Output.

fn yaml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}

fn write_gloss(root: &Path, entities: &[Entity], articles: &[Article], title: &str) -> std::io::Result<()> {
    write(&root.join("content/site.yaml"), &format!("title: {}\nlanguage: en\n", yaml_str(title)))?;
    for e in entities {
        let mut s = String::from("---\n");
        let _ = writeln!(s, "name: {}", yaml_str(&e.name));
        if e.aliases.is_empty() {
            s.push_str("aliases: []\n");
        } else {
            s.push_str("aliases:\n");
            for a in &e.aliases {
                let _ = writeln!(s, "  - {}", yaml_str(a));
            }
        }
        let _ = writeln!(s, "summary: {}", yaml_str(&e.summary));
        for f in &e.facts {
            let _ = writeln!(s, "{f}");
        }
        if !e.same_as.is_empty() {
            s.push_str("same_as:\n");
            for u in &e.same_as {
                let _ = writeln!(s, "  - {u}");
            }
        }
        if !e.related.is_empty() {
            let ids: Vec<&str> = e.related.iter().map(|&r| entities[r].id.as_str()).collect();
            let _ = writeln!(s, "related: [{}]", ids.join(", "));
        }
        s.push_str("---\n");
        s.push_str(&e.description);
        s.push('\n');
        write(&root.join(format!("content/{}/{}.md", e.kind.folder(), e.id)), &s)?;
    }
    for a in articles {
        let s = format!(
            "---\ntitle: {}\ndate: {}\nsummary: {}\n---\n{}",
            yaml_str(&a.title),
            a.date,
            yaml_str(&a.summary),
            a.body
        );
        write(&root.join(format!("content/articles/{}.md", a.slug)), &s)?;
    }
    Ok(())
}

const HUGO_CONFIG: &str = r#"baseURL = "https://example.org/"
languageCode = "en"
disableKinds = ["rss", "sitemap", "robotstxt"]

[taxonomies]
  person = "people"
  place = "places"
  organisation = "organisations"
"#;

const HUGO_BASEOF: &str = r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title></head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"#;

const HUGO_SINGLE: &str = r#"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
{{ .Content }}
</article>
<aside>
{{ range $taxonomy := slice "people" "places" "organisations" }}
  {{ with $.GetTerms $taxonomy }}
  <h2>{{ $taxonomy | title }}</h2>
  <ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
  {{ end }}
{{ end }}
</aside>
{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range (where site.RegularPages "Section" "articles").ByDate.Reverse }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time><p>{{ .Params.summary }}</p></li>
{{ end }}
</ul>
{{ end }}
"#;

/// For taxonomy and term pages alike (Hugo's template lookup has changed
/// between versions; one template serves both kinds on any of them).
const HUGO_TAXONOMY: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ if eq .Kind "term" }}
<p>{{ .Description }}</p>
{{ .Content }}
<h2>Articles</h2>
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}
</ul>
{{ else }}
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>: {{ .Description }} ({{ len .Pages }})</li>
{{ end }}
</ul>
{{ end }}
{{ end }}
"#;

fn write_hugo(root: &Path, entities: &[Entity], articles: &[Article], title: &str) -> std::io::Result<()> {
    write(&root.join("hugo.toml"), &format!("title = {}\n{HUGO_CONFIG}", yaml_str(title)))?;
    let layouts = root.join("layouts/_default");
    write(&layouts.join("baseof.html"), HUGO_BASEOF)?;
    write(&layouts.join("single.html"), HUGO_SINGLE)?;
    write(&layouts.join("list.html"), HUGO_LIST)?;
    write(&layouts.join("taxonomy.html"), HUGO_TAXONOMY)?;
    write(&layouts.join("term.html"), HUGO_TAXONOMY)?;
    for e in entities {
        let s = format!(
            "---\ntitle: {}\ndescription: {}\n---\n{}\n",
            yaml_str(&e.name),
            yaml_str(&e.summary),
            e.description
        );
        write(&root.join(format!("content/{}/{}/_index.md", e.kind.folder(), e.id)), &s)?;
    }
    for a in articles {
        let mut s =
            format!("---\ntitle: {}\ndate: {}\nsummary: {}\n", yaml_str(&a.title), a.date, yaml_str(&a.summary));
        for kind in [Kind::Person, Kind::Place, Kind::Org] {
            let ids: Vec<&str> =
                a.entities.iter().map(|&e| &entities[e]).filter(|e| e.kind == kind).map(|e| e.id.as_str()).collect();
            if !ids.is_empty() {
                let _ = writeln!(s, "{}: [{}]", kind.folder(), ids.join(", "));
            }
        }
        s.push_str("---\n");
        s.push_str(&a.body);
        write(&root.join(format!("content/articles/{}.md", a.slug)), &s)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------

struct Args {
    articles: usize,
    entities: usize,
    seed: u64,
    density: Density,
    out: PathBuf,
}

const USAGE: &str =
    "usage: corpus --articles N --entities M [--seed S] [--mentions N] [--surnames P] [--shared-surnames N] OUT";

fn parse_args() -> Result<Args, String> {
    let mut articles = None;
    let mut entities = None;
    let mut seed = 1;
    let mut density = Density::default();
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--articles" => articles = Some(value("--articles")?.parse().map_err(|e| format!("--articles: {e}"))?),
            "--entities" => entities = Some(value("--entities")?.parse().map_err(|e| format!("--entities: {e}"))?),
            "--seed" => seed = value("--seed")?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--mentions" => {
                density.mentions = value("--mentions")?.parse().map_err(|e| format!("--mentions: {e}"))?;
            }
            "--surnames" => {
                density.surnames = value("--surnames")?.parse().map_err(|e| format!("--surnames: {e}"))?;
                if !(0.0..=1.0).contains(&density.surnames) {
                    return Err("--surnames must be a share between 0 and 1".into());
                }
            }
            "--shared-surnames" => {
                let n = value("--shared-surnames")?.parse().map_err(|e| format!("--shared-surnames: {e}"))?;
                density.shared_surnames = Some(n);
            }
            "-h" | "--help" => return Err(USAGE.into()),
            _ if arg.starts_with('-') => return Err(format!("unknown option {arg}")),
            _ if out.is_none() => out = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument {arg}")),
        }
    }
    let articles = articles.ok_or("--articles is required")?;
    let entities: usize = entities.ok_or("--entities is required")?;
    if entities < 30 {
        return Err("--entities must be at least 30".into());
    }
    if density.mentions < 2 {
        return Err("--mentions must be at least 2".into());
    }
    Ok(Args { articles, entities, seed, density, out: out.ok_or("OUT is required")? })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut rng = Rng::new(args.seed);
    let (entities, ambiguous) = make_entities(&mut rng, args.entities, args.density);

    // Popularity order: a shuffled ranking, so common entities are of all kinds.
    let mut popularity: Vec<usize> = (0..entities.len()).collect();
    rng.shuffle(&mut popularity);

    // Every name and alias must be used somewhere: deal them out in turn.
    let mut uses: Vec<Use> = Vec::new();
    for (e, entity) in entities.iter().enumerate() {
        uses.push((e, None));
        uses.extend((0..entity.aliases.len()).map(|a| (e, Some(a))));
    }
    rng.shuffle(&mut uses);
    let n = args.articles.max(1);
    let mut must: Vec<Vec<Use>> = vec![Vec::new(); n];
    for (k, u) in uses.into_iter().enumerate() {
        must[k % n].push(u);
    }

    let articles: Vec<Article> = (0..args.articles)
        .map(|i| make_article(&mut rng, i, &entities, &popularity, &ambiguous, &must[i], args.density))
        .collect();

    let title = "The Northern Gazette: an annotated archive";
    let gloss = args.out.join("gloss");
    let hugo = args.out.join("hugo");
    for dir in [&gloss, &hugo] {
        if dir.exists() {
            if let Err(e) = fs::remove_dir_all(dir) {
                eprintln!("error: cannot remove {}: {e}", dir.display());
                return ExitCode::from(1);
            }
        }
    }
    if let Err(e) =
        write_gloss(&gloss, &entities, &articles, title).and_then(|_| write_hugo(&hugo, &entities, &articles, title))
    {
        eprintln!("error: {e}");
        return ExitCode::from(1);
    }
    let bytes: usize = articles.iter().map(|a| a.body.len()).sum();
    let words: usize = articles.iter().map(|a| a.body.split_whitespace().count()).sum();
    eprintln!(
        "Wrote {} articles ({} words, {:.1} MB of Markdown bodies), {} entities ({} ambiguous aliases) to {}",
        articles.len(),
        words,
        bytes as f64 / 1e6,
        entities.len(),
        ambiguous.len(),
        args.out.display()
    );
    ExitCode::SUCCESS
}
