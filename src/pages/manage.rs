use crate::router::use_navigate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tend_model::{
    goal::EDITABLE_STATUSES, CareEvent, CareEventStatus, CareEventUpdate, Decision, DecisionRequest,
    FlagAcknowledgement, FlagView, GoalEdit, GoalRequestView, GoalTarget, GoalView, LocalizedText,
    PreviewAccount, RequestKind, RequestStatus, Role,
};

use crate::api;
use crate::components::PatientNav;
use crate::format::date_time;
use crate::i18n::{use_lang, use_texts};
use crate::pages::plan_edit::{date_field, text_field, AddActivity, AddGoal, EditActivity};
use crate::pages::{loaded, patient_page};
use crate::session::{may_see_check_ins, use_session, use_set_session, SessionState};

/// The care manager's page of one patient: open flags to acknowledge, and
/// previews of the app as the patient and each caregiver see it.
#[component]
pub fn ManagePage() -> impl IntoView {
    patient_page(|p| view! { <Manage patient_id=p /> })
}

#[component]
fn Manage(patient_id: i64) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let session = use_session();
    let name = move || {
        session.with(|s| {
            s.view()
                .and_then(|v| v.patients.iter().find(|p| p.id == patient_id))
                .map(|p| p.name.clone())
                .unwrap_or_default()
        })
    };
    let flags = LocalResource::new(move || api::flags(patient_id));
    let accounts = LocalResource::new(move || api::preview_accounts(patient_id));
    let requests = LocalResource::new(move || api::goal_requests(patient_id));
    let visits = LocalResource::new(move || api::appointments(patient_id));
    let plan = LocalResource::new(move || api::plan(patient_id));
    let goals = LocalResource::new(move || api::goals(patient_id));
    let refetch = Callback::new(move |()| flags.refetch());
    let refetch_requests = Callback::new(move |()| requests.refetch());
    let refetch_visits = Callback::new(move |()| visits.refetch());
    let refetch_plan = Callback::new(move |()| plan.refetch());
    let plan_goals = Signal::derive(move || {
        plan.get()
            .and_then(Result::ok)
            .map(|view| view.goals)
            .unwrap_or_default()
    });
    let refetch_goals = Callback::new(move |()| {
        goals.refetch();
        plan.refetch();
    });
    let acknowledged = move |f: FlagView| {
        let (detail, at) = (f.detail, f.raised_at);
        let by = f.acknowledged_by.unwrap_or_default();
        let when = f.acknowledged_at;
        let note = f.acknowledgement_note.unwrap_or_default();
        view! {
            <li class="card">
                <p><strong>{detail}</strong></p>
                <p class="hint">{move || (t().flag_raised)(&date_time(at, lang.get()))}</p>
                <p>{move || (t().ack_by)(&by, &when.map(|w| date_time(w, lang.get())).unwrap_or_default())}</p>
                <p>{note}</p>
            </li>
        }
    };
    view! {
        <div class="page">
            <PatientNav patient_id=patient_id show_check_ins=may_see_check_ins(session, patient_id) />
            <h1>{name}</h1>
            <p class="lead">{move || t().manage_intro}</p>
            <section aria-labelledby="flags-heading">
                <h2 id="flags-heading">{move || t().flags_title}</h2>
                {loaded(flags, move |list| {
                    let (open, done): (Vec<FlagView>, Vec<FlagView>) = list
                        .into_iter()
                        .filter(|f| f.superseded_at.is_none())
                        .partition(|f| f.acknowledged_at.is_none());
                    let any_done = !done.is_empty();
                    view! {
                        {cards_or(
                            open.into_iter().map(|f| view! { <OpenFlag patient_id=patient_id flag=f on_done=refetch /> }).collect(),
                            |t| t.flags_none,
                        )}
                        {any_done.then(|| view! {
                            <h2>{move || t().acknowledged_title}</h2>
                            <ul class="plan-list">{done.into_iter().map(acknowledged).collect_view()}</ul>
                        })}
                    }
                })}
            </section>
            <section aria-labelledby="requests-heading">
                <h2 id="requests-heading">{move || t().requests_title}</h2>
                {loaded(requests, move |list| cards_or(
                    list.into_iter()
                        .filter(|r| r.status == RequestStatus::Open)
                        .map(|r| view! { <PendingRequest patient_id=patient_id request=r on_done=refetch_requests /> }).collect(),
                    |t| t.requests_none,
                ))}
            </section>
            <section aria-labelledby="visits-heading">
                <h2 id="visits-heading">{move || t().visits_title}</h2>
                {loaded(visits, move |list| cards_or(
                    list.into_iter()
                        .filter(|e| e.is_open())
                        .map(|e| view! { <OpenVisit patient_id=patient_id event=e on_done=refetch_visits /> }).collect(),
                    |t| t.visits_none,
                ))}
            </section>
            <section aria-labelledby="plan-edit-heading">
                <h2 id="plan-edit-heading">{move || t().plan_edit_title}</h2>
                <p>{move || t().plan_edit_intro}</p>
                // Outside the list, so what was added and its confirmation
                // stay while the list is read again.
                <AddActivity patient_id=patient_id goals=plan_goals on_added=refetch_plan />
                {loaded(plan, move |view| cards_or(
                    view.activities
                        .into_iter()
                        .filter(|a| a.rule.as_ref().is_some_and(|r| r.once_at().is_none()))
                        .map(|a| view! { <EditActivity patient_id=patient_id activity=a /> }).collect(),
                    |t| t.activities_none,
                ))}
            </section>
            <section aria-labelledby="goals-edit-heading">
                <h2 id="goals-edit-heading">{move || t().goals_edit_title}</h2>
                <AddGoal patient_id=patient_id on_added=refetch_goals />
                {loaded(goals, move |list| cards_or(
                    list.into_iter()
                        .filter(|g| g.status != "proposed")
                        .map(|g| view! { <EditGoal patient_id=patient_id goal=g /> }).collect(),
                    |t| t.goals_none,
                ))}
            </section>
            <section class="card" aria-labelledby="preview-heading">
                <h2 id="preview-heading">{move || t().preview_title}</h2>
                <p>{move || t().preview_intro}</p>
                {loaded(accounts, move |list| view! {
                    <ul class="preview-list">
                        {list
                            .into_iter()
                            .map(|a| view! { <PreviewChoice patient_id=patient_id account=a /> })
                            .collect_view()}
                    </ul>
                })}
            </section>
        </div>
    }
}

