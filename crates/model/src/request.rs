//! Taking part in the plan: the patient proposes a "what matters to me" goal,
//! comments on a goal or asks to change it; the care manager accepts, or
//! declines with a reason the patient sees along with how to appeal.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::problem::FieldError;
use crate::text::LocalizedText;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// A new goal in the patient's words; it starts as `proposed`.
    Propose,
    /// Asks to change a goal.
    Change,
    /// A comment on a goal.
    Comment,
}

impl RequestKind {
    pub const ALL: [RequestKind; 3] = [RequestKind::Propose, RequestKind::Change, RequestKind::Comment];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Propose => "propose",
            RequestKind::Change => "change",
            RequestKind::Comment => "comment",
        }
    }

    pub fn parse(s: &str) -> Option<RequestKind> {
        RequestKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Waiting for the care team.
    Open,
    /// Accepted (for a comment: read and answered).
    Accepted,
    /// Declined, with a reason.
    Declined,
}

impl RequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Open => "open",
            RequestStatus::Accepted => "accepted",
            RequestStatus::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<RequestStatus> {
        [
            RequestStatus::Open,
            RequestStatus::Accepted,
            RequestStatus::Declined,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// The longest request or reason kept, in characters.
pub const MAX_REQUEST_CHARS: usize = 500;

fn checked_text(field: &str, text: &str, what: &str) -> Result<String, FieldError> {
    let text = text.trim();
    let refuse = |code: &str, message: String| FieldError {
        field: field.into(),
        code: code.into(),
        message,
    };
    if text.is_empty() {
        return Err(refuse("required", format!("Write {what}.")));
    }
    if text.chars().count() > MAX_REQUEST_CHARS {
        return Err(refuse(
            "too_long",
            format!("{what} can be at most {MAX_REQUEST_CHARS} characters."),
        ));
    }
    Ok(text.to_owned())
}

/// `POST /api/patients/{p}/goal-requests`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewGoalRequest {
    pub kind: RequestKind,
    /// The goal a change or comment is about; none for a proposal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_id: Option<i64>,
    pub text: String,
}

impl NewGoalRequest {
    /// The text to keep (trimmed), or what is wrong.
    pub fn checked(&self) -> Result<String, FieldError> {
        match (self.kind, self.goal_id) {
            (RequestKind::Propose, Some(_)) => {
                return Err(FieldError {
                    field: "goal_id".into(),
                    code: "not_with_proposal".into(),
                    message: "A new goal is not about an existing goal.".into(),
                })
            }
            (RequestKind::Change | RequestKind::Comment, None) => {
                return Err(FieldError {
                    field: "goal_id".into(),
                    code: "required".into(),
                    message: "Say which goal this is about.".into(),
                })
            }
            _ => {}
        }
        checked_text("text", &self.text, "the text")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Accept,
    Decline,
}

/// `POST /api/patients/{p}/goal-requests/{id}/decision`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionRequest {
    pub decision: Decision,
    /// Required to decline: the patient sees it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl DecisionRequest {
    /// The reason to keep, or what is wrong. A comment is only ever accepted
    /// (read); a request already decided cannot be decided again.
    pub fn checked(&self, kind: RequestKind, status: RequestStatus) -> Result<Option<String>, FieldError> {
        if status != RequestStatus::Open {
            return Err(FieldError {
                field: "decision".into(),
                code: "already_decided".into(),
                message: "This request was already decided.".into(),
            });
        }
        match (self.decision, kind) {
            (Decision::Decline, RequestKind::Comment) => Err(FieldError {
                field: "decision".into(),
                code: "comment_not_declined".into(),
                message: "A comment is read, not declined.".into(),
            }),
            (Decision::Decline, _) => {
                checked_text("reason", self.reason.as_deref().unwrap_or(""), "the reason").map(Some)
            }
            (Decision::Accept, _) => match self.reason.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(reason) => checked_text("reason", reason, "the reason").map(Some),
            },
        }
    }
}

/// `GET /api/patients/{p}/goal-requests`: a request and where it stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GoalRequestView {
    pub id: i64,
    pub kind: RequestKind,
    pub goal_id: Option<i64>,
    /// The goal's title (for a proposal: the new goal's).
    pub goal_title: Option<LocalizedText>,
    pub text: String,
    pub status: RequestStatus,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(kind: RequestKind, goal_id: Option<i64>, text: &str) -> NewGoalRequest {
        NewGoalRequest {
            kind,
            goal_id,
            text: text.into(),
        }
    }

    #[test]
    fn requests_need_text_and_the_right_goal() {
        assert_eq!(
            request(RequestKind::Propose, None, "  Dance at the quinceañera ").checked(),
            Ok("Dance at the quinceañera".into())
        );
        assert_eq!(
            request(RequestKind::Comment, Some(3), "Hard this week").checked(),
            Ok("Hard this week".into())
        );
        let code = |r: NewGoalRequest| r.checked().unwrap_err().code;
        assert_eq!(
            code(request(RequestKind::Propose, Some(3), "x")),
            "not_with_proposal"
        );
        assert_eq!(code(request(RequestKind::Change, None, "x")), "required");
        assert_eq!(code(request(RequestKind::Comment, Some(3), "   ")), "required");
        assert_eq!(
            code(request(
                RequestKind::Propose,
                None,
                &"é".repeat(MAX_REQUEST_CHARS + 1)
            )),
            "too_long"
        );
        // Characters, not bytes: 500 accented letters are fine.
        assert!(
            request(RequestKind::Propose, None, &"é".repeat(MAX_REQUEST_CHARS))
                .checked()
                .is_ok()
        );
    }

    #[test]
    fn declining_needs_a_reason_and_comments_are_only_read() {
        let decide = |decision, reason: Option<&str>| DecisionRequest {
            decision,
            reason: reason.map(str::to_owned),
        };
        let open = RequestStatus::Open;
        assert_eq!(
            decide(Decision::Accept, None).checked(RequestKind::Propose, open),
            Ok(None)
        );
        assert_eq!(
            decide(Decision::Decline, Some(" Not safe yet ")).checked(RequestKind::Change, open),
            Ok(Some("Not safe yet".into()))
        );
        let code = |d: DecisionRequest, kind, status| d.checked(kind, status).unwrap_err().code;
        assert_eq!(
            code(decide(Decision::Decline, None), RequestKind::Propose, open),
            "required"
        );
        assert_eq!(
            code(decide(Decision::Decline, Some("  ")), RequestKind::Change, open),
            "required"
        );
        assert_eq!(
            code(decide(Decision::Decline, Some("no")), RequestKind::Comment, open),
            "comment_not_declined"
        );
        assert_eq!(
            code(
                decide(Decision::Accept, None),
                RequestKind::Propose,
                RequestStatus::Declined
            ),
            "already_decided"
        );
    }
}
