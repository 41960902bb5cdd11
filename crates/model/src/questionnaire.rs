//! The self-assessments Tend ships, their scoring and severity bands.
//!
//! Definitions live here so the app can show and score a check-in offline and
//! the server can re-score what it receives; the server never trusts a score
//! sent by a client.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::text::LocalizedText;

/// A questionnaire that ships with Tend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuestionnaireId {
    Phq9,
    Gad7,
    HfSymptoms,
    SocialNeeds,
}

impl QuestionnaireId {
    pub const ALL: [QuestionnaireId; 4] = [
        QuestionnaireId::Phq9,
        QuestionnaireId::Gad7,
        QuestionnaireId::HfSymptoms,
        QuestionnaireId::SocialNeeds,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionnaireId::Phq9 => "phq9",
            QuestionnaireId::Gad7 => "gad7",
            QuestionnaireId::HfSymptoms => "hf_symptoms",
            QuestionnaireId::SocialNeeds => "social_needs",
        }
    }

    pub fn parse(s: &str) -> Option<QuestionnaireId> {
        QuestionnaireId::ALL.into_iter().find(|q| q.as_str() == s)
    }

    /// Whether the answers are mental-health answers, private unless shared.
    pub fn is_mental_health(self) -> bool {
        matches!(self, QuestionnaireId::Phq9 | QuestionnaireId::Gad7)
    }

    pub fn definition(self) -> Questionnaire {
        match self {
            QuestionnaireId::Phq9 => phq9(),
            QuestionnaireId::Gad7 => gad7(),
            QuestionnaireId::HfSymptoms => hf_symptoms(),
            QuestionnaireId::SocialNeeds => social_needs(),
        }
    }
}

/// One answer a person can pick, with the value it scores.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerOption {
    pub value: u8,
    pub label: LocalizedText,
}

/// One question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Item {
    /// Stable key of the item, e.g. `phq9_9`.
    pub key: String,
    pub text: LocalizedText,
    pub options: Vec<AnswerOption>,
    /// Whether an answer is required and counts towards the score.
    pub required: bool,
}

/// A questionnaire as people see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Questionnaire {
    pub id: QuestionnaireId,
    pub title: LocalizedText,
    /// The stem every item answers, e.g. "Over the last 2 weeks…".
    pub stem: LocalizedText,
    pub items: Vec<Item>,
    /// The highest total score.
    pub max_score: u8,
}

fn t(en: &str, es: &str) -> LocalizedText {
    LocalizedText::new(en, es)
}

fn frequency_options() -> Vec<AnswerOption> {
    [
        ("Not at all", "Ningún día"),
        ("Several days", "Varios días"),
        ("More than half the days", "Más de la mitad de los días"),
        ("Nearly every day", "Casi todos los días"),
    ]
    .into_iter()
    .enumerate()
    .map(|(value, (en, es))| AnswerOption {
        value: value as u8,
        label: t(en, es),
    })
    .collect()
}

fn options(labels: &[(&str, &str)]) -> Vec<AnswerOption> {
    labels
        .iter()
        .enumerate()
        .map(|(value, (en, es))| AnswerOption {
            value: value as u8,
            label: t(en, es),
        })
        .collect()
}

fn items(prefix: &str, texts: &[(&str, &str)], options: impl Fn() -> Vec<AnswerOption>) -> Vec<Item> {
    texts
        .iter()
        .enumerate()
        .map(|(i, (en, es))| Item {
            key: format!("{prefix}_{}", i + 1),
            text: t(en, es),
            options: options(),
            required: true,
        })
        .collect()
}

