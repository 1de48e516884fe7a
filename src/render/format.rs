//! Text for readers: dates, coordinates, the names of authority records,
//! how names file in an A–Z list.

use crate::strings::Strings;

/// `2002-08-20` → `20 August 2002`, as the site's language writes it
/// (`20. August 2002`, `20 августа 2002 г.`); dates are checked when parsed.
pub fn display_date(strings: &Strings, iso: &str) -> String {
    ymd(iso).and_then(|(y, m, d)| strings.date(y, m, d)).unwrap_or_else(|| iso.to_string())
}

/// The year, month and day of an ISO date.
fn ymd(iso: &str) -> Option<(i32, u8, u8)> {
    let mut parts = iso.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    Some((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?))
}

/// What a printed dateline says of the article's date `iso`: `"full"` when
/// it gives the whole date as [`display_date`] writes it, `"day"` when it
/// gives its day and month (`BERLIN, 9 November`), else `None`. Letter case
/// is ignored. The page then shows each date once.
pub(super) fn dateline_date(strings: &Strings, dateline: &str, iso: &str) -> Option<&'static str> {
    let (y, m, d) = ymd(iso)?;
    let dateline = dateline.to_lowercase();
    let full = strings.date(y, m, d)?.to_lowercase();
    let day = strings.day_month(y, m, d)?.to_lowercase();
    let day = day.trim_matches(|c: char| c.is_whitespace() || c == ',');
    if has_words(&dateline, &full) {
        Some("full")
    } else if !day.is_empty() && has_words(&dateline, day) {
        Some("day")
    } else {
        None
    }
}

/// Whether `needle` is in `text` with no letter or digit either side of it
/// (`9 november` is not in `19 november`).
fn has_words(text: &str, needle: &str) -> bool {
    text.match_indices(needle).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// `43.12° N, 131.89° E`.
pub(super) fn format_coordinates(strings: &Strings, lat: f64, lon: f64) -> String {
    let ns = strings.get(if lat < 0.0 { "south" } else { "north" });
    let ew = strings.get(if lon < 0.0 { "west" } else { "east" });
    let (lat, lon) = (format!("{:.2}", lat.abs()), format!("{:.2}", lon.abs()));
    strings.fill("coordinates", &[("lat", &lat), ("north_south", &ns), ("lon", &lon), ("east_west", &ew)])
}

/// A readable name for an authority link.
pub(super) fn authority_label(url: &str) -> String {
    let host = url.split("://").nth(1).unwrap_or(url).split('/').next().unwrap_or(url);
    let known = [
        ("wikidata.org", "Wikidata"),
        ("wikipedia.org", "Wikipedia"),
        ("geonames.org", "GeoNames"),
        ("viaf.org", "VIAF"),
        ("openstreetmap.org", "OpenStreetMap"),
        ("britannica.com", "Britannica"),
    ];
    known
        .iter()
        .find(|(domain, _)| host == *domain || host.ends_with(&format!(".{domain}")))
        .map_or_else(|| host.trim_start_matches("www.").to_string(), |(_, label)| label.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_read_like_an_atlas() {
        let strings = Strings::english();
        assert_eq!(format_coordinates(strings, 43.1155, 131.8855), "43.12° N, 131.89° E");
        assert_eq!(format_coordinates(strings, -33.9, -70.6), "33.90° S, 70.60° W");
    }

    #[test]
    fn dates_read_like_dates() {
        assert_eq!(display_date(Strings::english(), "2002-08-20"), "20 August 2002");
        assert_eq!(display_date(Strings::english(), "2002-01-01"), "1 January 2002");
    }

    #[test]
    fn a_dateline_may_give_the_date_in_part_or_in_full() {
        let strings = Strings::english();
        assert_eq!(dateline_date(strings, "BERLIN, 9 November", "2009-11-09"), Some("day"));
        assert_eq!(dateline_date(strings, "Berlin, 9 November 2009", "2009-11-09"), Some("full"));
        assert_eq!(dateline_date(strings, "/ 1 January 2002", "2002-08-20"), None);
        assert_eq!(dateline_date(strings, "BERLIN, 19 November", "2009-11-09"), None);
    }

    #[test]
    fn authority_links_are_named() {
        assert_eq!(authority_label("https://www.wikidata.org/wiki/Q10867"), "Wikidata");
        assert_eq!(authority_label("https://en.wikipedia.org/wiki/Kim_Jong_il"), "Wikipedia");
        assert_eq!(authority_label("https://example.org/x"), "example.org");
    }
}
