use crate::router::A;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use tend_model::questionnaire::AnswerError;
use tend_model::{Answers, Change, Escalation, QuestionnaireId, ResponseRequest, ResponseView, Scored};

use crate::api::{self, ApiError};
use crate::components::{CrisisResources, Question};
use crate::format::date_time;
use crate::i18n::{use_lang, use_texts};
use crate::outbox::use_outbox;
use crate::pages::not_found::NotFoundPage;
use crate::pages::use_check_in_params;
use crate::session::use_session;

/// Filling a check-in, one question at a time, and its result.
#[component]
pub fn CheckInPage() -> impl IntoView {
    let params = use_check_in_params();
    move || match params.get() {
        Some((p, q)) => view! { <FillCheckIn patient_id=p questionnaire=q /> }.into_any(),
        None => view! { <NotFoundPage /> }.into_any(),
    }
}

/// Answers in progress, kept on the device so a reload loses nothing. Once
/// sent they go to the outbox with their idempotency key, which keeps them
/// until the server has them, stored once.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Draft {
    answers: Answers,
    step: usize,
    key: String,
}

fn draft_key(patient_id: i64, questionnaire: QuestionnaireId) -> String {
    format!("tend.check-in.{patient_id}.{}", questionnaire.as_str())
}

fn load_draft(key: &str) -> Option<Draft> {
    serde_json::from_str(&crate::local_storage()?.get_item(key).ok()??).ok()
}

fn save_draft(key: &str, draft: &Draft) {
    if let (Some(s), Ok(json)) = (crate::local_storage(), serde_json::to_string(draft)) {
        let _ = s.set_item(key, &json);
    }
}

fn clear_draft(key: &str) {
    if let Some(s) = crate::local_storage() {
        let _ = s.remove_item(key);
    }
}