/// PHQ-9 in its published English wording and the Spanish version for the USA.
fn phq9() -> Questionnaire {
    let mut items = items(
        "phq9",
        &[
            ("Little interest or pleasure in doing things", "Poco interés o placer en hacer cosas"),
            ("Feeling down, depressed, or hopeless", "Se ha sentido decaído(a), deprimido(a) o sin esperanzas"),
            (
                "Trouble falling or staying asleep, or sleeping too much",
                "Ha tenido dificultad para quedarse o permanecer dormido(a), o ha dormido demasiado",
            ),
            ("Feeling tired or having little energy", "Se ha sentido cansado(a) o con poca energía"),
            ("Poor appetite or overeating", "Sin apetito o ha comido en exceso"),
            (
                "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
                "Se ha sentido mal con usted mismo(a) — o que es un fracaso o que ha quedado mal con usted mismo(a) o con su familia",
            ),
            (
                "Trouble concentrating on things, such as reading the newspaper or watching television",
                "Ha tenido dificultad para concentrarse en ciertas actividades, tales como leer el periódico o ver la televisión",
            ),
            (
                "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual",
                "¿Se ha movido o hablado tan lento que otras personas podrían haberlo notado? o lo contrario — muy inquieto(a) o agitado(a) que ha estado moviéndose mucho más de lo normal",
            ),
            (
                "Thoughts that you would be better off dead or of hurting yourself in some way",
                "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera",
            ),
        ],
        frequency_options,
    );
    items.push(Item {
        key: "phq9_difficulty".into(),
        text: t(
            "If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?",
            "Si marcó cualquiera de los problemas, ¿qué tanta dificultad le han dado estos problemas para hacer su trabajo, encargarse de las tareas del hogar, o llevarse bien con otras personas?",
        ),
        options: options(&[
            ("Not difficult at all", "No ha sido difícil"),
            ("Somewhat difficult", "Un poco difícil"),
            ("Very difficult", "Muy difícil"),
            ("Extremely difficult", "Extremadamente difícil"),
        ]),
        required: false,
    });
    Questionnaire {
        id: QuestionnaireId::Phq9,
        title: t("Mood check-in (PHQ-9)", "Revisión del ánimo (PHQ-9)"),
        stem: t(
            "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
            "Durante las últimas 2 semanas, ¿qué tan seguido le han afectado cualquiera de los siguientes problemas?",
        ),
        items,
        max_score: 27,
    }
}

/// GAD-7 in its published English wording and the Spanish version for the USA.
fn gad7() -> Questionnaire {
    Questionnaire {
        id: QuestionnaireId::Gad7,
        title: t("Worry check-in (GAD-7)", "Revisión de preocupaciones (GAD-7)"),
        stem: t(
            "Over the last 2 weeks, how often have you been bothered by the following problems?",
            "Durante las últimas 2 semanas, ¿con qué frecuencia le han molestado los siguientes problemas?",
        ),
        items: items(
            "gad7",
            &[
                (
                    "Feeling nervous, anxious, or on edge",
                    "Se ha sentido nervioso(a), ansioso(a) o con los nervios de punta",
                ),
                (
                    "Not being able to stop or control worrying",
                    "No ha sido capaz de parar o controlar su preocupación",
                ),
                (
                    "Worrying too much about different things",
                    "Se ha preocupado demasiado por motivos diferentes",
                ),
                ("Trouble relaxing", "Ha tenido dificultad para relajarse"),
                (
                    "Being so restless that it is hard to sit still",
                    "Se ha sentido tan inquieto(a) que no ha podido quedarse quieto(a)",
                ),
                (
                    "Becoming easily annoyed or irritable",
                    "Se ha molestado o irritado fácilmente",
                ),
                (
                    "Feeling afraid, as if something awful might happen",
                    "Ha tenido miedo de que algo terrible fuera a pasar",
                ),
            ],
            frequency_options,
        ),
        max_score: 21,
    }
}

