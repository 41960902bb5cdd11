//! The demo data of DESIGN.md, seeded once into an empty or existing database.
//!
//! Dates are relative to the day of seeding, so "today" always has items and
//! the 60 days of history end yesterday. The generator is deterministic.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc, Weekday};
use chrono_tz::Tz;
use serde_json::json;
use tend_model::{
    ActivityKind, Answers, CareEventStatus, LocalizedText, Metric, NumberUnit, QuestionnaireId, Reading,
    Recurrence, Schedule, Scope, WeightUnit,
};

use super::{local_key, scopes_text, ts, Store, StoreResult, StoreTx};

/// Every demo account logs in with this password.
pub const DEMO_PASSWORD: &str = "tend-demo";

/// Small deterministic generator (xorshift), so demo history is the same on every machine.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// A number in [0, 1).
    fn roll(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

fn at(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid demo time")
}

fn text(en: &str, es: &str) -> String {
    serde_json::to_string(&LocalizedText::new(en, es)).expect("json")
}

struct Seeder<'a> {
    tx: &'a mut StoreTx,
    now: DateTime<Utc>,
    created_by: i64,
    dice: Dice,
}

/// Text in English and Spanish.
type Bilingual<'a> = (&'a str, &'a str);
/// Name, role, phone, hours, what to call them for.
type TeamMember<'a> = (&'a str, Bilingual<'a>, &'a str, Bilingual<'a>, Bilingual<'a>);
/// What a measurement measures, and the reading a done one records on day n of the history.
type ReadingOf = (Metric, fn(&mut Dice, i64) -> Reading);

/// One activity of a plan, as the seeder writes it.
struct PlanItem<'a> {
    kind: ActivityKind,
    title: (&'a str, &'a str),
    instructions: (&'a str, &'a str),
    schedule: Schedule,
    goal: Option<i64>,
    reading: Option<ReadingOf>,
    questionnaire: Option<QuestionnaireId>,
}

