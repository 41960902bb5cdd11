//! The care manager's plan forms: change an activity from a day on (words,
//! how often, times, a last day that stops it) and add a new one.

use chrono::{NaiveDate, Weekday};
use leptos::prelude::*;
use leptos::task::spawn_local;
use tend_model::{
    directions_for, parse_times, ActivityEdit, ActivityKind, GoalTarget, LocalizedText, Metric, NewActivity,
    NewGoal, PlanActivity, PlanGoal, Recurrence, Schedule, ADDABLE_KINDS, GOAL_MEASURES,
};

use crate::api::{self, ApiError};
use crate::components::CheckBox;
use crate::format::{browser_today, short_date};
use crate::i18n::{use_lang, use_texts, Texts};

/// The weekdays in the order a week is shown.
const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// How often, as the form's choice.
const REPEATS: [&str; 4] = ["daily", "weekly", "every", "as_needed"];

/// A text field whose value stays as typed.
pub(crate) fn text_field(
    input_id: String,
    label: Signal<String>,
    value: RwSignal<String>,
    mode: &'static str,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=input_id.clone()>{move || label.get()}</label>
            <input type="text" inputmode=mode id=input_id prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
        </div>
    }
}

/// A date field (`YYYY-MM-DD`, the browser's own picker).
pub(crate) fn date_field(
    input_id: String,
    label: fn(&Texts) -> &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    let t = use_texts();
    view! {
        <div class="field">
            <label for=input_id.clone()>{move || label(t())}</label>
            <input type="date" id=input_id prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
        </div>
    }
}

/// A field as its texts in a language: `title` and `instructions`, each in
/// English and Spanish.
#[derive(Clone, Copy)]
struct Words {
    title_en: RwSignal<String>,
    title_es: RwSignal<String>,
    steps_en: RwSignal<String>,
    steps_es: RwSignal<String>,
}

impl Words {
    fn new(title: &LocalizedText, steps: &LocalizedText) -> Self {
        Words {
            title_en: RwSignal::new(title.en.clone()),
            title_es: RwSignal::new(title.es.clone()),
            steps_en: RwSignal::new(steps.en.clone()),
            steps_es: RwSignal::new(steps.es.clone()),
        }
    }

    fn title(&self) -> LocalizedText {
        LocalizedText::new(self.title_en.get().trim(), self.title_es.get().trim())
    }

    fn steps(&self) -> LocalizedText {
        LocalizedText::new(self.steps_en.get().trim(), self.steps_es.get().trim())
    }

    fn fields(self, prefix: String) -> impl IntoView {
        let t = use_texts();
        let field = |name: &str, label: fn(&Texts) -> &'static str, value| {
            text_field(
                format!("{prefix}-{name}"),
                Signal::derive(move || label(t()).to_owned()),
                value,
                "text",
            )
        };
        view! {
            {field("title-en", |t| t.title_en, self.title_en)}
            {field("title-es", |t| t.title_es, self.title_es)}
            {field("steps-en", |t| t.instructions_en, self.steps_en)}
            {field("steps-es", |t| t.instructions_es, self.steps_es)}
        }
    }
}

/// A schedule as typed: how often, which days, every how many days, the
/// times and an optional last day. Everything stays as typed on a refusal.
#[derive(Clone, Copy)]
struct ScheduleForm {
    repeat: RwSignal<&'static str>,
    days: RwSignal<Vec<Weekday>>,
    every: RwSignal<String>,
    times: RwSignal<String>,
    last_day: RwSignal<String>,
}

impl ScheduleForm {
    fn new(schedule: Option<&Schedule>) -> Self {
        let (repeat, days, every, times): (&str, Vec<Weekday>, u32, &[chrono::NaiveTime]) =
            match schedule.map(|s| &s.recurrence) {
                Some(Recurrence::Weekly { days, times }) => ("weekly", days.clone(), 2, times),
                Some(Recurrence::EveryNDays { every, times }) => ("every", Vec::new(), *every, times),
                Some(Recurrence::AsNeeded) => ("as_needed", Vec::new(), 2, &[]),
                Some(Recurrence::Daily { times }) => ("daily", Vec::new(), 2, times),
                Some(Recurrence::Once { .. }) | None => ("daily", Vec::new(), 2, &[]),
            };
        let times = times
            .iter()
            .map(|t| t.format("%H:%M").to_string())
            .collect::<Vec<_>>()
            .join(", ");
        ScheduleForm {
            repeat: RwSignal::new(repeat),
            days: RwSignal::new(days),
            every: RwSignal::new(every.to_string()),
            times: RwSignal::new(times),
            last_day: RwSignal::new(
                schedule
                    .and_then(|s| s.end)
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
            ),
        }
    }