/// A heart-failure symptom check in the zones (green, yellow, red) that
/// heart-failure action plans use. Each answer's value is its zone: 0 green,
/// 1 yellow (call the care team today), 2 red (get help now).
fn hf_symptoms() -> Questionnaire {
    let item = |key: &str, text: LocalizedText, labels: &[(&str, &str)]| Item {
        key: key.into(),
        text,
        options: options(labels),
        required: true,
    };
    Questionnaire {
        id: QuestionnaireId::HfSymptoms,
        title: t("Heart symptom check", "Revisión de síntomas del corazón"),
        stem: t(
            "Compared with your usual days:",
            "Comparado con sus días de siempre:",
        ),
        items: vec![
            item(
                "hf_breath",
                t("How is your breathing?", "¿Cómo está su respiración?"),
                &[
                    ("As usual", "Como siempre"),
                    (
                        "More short of breath with activity",
                        "Me falta más el aire al hacer actividad",
                    ),
                    ("Short of breath at rest", "Me falta el aire en reposo"),
                ],
            ),
            item(
                "hf_swelling",
                t(
                    "Any swelling in your feet, ankles, legs or belly?",
                    "¿Tiene hinchazón en los pies, tobillos, piernas o abdomen?",
                ),
                &[
                    ("No new swelling", "No hay hinchazón nueva"),
                    ("More swelling than usual", "Más hinchazón que de costumbre"),
                    (
                        "Swelling that is much worse, or tight skin",
                        "Hinchazón mucho peor, o la piel tirante",
                    ),
                ],
            ),
            item(
                "hf_sleep",
                t("How did you sleep?", "¿Cómo durmió?"),
                &[
                    ("As usual", "Como siempre"),
                    (
                        "I needed more pillows to breathe",
                        "Necesité más almohadas para respirar",
                    ),
                    (
                        "I had to sleep sitting up, or woke up gasping",
                        "Tuve que dormir sentado(a), o me desperté sin aire",
                    ),
                ],
            ),
            item(
                "hf_dizzy",
                t("Any dizziness?", "¿Se ha sentido mareado(a)?"),
                &[
                    ("No", "No"),
                    (
                        "Some dizziness when standing up",
                        "Algo de mareo al ponerme de pie",
                    ),
                    ("I fainted or nearly fainted", "Me desmayé o casi me desmayo"),
                ],
            ),
            item(
                "hf_weight",
                t("How has your weight changed?", "¿Cómo ha cambiado su peso?"),
                &[
                    ("About the same", "Más o menos igual"),
                    (
                        "Up 2 lb or more in a day, or 5 lb in a week",
                        "Subió 2 lb o más en un día, o 5 lb en una semana",
                    ),
                    (
                        "Up more than that, with other symptoms",
                        "Subió más que eso, con otros síntomas",
                    ),
                ],
            ),
        ],
        max_score: 10,
    }
}

/// A social-needs screen in five domains; any answer above 0 is a need.
fn social_needs() -> Questionnaire {
    let item = |key: &str, text: LocalizedText, labels: &[(&str, &str)]| Item {
        key: key.into(),
        text,
        options: options(labels),
        required: true,
    };
    Questionnaire {
        id: QuestionnaireId::SocialNeeds,
        title: t("Everyday needs", "Necesidades diarias"),
        stem: t("In the past 12 months:", "En los últimos 12 meses:"),
        items: vec![
            item(
                "sn_housing",
                t("What is your housing situation today?", "¿Cuál es su situación de vivienda hoy?"),
                &[
                    ("I have a steady place to live", "Tengo un lugar estable donde vivir"),
                    ("I have a place to live today, but I am worried about losing it", "Hoy tengo dónde vivir, pero me preocupa perderlo"),
                    ("I do not have a steady place to live", "No tengo un lugar estable donde vivir"),
                ],
            ),
            item(
                "sn_food",
                t(
                    "Did you worry that your food would run out before you got money to buy more?",
                    "¿Le preocupó que la comida se acabara antes de tener dinero para comprar más?",
                ),
                &[("Never", "Nunca"), ("Sometimes", "A veces"), ("Often", "Con frecuencia")],
            ),
            item(
                "sn_transport",
                t(
                    "Has a lack of transportation kept you from medical appointments, meetings, work or getting things you need?",
                    "¿La falta de transporte le ha impedido ir a citas médicas, reuniones, al trabajo o conseguir lo que necesita?",
                ),
                &[("No", "No"), ("Yes", "Sí")],
            ),
            item(
                "sn_utilities",
                t(
                    "Has the electric, gas, oil or water company threatened to shut off services in your home?",
                    "¿La compañía de luz, gas, aceite o agua ha amenazado con cortarle el servicio en su casa?",
                ),
                &[("No", "No"), ("Yes", "Sí"), ("Already shut off", "Ya me lo cortaron")],
            ),
            item(
                "sn_safety",
                t(
                    "Do you feel physically and emotionally safe where you currently live?",
                    "¿Se siente seguro(a) física y emocionalmente donde vive ahora?",
                ),
                &[("Yes", "Sí"), ("Not sure", "No estoy seguro(a)"), ("No", "No")],
            ),
        ],
        max_score: 9,
    }
}

