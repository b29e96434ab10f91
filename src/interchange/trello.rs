//! Trello board exports (Board menu → Print, export and share → Export as JSON).
//!
//! Open lists become columns in `pos` order and open cards become items in `pos` order within their
//! list. Checklists become acceptance criteria, labels become labels (a label called bug, spike or enabler
//! also sets the item's kind), due and start dates become the item's dates, members its assignee, comments
//! its comments, and the card's moves between lists recorded in the export's actions become its status
//! history. Archived cards become archived items; the cards of archived lists are skipped unless the user
//! asks for them (then they are archived items too). Everything that is not kept is counted in the
//! conversion's losses.

use std::collections::HashMap;

use serde_json::Value;

use super::convert::{Tally, append_line, fit_description, fit_label, fit_title, item_dates, looks_done, plural};
use super::document::{Conversion, DocColumn, DocComment, DocItem, DocMove, Document};
use super::trello_format::{Board, Card, CheckItem, Checklist, List, Member};
use crate::model::{Date, ItemKind, Product, Timestamp};

/// How many actions Trello puts in a board export at most.
const TRELLO_ACTION_CAP: usize = 1000;

/// Whether parsed JSON looks like any Trello export (a board, a card, a list).
#[must_use]
pub fn is_trello(value: &Value) -> bool {
    let Some(object) = value.as_object() else {
        return false;
    };
    let url_is_trello = object.get("url").and_then(Value::as_str).is_some_and(|url| url.contains("trello.com"));
    url_is_trello || object.contains_key("idBoard") || (object.contains_key("lists") && object.contains_key("cards"))
}

/// The time a Trello id was created: its first eight hex digits are seconds since 1970.
fn id_time(id: &str) -> Option<Timestamp> {
    let seconds = i64::from_str_radix(id.get(..8)?, 16).ok()?;
    Timestamp::from_second(seconds).ok()
}

fn kind_from_labels(labels: &[String]) -> ItemKind {
    let has = |words: &[&str]| labels.iter().any(|label| words.iter().any(|word| label.to_lowercase().contains(word)));
    if has(&["bug", "defect", "バグ"]) {
        ItemKind::Bug
    } else if has(&["spike", "research"]) {
        ItemKind::Spike
    } else if has(&["enabler", "tech debt", "technical"]) {
        ItemKind::Enabler
    } else {
        ItemKind::Story
    }
}

/// A member's full name, or their user name when the full name is empty.
fn member_name(member: &Member) -> String {
    let name = if member.full_name.trim().is_empty() { member.username.trim() } else { member.full_name.trim() };
    if name.is_empty() {
        "Trello member".to_owned()
    } else {
        name.chars().take(crate::model::comment::MAX_AUTHOR_LEN).collect()
    }
}