    /// The schedule from `start`, or what to say about the first thing wrong.
    fn schedule(&self, start: NaiveDate) -> Result<Schedule, fn(&Texts) -> &'static str> {
        let times = || {
            parse_times(&self.times.get())
                .map_err(|_| (|t: &Texts| t.err_edit_times) as fn(&Texts) -> &'static str)
        };
        let recurrence = match self.repeat.get() {
            "as_needed" => Recurrence::AsNeeded,
            "weekly" => {
                let mut days = self.days.get();
                if days.is_empty() {
                    return Err(|t| t.err_days);
                }
                days.sort_by_key(|d| d.num_days_from_monday());
                Recurrence::Weekly {
                    days,
                    times: times()?,
                }
            }
            "every" => match self.every.get().trim().parse::<u32>() {
                Ok(every @ 1..=365) => Recurrence::EveryNDays {
                    every,
                    times: times()?,
                },
                _ => return Err(|t| t.err_every),
            },
            _ => Recurrence::Daily { times: times()? },
        };
        let end = match self.last_day.get().trim() {
            "" => None,
            text => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(end) if end >= start => Some(end),
                _ => return Err(|t| t.err_last_day),
            },
        };
        Ok(Schedule {
            recurrence,
            start,
            end,
        })
    }

    fn fields(self, prefix: String) -> impl IntoView {
        let t = use_texts();
        let repeat = self.repeat;
        let options = REPEATS
            .into_iter()
            .map(|r| view! { <option value=r selected=move || repeat.get() == r>{move || (t().repeat_name)(r)}</option> })
            .collect_view();
        let days = self.days;
        let boxes = WEEK
            .into_iter()
            .enumerate()
            .map(|(i, day)| {
                view! {
                    <CheckBox
                        id=format!("{prefix}-day-{i}")
                        checked=Signal::derive(move || days.with(|d| d.contains(&day)))
                        on_toggle=Callback::new(move |on: bool| days.update(|d| {
                            d.retain(|x| *x != day);
                            if on {
                                d.push(day);
                            }
                        }))
                    >
                        <span>{move || t().weekdays[i]}</span>
                    </CheckBox>
                }
            })
            .collect_view();
        let every_label = Signal::derive(move || t().every_label.to_owned());
        let times_label = Signal::derive(move || t().times_label.to_owned());
        view! {
            <div class="field">
                <label for=format!("{prefix}-repeat")>{move || t().repeat_label}</label>
                <select id=format!("{prefix}-repeat") on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    repeat.set(REPEATS.into_iter().find(|r| *r == chosen).unwrap_or("daily"));
                }>
                    {options}
                </select>
            </div>
            <fieldset class="scopes days" class:hidden=move || repeat.get() != "weekly">
                <legend>{move || t().days_legend}</legend>
                {boxes}
            </fieldset>
            <div class:hidden=move || repeat.get() != "every">
                {text_field(format!("{prefix}-every"), every_label, self.every, "numeric")}
            </div>
            <div class:hidden=move || repeat.get() == "as_needed">
                {text_field(format!("{prefix}-times"), times_label, self.times, "text")}
            </div>
            {date_field(format!("{prefix}-last"), |t| t.last_day_label, self.last_day)}
        }
    }
}

fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// What to say about a refused change, by the field and code the server named.
fn refusal(error: &ApiError, t: &'static Texts) -> &'static str {
    let first = match error {
        ApiError::Problem(problem) => problem.errors.first(),
        _ => None,
    };
    let Some(first) = first else {
        return error.message(t);
    };
    match (first.field.as_str(), first.code.as_str()) {
        ("effective_from", "version_exists") => t.err_version_exists,
        ("effective_from", _) | ("schedule", "in_past") => t.err_edit_date,
        ("schedule", "ends_before_start") => t.err_last_day,
        ("schedule", "no_days") => t.err_days,
        ("schedule", "bad_interval") => t.err_every,
        ("schedule" | "times", _) => t.err_edit_times,
        ("title", _) => t.err_edit_title,
        ("metric", _) => t.err_metric,
        _ => error.message(t),
    }
}

/// One activity of the plan, changed from a day on: titles and instructions
/// in both languages, how often, its times, and a last day that stops it.
#[component]
pub fn EditActivity(patient_id: i64, activity: PlanActivity) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let open = RwSignal::new(false);
    let id = activity.activity_id;
    let words = Words::new(&activity.title, &activity.instructions);
    let schedule = ScheduleForm::new(activity.rule.as_ref());
    let from = RwSignal::new(iso(browser_today()));
    let error = RwSignal::new(None::<&'static str>);
    let saved = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let key = StoredValue::new(api::new_idempotency_key());
    let title = activity.title.clone();
    let heading = title.clone();
    let described = activity.schedule.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        let Ok(effective_from) = NaiveDate::parse_from_str(&from.get(), "%Y-%m-%d") else {
            error.set(Some(t().err_edit_date));
            return;
        };
        let schedule = match schedule.schedule(effective_from) {
            Ok(schedule) => schedule,
            Err(say) => {
                error.set(Some(say(t())));
                return;
            }
        };
        let edit = ActivityEdit {
            effective_from,
            title: words.title(),
            instructions: words.steps(),
            schedule,
        };
        error.set(None);
        saving.set(true);
        spawn_local(async move {
            let result = api::edit_activity(patient_id, id, &edit, &key.get_value()).await;
            saving.try_set(false);
            match result {
                Ok(version) => {
                    // The next change is another request.
                    key.set_value(api::new_idempotency_key());
                    saved.try_set(Some((t().edit_saved)(
                        version.version,
                        &short_date(version.effective_from, lang.get_untracked()),
                    )));
                }
                Err(e) => {
                    error.try_set(Some(refusal(&e, t())));
                }
            }
        });
    };
    let prefix = format!("edit-{id}");
    view! {
        <li class="card">
            <h3>{move || heading.get(lang.get()).to_owned()}</h3>
            <p class="hint">{move || described.get(lang.get()).to_owned()}</p>
            <button type="button" class="button secondary" aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
                {move || (t().edit_activity)(title.get(lang.get()))}
            </button>
            <Show when=move || open.get()>
                <form class="ack-form" on:submit=submit novalidate>
                    {words.fields(prefix.clone())}
                    {schedule.fields(prefix.clone())}
                    {date_field(format!("{prefix}-from"), |t| t.from_label, from)}
                    <p class="form-error" role="alert">{move || error.get()}</p>
                    <p class="form-ok" role="status">{move || saved.get()}</p>
                    <button type="submit" class="button primary" disabled=move || saving.get()>{move || t().save_edit}</button>
                </form>
            </Show>
        </li>
    }
}