impl Seeder<'_> {
    async fn insert_id(&mut self, sql: &str, binds: Vec<serde_json::Value>) -> StoreResult<i64> {
        let mut query = sqlx::query(sql);
        for value in binds {
            query = match value {
                serde_json::Value::Null => query.bind(None::<String>),
                serde_json::Value::Number(n) if n.is_i64() => query.bind(n.as_i64()),
                serde_json::Value::Number(n) => query.bind(n.as_f64()),
                serde_json::Value::String(s) => query.bind(s),
                other => query.bind(other.to_string()),
            };
        }
        Ok(query.execute(self.tx.conn()).await?.last_insert_rowid())
    }

    async fn patient(&mut self, name: &str, birth: &str, language: &str, zone: &str) -> StoreResult<i64> {
        self.insert_id(
            "INSERT INTO patients (name, birth_date, language, timezone, created_at) VALUES (?, ?, ?, ?, ?)",
            vec![
                json!(name),
                json!(birth),
                json!(language),
                json!(zone),
                json!(ts(self.now)),
            ],
        )
        .await
    }

    async fn account(
        &mut self,
        username: &str,
        hash: &str,
        role: &str,
        display: &str,
        patient: Option<i64>,
    ) -> StoreResult<i64> {
        self.insert_id(
            "INSERT INTO accounts (username, password_hash, role, display_name, patient_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            vec![json!(username), json!(hash), json!(role), json!(display), json!(patient), json!(ts(self.now))],
        )
        .await
    }

    async fn assign(&mut self, care_manager: i64, patient: i64) -> StoreResult<()> {
        self.insert_id(
            "INSERT INTO care_assignments (care_manager_id, patient_id) VALUES (?, ?)",
            vec![json!(care_manager), json!(patient)],
        )
        .await
        .map(|_| ())
    }

    async fn grant(
        &mut self,
        patient: i64,
        caregiver: i64,
        scopes: &[Scope],
        expires: DateTime<Utc>,
        revoked: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        self.insert_id(
            "INSERT INTO grants (patient_id, caregiver_id, scopes, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)",
            vec![
                json!(patient),
                json!(caregiver),
                json!(scopes_text(scopes)),
                json!(ts(self.now - TimeDelta::days(30))),
                json!(ts(expires)),
                json!(revoked.map(ts)),
            ],
        )
        .await
        .map(|_| ())
    }

    async fn goal(
        &mut self,
        patient: i64,
        title: (&str, &str),
        metric: &str,
        target: serde_json::Value,
        (start, due): (NaiveDate, Option<NaiveDate>),
        proposed_by: i64,
    ) -> StoreResult<i64> {
        self.insert_id(
            "INSERT INTO goals (patient_id, title, metric, target, start_date, due_date, status, proposed_by, created_at)
             VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?)",
            vec![
                json!(patient),
                json!(text(title.0, title.1)),
                json!(metric),
                json!(target.to_string()),
                json!(start.to_string()),
                json!(due.map(|d| d.to_string())),
                json!(proposed_by),
                json!(ts(self.now)),
            ],
        )
        .await
    }

    async fn care_team(&mut self, patient: i64, members: &[TeamMember<'_>]) -> StoreResult<()> {
        for (position, (name, role, phone, hours, call_for)) in members.iter().enumerate() {
            self.insert_id(
                "INSERT INTO care_team_members (patient_id, name, role, phone, hours, call_for, position) VALUES (?, ?, ?, ?, ?, ?, ?)",
                vec![
                    json!(patient),
                    json!(name),
                    json!(text(role.0, role.1)),
                    json!(phone),
                    json!(text(hours.0, hours.1)),
                    json!(text(call_for.0, call_for.1)),
                    json!(position),
                ],
            )
            .await?;
        }
        Ok(())
    }

    async fn plan(
        &mut self,
        patient: i64,
        summary: (&str, &str),
        domains: serde_json::Value,
    ) -> StoreResult<()> {
        self.insert_id(
            "INSERT INTO care_plans (patient_id, summary, domains, status, updated_by, updated_at) VALUES (?, ?, ?, 'active', ?, ?)",
            vec![
                json!(patient),
                json!(text(summary.0, summary.1)),
                json!(domains.to_string()),
                json!(self.created_by),
                json!(ts(self.now)),
            ],
        )
        .await
        .map(|_| ())
    }

    /// Writes the activities and `history_days` of outcomes before `today`.
    #[allow(clippy::too_many_arguments)]
    async fn activities(
        &mut self,
        patient: i64,
        zone: Tz,
        today: NaiveDate,
        history_days: i64,
        items: Vec<PlanItem<'_>>,
        patient_account: i64,
        helper_account: Option<i64>,
    ) -> StoreResult<Vec<(String, i64)>> {
        const SKIP_REASONS: [&str; 4] = ["Felt sick", "Ran out", "Was away from home", "Forgot the meter"];
        let mut ids = Vec::new();
        for item in items {
            let activity = self
                .insert_id(
                    "INSERT INTO activities (patient_id, kind, created_at) VALUES (?, ?, ?)",
                    vec![json!(patient), json!(item.kind.as_str()), json!(ts(self.now))],
                )
                .await?;
            let version = self
                .insert_id(
                    "INSERT INTO activity_versions (activity_id, version, effective_from, title, instructions, goal_id, schedule, created_by, created_at, questionnaire, metric)
                     VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    vec![
                        json!(activity),
                        json!(item.schedule.start.to_string()),
                        json!(text(item.title.0, item.title.1)),
                        json!(text(item.instructions.0, item.instructions.1)),
                        json!(item.goal),
                        json!(serde_json::to_string(&item.schedule).expect("json")),
                        json!(self.created_by),
                        json!(ts(self.now)),
                        json!(item.questionnaire.map(|q| q.as_str())),
                        json!(item.reading.map(|(metric, _)| metric.as_str())),
                    ],
                )
                .await?;
            ids.push((item.title.0.to_owned(), activity));
            if let Some(questionnaire) = item.questionnaire {
                self.responses(
                    patient,
                    zone,
                    today,
                    history_days,
                    &item.schedule,
                    questionnaire,
                    patient_account,
                )
                .await?;
            }
            let first = today - TimeDelta::days(history_days);
            let Some(yesterday) = today.pred_opt() else {
                continue;
            };
            for slot in item.schedule.slots_between(first, yesterday) {
                let roll = self.dice.roll();
                let (status, reason) = if roll < 0.86 {
                    ("done", None)
                } else if roll < 0.93 {
                    ("skipped", Some(*self.dice.pick(&SKIP_REASONS)))
                } else {
                    continue; // missed: nothing recorded
                };
                let day = (slot.date() - first).num_days();
                let readings = match (&item.reading, status) {
                    (Some((_, value)), "done") => Some(json!([value(&mut self.dice, day)]).to_string()),
                    _ => None,
                };
                let entered_by = match helper_account {
                    Some(helper) if self.dice.roll() < 0.1 => helper,
                    _ => patient_account,
                };
                let minutes_late = (self.dice.next() % 50) as i64;
                let recorded = tend_model::schedule::resolve_local(zone, slot).with_timezone(&Utc)
                    + TimeDelta::minutes(minutes_late);
                self.insert_id(
                    "INSERT INTO outcomes (patient_id, activity_id, activity_version_id, scheduled_local, status, reason, readings, recorded_at, entered_by)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    vec![
                        json!(patient),
                        json!(activity),
                        json!(version),
                        json!(local_key(slot)),
                        json!(status),
                        json!(reason),
                        json!(readings),
                        json!(ts(recorded)),
                        json!(entered_by),
                    ],
                )
                .await?;
            }
        }
        Ok(ids)
    }
}

