//! Invitations: a patient invites a family caregiver with a one-time code
//! (or a link holding it) that expires; the caregiver accepts it with an
//! existing account or makes one, and gets a grant with the invite's scopes.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::problem::FieldError;
use crate::session::{PasswordChange, Scope, SessionView};
use crate::sharing::MAX_GRANT_DAYS;

/// The letters and digits a code is made of: none that reads like another
/// (no 0/O, 1/I/L), so it can be read out over the phone and typed.
pub const INVITE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// How many characters a code has (about 50 bits).
pub const INVITE_CODE_CHARS: usize = 10;
/// For how many days an invite can stay open, at most.
pub const MAX_INVITE_DAYS: u8 = 14;
/// The longest note a patient keeps with an invite ("for Rosa").
pub const MAX_INVITE_LABEL_CHARS: usize = 60;
/// The longest name and username of a new account.
pub const MAX_NAME_CHARS: usize = 60;
pub const USERNAME_CHARS: (usize, usize) = (3, 32);

/// A code as typed (any case, with spaces or dashes) in its one stored form,
/// or `None` when it cannot be a code at all.
pub fn normalize_invite_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let valid =
        code.chars().count() == INVITE_CODE_CHARS && code.bytes().all(|b| INVITE_ALPHABET.contains(&b));
    valid.then_some(code)
}

/// A code as shown: two groups of five, `ABCDE-FGHJK`.
pub fn display_invite_code(code: &str) -> String {
    let half = code.len() / 2;
    match (code.get(..half), code.get(half..)) {
        (Some(a), Some(b)) if code.len() == INVITE_CODE_CHARS => format!("{a}-{b}"),
        _ => code.to_owned(),
    }
}

/// Maps random bytes to a code, one character per byte, without bias:
/// bytes at or above the largest multiple of the alphabet's size are skipped.
/// Returns `None` when the bytes run out first.
pub fn invite_code_from_bytes(bytes: &[u8]) -> Option<String> {
    let size = INVITE_ALPHABET.len();
    let limit = 256 - 256 % size;
    let code: String = bytes
        .iter()
        .filter(|b| usize::from(**b) < limit)
        .take(INVITE_CODE_CHARS)
        .map(|b| char::from(INVITE_ALPHABET[usize::from(*b) % size]))
        .collect();
    (code.len() == INVITE_CODE_CHARS).then_some(code)
}

fn refuse(field: &str, code: &str, message: &str) -> FieldError {
    FieldError {
        field: field.into(),
        code: code.into(),
        message: message.into(),
    }
}

/// `POST /api/patients/{p}/invites`: what the caregiver will see, until when,
/// and for how long the code works.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteRequest {
    /// A note for the patient ("for Rosa"); may be empty.
    #[serde(default)]
    pub label: String,
    pub scopes: Vec<Scope>,
    /// The last day of access (where the patient lives), at most a year ahead.
    pub until: NaiveDate,
    /// For how many days the code can be used (1 to 14).
    pub valid_days: u8,
}

impl InviteRequest {
    /// Every field that needs fixing, on the patient's `today`.
    pub fn check(&self, today: NaiveDate) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.label.trim().chars().count() > MAX_INVITE_LABEL_CHARS {
            errors.push(refuse("label", "too_long", "Keep the note to 60 characters."));
        }
        if self.scopes.is_empty() {
            errors.push(refuse("scopes", "none", "Share at least one thing."));
        }
        if self.until < today {
            errors.push(refuse("until", "in_past", "Choose today or a later day."));
        } else if (self.until - today).num_days() > MAX_GRANT_DAYS {
            errors.push(refuse("until", "too_far", "Share for at most a year at a time."));
        }
        if !(1..=MAX_INVITE_DAYS).contains(&self.valid_days) {
            errors.push(refuse(
                "valid_days",
                "out_of_range",
                "An invite can stay open from 1 to 14 days.",
            ));
        }
        errors
    }

    /// The note as kept: trimmed.
    pub fn clean_label(&self) -> String {
        self.label.trim().to_owned()
    }
}

/// An invite that nobody has accepted yet, as the patient sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteView {
    pub id: i64,
    pub label: String,
    pub scopes: Vec<Scope>,
    /// The last day of access the grant will have.
    pub until: NaiveDate,
    pub created_at: DateTime<Utc>,
    /// When the code stops working.
    pub expires_at: DateTime<Utc>,
}

/// The answer to making an invite: the code and the app's address holding
/// it. Shown this once; only a hash of the code is kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteCreated {
    pub invite: InviteView,
    /// `ABCDE-FGHJK`.
    pub code: String,
    /// `/invite/ABCDE-FGHJK`, to put after the app's address.
    pub path: String,
}

/// A code typed or taken from a link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteCode {
    pub code: String,
}

/// What a working code offers, before it is accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitePreview {
    pub patient_name: String,
    pub scopes: Vec<Scope>,
    pub until: NaiveDate,
    pub expires_at: DateTime<Utc>,
}

/// `POST /api/invites/sign-up`: a new caregiver account that accepts the invite.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteSignUp {
    pub code: String,
    /// The name the patient and the care team will see ("Rosa").
    pub name: String,
    pub username: String,
    pub password: String,
}

