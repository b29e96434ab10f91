//! The shape of a Trello board export: only the parts Tandem reads or counts.

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Board {
    #[serde(default)]
    pub(super) name: String,
    #[serde(default)]
    pub(super) desc: String,
    pub(super) lists: Vec<List>,
    pub(super) cards: Vec<Card>,
    #[serde(default)]
    pub(super) checklists: Vec<Checklist>,
    #[serde(default)]
    pub(super) actions: Vec<Action>,
    #[serde(default)]
    pub(super) members: Vec<Member>,
}

#[derive(Debug, Deserialize)]
pub(super) struct List {
    pub(super) id: String,
    #[serde(default)]
    pub(super) name: String,
    #[serde(default)]
    pub(super) pos: f64,
    #[serde(default)]
    pub(super) closed: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Card {
    pub(super) id: String,
    #[serde(default)]
    pub(super) name: String,
    #[serde(default)]
    pub(super) desc: String,
    pub(super) id_list: String,
    #[serde(default)]
    pub(super) pos: f64,
    #[serde(default)]
    pub(super) closed: bool,
    #[serde(default)]
    pub(super) due: Option<String>,
    #[serde(default)]
    pub(super) due_complete: bool,
    #[serde(default)]
    pub(super) start: Option<String>,
    #[serde(default)]
    pub(super) badges: Option<Badges>,
    #[serde(default)]
    pub(super) labels: Vec<Label>,
    #[serde(default)]
    pub(super) id_members: Vec<String>,
    #[serde(default)]
    pub(super) id_members_voted: Vec<Value>,
    #[serde(default)]
    pub(super) attachments: Vec<Value>,
    #[serde(default)]
    pub(super) custom_field_items: Vec<Value>,
    #[serde(default)]
    pub(super) stickers: Vec<Value>,
    #[serde(default)]
    pub(super) date_last_activity: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct Badges {
    #[serde(default)]
    pub(super) comments: usize,
}

#[derive(Debug, Deserialize)]
pub(super) struct Label {
    #[serde(default)]
    pub(super) name: String,
    #[serde(default)]
    pub(super) color: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Checklist {
    pub(super) id_card: String,
    #[serde(default)]
    pub(super) name: String,
    #[serde(default)]
    pub(super) pos: f64,
    #[serde(default)]
    pub(super) check_items: Vec<CheckItem>,
}

#[derive(Debug, Deserialize)]
pub(super) struct CheckItem {
    #[serde(default)]
    pub(super) name: String,
    #[serde(default)]
    pub(super) state: String,
    #[serde(default)]
    pub(super) pos: f64,
}

#[derive(Debug, Deserialize)]
pub(super) struct Action {
    #[serde(rename = "type", default)]
    pub(super) kind: String,
    #[serde(default)]
    pub(super) date: String,
    #[serde(default)]
    pub(super) data: ActionData,
    #[serde(rename = "memberCreator", default)]
    pub(super) member_creator: Option<Member>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Member {
    #[serde(default)]
    pub(super) id: String,
    #[serde(default)]
    pub(super) full_name: String,
    #[serde(default)]
    pub(super) username: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ActionData {
    #[serde(default)]
    pub(super) card: Option<Reference>,
    #[serde(default)]
    pub(super) list: Option<Reference>,
    #[serde(default)]
    pub(super) list_before: Option<Reference>,
    #[serde(default)]
    pub(super) list_after: Option<Reference>,
    #[serde(default)]
    pub(super) text: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Reference {
    #[serde(default)]
    pub(super) id: String,
}