impl Seeder<'_> {
    /// A request about a goal, made `days_ago`, and decided a day later when
    /// its status is not open.
    #[allow(clippy::too_many_arguments)]
    async fn goal_request(
        &mut self,
        patient: i64,
        goal: i64,
        kind: &str,
        text: &str,
        (status, reason): (&str, Option<&str>),
        created_by: i64,
        days_ago: i64,
    ) -> StoreResult<()> {
        let made = self.now - TimeDelta::days(days_ago);
        let decided = (status != "open").then(|| ts(made + TimeDelta::days(1)));
        self.insert_id(
            "INSERT INTO goal_requests (patient_id, goal_id, kind, text, status, created_by, created_at, decided_by, decided_at, reason)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            vec![
                json!(patient),
                json!(goal),
                json!(kind),
                json!(text),
                json!(status),
                json!(created_by),
                json!(ts(made)),
                json!(decided.as_ref().map(|_| self.created_by)),
                json!(decided),
                json!(reason),
            ],
        )
        .await
        .map(|_| ())
    }

    /// The plan's transition of care (home after a hospital stay).
    async fn transition(&mut self, patient: i64, transition: serde_json::Value) -> StoreResult<()> {
        self.insert_id(
            "UPDATE care_plans SET transition = ? WHERE patient_id = ?",
            vec![json!(transition.to_string()), json!(patient)],
        )
        .await
        .map(|_| ())
    }

    /// Where an appointment is and what to bring; the lesson an education item opens.
    async fn details(
        &mut self,
        activity: i64,
        place: Option<Bilingual<'_>>,
        bring: Option<Bilingual<'_>>,
        lesson: Option<&str>,
    ) -> StoreResult<()> {
        self.insert_id(
            "UPDATE activity_versions SET place = ?, bring = ?, lesson = ? WHERE activity_id = ?",
            vec![
                json!(place.map(|(en, es)| text(en, es))),
                json!(bring.map(|(en, es)| text(en, es))),
                json!(lesson),
                json!(activity),
            ],
        )
        .await
        .map(|_| ())
    }

    /// The steps an appointment or referral has reached, `days_ago` each.
    async fn steps(
        &mut self,
        activity: i64,
        steps: &[(CareEventStatus, i64, Option<Bilingual<'_>>)],
    ) -> StoreResult<()> {
        for (status, days_ago, note) in steps {
            self.insert_id(
                "INSERT INTO care_event_steps (activity_id, status, at, note, recorded_by) VALUES (?, ?, ?, ?, ?)",
                vec![
                    json!(activity),
                    json!(status.as_str()),
                    json!(ts(self.now - TimeDelta::days(*days_ago) - TimeDelta::hours(2))),
                    json!(note.map(|(en, es)| text(en, es))),
                    json!(self.created_by),
                ],
            )
            .await?;
        }
        Ok(())
    }
}

impl Seeder<'_> {
    /// Past check-ins at each due date, slowly improving, scored by the model.
    #[allow(clippy::too_many_arguments)]
    async fn responses(
        &mut self,
        patient: i64,
        zone: Tz,
        today: NaiveDate,
        history_days: i64,
        schedule: &Schedule,
        questionnaire: QuestionnaireId,
        entered_by: i64,
    ) -> StoreResult<()> {
        let definition = questionnaire.definition();
        let Some(yesterday) = today.pred_opt() else {
            return Ok(());
        };
        let slots = schedule.slots_between(today - TimeDelta::days(history_days), yesterday);
        let count = slots.len();
        for (n, slot) in slots.into_iter().enumerate() {
            // The latest one, if it came due in the last days, is left for the patient: due now.
            if n + 1 == count && (today - slot.date()).num_days() <= 3 {
                break;
            }
            // Mild and getting better; item 9 always 0 in the demo history.
            let target = 11u8.saturating_sub((n * 6 / count.max(1)) as u8);
            let mut left = target;
            let mut answers = Answers::new();
            for item in definition.items.iter().filter(|i| i.required) {
                let value = match questionnaire {
                    QuestionnaireId::Phq9 | QuestionnaireId::Gad7 if item.key != "phq9_9" => {
                        left.min(1 + (self.dice.next() % 2) as u8)
                    }
                    // Transport was the one need the screen found; the ride program followed.
                    QuestionnaireId::SocialNeeds if item.key == "sn_transport" => 1,
                    _ => 0,
                };
                answers.insert(item.key.clone(), value);
                left = left.saturating_sub(value);
            }
            let Ok(scored) = definition.score(&answers) else {
                continue;
            };
            let recorded = tend_model::schedule::resolve_local(zone, slot).with_timezone(&Utc)
                + TimeDelta::minutes((self.dice.next() % 240) as i64);
            self.insert_id(
                "INSERT INTO responses (patient_id, questionnaire, answers, total, band, escalations, entered_by, recorded_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                vec![
                    json!(patient),
                    json!(questionnaire.as_str()),
                    json!(serde_json::to_string(&answers).expect("json")),
                    json!(scored.total),
                    json!(super::serde_name(&scored.band)),
                    json!(serde_json::to_string(&scored.escalations).expect("json")),
                    json!(entered_by),
                    json!(ts(recorded)),
                ],
            )
            .await?;
        }
        Ok(())
    }
}

// Day-to-day changes stay under the escalation thresholds: the demo history raises no flags.
fn weight_lb(dice: &mut Dice, day: i64) -> Reading {
    let trend = 180.2 - day as f64 * 0.04;
    Reading::Weight {
        value: ((trend + dice.roll() * 1.2 - 0.6) * 10.0).round() / 10.0,
        unit: WeightUnit::Lb,
    }
}
fn walk_minutes(dice: &mut Dice, _day: i64) -> Reading {
    Reading::ActivityMinutes {
        minutes: 15 + (dice.next() % 16) as u16,
    }
}
fn glucose(dice: &mut Dice, _day: i64) -> Reading {
    Reading::Glucose {
        mg_dl: 105 + (dice.next() % 45) as u16,
    }
}
fn blood_pressure(dice: &mut Dice, _day: i64) -> Reading {
    Reading::BloodPressure {
        systolic: 124 + (dice.next() % 20) as u16,
        diastolic: 74 + (dice.next() % 14) as u16,
    }
}
fn peak_flow(dice: &mut Dice, day: i64) -> Reading {
    Reading::Number {
        value: f64::from(270 + day as u32 * 8 + (dice.next() % 30) as u32),
        unit: NumberUnit::LitersPerMinute,
    }
}
fn oxygen(dice: &mut Dice, _day: i64) -> Reading {
    Reading::Spo2 {
        percent: 90 + (dice.next() % 6) as u8,
    }
}

fn today_in(zone: Tz, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&zone).date_naive()
}

fn on(date: NaiveDate, time: NaiveTime) -> NaiveDateTime {
    date.and_time(time)
}

impl Store {
    /// Seeds the demo data unless it is there already. `hash` is the argon2id
    /// hash of [`DEMO_PASSWORD`]. Returns whether anything was written.
    pub async fn seed_demo(&self, now: DateTime<Utc>, hash: &str) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let seeded: Option<String> =
            sqlx::query_scalar("SELECT value FROM meta WHERE key = 'demo_seeded_at'")
                .fetch_optional(tx.conn())
                .await?;
        if seeded.is_some() {
            return Ok(false);
        }
        sqlx::query("INSERT INTO meta (key, value) VALUES ('demo_seeded_at', ?)")
            .bind(ts(now))
            .execute(tx.conn())
            .await?;

