//! `gloss new` and `gloss init`: files to start from.
//!
//! `new` writes one entity file with its kind's fields ready to fill; `init`
//! writes a whole small site from the built-in templates and stylesheet, so
//! both work from any folder without the gloss repository at hand.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{slugify, FactType, Kind};
use crate::render::DEFAULT_TEMPLATES;
use crate::write::DEFAULT_STATIC;

/// Creates `content/<folder>/<id>.md` for a new entity of `kind` (its id,
/// folder, or singular or plural title) and returns its path. The id is
/// `id` when given, else the name transliterated ([`slugify`]).
pub fn new_entity(root: &Path, kind: &str, name: &str, id: Option<&str>) -> Result<PathBuf, Diagnostic> {
    let site_yaml = root.join("content/site.yaml");
    let text = fs::read_to_string(&site_yaml).map_err(|e| {
        Diagnostic::error(Code::Io, format!("cannot read {}: {e}", site_yaml.display()))
            .with_hint("run gloss new inside a site folder, or pass --root DIR")
    })?;
    let config = crate::parse::parse_site_config(Path::new("content/site.yaml"), &text)?;
    let wanted = kind.to_lowercase();
    let Some(kind) = config
        .kinds
        .iter()
        .find(|k| [&k.id, &k.folder, &k.title, &k.singular].iter().any(|n| n.to_lowercase() == wanted))
    else {
        let known: Vec<&str> = config.kinds.iter().map(|k| k.id.as_str()).collect();
        return Err(Diagnostic::error(Code::UnknownField, format!("there is no kind `{kind}`"))
            .with_hint(format!("the kinds of this site are: {}", known.join(", "))));
    };
    let slug = match id {
        Some(id) if crate::model::is_slug(id) => id.to_string(),
        Some(id) => {
            let near = slugify(id);
            let example = if near.is_empty() { "kim-jong-il".to_string() } else { near };
            return Err(Diagnostic::error(Code::InvalidId, format!("`{id}` is not a valid id"))
                .with_hint(format!("ids are lower-case letters, digits and single hyphens, e.g. `--id {example}`")));
        }
        None => slugify(name),
    };
    if slug.is_empty() {
        return Err(Diagnostic::error(Code::InvalidId, format!("cannot make an id from `{name}`"))
            .with_hint(format!("give one with --id: gloss new {} \"{name}\" --id <id>", kind.id)));
    }
    let relative = PathBuf::from("content").join(&kind.folder).join(format!("{slug}.md"));
    let path = root.join(&relative);
    if path.exists() {
        return Err(Diagnostic::error(Code::DuplicateId, format!("{} exists already", relative.display()))
            .with_hint("edit that file, or choose another name"));
    }
    fs::create_dir_all(path.parent().expect("has a parent"))
        .and_then(|()| fs::write(&path, entity_template(kind, name)))
        .map_err(|e| Diagnostic::error(Code::Io, format!("cannot write {}: {e}", path.display())))?;
    Ok(relative)
}

/// The front matter of a new entity: every field, empty, with a comment.
fn entity_template(kind: &Kind, name: &str) -> String {
    let mut text = format!("---\nname: {}\n", yaml_string(name));
    text.push_str("aliases: []        # other names, exactly as articles print them\n");
    text.push_str("summary:           # one sentence, shown in previews and indexes\n");
    text.push_str("sort_as:           # how the name sorts in indexes, e.g. \"Merkel, Angela\"\n");
    for fact in &kind.facts {
        let (value, comment) = match fact.ty {
            FactType::Text => ("", "text"),
            FactType::Year => ("", "a year, or text when sources disagree"),
            FactType::Roles => ("[]", "- {title: ..., from: 1994, to: 2011}"),
            FactType::Coordinates => ("", "[latitude, longitude]"),
            FactType::Entity => ("", "the id of another entity"),
            FactType::List => ("[]", "a list"),
        };
        let field = format!("{}: {value}", fact.key);
        text.push_str(&format!("{field:<19}# {}: {comment}\n", fact.label));
    }
    text.push_str("same_as: []        # authority records: Wikidata, Wikipedia, GeoNames URLs\n");
    text.push_str("related: []        # ids of related entities\n");
    text.push_str(&format!("---\nWho or what {name} is, and their part in the story.\n"));
    text
}

