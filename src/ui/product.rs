//! The product window: the product's name (shown above every view) and its vision.

use egui::{RichText, TextEdit};

use super::widgets::window::{Foot, FootText, WindowOutcome, record_foot_ui};
use crate::app::{Command, RoadmapCommand};
use crate::model::Product;

/// The product being edited.
#[derive(Clone, Debug)]
pub struct ProductEditor {
    draft: Product,
    /// The product as stored when editing began (or when a save last said it changed elsewhere).
    base: Product,
    error: Option<String>,
    /// Asks before closing with unsaved changes.
    pub closing: crate::ui::widgets::window::CloseGuard,
}

impl ProductEditor {
    /// Starts editing the product.
    #[must_use]
    pub fn new(product: &Product) -> Self {
        Self {
            draft: product.clone(),
            base: product.clone(),
            error: None,
            closing: crate::ui::widgets::window::CloseGuard::default(),
        }
    }

    /// Whether anything typed differs from the product as stored.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.draft.name.trim() != self.base.name || self.draft.vision != self.base.vision
    }

    /// The product in words, for questions.
    #[must_use]
    pub fn what(&self) -> String {
        format!("the product '{}'", self.base.name)
    }

    /// The product to save over `current` (what the workspace holds now): the user's name and vision on
    /// top of what changed elsewhere meanwhile.
    fn saved(&mut self, current: &Product) -> Result<Product, String> {
        let mine = Product { name: self.draft.name.trim().to_owned(), vision: self.draft.vision.clone() };
        let what = self.what();
        crate::ui::widgets::saving::merged_for_save(
            &mut self.base,
            &mine,
            Some(current),
            &what,
            crate::model::three_way::merge_product,
            Product::validate,
        )
    }
}

// There is one product: its window always edits the same record.
crate::ui::widgets::window::draft_window!(ProductEditor, |_one, _other| true);

/// Shows the window; `current` is the product as the workspace holds it now.
pub fn product_editor_ui(ctx: &egui::Context, editor: &mut ProductEditor, current: &Product) -> WindowOutcome {
    let mut outcome = WindowOutcome::Open;
    let mut open = true;
    crate::ui::widgets::window::titled(ctx, "Product").open(&mut open).collapsible(false).resizable(false).show(
        ctx,
        |ui| {
            ui.label(
                RichText::new("The name shows above every view and in exports; the vision is what the plan serves.")
                    .weak(),
            );
            ui.add_space(4.0);
            let label = ui.label("Product name");
            let name = ui.add(TextEdit::singleline(&mut editor.draft.name).desired_width(360.0)).labelled_by(label.id);
            crate::ui::widgets::window::focus_when_opened(ui, &name);
            let label = ui.label("Vision");
            ui.add(
                TextEdit::multiline(&mut editor.draft.vision)
                    .hint_text("For whom, what problem, and why this product solves it")
                    .desired_rows(4)
                    .desired_width(360.0),
            )
            .labelled_by(label.id);
            let what = editor.what();
            let dirty = editor.is_dirty();
            let text = FootText { what: &what, save: "Save product", delete: None, leaves: None };
            let mut never = false;
            match record_foot_ui(ui, editor.error.as_deref(), &mut editor.closing, &mut never, dirty, text) {
                Foot::Nothing | Foot::Delete => {}
                Foot::Close => outcome = WindowOutcome::Closed,
                Foot::Save => match editor.saved(current) {
                    Ok(product) => {
                        outcome = WindowOutcome::Apply(Command::Roadmap(RoadmapCommand::UpdateProduct(product)));
                    }
                    Err(error) => editor.error = Some(error),
                },
            }
        },
    );
    // ✖ asks like Cancel when something is not saved.
    if !open && outcome == WindowOutcome::Open && editor.closing.request(editor.is_dirty()) {
        outcome = WindowOutcome::Closed;
    }
    outcome
}
