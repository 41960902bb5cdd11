//! Changes made on the device that the server has not confirmed yet: the
//! outbox. The app keeps it in IndexedDB and sends it when it can; the rules
//! of what waits, what is refused and what the person sees meanwhile are here.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ResponseRequest;
use crate::{Agenda, LocalizedText, OutcomeAction, OutcomeRequest, OutcomeStatus, OutcomeView, Problem};

/// What a waiting change does. Stored externally tagged (`{"outcome": {…}}`):
/// an internally or adjacently tagged enum costs the app ~20 KB of wasm.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Done, skipped or undone, with a reading for a measurement.
    Outcome(OutcomeRequest),
    /// A check-in's answers.
    Response(ResponseRequest),
}

/// One change on its way to the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingChange {
    /// The `Idempotency-Key`, the same on every try, so the server stores it once.
    pub key: String,
    /// The order changes were made in, and are sent in.
    pub seq: u64,
    /// Who made it: only that account's session sends it.
    pub account_id: i64,
    pub patient_id: i64,
    pub made_at: DateTime<Utc>,
    /// What it is about (the activity or the check-in), to show it while it waits.
    pub title: LocalizedText,
    pub change: Change,
    /// The exact JSON sent the first time; every retry sends the same bytes.
    pub body: String,
    /// The server's refusal: kept and shown until the person dismisses or retries it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<Problem>,
    /// A check-in's score as the device computed it (total, most possible),
    /// to show while it waits. Kept, not computed again: scoring needs the
    /// questionnaires, which the app loads only with the check-in pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_score: Option<(u8, u8)>,
}

impl PendingChange {
    pub fn is_waiting(&self) -> bool {
        self.refused.is_none()
    }

    /// The outcome request, when this change marks an occurrence.
    pub fn outcome(&self) -> Option<&OutcomeRequest> {
        match &self.change {
            Change::Outcome(request) => Some(request),
            Change::Response(_) => None,
        }
    }
}

/// Whether an answer with this HTTP status refuses a change for good (it is
/// kept and shown), rather than asking to try again later: a lost session
/// (401), a timeout (408), too many requests (429) and server errors wait.
pub fn is_refusal(status: u16) -> bool {
    (400..500).contains(&status) && !matches!(status, 401 | 408 | 429)
}

/// The changes of this device, in the order they were made.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outbox {
    changes: Vec<PendingChange>,
}

impl Outbox {
    /// The outbox of changes read back from storage, in any order.
    pub fn from_changes(changes: Vec<PendingChange>) -> Self {
        let mut outbox = Outbox::default();
        outbox.merge(changes);
        outbox
    }

    pub fn changes(&self) -> &[PendingChange] {
        &self.changes
    }

    /// The place of a change made at `now_millis`: after every change known,
    /// even if the clock went back.
    pub fn next_seq(&self, now_millis: u64) -> u64 {
        let last = self.changes.iter().map(|c| c.seq).max();
        last.map_or(now_millis, |last| now_millis.max(last + 1))
    }

    /// Adds a change, or replaces the one with the same key.
    pub fn add(&mut self, change: PendingChange) {
        self.changes.retain(|c| c.key != change.key);
        self.insert(change);
    }

    /// Adds the changes not known yet (read from storage, perhaps written by
    /// another tab); a change known here keeps its state.
    pub fn merge(&mut self, changes: Vec<PendingChange>) {
        for change in changes {
            if !self.changes.iter().any(|c| c.key == change.key) {
                self.insert(change);
            }
        }
    }

    // In place rather than sorted: a generic sort costs the app kilobytes of wasm.
    fn insert(&mut self, change: PendingChange) {
        let at = self.changes.partition_point(|c| c.seq <= change.seq);
        self.changes.insert(at, change);
    }

    pub fn get(&self, key: &str) -> Option<&PendingChange> {
        self.changes.iter().find(|c| c.key == key)
    }

    /// Forgets a change: the server has it, or the person dismissed its refusal.
    pub fn remove(&mut self, key: &str) -> Option<PendingChange> {
        let index = self.changes.iter().position(|c| c.key == key)?;
        Some(self.changes.remove(index))
    }

    /// Keeps the server's refusal with the change; it is no longer sent.
    pub fn refuse(&mut self, key: &str, problem: Problem) -> Option<&PendingChange> {
        let change = self.changes.iter_mut().find(|c| c.key == key)?;
        change.refused = Some(problem);
        Some(change)
    }

    /// Puts a refused change back in the queue, with the same key and body.
    pub fn retry(&mut self, key: &str) -> Option<&PendingChange> {
        let change = self.changes.iter_mut().find(|c| c.key == key)?;
        change.refused = None;
        Some(change)
    }