impl InviteSignUp {
    /// Every field that needs fixing; the password follows the rules of a
    /// password change.
    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let name = self.name.trim().chars().count();
        if name == 0 {
            errors.push(refuse("name", "missing", "Write the name others will see."));
        } else if name > MAX_NAME_CHARS {
            errors.push(refuse("name", "too_long", "Keep the name to 60 characters."));
        }
        let username = self.clean_username();
        let (min, max) = USERNAME_CHARS;
        let count = username.chars().count();
        if count < min || count > max {
            errors.push(refuse(
                "username",
                "length",
                "Use 3 to 32 characters for the username.",
            ));
        } else if !username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
        {
            errors.push(refuse(
                "username",
                "characters",
                "Use letters a to z, digits, dots, dashes or underscores.",
            ));
        }
        let as_change = PasswordChange {
            current_password: String::new(),
            new_password: self.password.clone(),
        };
        if let Err(mut error) = as_change.check(&username) {
            error.field = "password".into();
            errors.push(error);
        }
        errors
    }

    /// The username as stored: trimmed and in lower case.
    pub fn clean_username(&self) -> String {
        self.username.trim().to_lowercase()
    }
}

/// The answer to accepting an invite: whose record opened, and the session
/// as it now is (with that patient in it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteAccepted {
    pub patient_id: i64,
    pub session: SessionView,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_in_any_case_with_spaces_or_dashes() {
        assert_eq!(
            normalize_invite_code("abcde-fghjk").as_deref(),
            Some("ABCDEFGHJK")
        );
        assert_eq!(
            normalize_invite_code(" ABC DE FGH JK ").as_deref(),
            Some("ABCDEFGHJK")
        );
        // Letters that read like others are not in codes, so a code with them is no code.
        assert_eq!(normalize_invite_code("ABCDE-FGHJ0"), None);
        assert_eq!(normalize_invite_code("ABCDE-FGHJI"), None);
        assert_eq!(normalize_invite_code("ABCDE-FGHJ"), None);
        assert_eq!(normalize_invite_code("ABCDE-FGHJKM"), None);
        assert_eq!(normalize_invite_code("ÁBCDE-FGHJK"), None);
        assert_eq!(display_invite_code("ABCDEFGHJK"), "ABCDE-FGHJK");
    }

    #[test]
    fn codes_come_from_random_bytes_without_bias() {
        let size = INVITE_ALPHABET.len() as u8;
        // 248 = 8 × 31 is the first byte that would favour some letters.
        let limit = 256 - 256 % u16::from(size);
        let mut bytes = vec![limit as u8, 255];
        bytes.extend(0..10u8);
        assert_eq!(invite_code_from_bytes(&bytes).as_deref(), Some("ABCDEFGHJK"));
        assert_eq!(invite_code_from_bytes(&[0; 9]), None);
        let code = invite_code_from_bytes(&(0..=255).collect::<Vec<u8>>()).unwrap();
        assert_eq!(normalize_invite_code(&code), Some(code));
    }

    #[test]
    fn an_invite_shares_something_for_a_year_at_most_and_stays_open_up_to_two_weeks() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let request = |scopes: Vec<Scope>, days: i64, valid_days: u8| InviteRequest {
            label: "for Rosa".into(),
            scopes,
            until: today + chrono::TimeDelta::days(days),
            valid_days,
        };
        assert!(request(vec![Scope::Measurements], 90, 7).check(today).is_empty());
        assert!(request(vec![Scope::Measurements], 366, 14)
            .check(today)
            .is_empty());
        let codes =
            |r: InviteRequest| -> Vec<String> { r.check(today).into_iter().map(|e| e.code).collect() };
        assert_eq!(codes(request(vec![], 90, 7)), ["none"]);
        assert_eq!(codes(request(vec![Scope::Reminders], -1, 7)), ["in_past"]);
        assert_eq!(
            codes(request(vec![Scope::Reminders], 367, 0)),
            ["too_far", "out_of_range"]
        );
        assert_eq!(codes(request(vec![Scope::Reminders], 30, 15)), ["out_of_range"]);
        let mut long = request(vec![Scope::Reminders], 30, 1);
        long.label = "x".repeat(61);
        assert_eq!(codes(long), ["too_long"]);
    }

    #[test]
    fn a_new_account_needs_a_name_a_plain_username_and_a_password_by_the_usual_rules() {
        let sign_up = |name: &str, username: &str, password: &str| InviteSignUp {
            code: "ABCDE-FGHJK".into(),
            name: name.into(),
            username: username.into(),
            password: password.into(),
        };
        let fields = |s: InviteSignUp| -> Vec<(String, String)> {
            s.check().into_iter().map(|e| (e.field, e.code)).collect()
        };
        assert!(fields(sign_up("Rosa", " Rosa.M ", "a long walk at dawn")).is_empty());
        assert_eq!(sign_up("Rosa", " Rosa.M ", "x").clean_username(), "rosa.m");
        assert_eq!(
            fields(sign_up(" ", "ro", "short")),
            [
                ("name".to_owned(), "missing".to_owned()),
                ("username".to_owned(), "length".to_owned()),
                ("password".to_owned(), "too_short".to_owned()),
            ]
        );
        assert_eq!(
            fields(sign_up("Rosa", "rosa m", "rosa m and a long walk")),
            [
                ("username".to_owned(), "characters".to_owned()),
                ("password".to_owned(), "has_username".to_owned())
            ]
        );
    }
}