        let mut s = Seeder {
            tx: &mut tx,
            now,
            created_by: 0,
            dice: Dice(0x7e4d_5eed_2026_0001),
        };

        let dana = s
            .account("dana", hash, "care_manager", "Dana Whitfield RN", None)
            .await?;
        s.created_by = dana;

        // Maria Santos, 67: type 2 diabetes and heart failure.
        let chicago: Tz = chrono_tz::America::Chicago;
        let today = today_in(chicago, now);
        let maria_p = s
            .patient("Maria Santos", "1959-03-14", "es", "America/Chicago")
            .await?;
        let maria = s
            .account("maria", hash, "patient", "Maria", Some(maria_p))
            .await?;
        let ana = s.account("ana", hash, "caregiver", "Ana", None).await?;
        let luis = s.account("luis", hash, "caregiver", "Luis", None).await?;
        s.assign(dana, maria_p).await?;
        s.grant(
            maria_p,
            ana,
            &[
                Scope::PlanGoals,
                Scope::Reminders,
                Scope::Measurements,
                Scope::RecordOnBehalf,
            ],
            now + TimeDelta::days(90),
            None,
        )
        .await?;
        s.grant(
            maria_p,
            luis,
            &[Scope::PlanGoals, Scope::Reminders],
            now + TimeDelta::days(60),
            Some(now - TimeDelta::days(2)),
        )
        .await?;
        s.plan(
            maria_p,
            (
                "Keep your blood sugar and your heart failure steady at home, so you feel strong enough to dance at your granddaughter's quinceañera in June.",
                "Mantener estables el azúcar en la sangre y la insuficiencia cardíaca en casa, para sentirse con fuerzas para bailar en la quinceañera de su nieta en junio.",
            ),
            json!({
                "medical": {"en": "Diabetes and heart failure: medicines on time, daily weight, sugar and blood pressure checks.", "es": "Diabetes e insuficiencia cardíaca: medicinas a tiempo, peso diario, control de azúcar y presión."},
                "behavioural": {"en": "Mood check-ins every two weeks; worry check-in every month.", "es": "Revisión del ánimo cada dos semanas; revisión de preocupaciones cada mes."},
                "functional": {"en": "Walk 20 minutes five days a week to build strength.", "es": "Caminar 20 minutos cinco días a la semana para ganar fuerza."},
                "social": {"en": "Rides to appointments through the ride program; Ana helps at home.", "es": "Transporte a las citas por el programa de traslados; Ana ayuda en casa."}
            }),
        )
        .await?;
        let start = today - TimeDelta::days(60);
        let a1c = s
            .goal(
                maria_p,
                ("A1c below 7.5 %", "A1c por debajo de 7.5 %"),
                "a1c",
                json!({"direction": "below", "value": 7.5, "unit": "%"}),
                (start, Some(today + TimeDelta::days(120))),
                dana,
            )
            .await?;
        let weight_goal = s
            .goal(
                maria_p,
                ("Weight within 2 lb of 176 lb", "Peso a no más de 2 lb de 176 lb"),
                "weight",
                json!({"direction": "within", "value": 176, "band": 2, "unit": "lb"}),
                (start, None),
                dana,
            )
            .await?;
        let walk_goal = s
            .goal(
                maria_p,
                ("Walk 150 minutes a week", "Caminar 150 minutos a la semana"),
                "activity_minutes",
                json!({"direction": "per_week", "value": 150, "unit": "min"}),
                (start, None),
                dana,
            )
            .await?;
        s.goal_request(
            maria_p,
            walk_goal,
            "change",
            "Could the walk be 100 minutes a week while my knee is sore?",
            (
                "declined",
                Some("Dr. Ruiz would like to keep 150 minutes: shorter walks count too, so three 10-minute walks make 30. Let's look at your knee at the next visit."),
            ),
            maria,
            12,
        )
        .await?;
        s.goal_request(
            maria_p,
            weight_goal,
            "comment",
            "The new scale at home reads about 1 lb more than the old one.",
            ("accepted", None),
            maria,
            20,
        )
        .await?;
        let june =
            NaiveDate::from_ymd_opt(today.year() + i32::from(today.month() > 6), 6, 20).unwrap_or(today);
        s.goal(
            maria_p,
            (
                "Dance at my granddaughter's quinceañera in June",
                "Bailar en la quinceañera de mi nieta en junio",
            ),
            "what_matters",
            json!({"direction": "milestone"}),
            (start, Some(june)),
            maria,
        )
        .await?;
        s.care_team(
            maria_p,
            &[
                (
                    "Dana Whitfield RN",
                    ("Care manager", "Gestora de cuidados"),
                    "+1-312-555-0140",
                    ("Mon–Fri 8 AM–5 PM", "lun–vie 8 a. m.–5 p. m."),
                    (
                        "Questions about your plan, medicines or how you feel",
                        "Preguntas sobre su plan, medicinas o cómo se siente",
                    ),
                ),
                (
                    "Dr. Elena Ruiz",
                    ("Primary care doctor", "Médica de cabecera"),
                    "+1-312-555-0102",
                    ("Mon–Fri 9 AM–4 PM", "lun–vie 9 a. m.–4 p. m."),
                    ("New symptoms, prescriptions", "Síntomas nuevos, recetas"),
                ),
                (
                    "Dr. Raj Patel",
                    ("Cardiologist", "Cardiólogo"),
                    "+1-312-555-0177",
                    ("Tue and Thu 8 AM–3 PM", "mar y jue 8 a. m.–3 p. m."),
                    (
                        "Heart failure, swelling, breathlessness",
                        "Insuficiencia cardíaca, hinchazón, falta de aire",
                    ),
                ),
                (
                    "Nurse advice line",
                    ("24-hour nurse line", "Línea de enfermería 24 horas"),
                    "+1-312-555-0199",
                    ("Every day, 24 hours", "Todos los días, 24 horas"),
                    (
                        "After hours, when you are not sure what to do",
                        "Fuera de horario, cuando no sepa qué hacer",
                    ),
                ),
            ],
        )
        .await?;
        let weekdays = vec![
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ];
        let maria_items = vec![
            PlanItem { kind: ActivityKind::Medication, title: ("Metformin 500 mg", "Metformina 500 mg"), instructions: ("Take 1 tablet with breakfast and 1 with dinner.", "Tome 1 tableta con el desayuno y 1 con la cena."), schedule: Schedule::new(Recurrence::Daily { times: vec![at(8, 0), at(20, 0)] }, start), goal: Some(a1c), reading: None, questionnaire: None },
            PlanItem { kind: ActivityKind::Medication, title: ("Furosemide 40 mg", "Furosemida 40 mg"), instructions: ("Take 1 tablet in the morning. It makes you pass more urine, so take it early.", "Tome 1 tableta en la mañana. Le hace orinar más, así que tómela temprano."), schedule: Schedule::new(Recurrence::Daily { times: vec![at(8, 0)] }, start), goal: Some(weight_goal), reading: None, questionnaire: None },
            PlanItem { kind: ActivityKind::Measurement, title: ("Weigh yourself", "Pésese"), instructions: ("After using the bathroom and before breakfast, on the same scale, in light clothes.", "Después de ir al baño y antes del desayuno, en la misma báscula, con ropa ligera."), schedule: Schedule::new(Recurrence::Daily { times: vec![at(7, 30)] }, start), goal: Some(weight_goal), reading: Some((Metric::Weight, weight_lb)), questionnaire: None },
            PlanItem { kind: ActivityKind::Measurement, title: ("Fasting blood sugar", "Azúcar en ayunas"), instructions: ("Check before eating or drinking anything but water.", "Mídala antes de comer o beber algo que no sea agua."), schedule: Schedule::new(Recurrence::Daily { times: vec![at(7, 0)] }, start), goal: Some(a1c), reading: Some((Metric::Glucose, glucose)), questionnaire: None },
            PlanItem { kind: ActivityKind::Measurement, title: ("Blood pressure", "Presión arterial"), instructions: ("Sit quietly for 5 minutes first, with your arm at heart level.", "Siéntese tranquila 5 minutos antes, con el brazo a la altura del corazón."), schedule: Schedule::new(Recurrence::Weekly { days: vec![Weekday::Mon, Weekday::Wed, Weekday::Fri], times: vec![at(8, 30)] }, start), goal: None, reading: Some((Metric::BloodPressure, blood_pressure)), questionnaire: None },
            PlanItem { kind: ActivityKind::Exercise, title: ("20-minute walk", "Caminata de 20 minutos"), instructions: ("An easy pace where you can still talk. Stop and rest if you feel short of breath.", "A un paso cómodo en el que aún pueda hablar. Deténgase y descanse si le falta el aire."), schedule: Schedule::new(Recurrence::Weekly { days: weekdays.clone(), times: vec![at(16, 0)] }, start), goal: Some(walk_goal), reading: Some((Metric::ActivityMinutes, walk_minutes)), questionnaire: None },
            PlanItem { kind: ActivityKind::Questionnaire, title: ("Mood check-in (PHQ-9)", "Revisión del ánimo (PHQ-9)"), instructions: ("Nine short questions about the last two weeks.", "Nueve preguntas cortas sobre las últimas dos semanas."), schedule: Schedule::new(Recurrence::EveryNDays { every: 14, times: vec![at(10, 0)] }, start + TimeDelta::days(3)), goal: None, reading: None, questionnaire: Some(QuestionnaireId::Phq9) },
            PlanItem { kind: ActivityKind::Questionnaire, title: ("Worry check-in (GAD-7)", "Revisión de preocupaciones (GAD-7)"), instructions: ("Seven short questions about the last two weeks.", "Siete preguntas cortas sobre las últimas dos semanas."), schedule: Schedule::new(Recurrence::EveryNDays { every: 30, times: vec![at(10, 0)] }, start + TimeDelta::days(5)), goal: None, reading: None, questionnaire: Some(QuestionnaireId::Gad7) },
            PlanItem { kind: ActivityKind::Questionnaire, title: ("Heart symptom check", "Revisión de síntomas del corazón"), instructions: ("Five quick questions about breathing, swelling, sleep, dizziness and weight.", "Cinco preguntas rápidas sobre respiración, hinchazón, sueño, mareo y peso."), schedule: Schedule::new(Recurrence::Weekly { days: vec![Weekday::Mon, Weekday::Thu], times: vec![at(9, 30)] }, start), goal: Some(weight_goal), reading: None, questionnaire: Some(QuestionnaireId::HfSymptoms) },
            PlanItem { kind: ActivityKind::Questionnaire, title: ("Everyday needs screen", "Revisión de necesidades diarias"), instructions: ("Housing, food, transport, utilities and safety: so your care team can help.", "Vivienda, comida, transporte, servicios y seguridad: para que su equipo pueda ayudarle."), schedule: Schedule::new(Recurrence::EveryNDays { every: 90, times: vec![at(11, 0)] }, start + TimeDelta::days(2)), goal: None, reading: None, questionnaire: Some(QuestionnaireId::SocialNeeds) },
            PlanItem { kind: ActivityKind::Education, title: ("Lesson: eating with less salt", "Lección: comer con menos sal"), instructions: ("A 5-minute read on finding hidden salt in food labels.", "Una lectura de 5 minutos sobre la sal escondida en las etiquetas."), schedule: Schedule::new(Recurrence::Once { at: on(today + TimeDelta::days(1), at(11, 0)) }, today), goal: Some(weight_goal), reading: None, questionnaire: None },
            PlanItem { kind: ActivityKind::Education, title: ("Lesson: checking your weight daily", "Lección: pesarse todos los días"), instructions: ("Why your weight tells your care team so much, and when to call.", "Por qué su peso dice tanto a su equipo de cuidado, y cuándo llamar."), schedule: Schedule::new(Recurrence::Once { at: on(today + TimeDelta::days(2), at(11, 0)) }, today), goal: Some(weight_goal), reading: None, questionnaire: None },
            PlanItem { kind: ActivityKind::Education, title: ("Lesson: low blood sugar", "Lección: azúcar baja"), instructions: ("The signs, and the rule of 15 to bring it back up.", "Las señales, y la regla de 15 para subirla."), schedule: Schedule::new(Recurrence::Once { at: on(today + TimeDelta::days(4), at(11, 0)) }, today), goal: Some(a1c), reading: None, questionnaire: None },
            PlanItem { kind: ActivityKind::Appointment, title: ("Cardiology visit with Dr. Patel", "Cita de cardiología con el Dr. Patel"), instructions: ("Dr. Patel checks how your heart is doing and whether your medicines need a change.", "El Dr. Patel revisa cómo está su corazón y si hay que cambiar sus medicinas."), schedule: Schedule::new(Recurrence::Once { at: on(today + TimeDelta::days(12), at(10, 30)) }, today), goal: None, reading: None, questionnaire: None },
            PlanItem { kind: ActivityKind::Referral, title: ("Diabetes education class", "Clase de educación sobre la diabetes"), instructions: ("Referral sent by Dr. Ruiz: a 2-hour class on food, medicines and checking your sugar.", "Referido enviado por la Dra. Ruiz: una clase de 2 horas sobre comida, medicinas y cómo medir el azúcar."), schedule: Schedule::new(Recurrence::Once { at: on(today + TimeDelta::days(20), at(14, 0)) }, today), goal: Some(a1c), reading: None, questionnaire: None },
            PlanItem { kind: ActivityKind::Referral, title: ("Ride program for appointments", "Programa de traslados a citas"), instructions: ("Call 2 days before an appointment to book a free ride.", "Llame 2 días antes de una cita para reservar un traslado gratis."), schedule: Schedule::new(Recurrence::AsNeeded, start), goal: None, reading: None, questionnaire: None },
        ];
        let maria_ids = s
            .activities(maria_p, chicago, today, 60, maria_items, maria, Some(ana))
            .await?;
        let id = |ids: &[(String, i64)], title: &str| {
            ids.iter()
                .find(|(t, _)| t == title)
                .map(|(_, id)| *id)
                .ok_or_else(|| sqlx::Error::Protocol(format!("no demo activity {title}")))
        };
        for (title, lesson) in [
            ("Lesson: eating with less salt", "low-salt"),
            ("Lesson: checking your weight daily", "daily-weight"),
            ("Lesson: low blood sugar", "low-blood-sugar"),
        ] {
            s.details(id(&maria_ids, title)?, None, None, Some(lesson))
                .await?;
        }
        let cardiology = id(&maria_ids, "Cardiology visit with Dr. Patel")?;
        s.details(
            cardiology,
            Some((
                "Heart Center, 2nd floor, 1200 W. Harrison St.",
                "Centro del Corazón, 2.º piso, 1200 W. Harrison St.",
            )),
            Some((
                "Your weight log and all your medicine bottles",
                "Su registro de peso y todos sus frascos de medicina",
            )),
            None,
        )
        .await?;
        s.steps(
            cardiology,
            &[
                (CareEventStatus::Ordered, 20, None),
                (CareEventStatus::Scheduled, 6, None),
            ],
        )
        .await?;
        let class = id(&maria_ids, "Diabetes education class")?;
        s.details(
            class,
            Some((
                "Community Health Center, room 4",
                "Centro de Salud Comunitario, sala 4",
            )),
            Some((
                "Your glucose meter and your log",
                "Su medidor de azúcar y su registro",
            )),
            None,
        )
        .await?;
        s.steps(
            class,
            &[
                (CareEventStatus::Ordered, 10, None),
                (CareEventStatus::Scheduled, 3, None),
            ],
        )
        .await?;
        s.steps(
            id(&maria_ids, "Ride program for appointments")?,
            &[
                (CareEventStatus::Ordered, 40, None),
                (CareEventStatus::Scheduled, 36, None),
                (
                    CareEventStatus::Attended,
                    30,
                    Some((
                        "Signed up at the community center.",
                        "Inscrita en el centro comunitario.",
                    )),
                ),
                (
                    CareEventStatus::Closed,
                    28,
                    Some((
                        "Enrolled: call 2 days before a visit to book a ride.",
                        "Inscrita: llame 2 días antes de una cita para reservar un traslado.",
                    )),
                ),
            ],
        )
        .await?;

