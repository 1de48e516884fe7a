//! Themes: a site's own templates get every field the README documents,
//! including those the built-in templates leave to gloss to write.

use std::fs;

use crate::support::{fixture_with, render};

/// Fixtures with `&`, quotes and markup characters in names and text,
/// other scripts and plural rules, portraits, and pages cut by
/// `paginate_mentions_by`, each with the settings it is built with.
const FIXTURES: [(&str, &str); 7] = [
    ("editors-copy", ""),
    ("injection", ""),
    ("edition-ja", ""),
    ("edition-ru", ""),
    ("apparatus", ""),
    ("publishing", ""),
    ("two-articles", "paginate_mentions_by: 1\n"),
];

/// Builds every fixture as it is and with `templates` (name, text) added,
/// and asserts that the pages `compared` picks are the same byte for byte.
/// Returns those pages' text, for the caller to check they show something.
fn same_pages_with(templates: &[(&str, &str)], compared: impl Fn(&str) -> bool) -> String {
    let mut shown = String::new();
    for (name, settings) in FIXTURES {
        let plain = fixture_with(name, settings);
        let plain = render(plain.path());
        let themed = fixture_with(name, settings);
        fs::create_dir_all(themed.path().join("templates")).unwrap();
        for (template, text) in templates {
            fs::write(themed.path().join("templates").join(template), text).unwrap();
        }
        let themed = render(themed.path());
        for page in plain.pages().iter().filter(|p| compared(&p.html)) {
            let theirs = themed.pages().iter().find(|p| p.path == page.path).expect("the same pages");
            assert_eq!(page.html, theirs.html, "{name}: {} differs", page.path);
            shown.push_str(&page.html);
        }
    }
    shown
}

/// Lines of `html` that contain `marker`, and how many of them escape a
/// character.
fn lines_with(html: &str, marker: &str) -> (usize, usize) {
    html.lines()
        .filter(|line| line.contains(marker))
        .fold((0, 0), |(n, escaped), line| (n + 1, escaped + usize::from(line.contains('&'))))
}

/// The built-in entity page shows each article's mentions ready-made
/// (`mention_lists`); a theme that writes each mention itself names
/// `appearances` and gets every field, in `entity.html` or in a partial it
/// includes, and shows the same page.
#[test]
fn a_theme_writing_each_mention_itself_shows_the_same_entity_page() {
    let built_in = include_str!("../../templates/entity.html");
    let ready_made = "{{ list.strip_html | safe }}\n    {{ list.html | safe }}";
    let own_loop = r#"{{ list.strip_html | safe }}
    <ol class="mention-list">
      {%- for mention in list.mentions %}
      <li><a href="{{ mention.url }}">{{ mention.before }}<mark>{{ mention.text }}</mark>{{ mention.after }}</a></li>
      {%- endfor %}
    </ol>"#;
    assert!(built_in.contains(ready_made) && built_in.contains("for list in mention_lists"));
    let inline = built_in.replace(ready_made, own_loop).replace("for list in mention_lists", "for list in appearances");
    let included = built_in
        .replace(ready_made, r#"{% include "mention-list.html" %}"#)
        .replace("for list in mention_lists", "for list in appearances");
    let is_entity_page = |html: &str| html.contains("<article class=\"entity");
    let shown = same_pages_with(&[("entity.html", &inline)], is_entity_page)
        + &same_pages_with(&[("entity.html", &included), ("mention-list.html", own_loop)], is_entity_page);
    let (listed, escaped) = lines_with(&shown, "</mark>");
    assert!(listed > 100 && escaped > 5, "{listed} mentions listed, {escaped} with characters escaped");
}

/// The built-in article page shows each kind's cast ready-made
/// (`cast_lists`); a theme that writes each member itself names `cast`
/// and gets every field (link, count, first mention, key fact, portrait),
/// and shows the same page: in `article.html` itself, or in a component
/// that takes it from its caller (`@cast`).
#[test]
fn a_theme_writing_each_cast_member_itself_shows_the_same_article_page() {
    let built_in = include_str!("../../templates/article.html");
    let ready_made = "{{ group.html | safe }}";
    let own_loop = r#"<ul data-kind="{{ group.kind.id }}" data-kind-name="{{ group.kind.singular }}">
    {%- for member in group.members %}
    <li data-entity="{{ member.id }}"{% if member.fact %} data-fact="{{ member.fact }}"{% endif %}{% if member.image %} data-image="{{ member.image.src }}" data-image-alt="{{ member.image.alt }}"{% endif %}><a href="{{ member.url }}">{{ member.name }}</a> <a class="count" href="{{ member.first }}" aria-label="{{ t.mentions_go_to_first | fill(n=member.count) }}">{{ t.count_times | fill(n=member.count) }}</a>{% if member.summary %}<br><span class="summary">{{ member.summary }}</span>{% endif %}</li>
    {%- endfor %}
  </ul>"#;
    assert!(built_in.contains(ready_made));
    let theme = built_in.replace(ready_made, own_loop).replace("cast_lists", "cast");
    let is_article = |html: &str| html.contains("<aside class=\"cast\"");
    let mut shown = same_pages_with(&[("article.html", &theme)], is_article);
    // A component that takes `cast` from its caller, whose template does
    // not name it.
    let (start, end) = ("{%- for group in cast_lists %}", "{%- endfor %}\n</aside>");
    let (from, to) = (built_in.find(start).unwrap(), built_in.find(end).unwrap() + "{%- endfor %}".len());
    let loop_text = built_in[from..to].replace(ready_made, own_loop).replace("cast_lists", "cast");
    let component = format!("{{% component cast_groups(@cast, @t) %}}{loop_text}{{% endcomponent cast_groups %}}");
    let caller = format!("{}{{{{-<cast_groups />}}}}{}", &built_in[..from], &built_in[to..]);
    assert!(!caller.contains("for group in cast"));
    shown += &same_pages_with(&[("components.html", &component), ("article.html", &caller)], is_article);
    let (members, escaped) = lines_with(&shown, "<li data-entity=");
    assert!(members > 30 && escaped > 0, "{members} cast members, {escaped} with characters escaped");
    for field in ["data-fact=", "data-image=", "<span class=\"summary\">"] {
        assert!(shown.contains(field), "no cast member shows {field}");
    }
}