/// Converts a parsed Trello board export. The cards of archived lists are skipped, or with
/// `archived_lists` imported as archived items.
///
/// # Errors
/// A message saying why the JSON is not a Trello board export Tandem can read.
#[expect(clippy::too_many_lines, reason = "one pass over the board's parts, each mapped and counted")]
pub fn convert(value: Value, archived_lists: bool) -> Result<Document, String> {
    let object = value.as_object().ok_or("it is not a JSON object")?;
    if !object.contains_key("lists") && (object.contains_key("idList") || object.contains_key("idBoard")) {
        return Err("it is the export of a single Trello card, not of a board. In Trello, open the board's menu, \
                    choose Print, export and share → Export as JSON, and import that file"
            .to_owned());
    }
    let board: Board = serde_path_to_error::deserialize(value).map_err(|error| {
        format!("the field {} is wrong ({}); export the board from Trello again", error.path(), error.inner())
    })?;

    let mut tally = Tally::default();
    let mut document = Document::empty(Product {
        name: fit_title(if board.name.trim().is_empty() { "Trello board" } else { &board.name }).0,
        vision: fit_description(&board.desc).0,
    });

    let mut lists: Vec<&List> = board.lists.iter().filter(|list| !list.closed).collect();
    lists.sort_by(|a, b| a.pos.total_cmp(&b.pos));
    let mut column_of: HashMap<&str, i64> = HashMap::new();
    for (list, id) in lists.iter().zip(1..) {
        column_of.insert(list.id.as_str(), id);
        document.columns.push(DocColumn {
            id,
            name: fit_title(&list.name).0,
            wip_limit: None,
            is_done: looks_done(&list.name),
        });
    }
    // Lookups by list id through maps, so boards with thousands of lists stay linear.
    let mut cards_per_list: HashMap<&str, usize> = HashMap::new();
    for card in &board.cards {
        *cards_per_list.entry(card.id_list.as_str()).or_default() += 1;
    }
    let closed_lists: std::collections::HashSet<&str> =
        board.lists.iter().filter(|list| list.closed).map(|list| list.id.as_str()).collect();
    let list_places: HashMap<&str, usize> =
        lists.iter().enumerate().map(|(place, list)| (list.id.as_str(), place)).collect();
    let mut archived_list_cards = 0;
    for list in board.lists.iter().filter(|list| list.closed) {
        let cards = cards_per_list.get(list.id.as_str()).copied().unwrap_or(0);
        archived_list_cards += cards;
        if !archived_lists || cards == 0 {
            tally.add(format!("archived list '{}' skipped, with {} in it", list.name, plural(cards, "card")), 1);
        }
    }
    if document.columns.is_empty() {
        return Err("the board has no open lists, so there is nothing to import".to_owned());
    }
    // Where a card of an archived list goes back to when it is unarchived: the done column, or the last.
    let fallback_column =
        document.columns.iter().find(|column| column.is_done).or(document.columns.last()).map_or(1, |column| column.id);

    let mut checklists: HashMap<&str, Vec<&Checklist>> = HashMap::new();
    for checklist in &board.checklists {
        checklists.entry(checklist.id_card.as_str()).or_default().push(checklist);
    }

    // Moves between lists, oldest first, per card.
    let mut created: HashMap<&str, (String, Option<&str>)> = HashMap::new();
    let mut moves: HashMap<&str, Vec<(String, &str, &str)>> = HashMap::new();
    let mut comments = 0;
    let mut card_comments: HashMap<&str, Vec<DocComment>> = HashMap::new();
    let mut creators: HashMap<&str, String> = HashMap::new();
    let member_names: HashMap<&str, String> =
        board.members.iter().map(|member| (member.id.as_str(), member_name(member))).collect();
    for action in &board.actions {
        let Some(card) = action.data.card.as_ref() else {
            continue;
        };
        match action.kind.as_str() {
            "createCard" => {
                if let Some(member) = &action.member_creator {
                    creators.insert(card.id.as_str(), member_name(member));
                }
                created.insert(
                    card.id.as_str(),
                    (action.date.clone(), action.data.list.as_ref().map(|list| list.id.as_str())),
                );
            }
            "updateCard" => {
                if let (Some(before), Some(after)) = (&action.data.list_before, &action.data.list_after) {
                    moves.entry(card.id.as_str()).or_default().push((
                        action.date.clone(),
                        before.id.as_str(),
                        after.id.as_str(),
                    ));
                }
            }
            "commentCard" => {
                let Some(text) = action.data.text.as_deref().map(str::trim).filter(|text| !text.is_empty()) else {
                    continue;
                };
                let author = action.member_creator.as_ref().map_or("", |member| {
                    if member.full_name.trim().is_empty() {
                        member.username.as_str()
                    } else {
                        member.full_name.as_str()
                    }
                });
                let author = if author.trim().is_empty() { "Trello member" } else { author.trim() };
                let kept: String = text.chars().take(crate::model::comment::MAX_COMMENT_LEN).collect();
                tally.add("comments longer than 10,000 characters shortened", usize::from(kept.len() < text.len()));
                comments += 1;
                card_comments.entry(card.id.as_str()).or_default().push(DocComment {
                    author: author.chars().take(crate::model::comment::MAX_AUTHOR_LEN).collect(),
                    at: action.date.clone(),
                    text: kept,
                });
            }
            _ => {}
        }
    }
    let counted_on_cards: usize =
        board.cards.iter().filter_map(|card| card.badges.as_ref()).map(|badges| badges.comments).sum();
    tally.add(
        format!(
            "comments the cards count but the file does not hold ({comments} of theirs are in it): Trello's export stops at the last 1,000 actions, so older comments cannot be imported"
        ),
        counted_on_cards.saturating_sub(comments),
    );
    if board.actions.len() >= TRELLO_ACTION_CAP {
        tally.add(
            "the export holds only Trello's last 1,000 actions: moves older than those are not in the file, so older cards' status history starts later than it did",
            1,
        );
    }

    let mut cards: Vec<&Card> = board.cards.iter().collect();
    cards.sort_by(|a, b| {
        let list_position = |card: &Card| list_places.get(card.id_list.as_str());
        list_position(a).cmp(&list_position(b)).then(a.pos.total_cmp(&b.pos))
    });
    let mut due_dates = 0;
    let mut start_dates = 0;
    let mut checklist_items = 0;
    let mut imported_comments = 0;
    let mut archived_cards = 0;
    let mut kinds_from_labels: HashMap<ItemKind, usize> = HashMap::new();
    let (mut assignees, mut reporters) = (0, 0);
    let mut from_archived_lists = 0;
    let mut label_colours: std::collections::BTreeMap<String, crate::model::Colour> = std::collections::BTreeMap::new();
    for card in cards {
        let closed_list = closed_lists.contains(card.id_list.as_str());
        if closed_list && !archived_lists {
            continue;
        }
        let archived_at = (card.closed || closed_list).then(|| {
            archived_cards += 1;
            from_archived_lists += usize::from(closed_list);
            tally.add(
                "archive dates: Trello's export does not say when a card was archived, so its last activity is used",
                1,
            );
            card.date_last_activity.clone().filter(|at| !at.is_empty()).unwrap_or_else(|| {
                id_time(&card.id).map_or_else(|| jiff::Timestamp::now().to_string(), |at| at.to_string())
            })
        });
        let column = if closed_list {
            last_open_list(card, &created, &moves, &column_of).unwrap_or(fallback_column)
        } else if let Some(&column) = column_of.get(card.id_list.as_str()) {
            column
        } else {
            tally.add("cards in a list the export does not contain skipped", 1);
            continue;
        };
        let (title, shortened) = fit_title(&card.name);
        if shortened {
            tally.add("card names longer than 200 characters shortened", 1);
        }
        let (mut description, cut) = fit_description(&card.desc);
        if cut {
            tally.add("card descriptions longer than 20,000 characters shortened", 1);
        }
        let day_of = |text: &Option<String>| -> Option<Date> {
            text.as_deref().filter(|text| !text.is_empty()).and_then(|text| text.get(..10)?.parse().ok())
        };
        let (start_date, due_date) =
            item_dates(day_of(&card.start), day_of(&card.due), &mut description, "Trello", &mut tally);
        due_dates += usize::from(due_date.is_some());
        start_dates += usize::from(start_date.is_some());
        if card.due_complete && due_date.is_some() {
            append_line(&mut description, "Due date marked complete in Trello");
        }
        let labels: Vec<String> = card
            .labels
            .iter()
            .filter_map(|label| {
                let name = if label.name.trim().is_empty() {
                    label.color.clone().unwrap_or_default()
                } else {
                    label.name.clone()
                };
                let name = fit_label(&name)?;
                if let Some((colour, shade)) = label.color.as_deref().and_then(crate::model::label::from_trello) {
                    match label_colours.get(&name) {
                        None => {
                            label_colours.insert(name.clone(), colour);
                            tally.add(
                                "label colours that are shades in Trello (green_dark, sky_light…): kept as their base colour",
                                usize::from(shade),
                            );
                        }
                        Some(kept) if *kept != colour => tally.add(
                            "labels named alike with different colours in Trello: the first colour is kept",
                            1,
                        ),
                        Some(_) => {}
                    }
                }
                Some(name)
            })
            .fold(Vec::new(), |mut unique, label| {
                if !unique.contains(&label) {
                    unique.push(label);
                }
                unique
            });
        let mut criteria = Vec::new();
        if let Some(lists_of_card) = checklists.get_mut(card.id.as_str()) {
            lists_of_card.sort_by(|a, b| a.pos.total_cmp(&b.pos));
            // Trello names a new checklist "Checklist"; any other name (or several lists) says something.
            let named = lists_of_card.len() > 1
                || lists_of_card.iter().any(|list| !list.name.trim().eq_ignore_ascii_case("checklist"));
            for checklist in lists_of_card.iter() {
                let mut items: Vec<&CheckItem> = checklist.check_items.iter().collect();
                items.sort_by(|a, b| a.pos.total_cmp(&b.pos));
                for item in items {
                    let text = if named {
                        format!("{}: {}", checklist.name.trim(), item.name.trim())
                    } else {
                        item.name.trim().to_owned()
                    };
                    let text: String = text.chars().take(1000).collect();
                    if text.trim().is_empty() {
                        continue;
                    }
                    checklist_items += 1;
                    criteria.push(crate::model::Criterion { text, done: item.state == "complete" });
                }
            }
        }
        let mut members = card.id_members.iter().map(|id| {
            member_names.get(id.as_str()).cloned().unwrap_or_else(|| {
                tally.add("members the board's member list does not name: kept as 'Trello member' and their id", 1);
                format!("Trello member {}", id.chars().take(8).collect::<String>())
            })
        });
        let assignee = members.next();
        let others: Vec<String> = members.collect();
        if !others.is_empty() {
            append_line(&mut description, &format!("Also on this card in Trello: {}", others.join(", ")));
            tally.add(
                "cards with several members: the first is the assignee, the others are named in the description",
                1,
            );
        }
        assignees += usize::from(assignee.is_some());
        let reporter = creators.get(card.id.as_str()).cloned();
        reporters += usize::from(reporter.is_some());
        tally.add("votes: not imported", card.id_members_voted.len());
        tally.add("attachments: Tandem keeps no files; not imported", card.attachments.len());
        tally.add("custom field values: not imported", card.custom_field_items.len());
        tally.add("stickers: not imported", card.stickers.len());

        let (history, started_elsewhere) = card_history(card, &created, &moves, &column_of, column);
        tally.add(
            "cards created in a list that is archived now: their history starts in the first open list they reached",
            usize::from(started_elsewhere),
        );
        let kind = kind_from_labels(&labels);
        *kinds_from_labels.entry(kind).or_default() += usize::from(kind != ItemKind::Story);
        let mut comments = card_comments.remove(card.id.as_str()).unwrap_or_default();
        // Trello lists actions newest first.
        comments.sort_by(|a, b| a.at.cmp(&b.at));
        imported_comments += comments.len();
        document.items.push(DocItem {
            description,
            criteria,
            labels,
            history,
            comments,
            assignee,
            reporter,
            start_date,
            due_date,
            archived_at,
            ..DocItem::new(kind, title, column)
        });
    }

    document.label_colours =
        label_colours.into_iter().map(|(label, colour)| super::document::DocLabelColour { label, colour }).collect();
    tally.add(
        "comments on cards in archived lists or no longer on the board: skipped with their cards",
        card_comments.values().map(Vec::len).sum(),
    );
    let done_columns: Vec<&str> =
        document.columns.iter().filter(|column| column.is_done).map(|column| column.name.as_str()).collect();
    document.conversion = Conversion {
        source: format!("Trello board '{}'", board.name),
        mapping: vec![
            format!("{} open lists → columns, in Trello's order", document.columns.len()),
            format!(
                "{} open cards → backlog items, in Trello's order within each list",
                document.items.len() - archived_cards
            ),
            format!(
                "{} → archived items: off the board, with their history and comments, and counted in the delivery charts",
                plural(archived_cards, "archived card")
            ),
            if archived_lists {
                format!(
                    "{} of archived lists → archived items, going back to the last open list they were in (or '{}') when unarchived",
                    plural(from_archived_lists, "card"),
                    document.columns.iter().find(|column| column.id == fallback_column).map_or("", |c| c.name.as_str())
                )
            } else {
                format!(
                    "{} of archived lists → not imported (to bring them in as archived items: the preview's option, or --archived-lists)",
                    plural(archived_list_cards, "card")
                )
            },
            format!(
                "{} → label colours (Trello's colour names: green, yellow, orange, red, purple, blue, sky, lime, pink, black)",
                plural(document.label_colours.len(), "label colour")
            ),
            format!("{} → acceptance criteria (ticked stays ticked)", plural(checklist_items, "checklist item")),
            format!(
                "labels → labels (an unnamed label keeps its colour name); a label containing bug, defect or バグ makes the item a bug ({}), spike or research a spike ({}), enabler, tech debt or technical an enabler ({})",
                kinds_from_labels.get(&ItemKind::Bug).copied().unwrap_or(0),
                kinds_from_labels.get(&ItemKind::Spike).copied().unwrap_or(0),
                kinds_from_labels.get(&ItemKind::Enabler).copied().unwrap_or(0)
            ),
            format!(
                "{} → due dates; one ticked complete in Trello also gets a 'Due date marked complete' line in the description",
                plural(due_dates, "due date")
            ),
            format!("{} → start dates", plural(start_dates, "start date")),
            "checklist names other than Trello's default 'Checklist' → the start of each of their criteria".to_owned(),
            "moves between lists in the board's activity → each item's status history".to_owned(),
            format!("{} → comments, with their author's full name and date", plural(imported_comments, "comment")),
            format!(
                "card members → assignee, the first member ({assignees} cards); who created a card → its reporter ({reporters} cards)"
            ),
            if done_columns.is_empty() {
                "no list looks like a 'done' column; mark one in Column settings so progress and velocity count"
                    .to_owned()
            } else {
                format!("'{}' counted as done", done_columns.join("', '"))
            },
        ],
        losses: tally.sentences(),
        archived_list_cards,
    };
    // A board whose archived lists hold no cards has nothing to say about them.
    document.conversion.mapping.retain(|line| !line.starts_with("0 cards of archived lists"));
    Ok(document)
}