/// A list of cards, or a sentence when there are none.
fn cards_or<V: IntoView + 'static>(cards: Vec<V>, empty: fn(&crate::i18n::Texts) -> &'static str) -> AnyView {
    if cards.is_empty() {
        let t = use_texts();
        view! { <p>{move || empty(t())}</p> }.into_any()
    } else {
        view! { <ul class="plan-list">{cards.collect_view()}</ul> }.into_any()
    }
}

/// An open flag with the form that acknowledges it; what was typed stays
/// when the server refuses it.
#[component]
fn OpenFlag(patient_id: i64, flag: FlagView, on_done: Callback<()>) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let saving = RwSignal::new(false);
    // One key for this acknowledgement, however often it is sent.
    let key = StoredValue::new(api::new_idempotency_key());
    let (id, urgency, raised) = (flag.id, flag.urgency, flag.raised_at);
    let detail = StoredValue::new(flag.detail);
    let field_id = format!("ack-{id}");
    let error_id = format!("ack-{id}-error");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = FlagAcknowledgement { note: note.get() };
        if request.check().is_err() {
            error.set(Some(t().err_ack_note));
            return;
        }
        error.set(None);
        saving.set(true);
        spawn_local(async move {
            let result = api::acknowledge_flag(patient_id, id, &request, &key.get_value()).await;
            saving.try_set(false);
            match result {
                Ok(_) => on_done.run(()),
                Err(e) => {
                    error.try_set(Some(e.message(t())));
                }
            }
        });
    };
    view! {
        <li class="card flag" class:is-urgent=urgency == tend_model::Urgency::Urgent>
            <p>
                <span class=format!("badge urgency-{}", urgency as u8)>{move || (t().urgency)(urgency)}</span>
                " "
                <strong>{detail.get_value()}</strong>
            </p>
            <p class="hint">{move || (t().flag_raised)(&date_time(raised, lang.get()))}</p>
            <form class="ack-form" on:submit=submit novalidate>
                <div class="field">
                    <label for=field_id.clone()>{move || (t().ack_note_label)(&detail.get_value())}</label>
                    <textarea
                        id=field_id
                        rows="3"
                        aria-invalid=move || error.get().map(|_| "true")
                        aria-describedby=error_id.clone()
                        prop:value=move || note.get()
                        on:input=move |ev| note.set(event_target_value(&ev))
                    ></textarea>
                </div>
                <p id=error_id class="form-error" role="alert">{move || error.get()}</p>
                <button type="submit" class="button primary" disabled=move || saving.get()>
                    {move || t().ack_button}
                </button>
            </form>
        </li>
    }
}

