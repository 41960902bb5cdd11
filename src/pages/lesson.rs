use crate::router::use_params_map;
use leptos::prelude::*;
use tend_model::{Lesson, LessonBlock};

use crate::api;
use crate::components::ErrorNotice;
use crate::i18n::{use_lang, use_texts};

/// An education lesson to read, in the chosen language.
#[component]
pub fn LessonPage() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    move || {
        let slug = slug.get();
        view! { <LessonView slug=slug /> }
    }
}

#[component]
fn LessonView(slug: String) -> impl IntoView {
    let t = use_texts();
    let lessons = LocalResource::new(move || {
        let slug = slug.clone();
        async move { api::lesson(&slug).await }
    });
    let back = move |_| {
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.back();
        }
    };
    view! {
        <div class="page lesson">
            <button type="button" class="button secondary" on:click=back>{move || t().go_back}</button>
            {move || match lessons.get() {
                None => view! { <p class="loading">{t().loading}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error /> }.into_any(),
                Some(Ok(lesson)) => view! { <LessonText lesson=lesson /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn LessonText(lesson: Lesson) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    move || {
        let text = lesson.text(lang.get()).clone();
        let minutes = text.minutes;
        let sections = text
            .sections
            .into_iter()
            .map(|section| {
                let blocks = section
                    .blocks
                    .into_iter()
                    .map(|block| match block {
                        LessonBlock::Paragraph(p) => view! { <p>{p}</p> }.into_any(),
                        LessonBlock::Points(points) => {
                            view! { <ul>{points.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul> }
                                .into_any()
                        }
                    })
                    .collect_view();
                let heading = (!section.heading.is_empty()).then(|| view! { <h2>{section.heading}</h2> });
                view! { <section>{heading}{blocks}</section> }
            })
            .collect_view();
        view! {
            <article>
                <h1>{text.title}</h1>
                <p class="hint">{(t().minutes_read)(minutes)}</p>
                {sections}
            </article>
        }
    }
}
