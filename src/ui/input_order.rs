//! Typing and clicks that arrive in one frame are taken in two, in the order they came.
//!
//! A frame takes every event that came since the last one. When a frame is slow (a weak laptop on a
//! projector, software rendering), the last letters typed into a field and the click on "Save" can
//! arrive together. egui then takes the click first: a press elsewhere takes the focus from the field
//! before the field reads its letters, and the letters are lost without a word, while the click saves
//! what the field held. Here, when a frame's events hold both, the frame gets them up to where one kind
//! follows the other; the rest is held back for the next frame, which is asked for at once.

use egui::Event;

/// What an event is, for ordering.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Letters, keys, pasting, composing: read by the focused widget.
    Typing,
    /// Pointer buttons and touches: they move the focus.
    Clicking,
    /// Anything else (the pointer moving, the wheel, the window's focus): taken with either.
    Other,
}

fn kind(event: &Event) -> Kind {
    match event {
        Event::Text(_) | Event::Key { .. } | Event::Paste(_) | Event::Ime(_) | Event::Copy | Event::Cut => Kind::Typing,
        Event::PointerButton { .. } | Event::Touch { .. } => Kind::Clicking,
        _ => Kind::Other,
    }
}

/// The events held back for the next frame.
#[derive(Debug, Default)]
pub struct InputOrder {
    held: Vec<Event>,
}

impl InputOrder {
    /// Puts the events held back last frame before `events`, then holds back, from the first event
    /// whose kind (typing or clicking) follows the other kind, everything after it. Returns whether
    /// something is held back: the caller asks for another frame.
    pub fn order(&mut self, events: &mut Vec<Event>) -> bool {
        if !self.held.is_empty() {
            let mut all = std::mem::take(&mut self.held);
            all.append(events);
            *events = all;
        }
        let mut first = Kind::Other;
        let split = events.iter().position(|event| match kind(event) {
            Kind::Other => false,
            kind if first == Kind::Other => {
                first = kind;
                false
            }
            kind => kind != first,
        });
        if let Some(split) = split {
            self.held = events.split_off(split);
        }
        !self.held.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::InputOrder;
    use egui::{Event, Modifiers, PointerButton, pos2};

    fn press(pressed: bool) -> Event {
        Event::PointerButton {
            pos: pos2(10.0, 10.0),
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        }
    }

    #[test]
    fn letters_then_a_click_in_one_frame_become_two_frames_in_that_order() {
        let mut order = InputOrder::default();
        let mut frame = vec![
            Event::Text("a".into()),
            Event::PointerMoved(pos2(10.0, 10.0)),
            Event::Text("b".into()),
            press(true),
            press(false),
            Event::Text("c".into()),
        ];
        assert!(order.order(&mut frame), "something is held for the next frame");
        assert_eq!(
            frame,
            vec![Event::Text("a".into()), Event::PointerMoved(pos2(10.0, 10.0)), Event::Text("b".into())]
        );
        let mut next = vec![Event::PointerMoved(pos2(11.0, 10.0))];
        assert!(order.order(&mut next), "the letter after the click waits once more");
        assert_eq!(next, vec![press(true), press(false)]);
        let mut last = Vec::new();
        assert!(!order.order(&mut last));
        assert_eq!(last, vec![Event::Text("c".into()), Event::PointerMoved(pos2(11.0, 10.0))]);
    }

    #[test]
    fn a_frame_of_one_kind_is_taken_whole() {
        let mut order = InputOrder::default();
        let mut typing = vec![Event::Text("a".into()), Event::PointerMoved(pos2(1.0, 1.0)), Event::Text("b".into())];
        let before = typing.clone();
        assert!(!order.order(&mut typing));
        assert_eq!(typing, before);
        let mut clicks = vec![press(true), Event::PointerMoved(pos2(1.0, 1.0)), press(false), press(true)];
        let before = clicks.clone();
        assert!(!order.order(&mut clicks));
        assert_eq!(clicks, before);
    }
}