/// "View as Maria": the same app, answered by the server as Maria.
#[component]
fn PreviewChoice(patient_id: i64, account: PreviewAccount) -> impl IntoView {
    let t = use_texts();
    let set_session = use_set_session();
    let navigate = use_navigate();
    let error = RwSignal::new(None::<&'static str>);
    let name = account.name.clone();
    let scopes = account.scopes.clone();
    let is_caregiver = account.role == Role::Caregiver;
    let id = account.account_id;
    let start = move |_| {
        let navigate = navigate.clone();
        api::set_previewing(Some(id));
        spawn_local(async move {
            match api::current_session().await {
                Ok(Some(view)) if view.preview.is_some() => {
                    set_session.set(SessionState::LoggedIn(view));
                    navigate(&format!("/patients/{patient_id}/today"), Default::default());
                }
                Ok(_) => {
                    api::set_previewing(None);
                    error.try_set(Some(t().err_forbidden));
                }
                Err(e) => {
                    api::set_previewing(None);
                    error.try_set(Some(e.message(t())));
                }
            }
        });
    };
    view! {
        <li>
            <button type="button" class="button secondary" on:click=start>
                {move || (t().preview_as)(&name)}
            </button>
            {is_caregiver.then(|| {
                let what = move || {
                    scopes.iter().map(|s| (t().scope_short)(*s)).collect::<Vec<_>>().join(", ")
                };
                view! { <p class="hint">{move || (t().preview_sees)(&what())}</p> }
            })}
            <p class="form-error" role="alert">{move || error.get()}</p>
        </li>
    }
}

/// A request waiting for the care manager: accept it (a comment is marked
/// read), or decline it with a reason the patient will see.
#[component]
fn PendingRequest(patient_id: i64, request: GoalRequestView, on_done: Callback<()>) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let saving = RwSignal::new(false);
    // One key per decision made on this card, reused by its retries.
    let key = StoredValue::new(api::new_idempotency_key());
    let id = request.id;
    let kind = request.kind;
    let goal = request.goal_title.clone();
    let (text, who, at) = (
        request.text.clone(),
        request.created_by.clone(),
        request.created_at,
    );
    let field_id = format!("decline-{id}");
    let error_id = format!("decline-{id}-error");
    let decide = move |decision: Decision| {
        let reason_text = reason.get();
        if decision == Decision::Decline && reason_text.trim().is_empty() {
            error.set(Some(t().err_decline_reason));
            return;
        }
        error.set(None);
        saving.set(true);
        let body = DecisionRequest {
            decision,
            reason: (decision == Decision::Decline).then_some(reason_text),
        };
        spawn_local(async move {
            let result = api::decide_request(patient_id, id, &body, &key.get_value()).await;
            saving.try_set(false);
            match result {
                Ok(_) => on_done.run(()),
                Err(e) => {
                    // Another decision is another request: a new key for it.
                    key.set_value(api::new_idempotency_key());
                    error.try_set(Some(e.message(t())));
                }
            }
        });
    };
    view! {
        <li class="card">
            <h3>
                {move || (t().request_heading)(kind, goal.as_ref().map(|g| g.get(lang.get())).unwrap_or_default())}
            </h3>
            <p>{text}</p>
            <p class="hint">{move || (t().request_from)(&who, &date_time(at, lang.get()))}</p>
            {(kind != RequestKind::Comment).then(|| view! {
                <div class="field ack-form">
                    <label for=field_id.clone()>{move || t().decline_reason_label}</label>
                    <textarea
                        id=field_id.clone()
                        rows="2"
                        aria-invalid=move || error.get().map(|_| "true")
                        aria-describedby=error_id.clone()
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))
                    ></textarea>
                </div>
            })}
            <p id=format!("decline-{id}-error") class="form-error" role="alert">{move || error.get()}</p>
            <div class="settings-actions">
                <button type="button" class="button primary" disabled=move || saving.get() on:click=move |_| decide(Decision::Accept)>
                    {move || if kind == RequestKind::Comment { t().decide_read } else { t().decide_accept }}
                </button>
                {(kind != RequestKind::Comment).then(|| view! {
                    <button type="button" class="button secondary" disabled=move || saving.get() on:click=move |_| decide(Decision::Decline)>
                        {move || t().decide_decline}
                    </button>
                })}
            </div>
        </li>
    }
}

