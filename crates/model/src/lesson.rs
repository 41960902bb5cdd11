//! Education lessons: short readable texts in both languages, written as
//! plain text with a few marks (`# title`, `minutes: N`, `## heading`,
//! `- point`, blank lines between paragraphs).

use serde::{Deserialize, Serialize};

use crate::text::LocalizedText;

/// A block of a section: a paragraph or a list of points.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", content = "text", rename_all = "snake_case")]
pub enum LessonBlock {
    Paragraph(String),
    Points(Vec<String>),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LessonSection {
    /// Empty for the opening section before the first heading.
    pub heading: String,
    pub blocks: Vec<LessonBlock>,
}

/// One lesson in one language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LessonText {
    pub title: String,
    /// About how long it takes to read.
    pub minutes: u32,
    pub sections: Vec<LessonSection>,
}

/// `GET /api/lessons/{slug}`: a lesson in English and Spanish.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lesson {
    pub slug: String,
    pub en: LessonText,
    pub es: LessonText,
}

/// `GET /api/lessons`: what there is to read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LessonSummary {
    pub slug: String,
    pub title: LocalizedText,
    pub minutes: u32,
}

impl Lesson {
    pub fn text(&self, lang: crate::text::Lang) -> &LessonText {
        match lang {
            crate::text::Lang::En => &self.en,
            crate::text::Lang::Es => &self.es,
        }
    }

    pub fn summary(&self) -> LessonSummary {
        LessonSummary {
            slug: self.slug.clone(),
            title: LocalizedText::new(self.en.title.clone(), self.es.title.clone()),
            minutes: self.en.minutes,
        }
    }
}

/// What is wrong with a lesson's text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LessonError {
    #[error("the first line must be the title, as `# Title`")]
    NoTitle,
    #[error("the second line must be `minutes: N`")]
    NoMinutes,
    #[error("the lesson has no text")]
    Empty,
}

impl LessonText {
    /// Reads a lesson written with the marks described at the top of this module.
    pub fn parse(source: &str) -> Result<LessonText, LessonError> {
        let mut lines = source.lines();
        let title = lines
            .next()
            .and_then(|l| l.strip_prefix("# "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(LessonError::NoTitle)?
            .to_owned();
        let minutes = lines
            .next()
            .and_then(|l| l.strip_prefix("minutes:"))
            .and_then(|m| m.trim().parse().ok())
            .ok_or(LessonError::NoMinutes)?;
        let mut sections = vec![LessonSection {
            heading: String::new(),
            blocks: Vec::new(),
        }];
        let mut paragraph: Vec<&str> = Vec::new();
        let flush = |paragraph: &mut Vec<&str>, sections: &mut Vec<LessonSection>| {
            if !paragraph.is_empty() {
                let text = paragraph.join(" ");
                paragraph.clear();
                if let Some(section) = sections.last_mut() {
                    section.blocks.push(LessonBlock::Paragraph(text));
                }
            }
        };
        for line in lines {
            let line = line.trim();
            if let Some(heading) = line.strip_prefix("## ") {
                flush(&mut paragraph, &mut sections);
                sections.push(LessonSection {
                    heading: heading.trim().to_owned(),
                    blocks: Vec::new(),
                });
            } else if let Some(point) = line.strip_prefix("- ") {
                flush(&mut paragraph, &mut sections);
                let Some(section) = sections.last_mut() else {
                    continue;
                };
                match section.blocks.last_mut() {
                    Some(LessonBlock::Points(points)) => points.push(point.trim().to_owned()),
                    _ => section
                        .blocks
                        .push(LessonBlock::Points(vec![point.trim().to_owned()])),
                }
            } else if line.is_empty() {
                flush(&mut paragraph, &mut sections);
            } else {
                paragraph.push(line);
            }
        }
        flush(&mut paragraph, &mut sections);
        sections.retain(|s| !s.heading.is_empty() || !s.blocks.is_empty());
        if sections.is_empty() {
            return Err(LessonError::Empty);
        }
        Ok(LessonText {
            title,
            minutes,
            sections,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lesson_reads_into_sections_of_paragraphs_and_points() {
        let text = LessonText::parse(
            "# Eating with less salt\nminutes: 5\nMost salt is\nalready in food.\n\n## Read the label\n- Look for sodium.\n- Aim low.\nThen compare.\n\n## Eating out\nAsk for no salt.\n",
        )
        .unwrap();
        assert_eq!(text.title, "Eating with less salt");
        assert_eq!(text.minutes, 5);
        assert_eq!(
            text.sections,
            vec![
                LessonSection {
                    heading: String::new(),
                    blocks: vec![LessonBlock::Paragraph("Most salt is already in food.".into())],
                },
                LessonSection {
                    heading: "Read the label".into(),
                    blocks: vec![
                        LessonBlock::Points(vec!["Look for sodium.".into(), "Aim low.".into()]),
                        LessonBlock::Paragraph("Then compare.".into()),
                    ],
                },
                LessonSection {
                    heading: "Eating out".into(),
                    blocks: vec![LessonBlock::Paragraph("Ask for no salt.".into())],
                },
            ]
        );
    }

    #[test]
    fn a_lesson_needs_a_title_minutes_and_text() {
        assert_eq!(
            LessonText::parse("Salt\nminutes: 5\ntext"),
            Err(LessonError::NoTitle)
        );
        assert_eq!(LessonText::parse("# Salt\ntext"), Err(LessonError::NoMinutes));
        assert_eq!(
            LessonText::parse("# Salt\nminutes: 5\n\n"),
            Err(LessonError::Empty)
        );
    }
}