        // James Okafor, 58: COPD, discharged from hospital 3 days ago.
        let new_york: Tz = chrono_tz::America::New_York;
        let today_ny = today_in(new_york, now);
        let discharged = today_ny - TimeDelta::days(3);
        let james_p = s
            .patient("James Okafor", "1968-07-02", "en", "America/New_York")
            .await?;
        let james = s
            .account("james", hash, "patient", "James", Some(james_p))
            .await?;
        s.assign(dana, james_p).await?;
        s.plan(
            james_p,
            ("Your first 30 days home after the hospital: breathe easier, see your doctor within 7 days, and know the warning signs.", "Sus primeros 30 días en casa después del hospital: respirar mejor, ver a su médico en 7 días y conocer las señales de alarma."),
            json!({
                "medical": {"en": "COPD: daily inhaler, a short course of prednisone, breathing checks twice a day.", "es": "EPOC: inhalador diario, un ciclo corto de prednisona, control de la respiración dos veces al día."},
                "behavioural": {"en": "Stay smoke-free; support line available.", "es": "Sin fumar; línea de apoyo disponible."},
                "functional": {"en": "Short walks at home, building up slowly.", "es": "Caminatas cortas en casa, aumentando poco a poco."},
                "social": {"en": "Pharmacy delivery set up for refills.", "es": "Entrega de farmacia para las recetas."}
            }),
        )
        .await?;
        s.care_team(
            james_p,
            &[
                (
                    "Dana Whitfield RN",
                    ("Care manager", "Gestora de cuidados"),
                    "+1-212-555-0140",
                    ("Mon–Fri 8 AM–5 PM", "lun–vie 8 a. m.–5 p. m."),
                    (
                        "Questions after your hospital stay",
                        "Preguntas después de su estancia en el hospital",
                    ),
                ),
                (
                    "Dr. Michael Chen",
                    ("Lung doctor", "Neumólogo"),
                    "+1-212-555-0123",
                    ("Mon–Fri 9 AM–5 PM", "lun–vie 9 a. m.–5 p. m."),
                    (
                        "Breathing that is worse than usual",
                        "Respiración peor que de costumbre",
                    ),
                ),
            ],
        )
        .await?;
        let transition = today_ny + TimeDelta::days(27);
        let james_items = vec![
            PlanItem { kind: ActivityKind::Medication, title: ("Tiotropium inhaler", "Inhalador de tiotropio"), instructions: ("2 puffs once a day, every day, even when you feel well.", "2 inhalaciones una vez al día, todos los días, aunque se sienta bien."), schedule: Schedule::new(Recurrence::Daily { times: vec![at(9, 0)] }, discharged), goal: None, reading: None, questionnaire: None },
            PlanItem { kind: ActivityKind::Medication, title: ("Prednisone 40 mg", "Prednisona 40 mg"), instructions: ("1 tablet with breakfast for 5 days, then stop.", "1 tableta con el desayuno durante 5 días y luego deje de tomarla."), schedule: Schedule::new(Recurrence::Daily { times: vec![at(8, 0)] }, discharged).until(discharged + TimeDelta::days(4)), goal: None, reading: None, questionnaire: None },
            PlanItem { kind: ActivityKind::Medication, title: ("Albuterol rescue inhaler", "Inhalador de rescate de albuterol"), instructions: ("2 puffs when short of breath. Call if you need it more than 4 times a day.", "2 inhalaciones si le falta el aire. Llame si lo necesita más de 4 veces al día."), schedule: Schedule::new(Recurrence::AsNeeded, discharged), goal: None, reading: None, questionnaire: None },
            PlanItem { kind: ActivityKind::Measurement, title: ("Oxygen level", "Nivel de oxígeno"), instructions: ("Use the finger meter at rest for 1 minute.", "Use el medidor de dedo en reposo durante 1 minuto."), schedule: Schedule::new(Recurrence::Daily { times: vec![at(10, 0), at(18, 0)] }, discharged).until(transition), goal: None, reading: Some((Metric::Spo2, oxygen)), questionnaire: None },
            PlanItem { kind: ActivityKind::Measurement, title: ("Peak flow", "Flujo máximo"), instructions: ("Standing, 3 blows into the meter: enter the best one.", "De pie, sople 3 veces en el medidor: anote la mejor."), schedule: Schedule::new(Recurrence::Daily { times: vec![at(8, 30)] }, discharged).until(transition), goal: None, reading: Some((Metric::Number(NumberUnit::LitersPerMinute), peak_flow)), questionnaire: None },
            PlanItem { kind: ActivityKind::Appointment, title: ("Follow-up visit with Dr. Chen", "Visita de seguimiento con el Dr. Chen"), instructions: ("Within 7 days of leaving the hospital: Dr. Chen checks your breathing and your medicines.", "Dentro de los 7 días después del hospital: el Dr. Chen revisa su respiración y sus medicinas."), schedule: Schedule::new(Recurrence::Once { at: on(discharged + TimeDelta::days(6), at(10, 30)) }, discharged), goal: None, reading: None, questionnaire: None },
            PlanItem { kind: ActivityKind::Appointment, title: ("Medicine review with the pharmacist", "Revisión de medicinas con el farmacéutico"), instructions: ("The pharmacist goes over every medicine with you: what it is for and when to take it.", "El farmacéutico repasa con usted cada medicina: para qué es y cuándo tomarla."), schedule: Schedule::new(Recurrence::Once { at: on(today_ny, at(14, 0)) }, discharged), goal: None, reading: None, questionnaire: None },
            PlanItem { kind: ActivityKind::Education, title: ("Warning signs: when to call", "Señales de alarma: cuándo llamar"), instructions: ("Call Dr. Chen if you are more short of breath, cough up more or colored mucus, or have a fever. Call 911 if you cannot catch your breath or your lips turn blue.", "Llame al Dr. Chen si le falta más el aire, tiene más flema o de color, o fiebre. Llame al 911 si no puede respirar o sus labios se ponen azules."), schedule: Schedule::new(Recurrence::Daily { times: vec![at(12, 0)] }, discharged).until(transition), goal: None, reading: None, questionnaire: None },
            PlanItem { kind: ActivityKind::Education, title: ("Lesson: using your inhaler", "Lección: cómo usar su inhalador"), instructions: ("Step by step, with a spacer, so more medicine reaches your lungs.", "Paso a paso, con cámara espaciadora, para que llegue más medicina a sus pulmones."), schedule: Schedule::new(Recurrence::Once { at: on(today_ny, at(11, 0)) }, discharged), goal: None, reading: None, questionnaire: None },
        ];
        let james_ids = s
            .activities(james_p, new_york, today_ny, 3, james_items, james, None)
            .await?;
        s.details(
            id(&james_ids, "Lesson: using your inhaler")?,
            None,
            None,
            Some("inhaler"),
        )
        .await?;
        let follow_up = id(&james_ids, "Follow-up visit with Dr. Chen")?;
        s.details(
            follow_up,
            Some((
                "Riverside Lung Clinic, 3rd floor, 455 Riverside Dr.",
                "Clínica Pulmonar Riverside, 3.er piso, 455 Riverside Dr.",
            )),
            Some((
                "Your discharge papers and all your inhalers",
                "Sus papeles del alta y todos sus inhaladores",
            )),
            None,
        )
        .await?;
        s.steps(
            follow_up,
            &[
                (CareEventStatus::Ordered, 3, None),
                (CareEventStatus::Scheduled, 2, None),
            ],
        )
        .await?;
        let review = id(&james_ids, "Medicine review with the pharmacist")?;
        s.details(
            review,
            Some((
                "By phone: the pharmacist calls you",
                "Por teléfono: el farmacéutico le llama",
            )),
            Some((
                "All your medicine bottles, next to the phone",
                "Todos sus frascos de medicina, junto al teléfono",
            )),
            None,
        )
        .await?;
        s.steps(review, &[(CareEventStatus::Ordered, 3, None)]).await?;
        let warning_signs = id(&james_ids, "Warning signs: when to call")?;
        s.transition(
            james_p,
            json!({
                "discharged_on": discharged.to_string(),
                "days": 30,
                "checklist": [
                    {"activity_id": follow_up, "due_on": (discharged + TimeDelta::days(7)).to_string()},
                    {"activity_id": review, "due_on": (discharged + TimeDelta::days(3)).to_string()},
                    {"activity_id": warning_signs, "due_on": (discharged + TimeDelta::days(1)).to_string()},
                ],
                "warning_signs": [
                    {"en": "More short of breath than usual, or at rest", "es": "Más falta de aire de lo normal, o en reposo"},
                    {"en": "More mucus, or mucus that is yellow, green or bloody", "es": "Más flema, o flema amarilla, verde o con sangre"},
                    {"en": "A fever of 100.4 °F or more", "es": "Fiebre de 100.4 °F o más"},
                    {"en": "Needing the rescue inhaler more than 4 times a day", "es": "Necesitar el inhalador de rescate más de 4 veces al día"},
                    {"en": "Lips or fingertips turning blue or gray: call 911", "es": "Labios o uñas azules o grises: llame al 911"},
                ],
            }),
        )
        .await?;

