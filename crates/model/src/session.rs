//! Who is logged in and whose records they may open.

use serde::{Deserialize, Serialize};

/// What an account is in the care program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Patient,
    Caregiver,
    CareManager,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Patient => "patient",
            Role::Caregiver => "caregiver",
            Role::CareManager => "care_manager",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "patient" => Some(Role::Patient),
            "caregiver" => Some(Role::Caregiver),
            "care_manager" => Some(Role::CareManager),
            _ => None,
        }
    }

    /// How long a session of this role may sit without activity before it
    /// ends: shorter for care managers, who open many patients' records on
    /// shared desks. The server ends the session; the open app logs out by
    /// itself after the same time without a tap or a key.
    pub fn idle_limit(self) -> chrono::TimeDelta {
        match self {
            Role::CareManager => chrono::TimeDelta::minutes(15),
            Role::Patient | Role::Caregiver => chrono::TimeDelta::minutes(30),
        }
    }
}

/// What a patient shares with a caregiver. Self-assessment answers are
/// private unless the patient chooses to share them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    PlanGoals,
    Reminders,
    Measurements,
    Assessments,
    RecordOnBehalf,
}

impl Scope {
    pub const ALL: [Scope; 5] = [
        Scope::PlanGoals,
        Scope::Reminders,
        Scope::Measurements,
        Scope::Assessments,
        Scope::RecordOnBehalf,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::PlanGoals => "plan_goals",
            Scope::Reminders => "reminders",
            Scope::Measurements => "measurements",
            Scope::Assessments => "assessments",
            Scope::RecordOnBehalf => "record_on_behalf",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|scope| scope.as_str() == s)
    }
}

/// How the logged-in account is related to a patient it may open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The patient's own record.
    Own,
    Caregiver,
    CareManager,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// The shortest and longest password accepted, in characters.
pub const PASSWORD_CHARS: (usize, usize) = (10, 128);

/// `POST /api/session/password`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    pub current_password: String,
    /// [`PASSWORD_CHARS`] long; neither the current one nor holding the username.
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 128))]
    pub new_password: String,
}

impl PasswordChange {
    /// What is wrong with the new password for this username, if anything.
    /// (Whether the current one is right is the server's to check.)
    pub fn check(&self, username: &str) -> Result<(), crate::problem::FieldError> {
        let refuse = |code: &str, message: String| crate::problem::FieldError {
            field: "new_password".into(),
            code: code.into(),
            message,
        };
        let new = &self.new_password;
        let (min, max) = PASSWORD_CHARS;
        let count = new.chars().count();
        if count < min {
            return Err(refuse("too_short", format!("Use at least {min} characters.")));
        }
        if count > max {
            return Err(refuse("too_long", format!("Use at most {max} characters.")));
        }
        if *new == self.current_password {
            return Err(refuse(
                "unchanged",
                "Choose a password you have not used here.".into(),
            ));
        }
        let user = username.trim().to_lowercase();
        if !user.is_empty() && new.to_lowercase().contains(&user) {
            return Err(refuse(
                "has_username",
                "Leave your username out of the password.".into(),
            ));
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

/// A patient the account may open, with what it may see there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PatientLink {
    pub id: i64,
    pub name: String,
    pub relation: Relation,
    pub scopes: Vec<Scope>,
    /// For a caregiver: when the grant ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<chrono::DateTime<chrono::Utc>>,
    /// For a caregiver: the last day of access, where the patient lives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_day: Option<chrono::NaiveDate>,
}

/// `GET /api/session`: who am I and whose records may I open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    pub account: AccountView,
    pub patients: Vec<PatientLink>,
    /// Set when a care manager previews the app as this account: every
    /// answer is what this account would get, and nothing can be changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview: Option<PreviewView>,
}

/// Someone a care manager may preview the app as, for one patient: the
/// patient, or a caregiver with what the patient shares with them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreviewAccount {
    pub account_id: i64,
    pub name: String,
    pub role: Role,
    pub scopes: Vec<Scope>,
}

/// Who is previewing: the care manager looking through this account's eyes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreviewView {
    pub by: String,
}

impl SessionView {
    /// The patient record that belongs to this account, if it is a patient's.
    pub fn own_patient(&self) -> Option<&PatientLink> {
        self.patients.iter().find(|p| p.relation == Relation::Own)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_passwords_are_long_enough_new_and_without_the_username() {
        let change = |new: &str| PasswordChange {
            current_password: "an old long password".into(),
            new_password: new.into(),
        };
        assert!(change("a long walk at dawn").check("maria").is_ok());
        let code = |c: PasswordChange| c.check("maria").unwrap_err().code;
        assert_eq!(code(change("short")), "too_short");
        assert_eq!(code(change(&"x".repeat(129))), "too_long");
        assert_eq!(code(change("an old long password")), "unchanged");
        assert_eq!(code(change("Maria-is-great-2026")), "has_username");
        // Characters, not bytes.
        assert!(change("ñañañañañañaña").check("maria").is_ok());
    }

    #[test]
    fn scopes_and_roles_round_trip_through_their_names() {
        for scope in Scope::ALL {
            assert_eq!(Scope::parse(scope.as_str()), Some(scope));
        }
        for role in [Role::Patient, Role::Caregiver, Role::CareManager] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Scope::parse("everything"), None);
    }

    #[test]
    fn care_managers_idle_out_sooner_than_patients_and_caregivers() {
        assert_eq!(Role::CareManager.idle_limit(), chrono::TimeDelta::minutes(15));
        assert_eq!(Role::Patient.idle_limit(), chrono::TimeDelta::minutes(30));
        assert_eq!(Role::Caregiver.idle_limit(), chrono::TimeDelta::minutes(30));
    }
}

/// Someone on the patient's care team: who they are and what to call them for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CareTeamMember {
    pub name: String,
    pub role: crate::text::LocalizedText,
    /// E.164-style number, usable in a `tel:` link.
    pub phone: String,
    pub hours: crate::text::LocalizedText,
    pub call_for: crate::text::LocalizedText,
}