#[component]
fn FillCheckIn(patient_id: i64, questionnaire: QuestionnaireId) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let definition = StoredValue::new(questionnaire.definition());
    let count = definition.with_value(|d| d.items.len());
    let storage_key = StoredValue::new(draft_key(patient_id, questionnaire));
    let draft = RwSignal::new(
        storage_key
            .with_value(|k| load_draft(k))
            .unwrap_or_else(|| Draft {
                key: api::new_idempotency_key(),
                ..Draft::default()
            }),
    );
    let finished = RwSignal::new(false);
    Effect::new(move |_| {
        let current = draft.get();
        if !finished.get_untracked() {
            storage_key.with_value(|k| save_draft(k, &current));
        }
    });
    let step = Memo::new(move |_| draft.with(|d| d.step.min(count.saturating_sub(1))));
    let missing = RwSignal::new(false);
    let local_result = RwSignal::new(None::<Scored>);
    let team = LocalResource::new(move || api::care_team(patient_id));
    let outbox = use_outbox();
    // The key the answers went to the outbox with; where they are comes from it.
    let sent_key = RwSignal::new(None::<String>);
    // Closures, not memos: each memo type costs wasm, and these are cheap to run.
    let saved = move || {
        let key = sent_key.get()?;
        outbox.delivered().with(|log| {
            log.iter()
                .find(|d| d.key == key)
                .and_then(|d| serde_json::from_str::<ResponseView>(&d.answer).ok())
        })
    };
    let pending = move |waiting: bool| {
        sent_key.with(|key| {
            let key = key.as_deref()?;
            outbox.outbox().with(|o| {
                o.get(key)
                    .filter(|p| p.is_waiting() == waiting)
                    .map(|p| p.refused.clone())
            })
        })
    };
    // Filled in for the patient by someone else (a caregiver allowed to): said so, as everywhere.
    let session = use_session();
    let entered_for = move || {
        session.with(|s| {
            let view = s.view()?;
            let link = view.patients.iter().find(|p| p.id == patient_id)?;
            (link.relation != tend_model::Relation::Own)
                .then(|| (view.account.display_name.clone(), link.name.clone()))
        })
    };
    let entered_by_line = move || {
        let (me, patient) = entered_for()?;
        let who = saved().map_or(me, |view| view.entered_by);
        Some((t().check_in_entered_by)(&who, &patient))
    };
    let sending = move || sent_key.with(|k| k.as_deref().is_some_and(|k| outbox.is_sending(k)));
    let waiting = move || !sending() && pending(true).is_some();
    let refused = move || pending(false).flatten().map(ApiError::Problem);

    let send = move |scored: &Scored| {
        let request = ResponseRequest {
            questionnaire,
            answers: draft.with_untracked(|d| d.answers.clone()),
        };
        let key = draft.with_untracked(|d| d.key.clone());
        let title = definition.with_value(|d| d.title.clone());
        // The outbox keeps the answers from here on, until the server has them.
        finished.set(true);
        storage_key.with_value(|k| clear_draft(k));
        sent_key.set(Some(key.clone()));
        outbox.add(
            patient_id,
            title,
            Change::Response(request),
            key,
            Some((scored.total, scored.max)),
        );
    };
    let submit = move || {
        let scored = definition.with_value(|d| draft.with_untracked(|dr| d.score(&dr.answers)));
        match scored {
            Ok(scored) => {
                // Scored here first, so crisis resources show at once, even offline.
                send(&scored);
                local_result.set(Some(scored));
            }
            Err(AnswerError::Missing(keys)) => {
                let first = definition.with_value(|d| d.items.iter().position(|i| keys.contains(&i.key)));
                draft.update(|d| d.step = first.unwrap_or(0));
                missing.set(true);
            }
            Err(_) => missing.set(true),
        }
    };
    let on_next = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (required, answered) = definition.with_value(|d| {
            let item = &d.items[step.get_untracked()];
            (
                item.required,
                draft.with_untracked(|dr| dr.answers.contains_key(&item.key)),
            )
        });
        if required && !answered {
            missing.set(true);
            return;
        }
        missing.set(false);
        if step.get_untracked() + 1 < count {
            draft.update(|d| d.step += 1);
        } else {
            submit();
        }
    };
    let on_back = move |_| {
        missing.set(false);
        draft.update(|d| d.step = d.step.saturating_sub(1));
    };
    let on_select = Callback::new(move |value: u8| {
        let key = definition.with_value(|d| d.items[step.get_untracked()].key.clone());
        draft.update(|d| {
            d.answers.insert(key, value);
        });
        missing.set(false);
    });

    let title = move || definition.with_value(|d| d.title.get(lang.get()).to_owned());
    let question = move || {
        let index = step.get();
        let (item, stem) = definition.with_value(|d| (d.items[index].clone(), d.stem.clone()));
        let key = item.key.clone();
        let selected = Signal::derive(move || draft.with(|d| d.answers.get(&key).copied()));
        view! { <Question item=item stem=stem selected=selected missing=missing on_select=on_select /> }
    };
    let last_step = move || step.get() + 1 == count;

    let form = move || {
        view! {
            <form class="check-in-form" on:submit=on_next novalidate>
                <p id="question-progress" class="day-progress-label">
                    {move || (t().question_of)(step.get() + 1, count)}
                </p>
                <progress aria-labelledby="question-progress" max=count value=move || step.get() + 1></progress>
                {question}
                <div class="agenda-item-actions">
                    <button
                        type="button"
                        class="button secondary"
                        disabled=move || step.get() == 0
                        on:click=on_back
                    >
                        {move || t().back}
                    </button>
                    <button type="submit" class="button primary">
                        {move || if last_step() { t().submit } else { t().next }}
                    </button>
                </div>
                <p class="hint">{move || t().answers_kept}</p>
            </form>
        }
    };

    let result = move || {
        let scored = local_result.get()?;
        // Built from the phone's own scoring only, so the server's answer
        // does not rebuild (and re-announce) the crisis resources.
        let crisis = scored.shows_crisis_resources();
        let (total, max, band) = (scored.total, scored.max, scored.band);
        let escalations = scored.escalations.clone();
        let flagged = !escalations.is_empty();
        let contacts = move || {
            let members = team.get().and_then(Result::ok).unwrap_or_default();
            members
                .into_iter()
                .take(2)
                .map(|m| {
                    let href = format!("tel:{}", m.phone);
                    let role = m.role.clone();
                    view! {
                        <li>
                            <a class="button secondary" href=href>
                                {move || (t().call_person)(&m.name, role.get(lang.get()), &m.phone)}
                            </a>
                        </li>
                    }
                })
                .collect_view()
        };
        let next_steps = move || {
            let mut lines: Vec<&'static str> = escalations
                .iter()
                .filter_map(|e| match e {
                    Escalation::CrisisResources => None,
                    Escalation::SevereScore => Some(t().next_severe),
                    Escalation::CallCareTeamToday => Some(t().next_hf_yellow),
                    Escalation::HeartRedZone => Some(t().next_hf_red),
                    Escalation::SocialNeed(need) => Some((t().social_need)(*need)),
                    // Readings' escalations are shown on Today, where readings are entered.
                    Escalation::WeightGainDay
                    | Escalation::WeightGainWeek
                    | Escalation::VeryHighBloodPressure
                    | Escalation::LowGlucose => None,
                })
                .collect();
            if lines.is_empty() {
                lines.push(t().next_routine);
            }
            lines
                .into_iter()
                .map(|line| view! { <li>{line}</li> })
                .collect_view()
        };
        Some(view! {
            <Show when=move || crisis>
                <CrisisResources team_told=Signal::derive(move || saved().is_some()) />
            </Show>
            <h1>{move || t().result_title}</h1>
            <p class="lead">{title}</p>
            {move || entered_by_line().map(|line| view! { <p class="entered-by">{line}</p> })}
            <div class="card result" aria-live="polite">
                <p class="result-score">{move || (t().score_of)(total, max)}</p>
                <p class="result-band">{move || (t().band)(band)}</p>
            </div>
            <h2>{move || t().next_steps_title}</h2>
            <ul class="next-steps">{next_steps}</ul>
            <Show when=move || flagged>
                <p>{move || t().reach_sooner}</p>
                <ul class="contacts">{contacts}</ul>
            </Show>
            <p class="loading" role="status">
                {move || {
                    if sending() {
                        Some(t().submitting)
                    } else if waiting() {
                        Some(t().check_in_waiting)
                    } else {
                        None
                    }
                }}
            </p>
            {move || {
                refused()
                    .map(|error| {
                        view! {
                            <div class="notice error" role="alert">
                                <p>{move || (t().not_sent)(error.message(t()))}</p>
                                <button
                                    type="button"
                                    class="button primary"
                                    on:click=move |_| {
                                        if let Some(key) = sent_key.get_untracked() {
                                            outbox.retry(&key);
                                        }
                                    }
                                >
                                    {move || t().retry}
                                </button>
                            </div>
                        }
                    })
            }}
            {move || {
                saved()
                    .map(|view| {
                        view! { <p class="saved">{move || (t().saved_at)(&date_time(view.recorded_at, lang.get()))}</p> }
                    })
            }}
            <p>
                <A href=format!("/patients/{patient_id}/check-ins")>{move || t().back_to_check_ins}</A>
            </p>
        })
    };

    view! {
        <div class="page">
            <Show
                when=move || local_result.with(Option::is_some)
                fallback=move || {
                    view! {
                        <h1>{title}</h1>
                        {form}
                    }
                }
            >
                {result}
            </Show>
        </div>
    }
}
