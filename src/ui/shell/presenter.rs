//! Presenter mode, for workshops and reviews on a projector: full screen, large type, high contrast,
//! the menus and toolbar replaced by one slim bar with the view's name and a timer for time-boxed
//! sessions. Page Down / Page Up (what a presentation clicker sends) step between the views; F11 or
//! Esc leaves, and everything is as it was.

use std::time::{Duration, Instant};

use egui::{RichText, Ui};

use super::{TandemApp, UiAction, View, theme};
use crate::ui::shortcuts;

/// How much larger everything is drawn while presenting.
const ZOOM_FACTOR: f32 = 1.5;

/// The time-box lengths offered, in minutes.
const TIME_BOXES: [u64; 5] = [5, 10, 15, 30, 60];

/// What presenter mode changed, to put back when it ends, and its timer.
#[derive(Clone, Debug)]
pub(super) struct Presenter {
    zoom_before: f32,
    timer: Timer,
}

/// A countdown for a time-boxed session.
#[derive(Clone, Debug, Default)]
struct Timer {
    /// The time-box chosen, if any.
    length: Option<Duration>,
    /// Time already used while the timer ran before its last pause.
    used: Duration,
    /// When it was last started, while it runs.
    running_since: Option<Instant>,
}

impl Timer {
    fn used(&self) -> Duration {
        self.used + self.running_since.map_or(Duration::ZERO, |since| since.elapsed())
    }

    fn remaining(&self) -> Option<Duration> {
        self.length.map(|length| length.saturating_sub(self.used()))
    }

    fn start(&mut self, length: Duration) {
        *self = Self { length: Some(length), used: Duration::ZERO, running_since: Some(Instant::now()) };
    }

    fn toggle(&mut self) {
        if let Some(since) = self.running_since.take() {
            self.used += since.elapsed();
        } else if self.length.is_some() {
            self.running_since = Some(Instant::now());
        }
    }
}

/// `m:ss`, or `h:mm:ss` from an hour up.
fn clock(duration: Duration) -> String {
    let seconds = duration.as_secs();
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours > 0 { format!("{hours}:{minutes:02}:{seconds:02}") } else { format!("{minutes}:{seconds:02}") }
}

impl TandemApp {
    /// Whether presenter mode is on.
    #[must_use]
    pub fn is_presenting(&self) -> bool {
        self.presenter.is_some()
    }

    /// Turns presenter mode on or off (F11, View ▸ Presenter mode).
    pub(super) fn toggle_presenter(&mut self, ctx: &egui::Context) {
        if let Some(presenter) = self.presenter.take() {
            ctx.set_zoom_factor(presenter.zoom_before);
            theme::install_visuals(ctx, self.prefs.high_contrast);
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
            self.say("Presenter mode ended.");
        } else {
            let zoom_before = ctx.zoom_factor();
            self.presenter = Some(Presenter { zoom_before, timer: Timer::default() });
            ctx.set_zoom_factor((zoom_before * ZOOM_FACTOR).min(3.0));
            theme::install_visuals(ctx, true);
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
            self.say("Presenter mode: Page Down and Page Up switch views, F11 or Esc ends it.");
        }
    }

    /// The presenter's keys: Page Down / Page Up step between the views, T starts or pauses the timer.
    pub(super) fn presenter_keys(&mut self, ctx: &egui::Context, actions: &mut Vec<UiAction>) {
        if ctx.input_mut(|input| shortcuts::consume_exactly(input, &shortcuts::PRESENTER)) {
            self.toggle_presenter(ctx);
            return;
        }
        let Some(presenter) = self.presenter.as_mut() else {
            return;
        };
        if ctx.text_edit_focused() {
            return;
        }
        let (next, previous, timer) = ctx.input_mut(|input| {
            (
                input.consume_shortcut(&shortcuts::NEXT_VIEW),
                input.consume_shortcut(&shortcuts::PREVIOUS_VIEW),
                input.consume_shortcut(&shortcuts::TIMER),
            )
        });
        let index = View::ALL.iter().position(|view| *view == self.prefs.view).unwrap_or(0);
        let count = View::ALL.len();
        if next && let Some(view) = View::ALL.get((index + 1) % count) {
            actions.push(UiAction::Show(*view));
        }
        if previous && let Some(view) = View::ALL.get((index + count - 1) % count) {
            actions.push(UiAction::Show(*view));
        }
        if timer {
            if presenter.timer.length.is_none() {
                presenter.timer.start(Duration::from_mins(10));
            } else {
                presenter.timer.toggle();
            }
        }
    }

    /// The slim bar that replaces the menus and the toolbar while presenting.
    pub(super) fn presenter_bar_ui(&mut self, ui: &mut Ui, actions: &mut Vec<UiAction>) {
        let view = self.prefs.view;
        let product = self.app.as_ref().map(|app| app.workspace().product.name.clone()).unwrap_or_default();
        let mut leave = false;
        let Some(presenter) = self.presenter.as_mut() else {
            return;
        };
        ui.horizontal_wrapped(|ui| {
            crate::ui::widgets::a11y::heading(ui, RichText::new(format!("{product} · {}", view.label())).strong());
            ui.separator();
            for other in View::ALL {
                if ui.selectable_label(other == view, other.label()).clicked() {
                    actions.push(UiAction::Show(other));
                }
            }
            ui.separator();
            timer_ui(ui, &mut presenter.timer);
            ui.separator();
            if ui.button(format!("End presenting ({})", ui.ctx().format_shortcut(&shortcuts::PRESENTER))).clicked() {
                leave = true;
            }
        });
        if presenter.timer.running_since.is_some() {
            ui.ctx().request_repaint_after(Duration::from_millis(250));
        }
        if leave {
            let ctx = ui.ctx().clone();
            self.toggle_presenter(&ctx);
        }
    }
}

/// The time-box: buttons to start one, the time left in large type, pause and resume. Time up is said
/// in words, not only in colour.
fn timer_ui(ui: &mut Ui, timer: &mut Timer) {
    ui.menu_button("⏱ Time-box", |ui| {
        for minutes in TIME_BOXES {
            if ui.button(format!("{minutes} minutes")).clicked() {
                timer.start(Duration::from_mins(minutes));
            }
        }
    });
    let Some(remaining) = timer.remaining() else {
        return;
    };
    let visuals = ui.visuals().clone();
    let (text, colour) = if remaining.is_zero() {
        (
            format!("⏰ Time is up ({} over)", clock(timer.used().saturating_sub(timer.length.unwrap_or_default()))),
            theme::warning_colour(&visuals),
        )
    } else {
        (format!("⏱ {} left", clock(remaining)), visuals.strong_text_color())
    };
    let response = ui.label(RichText::new(text).heading().color(colour));
    ui.ctx().accesskit_node_builder(response.id, |node| node.set_live(egui::accesskit::Live::Off));
    let running = timer.running_since.is_some();
    if ui.button(if running { "Pause" } else { "Resume" }).clicked() {
        timer.toggle();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_reads_minutes_and_seconds_then_hours() {
        assert_eq!(clock(Duration::from_secs(0)), "0:00");
        assert_eq!(clock(Duration::from_secs(9 * 60 + 5)), "9:05");
        assert_eq!(clock(Duration::from_secs(3600 + 61)), "1:01:01");
    }

    #[test]
    fn a_paused_timer_keeps_its_time() {
        let mut timer = Timer::default();
        timer.start(Duration::from_mins(10));
        timer.toggle();
        let paused = timer.remaining();
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(timer.remaining(), paused, "paused: no time passes");
        assert!(paused.is_some_and(|left| left <= Duration::from_mins(10)));
    }
}