/// A new activity for the plan: its kind (and what a measurement measures),
/// words in both languages, schedule, first day and the goal it serves.
#[component]
pub fn AddActivity(patient_id: i64, goals: Signal<Vec<PlanGoal>>, on_added: Callback<()>) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let open = RwSignal::new(false);
    let kind = RwSignal::new(ActivityKind::Medication);
    let metric = RwSignal::new(None::<Metric>);
    let goal = RwSignal::new(None::<i64>);
    let empty = LocalizedText::default();
    let words = Words::new(&empty, &empty);
    let schedule = ScheduleForm::new(None);
    let first = RwSignal::new(iso(browser_today()));
    let error = RwSignal::new(None::<&'static str>);
    let saved = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let key = StoredValue::new(api::new_idempotency_key());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        let Ok(start) = NaiveDate::parse_from_str(&first.get(), "%Y-%m-%d") else {
            error.set(Some(t().err_edit_date));
            return;
        };
        let schedule = match schedule.schedule(start) {
            Ok(schedule) => schedule,
            Err(say) => {
                error.set(Some(say(t())));
                return;
            }
        };
        let activity = NewActivity {
            kind: kind.get(),
            title: words.title(),
            instructions: words.steps(),
            schedule,
            metric: metric.get().filter(|_| kind.get() == ActivityKind::Measurement),
            goal_id: goal.get(),
        };
        // The same rules as the server's, said before anything is sent; the
        // patient's today is the server's to say (their zone may not be ours).
        if let Err(errors) = activity.check(NaiveDate::MIN) {
            error.set(Some(match errors[0].field.as_str() {
                "title" => t().err_edit_title,
                "metric" => t().err_metric,
                _ => t().err_edit_times,
            }));
            return;
        }
        error.set(None);
        saving.set(true);
        spawn_local(async move {
            let result = api::add_activity(patient_id, &activity, &key.get_value()).await;
            saving.try_set(false);
            match result {
                Ok(made) => {
                    key.set_value(api::new_idempotency_key());
                    for field in [words.title_en, words.title_es, words.steps_en, words.steps_es] {
                        field.try_set(String::new());
                    }
                    saved.try_set(Some((t().activity_added)(&short_date(
                        made.effective_from,
                        lang.get_untracked(),
                    ))));
                    on_added.run(());
                }
                Err(e) => {
                    error.try_set(Some(refusal(&e, t())));
                }
            }
        });
    };
    let kinds = move || {
        ADDABLE_KINDS
            .into_iter()
            .map(|k| view! { <option value=k.as_str() selected=move || kind.get() == k>{move || (t().kind)(k)}</option> })
            .collect_view()
    };
    let metrics = move || {
        Metric::ALL
            .into_iter()
            .map(|m| view! { <option value=m.as_str() selected=move || metric.get() == Some(m)>{move || (t().metric_name)(m)}</option> })
            .collect_view()
    };
    let goal_options = move || {
        goals.with(|goals| {
            goals
                .iter()
                .filter(|g| g.status == "active")
                .map(|g| {
                    let id = g.id;
                    let title = g.title.clone();
                    view! { <option value=id.to_string() selected=move || goal.get() == Some(id)>{move || title.get(lang.get()).to_owned()}</option> }
                })
                .collect_view()
        })
    };
    view! {
        <div class="card">
            <button type="button" class="button secondary" aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
                {move || t().add_activity}
            </button>
            <Show when=move || open.get()>
                <form class="ack-form" on:submit=submit novalidate>
                    <div class="field">
                        <label for="new-kind">{move || t().kind_label}</label>
                        <select id="new-kind" on:change=move |ev| {
                            let chosen = event_target_value(&ev);
                            kind.set(ActivityKind::parse(&chosen).unwrap_or(ActivityKind::Custom));
                        }>
                            {kinds}
                        </select>
                    </div>
                    <div class="field" class:hidden=move || kind.get() != ActivityKind::Measurement>
                        <label for="new-metric">{move || t().metric_label}</label>
                        <select id="new-metric" on:change=move |ev| metric.set(Metric::parse(&event_target_value(&ev)))>
                            <option value="" selected=move || metric.get().is_none()>{move || t().choose_one}</option>
                            {metrics}
                        </select>
                    </div>
                    {words.fields("new".to_owned())}
                    {schedule.fields("new".to_owned())}
                    {date_field("new-first".to_owned(), |t| t.first_day_label, first)}
                    <div class="field">
                        <label for="new-goal">{move || t().goal_label}</label>
                        <select id="new-goal" on:change=move |ev| goal.set(event_target_value(&ev).parse().ok())>
                            <option value="" selected=move || goal.get().is_none()>{move || t().no_goal}</option>
                            {goal_options}
                        </select>
                    </div>
                    <p class="form-error" role="alert">{move || error.get()}</p>
                    <p class="form-ok" role="status">{move || saved.get()}</p>
                    <button type="submit" class="button primary" disabled=move || saving.get()>{move || t().add_to_plan}</button>
                </form>
            </Show>
        </div>
    }
}

