//! Changes to the event half of an API: streamed responses and webhooks.
//!
//! A **stream** is compared like any body, its items as the body's type, and also by what
//! ends it (`x-openapi-gen-stream-end`) and by the body property that asks for it (the
//! client's `.stream()` sets it): a client built from the old spec stops at the old end
//! marker, and calls the streaming method the old switch gave it.
//!
//! A **webhook** (or callback) is a request the API sends and the user's code receives, so
//! each direction is the other way round: its body and headers are read like a response
//! (a field that became optional breaks the receiver; one added does not), and its
//! responses are written like a request. Removing a webhook is breaking (the receiver's
//! trait loses a method, and the events stop); adding one is not.

use super::{At, Change, Differ, Dir};
use crate::ir::{Content, Operation};

/// The rules whose breaking-ness is about who sends: a receiver is broken by the opposite.
const SENDER_RULES: [&str; 6] = [
    "parameter-became-required",
    "parameter-became-optional",
    "parameter-added-required",
    "request-body-added-required",
    "request-body-became-required",
    "request-body-became-optional",
];

impl<'a> Differ<'a> {
    /// The webhooks and callbacks of the two versions, seen from their receiver.
    pub(super) fn webhooks(&mut self) {
        let start = self.changes.len();
        self.receiver = true;
        self.operations(&self.old.webhooks, &self.new.webhooks);
        self.receiver = false;
        for change in &mut self.changes[start..] {
            if SENDER_RULES.contains(&change.rule) {
                change.breaking = !change.breaking;
            }
        }
    }

    /// The direction a value travels for the user's code: reversed for a webhook.
    pub(super) fn way(&self, dir: Dir) -> Dir {
        match (self.receiver, dir) {
            (false, dir) => dir,
            (true, Dir::Request) => Dir::Response,
            (true, Dir::Response) => Dir::Request,
        }
    }

    /// One media type of a body in both versions: when it is a stream, what ends it.
    pub(super) fn stream(&mut self, o: &Content, n: &Content, at: &At) {
        if !(o.kind.is_sequential() && n.kind.is_sequential()) || o.stream_end == n.stream_end {
            return;
        }
        let words = |end: &Option<String>| match end {
            Some(marker) => format!("`{marker}`"),
            None => "the end of the body".to_string(),
        };
        self.push(
            true,
            "stream-end-changed",
            at,
            format!(
                "{}: the stream now ends at {} (was {})",
                at.place,
                words(&n.stream_end),
                words(&o.stream_end)
            ),
        );
    }

    /// The body property that chooses between a JSON answer and a stream.
    pub(super) fn stream_switch(&mut self, o: &Operation, n: &Operation, at: &At) {
        let (rule, breaking, message) = match (&o.stream_switch, &n.stream_switch) {
            (None, None) => return,
            (Some(_), None) => (
                "stream-switch-removed",
                true,
                "the body property that asked for a stream is gone: the client's `.stream()` call with it".to_string(),
            ),
            (None, Some(s)) => (
                "stream-switch-added",
                false,
                format!("the body property `{}` now asks for a stream: the client gains `.stream()`", s.rust_name),
            ),
            (Some(a), Some(b)) if a.rust_name != b.rust_name => (
                "stream-switch-changed",
                true,
                format!(
                    "a stream is now asked for by the body property `{}` (was `{}`)",
                    b.rust_name, a.rust_name
                ),
            ),
            (Some(_), Some(_)) => return,
        };
        self.changes.push(Change {
            breaking,
            rule,
            subject: at.subject.clone(),
            message,
            old: o.stream_switch.as_ref().map(|_| o.pointer.clone()),
            new: n.stream_switch.as_ref().map(|_| n.pointer.clone()),
        });
    }
}