/// A YAML scalar for `s`, quoted when plain style would misread it.
fn yaml_string(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c) || c.is_whitespace())
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with([' ', ':']);
    if plain {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// The example site `gloss init` writes, besides templates and static files.
const EXAMPLE: &[(&str, &str)] = &[
    (
        "content/site.yaml",
        "title: My annotated edition\nlanguage: en\n# base_url: https://example.org/edition   # feeds and the sitemap need it\n# paginate_by: 50\n# paginate_mentions_by: 200\n# sort_by: date\n# feed_limit: 20\n",
    ),
    // The built site and the cache of image copies are made, not written.
    (".gitignore", "public/\n.gloss/\n"),
    (
        "content/articles/first-flight.md",
        "---\ntitle: The first flight\ndate: 1903-12-17\nbyline: An example\nsummary: A short example article; replace it with your own.\ntags: [Aviation]\n---\nOrville Wright flew the Wright Flyer for twelve seconds at Kitty Hawk, North Carolina,\nwhile his brother Wilbur ran beside the wing. [The brothers](@orville-wright,wilbur-wright)\nhad built the machine in their bicycle workshop in Dayton.\n\nA reporter from the [Virginian-Pilot](@virginian-pilot) broke the news.\n",
    ),
    (
        "content/people/orville-wright.md",
        "---\nname: Orville Wright\nsummary: American aviation pioneer who made the first powered, controlled flight in 1903.\nborn: 1871\ndied: 1948\nroles:\n  - {title: Co-founder of the Wright Company, from: 1909, to: 1915}\nsame_as:\n  - https://en.wikipedia.org/wiki/Orville_Wright\nrelated: [wilbur-wright]\n---\nThe younger of the two brothers, and the pilot of the first flight.\n",
    ),
    (
        "content/people/wilbur-wright.md",
        "---\nname: Wilbur Wright\naliases: [Wilbur]\nsummary: American aviation pioneer, Orville's elder brother and partner.\nborn: 1867\ndied: 1912\nrelated: [orville-wright]\n---\nThe elder brother, who ran beside the wing.\n",
    ),
    (
        "content/places/kitty-hawk.md",
        "---\nname: Kitty Hawk\naliases: [Kitty Hawk, North Carolina]\nsummary: A town on the Outer Banks of North Carolina.\ntype: town\ncoordinates: [36.06, -75.71]\n---\nThe flights took place on the dunes nearby.\n",
    ),
    (
        "content/places/dayton.md",
        "---\nname: Dayton\nsummary: A city in Ohio, home of the Wright brothers' workshop.\ntype: city\ncoordinates: [39.76, -84.19]\n---\nWhere the brothers built their machines.\n",
    ),
    (
        "content/organisations/virginian-pilot.md",
        "---\nname: The Virginian-Pilot\nsummary: A daily newspaper of Norfolk, Virginia.\ntype: newspaper\nfounded: 1865\n---\nThe newspaper that first reported the flight.\n",
    ),
];

/// Creates a new site in `dir` (which must be absent or empty) and returns
/// the files written.
pub fn init_site(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    if dir.exists() && fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(Diagnostic::error(Code::OutputPath, format!("{} exists and is not empty", dir.display()))
            .with_hint("choose a new folder name; gloss init never overwrites files"));
    }
    let mut files: Vec<(PathBuf, &[u8])> =
        EXAMPLE.iter().map(|(path, text)| (PathBuf::from(path), text.as_bytes())).collect();
    files.extend(DEFAULT_TEMPLATES.iter().map(|(name, text)| (Path::new("templates").join(name), text.as_bytes())));
    files.extend(DEFAULT_STATIC.iter().map(|(name, bytes)| (Path::new("static").join(name), *bytes)));
    for (relative, bytes) in &files {
        let path = dir.join(relative);
        fs::create_dir_all(path.parent().expect("has a parent"))
            .and_then(|()| fs::write(&path, bytes))
            .map_err(|e| Diagnostic::error(Code::Io, format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_strings_are_quoted_only_when_needed() {
        assert_eq!(yaml_string("Kim Jong-il"), "Kim Jong-il");
        assert_eq!(yaml_string("Mail & Guardian: online"), "\"Mail & Guardian: online\"");
        assert_eq!(yaml_string("@home"), "\"@home\"");
    }
}