/// A new goal: its words in both languages, what it measures, the kind of
/// target that fits that measure, the numbers and when it is due.
#[component]
pub fn AddGoal(patient_id: i64, on_added: Callback<()>) -> impl IntoView {
    let t = use_texts();
    let open = RwSignal::new(false);
    let title_en = RwSignal::new(String::new());
    let title_es = RwSignal::new(String::new());
    let measure = RwSignal::new(GOAL_MEASURES[0].0);
    let direction = RwSignal::new(directions_for(GOAL_MEASURES[0].0)[0]);
    let value = RwSignal::new(String::new());
    let band = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let saved = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let key = StoredValue::new(api::new_idempotency_key());
    let unit = move || {
        GOAL_MEASURES
            .iter()
            .find(|(m, _)| *m == measure.get())
            .map(|(_, u)| *u)
            .unwrap_or_default()
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let number = |s: RwSignal<String>| s.get().trim().replace(',', ".").parse::<f64>().ok();
        let target = match direction.get() {
            "milestone" => Some(GoalTarget::Milestone),
            "per_week" => number(value).map(|value| GoalTarget::PerWeek { value }),
            "within" => number(value)
                .zip(number(band))
                .map(|(value, band)| GoalTarget::Within { value, band }),
            _ => number(value).map(|value| GoalTarget::Below { value }),
        };
        let Some(target) = target else {
            error.set(Some(t().err_goal_numbers));
            return;
        };
        let due_date = match due.get().trim() {
            "" => None,
            text => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    error.set(Some(t().err_edit_date));
                    return;
                }
            },
        };
        let goal = NewGoal {
            title: LocalizedText::new(title_en.get().trim(), title_es.get().trim()),
            measure: measure.get().to_owned(),
            target,
            due_date,
        };
        // The server's rules, said first; the patient's today is the server's.
        if let Err(errors) = goal.check(NaiveDate::MIN) {
            error.set(Some(goal_refusal(&errors[0].field, t())));
            return;
        }
        error.set(None);
        saving.set(true);
        spawn_local(async move {
            let result = api::add_goal(patient_id, &goal, &key.get_value()).await;
            saving.try_set(false);
            match result {
                Ok(_) => {
                    key.set_value(api::new_idempotency_key());
                    for field in [title_en, title_es, value, band, due] {
                        field.try_set(String::new());
                    }
                    saved.try_set(true);
                    on_added.run(());
                }
                Err(e) => {
                    let field = match &e {
                        ApiError::Problem(problem) => problem.errors.first().map(|f| f.field.clone()),
                        _ => None,
                    };
                    error.try_set(Some(match field {
                        Some(field) => goal_refusal(&field, t()),
                        None => e.message(t()),
                    }));
                }
            }
        });
    };
    let measures = move || {
        GOAL_MEASURES
            .into_iter()
            .map(|(m, _)| view! { <option value=m selected=move || measure.get() == m>{move || (t().goal_measure)(m)}</option> })
            .collect_view()
    };
    let directions = move || {
        directions_for(measure.get())
            .iter()
            .map(|&d| view! { <option value=d selected=move || direction.get() == d>{move || (t().direction_name)(d)}</option> })
            .collect_view()
    };
    let value_label = Signal::derive(move || (t().target_value)(unit()));
    let band_label = Signal::derive(move || (t().target_band)(unit()));
    let title_label = move |label: fn(&Texts) -> &'static str| Signal::derive(move || label(t()).to_owned());
    view! {
        <div class="card">
            <button type="button" class="button secondary" aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
                {move || t().add_goal}
            </button>
            <Show when=move || open.get()>
                <form class="ack-form" on:submit=submit novalidate>
                    {text_field("new-goal-title-en".to_owned(), title_label(|t| t.title_en), title_en, "text")}
                    {text_field("new-goal-title-es".to_owned(), title_label(|t| t.title_es), title_es, "text")}
                    <div class="field">
                        <label for="new-goal-measure">{move || t().metric_label}</label>
                        <select id="new-goal-measure" on:change=move |ev| {
                            let chosen = event_target_value(&ev);
                            let m = GOAL_MEASURES.iter().map(|(m, _)| *m).find(|m| *m == chosen).unwrap_or(GOAL_MEASURES[0].0);
                            measure.set(m);
                            direction.set(directions_for(m)[0]);
                        }>
                            {measures}
                        </select>
                    </div>
                    <div class="field">
                        <label for="new-goal-direction">{move || t().direction_label}</label>
                        <select id="new-goal-direction" on:change=move |ev| {
                            let chosen = event_target_value(&ev);
                            if let Some(d) = directions_for(measure.get()).iter().find(|d| **d == chosen) {
                                direction.set(d);
                            }
                        }>
                            {directions}
                        </select>
                    </div>
                    <div class:hidden=move || direction.get() == "milestone">
                        {text_field("new-goal-value".to_owned(), value_label, value, "decimal")}
                    </div>
                    <div class:hidden=move || direction.get() != "within">
                        {text_field("new-goal-band".to_owned(), band_label, band, "decimal")}
                    </div>
                    {date_field("new-goal-due".to_owned(), |t| t.due_label, due)}
                    <p class="form-error" role="alert">{move || error.get()}</p>
                    <p class="form-ok" role="status">{move || saved.get().then(|| t().goal_added)}</p>
                    <button type="submit" class="button primary" disabled=move || saving.get()>{move || t().set_goal}</button>
                </form>
            </Show>
        </div>
    }
}

/// What to say about a refused goal, by the field named.
fn goal_refusal(field: &str, t: &'static Texts) -> &'static str {
    match field {
        "title" => t.err_edit_title,
        "due_date" => t.err_edit_date,
        "measure" => t.err_metric,
        _ => t.err_goal_numbers,
    }
}
