//! The care plan as a patient reads it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::agenda::ActivityKind;
use crate::text::LocalizedText;

/// One domain of the plan (medical, behavioural, functional, social) in plain words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanDomain {
    /// `medical`, `behavioural`, `functional` or `social`.
    pub domain: String,
    pub text: LocalizedText,
}

/// An activity of the plan with its schedule in words and the goal it serves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanActivity {
    pub activity_id: i64,
    pub kind: ActivityKind,
    pub title: LocalizedText,
    pub instructions: LocalizedText,
    /// "Every day at 8:00 AM and 8:00 PM" in both languages.
    pub schedule: LocalizedText,
    pub goal_id: Option<i64>,
}

/// A goal as listed in the plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanGoal {
    pub id: i64,
    pub title: LocalizedText,
    /// `proposed`, `active`, `achieved` or `cancelled`.
    pub status: String,
    pub due_date: Option<NaiveDate>,
}

/// `GET /api/patients/{p}/plan`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanView {
    pub summary: LocalizedText,
    pub domains: Vec<PlanDomain>,
    pub status: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    pub activities: Vec<PlanActivity>,
    pub goals: Vec<PlanGoal>,
}

/// The order domains are shown in.
pub const DOMAINS: [&str; 4] = ["medical", "behavioural", "functional", "social"];