        // Dana's panel: 40 generated patients with two weeks of history each.
        const FIRST: [&str; 20] = [
            "Alma", "Bruce", "Carmen", "Dmitri", "Esther", "Felix", "Gloria", "Hector", "Irene", "Jamal",
            "Keiko", "Lorenzo", "Mae", "Nasser", "Olga", "Pedro", "Quinn", "Rosa", "Samuel", "Tanya",
        ];
        const LAST: [&str; 10] = [
            "Alvarez", "Brooks", "Castillo", "Dubois", "Estrada", "Fischer", "Garcia", "Hughes", "Ibrahim",
            "Jensen",
        ];
        const ZONES: [&str; 4] = [
            "America/Chicago",
            "America/New_York",
            "America/Denver",
            "America/Los_Angeles",
        ];
        for n in 0..40usize {
            let name = format!(
                "{} {}",
                FIRST[n % FIRST.len()],
                LAST[(n * 7 + n / 20) % LAST.len()]
            );
            let zone_name = ZONES[n % ZONES.len()];
            let zone: Tz = zone_name.parse().unwrap_or(chicago);
            let year = 1940 + (n * 3) % 45;
            let birth = format!("{year}-{:02}-{:02}", 1 + n % 12, 1 + (n * 5) % 28);
            let language = if n % 3 == 0 { "es" } else { "en" };
            let p = s.patient(&name, &birth, language, zone_name).await?;
            let first_name = FIRST[n % FIRST.len()];
            let account = s
                .account(
                    &format!("patient{:02}", n + 1),
                    hash,
                    "patient",
                    first_name,
                    Some(p),
                )
                .await?;
            s.assign(dana, p).await?;
            let local_today = today_in(zone, now);
            let from = local_today - TimeDelta::days(14);
            let items = vec![
                PlanItem {
                    kind: ActivityKind::Medication,
                    title: ("Lisinopril 10 mg", "Lisinopril 10 mg"),
                    instructions: ("1 tablet every morning.", "1 tableta cada mañana."),
                    schedule: Schedule::new(
                        Recurrence::Daily {
                            times: vec![at(8, 0)],
                        },
                        from,
                    ),
                    goal: None,
                    reading: None,
                    questionnaire: None,
                },
                PlanItem {
                    kind: ActivityKind::Measurement,
                    title: ("Weigh yourself", "Pésese"),
                    instructions: ("Before breakfast.", "Antes del desayuno."),
                    schedule: Schedule::new(
                        Recurrence::Daily {
                            times: vec![at(7, 30)],
                        },
                        from,
                    ),
                    goal: None,
                    reading: Some((Metric::Weight, weight_lb)),
                    questionnaire: None,
                },
            ];
            s.activities(p, zone, local_today, 14, items, account, None)
                .await?;
        }

        tx.commit().await?;
        Ok(true)
    }
}