/// Answers by item key.
pub type Answers = BTreeMap<String, u8>;

/// Why answers were refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("unanswered items: {0:?}")]
    Missing(Vec<String>),
    #[error("answers out of range: {0:?}")]
    OutOfRange(Vec<String>),
    #[error("items not in this questionnaire: {0:?}")]
    Unknown(Vec<String>),
}

/// A severity band in plain words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Minimal,
    Mild,
    Moderate,
    ModeratelySevere,
    Severe,
    /// Heart symptoms: as usual.
    GreenZone,
    /// Heart symptoms: call the care team today.
    YellowZone,
    /// Heart symptoms: get help now.
    RedZone,
    NoNeeds,
    NeedsFound,
}

/// PHQ-9 bands: minimal 0-4, mild 5-9, moderate 10-14, moderately severe 15-19, severe 20-27.
pub fn phq9_band(total: u8) -> Band {
    match total {
        0..=4 => Band::Minimal,
        5..=9 => Band::Mild,
        10..=14 => Band::Moderate,
        15..=19 => Band::ModeratelySevere,
        _ => Band::Severe,
    }
}

/// GAD-7 bands: minimal 0-4, mild 5-9, moderate 10-14, severe 15-21.
pub fn gad7_band(total: u8) -> Band {
    match total {
        0..=4 => Band::Minimal,
        5..=9 => Band::Mild,
        10..=14 => Band::Moderate,
        _ => Band::Severe,
    }
}

impl Questionnaire {
    /// The score ranges of each band, lowest first, for charts that shade them.
    /// Questionnaires without score bands (zones, needs) have none.
    pub fn score_bands(&self) -> Vec<(u8, u8, Band)> {
        match self.id {
            QuestionnaireId::Phq9 => vec![
                (0, 4, Band::Minimal),
                (5, 9, Band::Mild),
                (10, 14, Band::Moderate),
                (15, 19, Band::ModeratelySevere),
                (20, 27, Band::Severe),
            ],
            QuestionnaireId::Gad7 => vec![
                (0, 4, Band::Minimal),
                (5, 9, Band::Mild),
                (10, 14, Band::Moderate),
                (15, 21, Band::Severe),
            ],
            QuestionnaireId::HfSymptoms | QuestionnaireId::SocialNeeds => Vec::new(),
        }
    }

    /// The required items not yet answered, in order.
    pub fn unanswered<'a>(&'a self, answers: &'a Answers) -> impl Iterator<Item = &'a Item> + 'a {
        self.items
            .iter()
            .filter(move |i| i.required && !answers.contains_key(&i.key))
    }

    /// Checks answers against the items: every required item answered, every
    /// value one of the item's options, no unknown items.
    pub fn check(&self, answers: &Answers) -> Result<(), AnswerError> {
        let unknown: Vec<String> = answers
            .keys()
            .filter(|k| !self.items.iter().any(|i| &i.key == *k))
            .cloned()
            .collect();
        if !unknown.is_empty() {
            return Err(AnswerError::Unknown(unknown));
        }
        let out_of_range: Vec<String> = self
            .items
            .iter()
            .filter(|i| {
                answers
                    .get(&i.key)
                    .is_some_and(|v| !i.options.iter().any(|o| o.value == *v))
            })
            .map(|i| i.key.clone())
            .collect();
        if !out_of_range.is_empty() {
            return Err(AnswerError::OutOfRange(out_of_range));
        }
        let missing: Vec<String> = self
            .items
            .iter()
            .filter(|i| i.required && !answers.contains_key(&i.key))
            .map(|i| i.key.clone())
            .collect();
        if !missing.is_empty() {
            return Err(AnswerError::Missing(missing));
        }
        Ok(())
    }

    /// The total of the required items' answers.
    fn total(&self, answers: &Answers) -> u8 {
        self.items
            .iter()
            .filter(|i| i.required)
            .filter_map(|i| answers.get(&i.key))
            .sum()
    }

    /// Scores complete, valid answers: total, band and what must happen now.
    pub fn score(&self, answers: &Answers) -> Result<Scored, AnswerError> {
        self.check(answers)?;
        let total = self.total(answers);
        let answer = |key: &str| answers.get(key).copied().unwrap_or(0);
        let mut escalations = Vec::new();
        let band = match self.id {
            QuestionnaireId::Phq9 => {
                if answer("phq9_9") > 0 {
                    escalations.push(Escalation::CrisisResources);
                }
                if total >= 20 {
                    escalations.push(Escalation::SevereScore);
                }
                phq9_band(total)
            }
            QuestionnaireId::Gad7 => {
                if total >= 15 {
                    escalations.push(Escalation::SevereScore);
                }
                gad7_band(total)
            }
            QuestionnaireId::HfSymptoms => {
                let worst = self.items.iter().map(|i| answer(&i.key)).max().unwrap_or(0);
                match worst {
                    0 => Band::GreenZone,
                    1 => {
                        escalations.push(Escalation::CallCareTeamToday);
                        Band::YellowZone
                    }
                    _ => {
                        escalations.push(Escalation::HeartRedZone);
                        Band::RedZone
                    }
                }
            }
            QuestionnaireId::SocialNeeds => {
                // Every first option means "no need"; anything else, "not sure" about safety included, is one.
                let needs: Vec<SocialNeed> = SocialNeed::ALL
                    .into_iter()
                    .filter(|need| answer(need.item_key()) > 0)
                    .collect();
                let found = !needs.is_empty();
                escalations.extend(needs.into_iter().map(Escalation::SocialNeed));
                if found {
                    Band::NeedsFound
                } else {
                    Band::NoNeeds
                }
            }
        };
        Ok(Scored {
            total,
            max: self.max_score,
            band,
            escalations,
        })
    }
}

