use std::collections::HashSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use tend_model::{
    occurrence_key, Agenda, AgendaItem, Escalation, OutcomeAction, OutcomeRequest, OutcomeStatus,
    OutcomeView, PartOfDay,
};

use crate::api::{self, ApiError};
use crate::components::{AgendaItemCard, DayProgress, PatientNav};
use crate::format::long_date;
use crate::i18n::{use_lang, use_texts};
use crate::pages::patient_page;
use crate::pages::transition::TransitionBanner;
use crate::session::{may_see_check_ins, use_session, use_set_session, SessionState};
use tend_model::reading::reading_escalations;

/// Today's to-dos of one patient, grouped morning / afternoon / evening.
/// Marks show at once and roll back with a message if the server refuses.
#[component]
pub fn TodayPage() -> impl IntoView {
    patient_page(|p| view! { <Today patient_id=p /> })
}

#[component]
fn Today(patient_id: i64) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let session = use_session();
    let set_session = use_set_session();
    let navigate = use_navigate();

    let agenda = RwSignal::new(None::<Agenda>);
    let load_error = RwSignal::new(None::<ApiError>);
    let saving = RwSignal::new(HashSet::<String>::new());
    let notice = RwSignal::new(None::<(String, ApiError)>);
    // What a reading just set in motion: shown at once, above everything else of the day.
    let alerts = RwSignal::new(Vec::<Escalation>::new());
    let alert_box = NodeRef::<leptos::html::Div>::new();
    // The person is down at the card they just saved: bring the message to them.
    Effect::new(move |_| {
        if alerts.with(|a| !a.is_empty()) {
            if let Some(element) = alert_box.get() {
                let _ = element.focus();
            }
        }
    });
    let me = Signal::derive(move || {
        session.with(|s| {
            s.view()
                .map(|v| v.account.display_name.clone())
                .unwrap_or_default()
        })
    });

    let loaded = LocalResource::new(move || api::agenda_today(patient_id));
    let to_login = navigate.clone();
    Effect::new(move |_| match loaded.get() {
        Some(Ok(day)) => {
            load_error.set(None);
            agenda.set(Some(day));
        }
        Some(Err(error)) => {
            if error.is_unauthenticated() {
                set_session.set(SessionState::LoggedOut);
                to_login("/login", Default::default());
            }
            load_error.set(Some(error));
        }
        None => {}
    });

    let on_change = Callback::new(move |request: OutcomeRequest| {
        let patient = patient_id;
        let key = occurrence_key(request.activity_id, request.scheduled);
        let Some(before) = agenda.with_untracked(|a| {
            a.as_ref()?
                .items
                .iter()
                .find(|i| i.activity_id == request.activity_id && i.scheduled == request.scheduled)
                .cloned()
        }) else {
            return;
        };
        let now = chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default();
        let optimistic = match request.action {
            OutcomeAction::Undo => None,
            action => Some(OutcomeView {
                status: if action == OutcomeAction::Done {
                    OutcomeStatus::Done
                } else {
                    OutcomeStatus::Skipped
                },
                reason: request.reason.clone(),
                recorded_at: now,
                entered_by: me.get_untracked(),
                reading: request.reading,
            }),
        };
        agenda.update(|a| {
            if let Some(a) = a {
                a.set_outcome(request.activity_id, request.scheduled, optimistic);
            }
        });
        saving.update(|s| {
            s.insert(key.clone());
        });
        // Blood pressure and sugar need no history: their steps show at once, even offline.
        if let Some(reading) = request.reading {
            let now_rules = reading_escalations(&reading, request.scheduled.date(), &[]);
            let urgent_now: Vec<Escalation> = now_rules
                .into_iter()
                .filter(|e| matches!(e, Escalation::VeryHighBloodPressure | Escalation::LowGlucose))
                .collect();
            alerts.update(|a| merge_alerts(a, &urgent_now));
        }
        notice.set(None);
        let idempotency_key = api::new_idempotency_key();
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = api::record_outcome(patient, &request, &idempotency_key).await;
            saving.try_update(|s| s.remove(&key));
            match result {
                Ok(saved) => {
                    alerts.try_update(|a| merge_alerts(a, &saved.escalations));
                    agenda.try_update(|a| {
                        if let Some(a) = a {
                            a.set_outcome(saved.activity_id, saved.scheduled, saved.outcome);
                        }
                    });
                }
                Err(error) => {
                    agenda.try_update(|a| {
                        if let Some(a) = a {
                            a.set_outcome(before.activity_id, before.scheduled, before.outcome.clone());
                        }
                    });
                    if error.is_unauthenticated() {
                        set_session.set(SessionState::LoggedOut);
                        navigate("/login", Default::default());
                    }
                    notice.try_set(Some((key, error)));
                }
            }
        });
    });

    let title_of = move |key: &str| -> String {
        agenda.with(|a| {
            a.as_ref()
                .and_then(|a| a.item_by_key(key))
                .map(|i| i.title.get(lang.get()).to_owned())
                .unwrap_or_default()
        })
    };
    let notice_text = move || {
        notice
            .get()
            .map(|(key, error)| (t().not_saved)(&title_of(&key), error.message(t())))
    };

    let today = move || agenda.with(|a| a.as_ref().map(|a| a.today));
    let progress = Signal::derive(move || {
        agenda.with(|a| a.as_ref().map(|a| a.progress_on(a.today)).unwrap_or_default())
    });
    let parts = move || -> Vec<(PartOfDay, Vec<String>)> {
        agenda.with(|a| {
            a.as_ref()
                .map(|a| {
                    a.day_by_part(a.today)
                        .into_iter()
                        .map(|(part, items)| (part, items.iter().map(|i| i.key()).collect()))
                        .collect()
                })
                .unwrap_or_default()
        })
    };
    let item_signal = move |key: String, first: AgendaItem| {
        Signal::derive(move || {
            agenda.with(|a| {
                a.as_ref()
                    .and_then(|a| a.item_by_key(&key).cloned())
                    .unwrap_or_else(|| first.clone())
            })
        })
    };
    let first_item =
        move |key: &str| agenda.with_untracked(|a| a.as_ref().and_then(|a| a.item_by_key(key).cloned()));

    view! {
        <div class="page today">
            <PatientNav patient_id=patient_id show_check_ins=may_see_check_ins(session, patient_id) />
            <h1>{move || t().today_title}</h1>
            <p class="today-date">{move || today().map(|d| long_date(d, lang.get()))}</p>
            <TransitionBanner patient_id=patient_id />
            <Show when=move || alerts.with(|a| !a.is_empty())>
                <div class="notice urgent" role="alert" tabindex="-1" node_ref=alert_box>
                    {move || {
                        alerts
                            .get()
                            .into_iter()
                            .map(|e| view! { <p>{move || (t().escalation_now)(e)}</p> })
                            .collect_view()
                    }}
                    <button type="button" class="button secondary" on:click=move |_| alerts.set(Vec::new())>
                        {move || t().dismiss}
                    </button>
                </div>
            </Show>
            <Show when=move || notice.with(Option::is_some)>
                <div class="notice error" role="alert">
                    <p>{notice_text}</p>
                    <button type="button" class="button secondary" on:click=move |_| notice.set(None)>
                        {move || t().dismiss}
                    </button>
                </div>
            </Show>
            {move || {
                load_error
                    .get()
                    .filter(|_| agenda.with(Option::is_none))
                    .map(|error| {
                        view! {
                            <div class="notice error" role="alert">
                                <p>{move || error.message(t())}</p>
                                <button type="button" class="button secondary" on:click=move |_| loaded.refetch()>
                                    {move || t().retry}
                                </button>
                            </div>
                        }
                    })
            }}
            <Show
                when=move || agenda.with(Option::is_some)
                fallback=move || {
                    view! {
                        <Show when=move || load_error.with(Option::is_none)>
                            <p class="loading">{move || t().loading}</p>
                        </Show>
                    }
                }
            >
                <DayProgress progress=progress />
                <Show when=move || progress.get().total == 0>
                    <p>{move || t().nothing_today}</p>
                </Show>
                <For each=parts key=|(part, keys)| (*part, keys.clone()) let:part>
                    {
                        let (part_of_day, keys) = part;
                        let heading_id = format!("part-{part_of_day:?}").to_lowercase();
                        view! {
                            <section class="day-part" aria-labelledby=heading_id.clone()>
                                <h2 id=heading_id.clone()>{move || t().part_of_day(part_of_day)}</h2>
                                <ul class="agenda">
                                    {keys
                                        .into_iter()
                                        .filter_map(|key| {
                                            let first = first_item(&key)?;
                                            let saving_this = {
                                                let key = key.clone();
                                                Signal::derive(move || saving.with(|s| s.contains(&key)))
                                            };
                                            Some(
                                                view! {
                                                    <AgendaItemCard
                                                        item=item_signal(key, first)
                                                        me=me
                                                        saving=saving_this
                                                        on_change=on_change
                                                    />
                                                },
                                            )
                                        })
                                        .collect_view()}
                                </ul>
                            </section>
                        }
                    }
                </For>
            </Show>
        </div>
    }
}

/// Adds new escalations to those shown, keeping each once and the earlier ones in place.
fn merge_alerts(shown: &mut Vec<Escalation>, new: &[Escalation]) {
    for escalation in new {
        if !shown.contains(escalation) {
            shown.push(*escalation);
        }
    }
}