    /// What this account's session sends, in order.
    pub fn to_send(&self, account_id: i64) -> impl Iterator<Item = &PendingChange> {
        self.changes
            .iter()
            .filter(move |c| c.account_id == account_id && c.is_waiting())
    }

    pub fn waiting_count(&self, account_id: i64) -> usize {
        self.to_send(account_id).count()
    }

    /// This account's refused changes, oldest first.
    pub fn refused(&self, account_id: i64) -> impl Iterator<Item = &PendingChange> {
        self.changes
            .iter()
            .filter(move |c| c.account_id == account_id && !c.is_waiting())
    }

    /// The keys of waiting changes to one occurrence.
    pub fn waiting_for(&self, account_id: i64, patient_id: i64, occurrence: &str) -> Vec<&str> {
        self.to_send(account_id)
            .filter(|c| c.patient_id == patient_id)
            .filter(|c| {
                c.outcome()
                    .is_some_and(|r| crate::occurrence_key(r.activity_id, r.scheduled) == occurrence)
            })
            .map(|c| c.key.as_str())
            .collect()
    }

    /// The agenda as the person left it: the waiting marks of this account
    /// laid over what the server last said, in the order they were made.
    /// Refused changes are not shown there.
    pub fn overlay(&self, agenda: &mut Agenda, account_id: i64, patient_id: i64, entered_by: &str) {
        for change in self.to_send(account_id).filter(|c| c.patient_id == patient_id) {
            let Some(request) = change.outcome() else { continue };
            let status = match request.action {
                OutcomeAction::Done => Some(OutcomeStatus::Done),
                OutcomeAction::Skipped => Some(OutcomeStatus::Skipped),
                OutcomeAction::Undo => None,
            };
            let outcome = status.map(|status| OutcomeView {
                status,
                reason: request.reason.clone(),
                recorded_at: change.made_at,
                entered_by: entered_by.to_owned(),
                entered_by_id: account_id,
                reading: request.reading,
            });
            agenda.set_outcome(request.activity_id, request.scheduled, outcome);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AgendaItem, QuestionnaireId, Reading};
    use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

    fn at(hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, 9)
            .unwrap()
            .and_hms_opt(hour, 0, 0)
            .unwrap()
    }

    fn item(activity_id: i64, hour: u32) -> AgendaItem {
        crate::agenda::test_item(activity_id, at(hour), None)
    }

    fn agenda() -> Agenda {
        Agenda {
            patient_id: 7,
            patient_name: "Maria".into(),
            zone: "America/Chicago".into(),
            today: at(0).date(),
            from: at(0).date(),
            to: at(0).date(),
            items: vec![item(1, 8), item(1, 20), item(2, 8)],
        }
    }

    fn mark(
        key: &str,
        seq: u64,
        account_id: i64,
        activity_id: i64,
        hour: u32,
        action: OutcomeAction,
    ) -> PendingChange {
        PendingChange {
            key: key.into(),
            seq,
            account_id,
            patient_id: 7,
            made_at: DateTime::from_timestamp_millis(seq as i64).unwrap(),
            title: LocalizedText::new("Metformin", "Metformina"),
            change: Change::Outcome(OutcomeRequest {
                activity_id,
                scheduled: at(hour),
                action,
                reason: None,
                reading: None,
            }),
            body: format!("{{\"n\":{seq}}}"),
            refused: None,
            device_score: None,
        }
    }

    fn refusal(code: &str) -> Problem {
        Problem {
            kind: crate::problem::types::VALIDATION.into(),
            title: "Invalid".into(),
            status: 422,
            detail: None,
            errors: vec![crate::FieldError {
                field: "scheduled".into(),
                code: code.into(),
                message: "not scheduled".into(),
            }],
        }
    }