/// A social need found by the screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SocialNeed {
    Housing,
    Food,
    Transport,
    Utilities,
    Safety,
}

impl SocialNeed {
    pub const ALL: [SocialNeed; 5] = [
        SocialNeed::Housing,
        SocialNeed::Food,
        SocialNeed::Transport,
        SocialNeed::Utilities,
        SocialNeed::Safety,
    ];

    pub fn item_key(self) -> &'static str {
        match self {
            SocialNeed::Housing => "sn_housing",
            SocialNeed::Food => "sn_food",
            SocialNeed::Transport => "sn_transport",
            SocialNeed::Utilities => "sn_utilities",
            SocialNeed::Safety => "sn_safety",
        }
    }
}

/// What a response sets in motion: what the person sees now, and a flag for
/// the care manager.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "rule", content = "need", rename_all = "snake_case")]
pub enum Escalation {
    /// PHQ-9 item 9 above 0: crisis resources before anything else; urgent flag.
    CrisisResources,
    /// PHQ-9 ≥ 20 or GAD-7 ≥ 15: the care team will reach out; flag.
    SevereScore,
    /// Heart symptoms in the yellow zone: call the care team today; flag.
    CallCareTeamToday,
    /// Heart symptoms in the red zone: get help now; urgent flag.
    HeartRedZone,
    /// A social need: the matching suggestion; flag.
    SocialNeed(SocialNeed),
    /// Weight up 2 lb or more since the day before: call the care team today; flag.
    WeightGainDay,
    /// Weight up 5 lb or more in a week: call the care team today; flag.
    WeightGainWeek,
    /// Blood pressure 180/120 or higher: urgent message; urgent flag.
    VeryHighBloodPressure,
    /// Glucose below 70 mg/dL: the low-sugar steps; flag.
    LowGlucose,
}

/// How soon a care manager must act on a flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Urgent,
    Soon,
    Routine,
}

impl Escalation {
    pub fn urgency(self) -> Urgency {
        match self {
            Escalation::CrisisResources | Escalation::HeartRedZone | Escalation::VeryHighBloodPressure => {
                Urgency::Urgent
            }
            Escalation::SevereScore
            | Escalation::CallCareTeamToday
            | Escalation::WeightGainDay
            | Escalation::WeightGainWeek
            | Escalation::LowGlucose => Urgency::Soon,
            Escalation::SocialNeed(_) => Urgency::Routine,
        }
    }