/// The open list a card of an archived list was last seen in, by its moves and where it was created.
fn last_open_list(
    card: &Card,
    created: &HashMap<&str, (String, Option<&str>)>,
    moves: &HashMap<&str, Vec<(String, &str, &str)>>,
    column_of: &HashMap<&str, i64>,
) -> Option<i64> {
    let mut card_moves = moves.get(card.id.as_str()).cloned().unwrap_or_default();
    card_moves.sort_by(|a, b| a.0.cmp(&b.0));
    card_moves
        .iter()
        .rev()
        .find_map(|(_, before, after)| column_of.get(after).or_else(|| column_of.get(before)).copied())
        .or_else(|| created.get(card.id.as_str()).and_then(|(_, list)| column_of.get((*list)?).copied()))
}

fn card_history(
    card: &Card,
    created: &HashMap<&str, (String, Option<&str>)>,
    moves: &HashMap<&str, Vec<(String, &str, &str)>>,
    column_of: &HashMap<&str, i64>,
    current: i64,
) -> (Vec<DocMove>, bool) {
    let mut card_moves = moves.get(card.id.as_str()).cloned().unwrap_or_default();
    card_moves.sort_by(|a, b| a.0.cmp(&b.0));
    let created_at = created
        .get(card.id.as_str())
        .map(|(date, _)| date.clone())
        .or_else(|| id_time(&card.id).map(|time| time.to_string()));
    let first_raw = created
        .get(card.id.as_str())
        .and_then(|(_, list)| *list)
        .or_else(|| card_moves.first().map(|(_, before, _)| *before));
    // A card created in a list that is archived now starts in the first open list it reached, not in
    // the list it is in today (which would make it look done the day it was created).
    let first_known = first_raw.and_then(|list| column_of.get(list).copied());
    let started_elsewhere = first_raw.is_some() && first_known.is_none();
    let first_list = first_known
        .or_else(|| card_moves.iter().find_map(|(_, _, after)| column_of.get(after).copied()))
        .unwrap_or(current);
    let mut history = Vec::new();
    if let Some(at) = created_at {
        history.push(DocMove { at, to: first_list });
    }
    for (at, _, after) in card_moves {
        if let Some(&to) = column_of.get(after)
            && history.last().is_none_or(|last: &DocMove| last.to != to)
        {
            history.push(DocMove { at, to });
        }
    }
    if history.last().is_some_and(|last| last.to != current) {
        let at =
            card.date_last_activity.clone().or_else(|| history.last().map(|last| last.at.clone())).unwrap_or_default();
        history.push(DocMove { at, to: current });
    }
    (history, started_elsewhere)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trello_ids_carry_their_creation_time() {
        let time = id_time("54b4a420e3782eba550045aa").map(|time| time.to_string());
        assert_eq!(time.as_deref(), Some("2015-01-13T04:50:40Z"));
        assert_eq!(id_time("zz"), None);
    }

    #[test]
    fn a_single_card_export_is_refused_with_directions() {
        let card = serde_json::json!({"id": "1", "idList": "2", "idBoard": "3", "name": "x"});
        let message = convert(card, false).err().unwrap_or_default();
        assert!(message.contains("single Trello card"), "{message}");
    }

    #[test]
    fn a_board_without_archived_lists_says_nothing_of_them_and_counts_read_as_words() {
        let board = serde_json::json!({
            "name": "Tiny",
            "lists": [{"id": "a1", "name": "To do", "closed": false, "pos": 1}],
            "cards": [
                {"id": "c1", "idList": "a1", "name": "One", "closed": false, "pos": 1},
                {"id": "c2", "idList": "a1", "name": "Two", "closed": false, "pos": 2}
            ]
        });
        let Ok(document) = convert(board, false) else { panic!("a board with one list and two cards converts") };
        let mapping = &document.conversion.mapping;
        assert!(!mapping.iter().any(|line| line.contains("archived lists")), "{mapping:?}");
        assert!(mapping.iter().any(|line| line.starts_with("2 open cards → backlog items")), "{mapping:?}");
    }

    #[test]
    fn labels_set_the_kind() {
        assert_eq!(kind_from_labels(&["Bug".to_owned()]), ItemKind::Bug);
        assert_eq!(kind_from_labels(&["UX".to_owned()]), ItemKind::Story);
    }
}
