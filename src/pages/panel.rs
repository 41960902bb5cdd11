use crate::router::A;
use leptos::prelude::*;
use tend_model::panel::LOW_ADHERENCE;
use tend_model::{arrange, PanelFilter, PanelPatient, PanelSort, Urgency};

use crate::api;
use crate::format::{date_time, short_date, time_of_day};
use crate::i18n::{use_lang, use_texts};
use crate::pages::loaded;

/// The care manager's panel: every patient, what needs attention first,
/// sorted and filtered on the page (the server sends the whole panel once).
#[component]
pub fn PanelPage() -> impl IntoView {
    let t = use_texts();
    let rows = LocalResource::new(api::panel);
    let sort = RwSignal::new(PanelSort::default());
    let flagged = RwSignal::new(false);
    let low = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let filter = move || PanelFilter {
        flagged: flagged.get(),
        low_adherence: low.get(),
        name: name.get(),
    };
    let check = move |id: &'static str, on: RwSignal<bool>, label: Signal<String>| {
        view! {
            <div class="check">
                <input
                    type="checkbox"
                    id=id
                    prop:checked=move || on.get()
                    on:change=move |ev| on.set(event_target_checked(&ev))
                />
                <label for=id>{move || label.get()}</label>
            </div>
        }
    };
    let options = move || {
        PanelSort::ALL
            .into_iter()
            .map(|option| {
                view! {
                    <option value=option.as_str() selected=move || sort.get() == option>
                        {move || (t().panel_sort_option)(option)}
                    </option>
                }
            })
            .collect_view()
    };
    view! {
        <div class="page panel-page">
            <h1>{move || t().panel_title}</h1>
            <p class="lead">{move || t().panel_intro}</p>
            <form class="card panel-controls" aria-label=move || t().panel_controls on:submit=|ev| ev.prevent_default()>
                <div class="field">
                    <label for="panel-sort">{move || t().panel_sort}</label>
                    <select
                        id="panel-sort"
                        on:change=move |ev| {
                            if let Some(chosen) = PanelSort::parse(&event_target_value(&ev)) {
                                sort.set(chosen);
                            }
                        }
                    >
                        {options}
                    </select>
                </div>
                <div class="field">
                    <label for="panel-search">{move || t().panel_search}</label>
                    <input
                        type="search"
                        id="panel-search"
                        autocomplete="off"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                </div>
                {check("panel-flagged", flagged, Signal::derive(move || t().panel_flagged_only.to_owned()))}
                {check("panel-low", low, Signal::derive(move || (t().panel_low_only)(LOW_ADHERENCE)))}
            </form>
            {loaded(rows, move |all| {
                let total = all.len();
                let shown: Vec<PanelPatient> = arrange(&all, sort.get(), &filter()).into_iter().cloned().collect();
                let count = shown.len();
                view! {
                    <p role="status" class="panel-count">
                        {move || if count == 0 { t().panel_no_match.to_owned() } else { (t().panel_showing)(count, total) }}
                    </p>
                    <ul class="panel-list" aria-label=move || t().panel_list>
                        {shown.into_iter().map(|p| view! { <PanelRow patient=p /> }).collect_view()}
                    </ul>
                }
            })}
        </div>
    }
}

#[component]
fn PanelRow(patient: PanelPatient) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let urgency = patient.top_urgency();
    let percent = patient.adherence();
    let (done, due) = (patient.done_7d, patient.due_7d);
    let flag_count = patient.open_flags.len();
    let first_flag = patient.open_flags.first().map(|f| f.detail.clone());
    let check_in = patient.last_check_in.clone();
    let visit = patient.next_appointment.clone();
    let name = patient.name.clone();
    view! {
        <li
            class="card panel-row"
            class:is-urgent=urgency == Some(Urgency::Urgent)
            class:is-low=patient.low_adherence()
        >
            <h2>
                <A href=format!("/patients/{}/manage", patient.id)>{name}</A>
            </h2>
            <p class="panel-flags">
                {urgency.map(|u| view! {
                    <span class=format!("badge urgency-{}", (u as u8))>{move || (t().urgency)(u)}</span>
                    " "
                })}
                {move || (t().panel_flags)(flag_count)}
                {first_flag.clone().map(|detail| format!(": {detail}"))}
            </p>
            <p>{move || (t().panel_adherence)(percent, done, due)}</p>
            <p>
                {move || match &check_in {
                    Some(c) => (t().panel_last_check_in)(
                        (t().questionnaire_short)(c.questionnaire),
                        c.total,
                        c.max,
                        (t().band)(c.band),
                        &date_time(c.at, lang.get()),
                    ),
                    None => t().panel_no_check_in.to_owned(),
                }}
            </p>
            <p>
                {move || match &visit {
                    Some(v) => {
                        let when = format!(
                            "{} {}",
                            short_date(v.when.date(), lang.get()),
                            time_of_day(v.when.time(), lang.get()),
                        );
                        (t().panel_next_visit)(v.title.get(lang.get()), &when)
                    }
                    None => t().panel_no_visit.to_owned(),
                }}
            </p>
        </li>
    }
}