    /// A stable name for storage and flags.
    pub fn rule_name(self) -> String {
        match self {
            Escalation::CrisisResources => "phq9_item9".into(),
            Escalation::SevereScore => "severe_score".into(),
            Escalation::CallCareTeamToday => "hf_yellow_zone".into(),
            Escalation::HeartRedZone => "hf_red_zone".into(),
            Escalation::SocialNeed(need) => {
                format!("social_need_{}", need.item_key().trim_start_matches("sn_"))
            }
            Escalation::WeightGainDay => "weight_gain_day".into(),
            Escalation::WeightGainWeek => "weight_gain_week".into(),
            Escalation::VeryHighBloodPressure => "blood_pressure_180_120".into(),
            Escalation::LowGlucose => "glucose_below_70".into(),
        }
    }
}

/// A scored response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Scored {
    pub total: u8,
    pub max: u8,
    pub band: Band,
    pub escalations: Vec<Escalation>,
}

impl Scored {
    /// Whether crisis resources come first on the result screen.
    pub fn shows_crisis_resources(&self) -> bool {
        self.escalations.contains(&Escalation::CrisisResources)
    }
}

/// `POST /api/patients/{p}/responses`: the answers; the server scores them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseRequest {
    pub questionnaire: QuestionnaireId,
    pub answers: Answers,
}

/// A stored response with its score, as the server computed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseView {
    pub id: i64,
    pub questionnaire: QuestionnaireId,
    pub answers: Answers,
    pub total: u8,
    pub max: u8,
    pub band: Band,
    pub escalations: Vec<Escalation>,
    /// Whether crisis resources must come first on the result screen.
    pub crisis_resources: bool,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
    /// Display name of the account that entered it.
    pub entered_by: String,
    /// The id of that account, to tell the patient's own from one entered for them.
    #[serde(default)]
    pub entered_by_id: i64,
}

/// A flag for the care manager.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlagView {
    pub id: i64,
    /// The rule that raised it, e.g. `phq9_item9`, `severe_score`.
    pub rule: String,
    pub urgency: Urgency,
    /// What triggered it, e.g. "PHQ-9 total 21, item 9 = 1".
    pub detail: String,
    pub raised_at: chrono::DateTime<chrono::Utc>,
    pub acknowledged_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Set when a later entry for the same occurrence replaced the reading that raised it.
    #[serde(default)]
    pub superseded_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Who acknowledged it, and what they noted.
    #[serde(default)]
    pub acknowledged_by: Option<String>,
    #[serde(default)]
    pub acknowledgement_note: Option<String>,
}

/// The most characters an acknowledgement note holds.
pub const NOTE_CHARS: usize = 500;

/// `POST /api/patients/{p}/flags/{id}/acknowledgement`: what the care
/// manager did about the flag, in a note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlagAcknowledgement {
    /// What was done; blank is refused.
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: String,
}

impl FlagAcknowledgement {
    /// A note is needed, and not a long one.
    pub fn check(&self) -> Result<(), crate::problem::FieldError> {
        let refuse = |code: &str, message: String| crate::problem::FieldError {
            field: "note".into(),
            code: code.into(),
            message,
        };
        let count = self.note.trim().chars().count();
        if count == 0 {
            return Err(refuse("required", "Write what was done about the flag.".into()));
        }
        if count > NOTE_CHARS {
            return Err(refuse(
                "too_long",
                format!("Use at most {NOTE_CHARS} characters."),
            ));
        }
        Ok(())
    }
}

/// Where a questionnaire of the patient's plan stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckInStatus {
    pub questionnaire: QuestionnaireId,
    pub title: LocalizedText,
    /// Due now: an occurrence has come and no response was recorded since.
    pub due: bool,
    /// The local date it came due, when due.
    pub due_since: Option<chrono::NaiveDate>,
    /// The next local date it comes due.
    pub next_due: Option<chrono::NaiveDate>,
    pub last: Option<ResponseView>,
}

/// A response's detail line for its flag, without answers beyond what triggered it.
pub fn flag_detail(
    questionnaire: QuestionnaireId,
    scored: &Scored,
    answers: &Answers,
    escalation: Escalation,
) -> String {
    let name = match questionnaire {
        QuestionnaireId::Phq9 => "PHQ-9",
        QuestionnaireId::Gad7 => "GAD-7",
        QuestionnaireId::HfSymptoms => "Heart symptom check",
        QuestionnaireId::SocialNeeds => "Social needs screen",
    };
    match escalation {
        Escalation::CrisisResources => format!(
            "{name} item 9 answered {} (total {})",
            answers.get("phq9_9").copied().unwrap_or(0),
            scored.total
        ),
        Escalation::SocialNeed(need) => format!("{name}: {need:?} need"),
        _ => format!("{name} total {} of {}", scored.total, scored.max),
    }
}

