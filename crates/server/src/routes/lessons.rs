//! Education lessons, shipped with the server in English and Spanish.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::Json;
use tend_model::{Lesson, LessonSummary, LessonText, Problem};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::CurrentAccount;
use crate::error::{AppError, AppResult};
use crate::AppState;

/// Each lesson's slug with its text in English and Spanish.
const SOURCES: [(&str, &str, &str); 4] = [
    (
        "low-salt",
        include_str!("../../lessons/low-salt.en.txt"),
        include_str!("../../lessons/low-salt.es.txt"),
    ),
    (
        "daily-weight",
        include_str!("../../lessons/daily-weight.en.txt"),
        include_str!("../../lessons/daily-weight.es.txt"),
    ),
    (
        "low-blood-sugar",
        include_str!("../../lessons/low-blood-sugar.en.txt"),
        include_str!("../../lessons/low-blood-sugar.es.txt"),
    ),
    (
        "inhaler",
        include_str!("../../lessons/inhaler.en.txt"),
        include_str!("../../lessons/inhaler.es.txt"),
    ),
];

/// The lessons, read once. A lesson that does not read is a bug caught by
/// the tests, and left out rather than served half-read.
pub static LESSONS: LazyLock<Vec<Lesson>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .filter_map(|(slug, en, es)| {
            Some(Lesson {
                slug: (*slug).to_owned(),
                en: LessonText::parse(en).ok()?,
                es: LessonText::parse(es).ok()?,
            })
        })
        .collect()
});

/// What there is to read.
#[utoipa::path(
    get,
    path = "/api/lessons",
    tag = "lessons",
    security(("session" = [])),
    responses(
        (status = 200, description = "The lessons", body = Vec<LessonSummary>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn lessons(_: CurrentAccount) -> Json<Vec<LessonSummary>> {
    Json(LESSONS.iter().map(Lesson::summary).collect())
}

/// One lesson in English and Spanish.
#[utoipa::path(
    get,
    path = "/api/lessons/{slug}",
    tag = "lessons",
    security(("session" = [])),
    params(("slug" = String, Path, description = "The lesson, as an education item names it")),
    responses(
        (status = 200, description = "The lesson", body = Lesson),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such lesson", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn lesson(_: CurrentAccount, Path(slug): Path<String>) -> AppResult<Json<Lesson>> {
    LESSONS
        .iter()
        .find(|l| l.slug == slug)
        .cloned()
        .map(Json)
        .ok_or(AppError::NotFound)
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(lessons))
        .routes(routes!(lesson))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lesson_reads_in_both_languages_with_the_same_shape() {
        assert_eq!(LESSONS.len(), SOURCES.len(), "a lesson failed to read");
        for lesson in LESSONS.iter() {
            let (en, es) = (&lesson.en, &lesson.es);
            assert_ne!(en.title, es.title, "{} is not translated", lesson.slug);
            assert_eq!(en.minutes, es.minutes, "{}", lesson.slug);
            assert_eq!(en.sections.len(), es.sections.len(), "{}", lesson.slug);
            for (a, b) in en.sections.iter().zip(&es.sections) {
                assert_eq!(a.blocks.len(), b.blocks.len(), "{}: {}", lesson.slug, a.heading);
            }
        }
    }
}
