//! Language tags: which are well formed, which scripts run right to left,
//! and what each language calls itself (for links between translations,
//! which name a language as its readers do).

/// Is `tag` a well-formed language tag (`en`, `pt-BR`, `zh-Hant`): parts of
/// one to eight letters or digits joined by hyphens, the first letters.
pub fn is_valid_tag(tag: &str) -> bool {
    let part = |p: &str| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric());
    tag.split('-').all(part) && tag.starts_with(|c: char| c.is_ascii_alphabetic())
}

/// The primary language of a tag, lower-case (`pt-BR` → `pt`).
fn primary(tag: &str) -> String {
    tag.split('-').next().unwrap_or("").to_ascii_lowercase()
}

/// `rtl` for a language written right to left (Arabic, Hebrew, Persian,
/// Urdu and others, or any tag naming the Arabic or Hebrew script), else
/// `ltr`.
pub fn direction(tag: &str) -> &'static str {
    const RTL: &[&str] = &["ar", "arc", "ckb", "dv", "fa", "he", "iw", "ps", "sd", "ug", "ur", "yi"];
    let lower = tag.to_ascii_lowercase();
    let script_rtl = lower.split('-').skip(1).any(|p| matches!(p, "arab" | "hebr" | "syrc" | "thaa" | "nkoo"));
    let latin = lower.split('-').skip(1).any(|p| matches!(p, "latn" | "cyrl"));
    match (RTL.contains(&primary(tag).as_str()) && !latin) || script_rtl {
        true => "rtl",
        false => "ltr",
    }
}

/// What a language calls itself (`de` → `Deutsch`), for the languages of
/// most editions; otherwise the tag.
pub fn autonym(tag: &str) -> String {
    let name = match primary(tag).as_str() {
        "ar" => "العربية",
        "cs" => "Čeština",
        "da" => "Dansk",
        "de" => "Deutsch",
        "el" => "Ελληνικά",
        "en" => "English",
        "es" => "Español",
        "fa" => "فارسی",
        "fi" => "Suomi",
        "fr" => "Français",
        "he" => "עברית",
        "hi" => "हिन्दी",
        "hu" => "Magyar",
        "it" => "Italiano",
        "ja" => "日本語",
        "ko" => "한국어",
        "nl" => "Nederlands",
        "no" | "nb" => "Norsk",
        "pl" => "Polski",
        "pt" => "Português",
        "ro" => "Română",
        "ru" => "Русский",
        "sv" => "Svenska",
        "th" => "ไทย",
        "tr" => "Türkçe",
        "uk" => "Українська",
        "ur" => "اردو",
        "vi" => "Tiếng Việt",
        "zh" => "中文",
        _ => return tag.to_string(),
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_hebrew_and_persian_run_right_to_left() {
        for tag in ["ar", "ar-EG", "he", "fa", "ur", "az-Arab"] {
            assert_eq!(direction(tag), "rtl", "{tag}");
        }
        for tag in ["en", "de", "ru", "ja", "ku-Latn", "arn"] {
            assert_eq!(direction(tag), "ltr", "{tag}");
        }
        assert_eq!(autonym("de-AT"), "Deutsch");
        assert_eq!(autonym("x-klingon"), "x-klingon");
        assert!(is_valid_tag("pt-BR") && !is_valid_tag("1en") && !is_valid_tag("en_GB"));
    }
}
