use std::time::Duration;

use leptos::prelude::*;
use tend_model::{Agenda, AgendaItem, Change, Escalation, OutcomeRequest, OutcomeResult, PartOfDay, Role};

use crate::api::{self, ApiError};
use crate::components::{AgendaItemCard, DayProgress, ErrorNotice, PatientNav};
use crate::format::long_date;
use crate::i18n::{use_lang, use_texts};
use crate::outbox::use_outbox;
use crate::pages::patient_page;
use crate::pages::people::PersonAlerts;
use crate::pages::transition::TransitionBanner;
use crate::session::{may_see_check_ins, scopes_for, use_session, SessionState};
use crate::shell;
use tend_model::reading::reading_escalations;

/// Today's to-dos of one patient, grouped morning / afternoon / evening.
/// Marks show at once and wait on the device until the server has them; one
/// the server refuses goes back as it was, and the outbox banner says why.
#[component]
pub fn TodayPage() -> impl IntoView {
    patient_page(|p| view! { <Today patient_id=p /> })
}

#[component]
fn Today(patient_id: i64) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let session = use_session();

    let outbox = use_outbox();
    // Marking is for the patient, and for a caregiver who may record for them.
    let scopes = scopes_for(session, patient_id);
    let is_caregiver = Signal::derive(move || {
        session.with(|s| {
            s.view()
                .and_then(|v| v.patients.iter().find(|p| p.id == patient_id))
                .is_some_and(|p| p.relation == tend_model::Relation::Caregiver)
        })
    });
    let read_only = Signal::derive(move || !scopes.with(|s| s.contains(&tend_model::Scope::RecordOnBehalf)));

    // What the server last said, and on it the marks still waiting on this device.
    let server_agenda = RwSignal::new(None::<Agenda>);
    let load_error = RwSignal::new(None::<ApiError>);
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
    // Who "I" am, by account id: "entered by" shows for everyone else.
    let me = Signal::derive(move || session.with(|s| s.view().map_or(0, |v| v.account.id)));
    let my_name = move || {
        session.with(|s| {
            s.view()
                .map(|v| v.account.display_name.clone())
                .unwrap_or_default()
        })
    };
    let agenda = Memo::new(move |_| {
        let mut shown = server_agenda.get()?;
        if let Some(account) = outbox.account() {
            outbox
                .outbox()
                .with(|o| o.overlay(&mut shown, account, patient_id, &my_name()));
        }
        Some(shown)
    });

    // The day's cards are built a few a task (see `build_in_steps`); the day
    // is shown (revealed, marked) once all are.
    let built = RwSignal::new(0usize);
    let day_items = move || {
        agenda.with_untracked(|a| {
            a.as_ref().map_or(0, |a| {
                a.day_by_part(a.today).iter().map(|(_, items)| items.len()).sum()
            })
        })
    };
    Effect::new(move |started: Option<bool>| {
        if started == Some(true) || agenda.with(Option::is_none) {
            return started.unwrap_or(false);
        }
        set_timeout(move || build_in_steps(built, day_items), Duration::ZERO);
        true
    });
    let day_built = Signal::derive(move || agenda.with(Option::is_some) && built.get() == usize::MAX);
    keep_and_reveal_last_screen(patient_id, session, day_built, agenda, load_error);

    let loaded = LocalResource::new(move || api::agenda_today(patient_id));
    // A 401 ends the session in `api` itself, for every page.
    Effect::new(move |_| match loaded.get() {
        Some(Ok(day)) => {
            load_error.set(None);
            server_agenda.set(Some(day));
        }
        Some(Err(error)) => load_error.set(Some(error)),
        None => {}
    });

    // What the server stored (just now, or replayed from before): its outcome and escalations.
    let applied = StoredValue::new(outbox.delivered().with_untracked(Vec::len));
    Effect::new(move |_| {
        outbox.delivered().with(|log| {
            for delivery in log.iter().skip(applied.get_value()) {
                if delivery.patient_id != patient_id {
                    continue;
                }
                // A check-in's answer is not an outcome, and is passed over.
                if let Ok(saved) = serde_json::from_str::<OutcomeResult>(&delivery.answer) {
                    alerts.update(|a| merge_alerts(a, &saved.escalations));
                    server_agenda.update(|a| {
                        if let Some(a) = a {
                            a.set_outcome(saved.activity_id, saved.scheduled, saved.outcome.clone());
                        }
                    });
                }
            }
            applied.set_value(log.len());
        });
    });

    let on_change = Callback::new(move |request: OutcomeRequest| {
        let Some(title) = agenda.with_untracked(|a| {
            a.as_ref()?
                .items
                .iter()
                .find(|i| i.activity_id == request.activity_id && i.scheduled == request.scheduled)
                .map(|i| i.title.clone())
        }) else {
            return;
        };
        // Blood pressure and sugar need no history: their steps show at once, even offline.
        if let Some(reading) = request.reading {
            let now_rules = reading_escalations(&reading, request.scheduled.date(), &[]);
            let urgent_now: Vec<Escalation> = now_rules
                .into_iter()
                .filter(|e| matches!(e, Escalation::VeryHighBloodPressure | Escalation::LowGlucose))
                .collect();
            alerts.update(|a| merge_alerts(a, &urgent_now));
        }
        // Shown at once as waiting; kept on the device until the server has it.
        outbox.add(
            patient_id,
            title,
            Change::Outcome(request),
            api::new_idempotency_key(),
            None,
        );
    });

    let pending_of = move |key: &str| -> (bool, bool) {
        let Some(account) = outbox.account() else {
            return (false, false);
        };
        let keys: Vec<String> = outbox.outbox().with(|o| {
            o.waiting_for(account, patient_id, key)
                .into_iter()
                .map(str::to_owned)
                .collect()
        });
        let sending = keys.iter().any(|k| outbox.is_sending(k));
        (sending, !keys.is_empty() && !sending)
    };

    let today = move || agenda.with(|a| a.as_ref().map(|a| a.today));
    let progress = Signal::derive(move || {
        agenda.with(|a| a.as_ref().map(|a| a.progress_on(a.today)).unwrap_or_default())
    });
    // Each part of the day with the place of its first card in the day, as
    // far as the cards are built.
    let parts = move || -> Vec<(PartOfDay, usize, Vec<String>)> {
        let built = built.get();
        let mut first = 0;
        agenda.with(|a| {
            a.as_ref()
                .map(|a| {
                    a.day_by_part(a.today)
                        .into_iter()
                        .map(|(part, items)| {
                            let at = first;
                            first += items.len();
                            (part, at, items.iter().map(|i| i.key()).collect::<Vec<_>>())
                        })
                        .take_while(|(_, at, _)| *at < built)
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
            <Show when=move || scopes.with(|s| s.contains(&tend_model::Scope::PlanGoals))>
                <TransitionBanner patient_id=patient_id />
            </Show>
            <Show when=move || {
                is_caregiver.get() && scopes.with(|s| s.contains(&tend_model::Scope::Reminders))
            }>
                <PersonAlerts patient_id=patient_id level=2 />
            </Show>
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
            {move || {
                load_error
                    .get()
                    .filter(|_| agenda.with(Option::is_none))
                    .map(|error| {
                        // Not shared, or no longer: said as on every page, without a retry.
                        if matches!(&error, ApiError::Problem(p) if p.status == 403 || p.status == 404) {
                            return view! { <ErrorNotice error=error /> }.into_any();
                        }
                        view! {
                            <div class="notice error" role="alert">
                                <p>{move || error.message(t())}</p>
                                <button type="button" class="button secondary" on:click=move |_| loaded.refetch()>
                                    {move || t().retry}
                                </button>
                            </div>
                        }
                        .into_any()
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
                <For each=parts key=|(part, _, keys)| (*part, keys.clone()) let:part>
                    {
                        // `first` is the place of the part's first card when the part came;
                        // should an earlier part change while the cards are built, a card of
                        // this one comes a step sooner or later, and all come in the end.
                        let (part_of_day, first, keys) = part;
                        let heading_id = format!("part-{}", part_of_day.slug());
                        view! {
                            <section class="day-part" aria-labelledby=heading_id.clone()>
                                <h2 id=heading_id.clone()>{move || t().part_of_day(part_of_day)}</h2>
                                <ul class="agenda">
                                    {keys
                                        .into_iter()
                                        .zip(first..)
                                        .filter_map(|(key, at)| {
                                            let first = first_item(&key)?;
                                            let saving_this = {
                                                let key = key.clone();
                                                Signal::derive(move || pending_of(&key).0)
                                            };
                                            let waiting_this = {
                                                let key = key.clone();
                                                Signal::derive(move || pending_of(&key).1)
                                            };
                                            Some(
                                                view! {
                                                    <Show when=move || at < built.get()>
                                                        <AgendaItemCard
                                                            item=item_signal(key.clone(), first.clone())
                                                            me=me
                                                            saving=saving_this
                                                            waiting=waiting_this
                                                            on_change=on_change
                                                            read_only=read_only
                                                        />
                                                    </Show>
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

/// Where index.html painted the Today this person left (`crate::shell`), the
/// app's own is shown once it has the day or an error, or the page is left;
/// and the Today on screen is kept for the next start when the person leaves
/// it (the page is hidden: another app, another tab, a reload, closing).
/// Kept only for a patient or caregiver looking with their own eyes: not a
/// care manager's desk, not a preview.
fn keep_and_reveal_last_screen(
    patient_id: i64,
    session: Signal<SessionState>,
    day_built: Signal<bool>,
    agenda: Memo<Option<Agenda>>,
    load_error: RwSignal<Option<ApiError>>,
) {
    let shown = StoredValue::new(false);
    Effect::new(move |_| {
        let known = !matches!(session.get(), SessionState::Loading);
        let failed = load_error.with(Option::is_some) && agenda.with(Option::is_none);
        if known && (day_built.get() || failed) {
            shell::reveal();
            if !shown.get_value() && day_built.get() {
                shown.set_value(true);
                shell::mark("tend:today-shown");
            }
        }
    });
    let keep = move || {
        let Some((account, idle_limit, home)) = session.with_untracked(|s| {
            let view = s.view()?;
            let own = view.own_patient().is_some_and(|p| p.id == patient_id);
            (view.preview.is_none() && view.account.role != Role::CareManager)
                .then(|| (view.account.id, view.account.role.idle_limit(), own))
        }) else {
            return;
        };
        // Logged out in another tab: this one's session is gone from the device too.
        let still_here = crate::session::remembered().is_some_and(|r| r.account.id == account);
        if !still_here || !day_built.get_untracked() || document().get_element_by_id("shell").is_some() {
            return;
        }
        // The idle limit runs from the last tap, as the app's own logout does.
        let until = crate::session::last_active() as i64 + idle_limit.num_milliseconds();
        shell::keep_last_screen(account, &format!("/patients/{patient_id}/today"), home, until);
    };
    let hidden = window_event_listener_untyped("visibilitychange", move |_| {
        if document().hidden() {
            keep();
        }
    });
    let closed = window_event_listener_untyped("pagehide", move |_| keep());
    on_cleanup(move || {
        hidden.remove();
        closed.remove();
        shell::reveal();
    });
}

/// How many of the day's cards are built in one task. Built at once, a
/// day's cards were one long task on a phone (150-200 ms at Lighthouse's 4x
/// CPU slowdown for maria's day, tools/bench/profile-start.mjs), which
/// blocks a tap for as long; two at a time, each task is a fraction of that.
const CARDS_A_TASK: usize = 2;

/// Lets `built` grow by [`CARDS_A_TASK`] a task until it covers the day's
/// `items`, then to `usize::MAX`: from then on, a card comes as soon as its
/// item does. Stops when the page is gone. In a hidden tab, all at once:
/// there nothing waits for a tap, and the browser runs a chain of timers a
/// second apart (a minute apart after five), which would keep the day from
/// being shown, and kept, for as long.
fn build_in_steps(built: RwSignal<usize>, items: impl Fn() -> usize + Copy + 'static) {
    let Some(now) = built.try_get_untracked() else {
        return;
    };
    let next = now.saturating_add(CARDS_A_TASK);
    if next >= items() || document().hidden() {
        built.try_set(usize::MAX);
        return;
    }
    built.try_set(next);
    set_timeout(move || build_in_steps(built, items), Duration::ZERO);
}

/// Adds new escalations to those shown, keeping each once and the earlier ones in place.
fn merge_alerts(shown: &mut Vec<Escalation>, new: &[Escalation]) {
    for escalation in new {
        if !shown.contains(escalation) {
            shown.push(*escalation);
        }
    }
}