    #[test]
    fn read_back_in_any_order_it_sends_in_the_order_made() {
        let outbox = Outbox::from_changes(vec![
            mark("c", 30, 1, 2, 8, OutcomeAction::Done),
            mark("a", 10, 1, 1, 8, OutcomeAction::Done),
            mark("b", 20, 1, 1, 8, OutcomeAction::Undo),
        ]);
        let keys: Vec<&str> = outbox.to_send(1).map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["a", "b", "c"]);
    }

    #[test]
    fn the_next_place_is_after_every_change_even_when_the_clock_goes_back() {
        let mut outbox = Outbox::default();
        assert_eq!(outbox.next_seq(500), 500);
        outbox.add(mark("a", 500, 1, 1, 8, OutcomeAction::Done));
        assert_eq!(outbox.next_seq(400), 501);
        assert_eq!(outbox.next_seq(900), 900);
    }

    #[test]
    fn merging_keeps_what_is_known_and_adds_the_rest_once() {
        let mut outbox = Outbox::default();
        outbox.add(mark("a", 1, 1, 1, 8, OutcomeAction::Done));
        outbox.refuse("a", refusal("not_scheduled"));
        outbox.merge(vec![
            mark("a", 1, 1, 1, 8, OutcomeAction::Done),
            mark("b", 2, 1, 2, 8, OutcomeAction::Done),
            mark("b", 2, 1, 2, 8, OutcomeAction::Done),
        ]);
        assert_eq!(outbox.changes().len(), 2);
        assert!(outbox.get("a").unwrap().refused.is_some(), "the refusal stays");
    }

    #[test]
    fn only_the_account_that_made_a_change_sends_it_and_sees_it() {
        let mut outbox = Outbox::default();
        outbox.add(mark("maria", 1, 1, 1, 8, OutcomeAction::Done));
        outbox.add(mark("ana", 2, 2, 2, 8, OutcomeAction::Done));
        assert_eq!(outbox.waiting_count(1), 1);
        assert_eq!(outbox.to_send(2).next().unwrap().key, "ana");
        let mut day = agenda();
        outbox.overlay(&mut day, 2, 7, "Ana");
        assert!(day.items[0].outcome.is_none());
        assert_eq!(day.items[2].outcome.as_ref().unwrap().entered_by, "Ana");
    }

    #[test]
    fn waiting_marks_lie_over_the_agenda_in_order_and_refused_ones_do_not() {
        let mut outbox = Outbox::default();
        outbox.add(mark("a", 1, 1, 1, 8, OutcomeAction::Done));
        outbox.add(mark("b", 2, 1, 1, 20, OutcomeAction::Done));
        outbox.add(mark("c", 3, 1, 1, 20, OutcomeAction::Undo));
        outbox.add(mark("d", 4, 1, 2, 8, OutcomeAction::Skipped));
        outbox.refuse("d", refusal("not_scheduled"));
        let mut day = agenda();
        outbox.overlay(&mut day, 1, 7, "Maria");
        let done = day.items[0].outcome.as_ref().unwrap();
        assert_eq!(done.status, OutcomeStatus::Done);
        assert_eq!(done.recorded_at, DateTime::from_timestamp_millis(1).unwrap());
        assert!(day.items[1].outcome.is_none(), "done then undone");
        assert!(day.items[2].outcome.is_none(), "refused: as the server has it");
        assert_eq!(outbox.waiting_count(1), 3);
        assert_eq!(outbox.refused(1).count(), 1);
        assert_eq!(
            outbox.waiting_for(1, 7, &crate::occurrence_key(1, at(20))),
            ["b", "c"]
        );
        assert!(outbox
            .waiting_for(1, 7, &crate::occurrence_key(2, at(8)))
            .is_empty());
    }

    #[test]
    fn a_retried_refusal_waits_again_with_its_key_and_body() {
        let mut outbox = Outbox::default();
        outbox.add(mark("a", 1, 1, 1, 8, OutcomeAction::Done));
        let before = outbox.get("a").unwrap().clone();
        outbox.refuse("a", refusal("not_scheduled"));
        assert_eq!(outbox.waiting_count(1), 0);
        assert_eq!(outbox.retry("a").unwrap(), &before);
        assert_eq!(outbox.remove("a"), Some(before));
        assert!(outbox.remove("a").is_none());
    }

    #[test]
    fn refusals_are_kept_and_passing_trouble_waits() {
        for status in [400, 403, 404, 409, 413, 422] {
            assert!(is_refusal(status), "{status}");
        }
        for status in [200, 401, 408, 429, 500, 502, 503] {
            assert!(!is_refusal(status), "{status}");
        }
    }

    #[test]
    fn a_change_reads_back_from_its_stored_json() {
        let mut change = mark("a", 1, 1, 1, 8, OutcomeAction::Done);
        if let Change::Outcome(request) = &mut change.change {
            request.reading = Some(Reading::Glucose { mg_dl: 110 });
        }
        change.refused = Some(refusal("not_scheduled"));
        let json = serde_json::to_string(&change).unwrap();
        assert_eq!(serde_json::from_str::<PendingChange>(&json).unwrap(), change);

        let answers = QuestionnaireId::Phq9
            .definition()
            .items
            .iter()
            .map(|i| (i.key.clone(), 1))
            .collect();
        let check_in = PendingChange {
            change: Change::Response(ResponseRequest {
                questionnaire: QuestionnaireId::Phq9,
                answers,
            }),
            device_score: Some((9, 27)),
            made_at: change.made_at + TimeDelta::minutes(1),
            ..mark("b", 2, 1, 1, 8, OutcomeAction::Done)
        };
        let json = serde_json::to_string(&check_in).unwrap();
        let read = serde_json::from_str::<PendingChange>(&json).unwrap();
        assert_eq!(read, check_in);
        assert!(read.outcome().is_none());
        assert_eq!(read.device_score, Some((9, 27)));
    }
}