/// An open visit or referral, moved one step on (never back) with an
/// optional note.
#[component]
fn OpenVisit(patient_id: i64, event: CareEvent, on_done: Callback<()>) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let saving = RwSignal::new(false);
    let key = StoredValue::new(api::new_idempotency_key());
    let id = event.activity_id;
    let now = event.status();
    let next = CareEventStatus::ALL.into_iter().find(|s| *s > now);
    let title = event.title.clone();
    let field_id = format!("visit-{id}-note");
    let move_on = move |_| {
        let Some(status) = next else { return };
        let text = note.get();
        let update = CareEventUpdate {
            status,
            note: (!text.trim().is_empty()).then_some(text),
        };
        error.set(None);
        saving.set(true);
        spawn_local(async move {
            let result = api::update_care_event(patient_id, id, &update, &key.get_value()).await;
            saving.try_set(false);
            match result {
                Ok(_) => on_done.run(()),
                Err(e) => {
                    error.try_set(Some(e.message(t())));
                }
            }
        });
    };
    view! {
        <li class="card">
            <h3>{move || (t().visit_status)(title.get(lang.get()), (t().care_event_status)(now))}</h3>
            {next.map(|status| view! {
                <div class="field ack-form">
                    <label for=field_id.clone()>{move || t().visit_note_label}</label>
                    <textarea
                        id=field_id.clone()
                        rows="2"
                        prop:value=move || note.get()
                        on:input=move |ev| note.set(event_target_value(&ev))
                    ></textarea>
                </div>
                <p class="form-error" role="alert">{move || error.get()}</p>
                <button type="button" class="button primary" disabled=move || saving.get() on:click=move_on>
                    {move || (t().visit_move)((t().care_event_status)(status))}
                </button>
            })}
        </li>
    }
}

