use leptos::prelude::*;
use tend_model::MissedMedicine;

use crate::format::{short_date, time_of_day};
use crate::i18n::{use_lang, use_texts};

/// Medicines not marked in time: what, and since when, where the patient lives.
/// `level` is its heading's (2 on a page of its own, 3 under a person's name).
#[component]
pub fn MissedMedicines(missed: Vec<MissedMedicine>, heading_id: String, level: u8) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    (!missed.is_empty()).then(|| {
        let items = missed
            .into_iter()
            .map(|m| {
                let since = move || {
                    format!(
                        "{}, {}",
                        short_date(m.local.date(), lang.get()),
                        time_of_day(m.local.time(), lang.get())
                    )
                };
                let title = m.title.clone();
                view! { <li>{move || (t().alert_missed)(title.get(lang.get()), &since())}</li> }
            })
            .collect_view();
        let labelled_by = heading_id.clone();
        let heading = if level == 2 {
            view! { <h2 id=heading_id>{move || t().alert_heading}</h2> }.into_any()
        } else {
            view! { <h3 id=heading_id>{move || t().alert_heading}</h3> }.into_any()
        };
        view! {
            <div class="notice urgent missed-medicines" role="status" aria-labelledby=labelled_by>
                {heading}
                <ul>{items}</ul>
            </div>
        }
    })
}