#[cfg(test)]
mod acknowledgement_tests {
    use super::*;

    #[test]
    fn a_note_is_needed_and_not_a_long_one() {
        let note = |n: &str| FlagAcknowledgement { note: n.into() };
        assert!(note("Called her; she will see Dr. Patel tomorrow.")
            .check()
            .is_ok());
        assert_eq!(note("   ").check().unwrap_err().code, "required");
        assert_eq!(
            note(&"x".repeat(NOTE_CHARS + 1)).check().unwrap_err().code,
            "too_long"
        );
        assert!(
            note(&"é".repeat(NOTE_CHARS)).check().is_ok(),
            "characters, not bytes"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers giving `total` over the first `n` items of a questionnaire, as evenly as possible.
    fn answers_totalling(q: &Questionnaire, total: u8, keep_item9_zero: bool) -> Answers {
        let scored: Vec<&Item> = q.items.iter().filter(|i| i.required).collect();
        let mut left = total;
        let mut answers = Answers::new();
        for item in &scored {
            let cap = if keep_item9_zero && item.key == "phq9_9" {
                0
            } else {
                3
            };
            let value = left.min(cap);
            answers.insert(item.key.clone(), value);
            left -= value;
        }
        assert_eq!(left, 0, "total {total} not reachable");
        answers
    }

    #[test]
    fn phq9_bands_at_every_boundary() {
        let q = QuestionnaireId::Phq9.definition();
        for (total, band) in [
            (0, Band::Minimal),
            (4, Band::Minimal),
            (5, Band::Mild),
            (9, Band::Mild),
            (10, Band::Moderate),
            (14, Band::Moderate),
            (15, Band::ModeratelySevere),
            (19, Band::ModeratelySevere),
            (20, Band::Severe),
            (24, Band::Severe),
        ] {
            let scored = q.score(&answers_totalling(&q, total, true)).unwrap();
            assert_eq!((scored.total, scored.band), (total, band), "PHQ-9 {total}");
            assert_eq!(
                scored.escalations.contains(&Escalation::SevereScore),
                total >= 20,
                "PHQ-9 {total}"
            );
            assert!(!scored.shows_crisis_resources());
        }
        let all_threes: Answers = q
            .items
            .iter()
            .filter(|i| i.required)
            .map(|i| (i.key.clone(), 3))
            .collect();
        assert_eq!(q.score(&all_threes).unwrap().total, 27);
    }

    #[test]
    fn gad7_bands_at_every_boundary() {
        let q = QuestionnaireId::Gad7.definition();
        for (total, band) in [
            (0, Band::Minimal),
            (4, Band::Minimal),
            (5, Band::Mild),
            (9, Band::Mild),
            (10, Band::Moderate),
            (14, Band::Moderate),
            (15, Band::Severe),
            (21, Band::Severe),
        ] {
            let scored = q.score(&answers_totalling(&q, total, false)).unwrap();
            assert_eq!((scored.total, scored.band), (total, band), "GAD-7 {total}");
            assert_eq!(
                scored.escalations == vec![Escalation::SevereScore],
                total >= 15,
                "GAD-7 {total}"
            );
        }
    }

    #[test]
    fn any_answer_above_zero_on_item_nine_brings_crisis_resources() {
        let q = QuestionnaireId::Phq9.definition();
        for value in 0..=3u8 {
            let mut answers = answers_totalling(&q, 0, true);
            answers.insert("phq9_9".into(), value);
            let scored = q.score(&answers).unwrap();
            assert_eq!(scored.shows_crisis_resources(), value > 0, "item 9 = {value}");
            if value > 0 {
                assert_eq!(Escalation::CrisisResources.urgency(), Urgency::Urgent);
            }
        }
    }

    #[test]
    fn the_difficulty_item_is_optional_and_unscored() {
        let q = QuestionnaireId::Phq9.definition();
        let mut answers = answers_totalling(&q, 6, true);
        let without = q.score(&answers).unwrap();
        answers.insert("phq9_difficulty".into(), 3);
        let with = q.score(&answers).unwrap();
        assert_eq!(without.total, with.total);
    }

    #[test]
    fn incomplete_out_of_range_and_unknown_answers_are_refused_with_the_items() {
        let q = QuestionnaireId::Gad7.definition();
        let mut answers = answers_totalling(&q, 3, false);
        answers.remove("gad7_2");
        answers.remove("gad7_7");
        assert_eq!(
            q.score(&answers),
            Err(AnswerError::Missing(vec!["gad7_2".into(), "gad7_7".into()]))
        );
        answers.insert("gad7_2".into(), 4);
        assert_eq!(
            q.score(&answers),
            Err(AnswerError::OutOfRange(vec!["gad7_2".into()]))
        );
        let mut extra = answers_totalling(&q, 3, false);
        extra.insert("phq9_1".into(), 1);
        assert_eq!(q.score(&extra), Err(AnswerError::Unknown(vec!["phq9_1".into()])));
    }

    #[test]
    fn heart_symptoms_take_the_worst_zone() {
        let q = QuestionnaireId::HfSymptoms.definition();
        let mut answers: Answers = q.items.iter().map(|i| (i.key.clone(), 0)).collect();
        assert_eq!(q.score(&answers).unwrap().band, Band::GreenZone);
        answers.insert("hf_swelling".into(), 1);
        let yellow = q.score(&answers).unwrap();
        assert_eq!(
            (yellow.band, yellow.escalations.clone()),
            (Band::YellowZone, vec![Escalation::CallCareTeamToday])
        );
        answers.insert("hf_breath".into(), 2);
        let red = q.score(&answers).unwrap();
        assert_eq!(
            (red.band, red.escalations),
            (Band::RedZone, vec![Escalation::HeartRedZone])
        );
    }

    #[test]
    fn each_social_need_is_named() {
        let q = QuestionnaireId::SocialNeeds.definition();
        let mut answers: Answers = q.items.iter().map(|i| (i.key.clone(), 0)).collect();
        assert_eq!(q.score(&answers).unwrap().band, Band::NoNeeds);
        answers.insert("sn_transport".into(), 1);
        answers.insert("sn_food".into(), 2);
        let scored = q.score(&answers).unwrap();
        assert_eq!(scored.band, Band::NeedsFound);
        assert_eq!(
            scored.escalations,
            vec![
                Escalation::SocialNeed(SocialNeed::Food),
                Escalation::SocialNeed(SocialNeed::Transport)
            ]
        );
        assert_eq!(
            Escalation::SocialNeed(SocialNeed::Transport).rule_name(),
            "social_need_transport"
        );
    }

    #[test]
    fn score_bands_agree_with_the_band_functions() {
        for id in [QuestionnaireId::Phq9, QuestionnaireId::Gad7] {
            let q = id.definition();
            let bands = q.score_bands();
            assert_eq!(bands.first().unwrap().0, 0);
            assert_eq!(bands.last().unwrap().1, q.max_score);
            for (from, to, band) in bands {
                for total in from..=to {
                    let want = if id == QuestionnaireId::Phq9 {
                        phq9_band(total)
                    } else {
                        gad7_band(total)
                    };
                    assert_eq!(want, band, "{id:?} {total}");
                }
            }
        }
    }

    #[test]
    fn every_item_has_both_languages_and_options() {
        for id in QuestionnaireId::ALL {
            let q = id.definition();
            assert_eq!(QuestionnaireId::parse(id.as_str()), Some(id));
            for item in &q.items {
                assert!(
                    !item.text.en.is_empty() && !item.text.es.is_empty(),
                    "{}",
                    item.key
                );
                assert!(item.options.len() >= 2, "{}", item.key);
                for option in &item.options {
                    assert!(
                        !option.label.en.is_empty() && !option.label.es.is_empty(),
                        "{}",
                        item.key
                    );
                }
            }
            let max: u8 = q
                .items
                .iter()
                .filter(|i| i.required)
                .map(|i| i.options.iter().map(|o| o.value).max().unwrap())
                .sum();
            assert_eq!(max, q.max_score, "{id:?}");
        }
    }
}