/// One goal: its words in both languages, its numbers, due date and status.
#[component]
fn EditGoal(patient_id: i64, goal: GoalView) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let open = RwSignal::new(false);
    let id = goal.id;
    let target = goal.target;
    let unit = StoredValue::new(goal.unit.clone());
    let (first, second) = match target {
        GoalTarget::Below { value } | GoalTarget::PerWeek { value } => (Some(value), None),
        GoalTarget::Within { value, band } => (Some(value), Some(band)),
        GoalTarget::Milestone => (None, None),
    };
    let title_en = RwSignal::new(goal.title.en.clone());
    let title_es = RwSignal::new(goal.title.es.clone());
    let value = RwSignal::new(first.map(|v| v.to_string()).unwrap_or_default());
    let band = RwSignal::new(second.map(|v| v.to_string()).unwrap_or_default());
    let due = RwSignal::new(
        goal.due_date
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
    );
    let status = RwSignal::new(goal.status.clone());
    let error = RwSignal::new(None::<&'static str>);
    let saved = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let key = StoredValue::new(api::new_idempotency_key());
    let title = goal.title.clone();
    let heading = goal.title.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let number = |s: RwSignal<String>| s.get().trim().replace(',', ".").parse::<f64>().ok();
        let new_target = match target {
            GoalTarget::Below { .. } => number(value).map(|value| GoalTarget::Below { value }),
            GoalTarget::PerWeek { .. } => number(value).map(|value| GoalTarget::PerWeek { value }),
            GoalTarget::Within { .. } => number(value)
                .zip(number(band))
                .map(|(value, band)| GoalTarget::Within { value, band }),
            GoalTarget::Milestone => Some(GoalTarget::Milestone),
        };
        let Some(new_target) = new_target else {
            error.set(Some(t().err_goal_numbers));
            return;
        };
        let due_text = due.get();
        let due_date = match due_text.trim() {
            "" => None,
            text => match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    error.set(Some(t().err_invalid));
                    return;
                }
            },
        };
        let edit = GoalEdit {
            title: LocalizedText::new(title_en.get().trim(), title_es.get().trim()),
            target: new_target,
            due_date,
            status: status.get(),
        };
        if let Err(errors) = edit.check(&target) {
            error.set(Some(match errors[0].field.as_str() {
                "title" => t().err_edit_title,
                _ => t().err_goal_numbers,
            }));
            return;
        }
        error.set(None);
        saving.set(true);
        spawn_local(async move {
            let result = api::edit_goal(patient_id, id, &edit, &key.get_value()).await;
            saving.try_set(false);
            match result {
                Ok(_) => {
                    key.set_value(api::new_idempotency_key());
                    saved.try_set(true);
                }
                Err(e) => {
                    error.try_set(Some(e.message(t())));
                }
            }
        });
    };
    let text_field =
        move |name: &'static str, label: Signal<String>, value: RwSignal<String>, mode: &'static str| {
            text_field(format!("goal-{id}-{name}"), label, value, mode)
        };
    let statuses = move || {
        EDITABLE_STATUSES
            .into_iter()
            .map(|s| view! { <option value=s selected=move || status.get() == s>{move || (t().goal_status)(s)}</option> })
            .collect_view()
    };
    view! {
        <li class="card">
            <h3>{move || heading.get(lang.get()).to_owned()}</h3>
            <button type="button" class="button secondary" aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
                {move || (t().edit_goal)(title.get(lang.get()))}
            </button>
            <Show when=move || open.get()>
                <form class="ack-form" on:submit=submit novalidate>
                    {text_field("title-en", Signal::derive(move || t().title_en.to_owned()), title_en, "text")}
                    {text_field("title-es", Signal::derive(move || t().title_es.to_owned()), title_es, "text")}
                    {first.is_some().then(|| text_field("value", Signal::derive(move || (t().target_value)(&unit.get_value())), value, "decimal"))}
                    {second.is_some().then(|| text_field("band", Signal::derive(move || (t().target_band)(&unit.get_value())), band, "decimal"))}
                    {date_field(format!("goal-{id}-due"), |t| t.due_label, due)}
                    <div class="field">
                        <label for=format!("goal-{id}-status")>{move || t().status_label}</label>
                        <select id=format!("goal-{id}-status") on:change=move |ev| status.set(event_target_value(&ev))>
                            {statuses}
                        </select>
                    </div>
                    <p class="form-error" role="alert">{move || error.get()}</p>
                    <p class="form-ok" role="status">{move || saved.get().then(|| t().goal_saved)}</p>
                    <button type="submit" class="button primary" disabled=move || saving.get()>{move || t().save_edit}</button>
                </form>
            </Show>
        </li>
    }
}
