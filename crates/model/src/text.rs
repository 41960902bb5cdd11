//! Languages and text that a care team writes in both of them.

use serde::{Deserialize, Serialize};

/// A language Tend speaks. Patients choose theirs; the app can switch at any time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Es,
}

impl Lang {
    /// The BCP 47 tag, for `<html lang>` and the browser's Intl formatters.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// Parses a tag such as `es`, `es-MX` or `en-US`; anything else is `None`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }
}

/// Plan text written by the care team in English and Spanish.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalizedText {
    pub en: String,
    pub es: String,
}

impl LocalizedText {
    pub fn new(en: impl Into<String>, es: impl Into<String>) -> Self {
        LocalizedText {
            en: en.into(),
            es: es.into(),
        }
    }

    /// The text in `lang`, falling back to English where no translation was written.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Es if !self.es.is_empty() => &self.es,
            _ => &self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_parse_by_primary_language() {
        for (tag, want) in [
            ("en", Some(Lang::En)),
            ("en-US", Some(Lang::En)),
            ("ES-mx", Some(Lang::Es)),
            ("es_419", Some(Lang::Es)),
            ("fr", None),
            ("", None),
        ] {
            assert_eq!(Lang::from_tag(tag), want, "{tag}");
        }
    }

    #[test]
    fn missing_spanish_falls_back_to_english() {
        let text = LocalizedText::new("Walk", "");
        assert_eq!(text.get(Lang::Es), "Walk");
        let text = LocalizedText::new("Walk", "Caminar");
        assert_eq!(text.get(Lang::Es), "Caminar");
        assert_eq!(text.get(Lang::En), "Walk");
    }
}
