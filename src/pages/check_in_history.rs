use crate::router::A;
use leptos::prelude::*;
use tend_model::{QuestionnaireId, ResponseView};

use crate::api;
use crate::components::{ErrorNotice, PatientNav, ScoreChart};
use crate::format::{date_time, short_date};
use crate::i18n::{use_lang, use_texts};
use crate::pages::not_found::NotFoundPage;
use crate::pages::use_check_in_params;
use crate::session::{may_see_check_ins, use_session};

/// One questionnaire's scores over time: a chart with the bands shaded and
/// the same results as a table.
#[component]
pub fn CheckInHistoryPage() -> impl IntoView {
    let params = use_check_in_params();
    move || match params.get() {
        Some((p, q)) => view! { <History patient_id=p questionnaire=q /> }.into_any(),
        None => view! { <NotFoundPage /> }.into_any(),
    }
}

#[component]
fn History(patient_id: i64, questionnaire: QuestionnaireId) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let session = use_session();
    let definition = StoredValue::new(questionnaire.definition());
    let title = move || definition.with_value(|d| d.title.get(lang.get()).to_owned());
    let results = LocalResource::new(move || api::responses(patient_id, questionnaire));

    let show = move |list: Vec<ResponseView>| {
        if list.is_empty() {
            return view! { <p>{move || t().history_none}</p> }.into_any();
        }
        let scores: Vec<u8> = list.iter().map(|r| r.total).collect();
        let first = list.first().map(|r| r.recorded_at.date_naive());
        let last = list.last().map(|r| r.recorded_at.date_naive());
        let count = list.len();
        let description = Signal::derive(move || {
            let range = match (first, last) {
                (Some(a), Some(b)) => {
                    format!("{} – {}", short_date(a, lang.get()), short_date(b, lang.get()))
                }
                _ => String::new(),
            };
            (t().history_chart_desc)(count, &range)
        });
        let rows = list
            .into_iter()
            .rev()
            .map(|r| {
                view! {
                    <tr>
                        <td>{move || date_time(r.recorded_at, lang.get())}</td>
                        <td>{format!("{} / {}", r.total, r.max)}</td>
                        <td>{move || (t().band)(r.band)}</td>
                        <td>{r.entered_by.clone()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <ScoreChart
                scores=scores
                max=definition.with_value(|d| d.max_score)
                bands=definition.with_value(|d| d.score_bands())
                title=Signal::derive(move || (t().history_title)(&title()))
                description=description
            />
            <div class="table-wrap" tabindex="0" role="region" aria-label=move || t().history_table_caption>
                <table>
                    <caption>{move || t().history_table_caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || t().col_date}</th>
                            <th scope="col">{move || t().col_score}</th>
                            <th scope="col">{move || t().col_band}</th>
                            <th scope="col">{move || t().entered_by_column}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };

    view! {
        <div class="page">
            <PatientNav patient_id=patient_id show_check_ins=may_see_check_ins(session, patient_id) />
            <h1>{move || (t().history_title)(&title())}</h1>
            {move || match results.get() {
                None => view! { <p class="loading">{t().loading}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error /> }.into_any(),
                Some(Ok(list)) => show(list),
            }}
            <p>
                <A href=format!("/patients/{patient_id}/check-ins")>{move || t().back_to_check_ins}</A>
            </p>
        </div>
    }
}
