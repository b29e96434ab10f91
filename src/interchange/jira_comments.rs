//! Comments in a Jira CSV export: one `Comment` column per comment, each cell
//! `22/Sep/25 9:26 AM;<account id>;<text>`. The author is an account id; the names the file gives for
//! the same ids (Assignee, Reporter, Creator and their `… Id` columns) turn it back into a name.

use std::collections::HashMap;

use super::convert::{Table, Tally};
use super::document::DocComment;
use crate::model::comment::{MAX_AUTHOR_LEN, MAX_COMMENT_LEN};

/// Names of Jira account ids, from the person columns the export has beside their id columns.
#[must_use]
pub fn account_names(table: &Table) -> HashMap<String, String> {
    let mut names = HashMap::new();
    for (_, cells) in &table.rows {
        for person in ["Assignee", "Reporter", "Creator"] {
            if let (Some(id), Some(name)) = (table.first(cells, &format!("{person} Id")), table.first(cells, person)) {
                names.entry(id.to_owned()).or_insert_with(|| name.to_owned());
            }
        }
    }
    names
}

/// An issue's comments, in file order; what is changed on the way goes to `tally`. `instant` turns a
/// Jira time into RFC 3339 (`None` when it cannot be read).
///
/// # Errors
/// A sentence naming the comment cell that cannot be read.
pub fn issue_comments<S: std::hash::BuildHasher>(
    table: &Table,
    cells: &[String],
    names: &HashMap<String, String, S>,
    tally: &mut Tally,
    instant: impl Fn(&str) -> Option<String>,
) -> Result<Vec<DocComment>, String> {
    let mut comments = Vec::new();
    for cell in table.values(cells, "Comment") {
        let mut parts = cell.splitn(3, ';');
        let (Some(when), Some(account), Some(text)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!(
                "a Comment cell ('{}') is not 'date;author;text'",
                cell.chars().take(60).collect::<String>()
            ));
        };
        let Some(at) = instant(when.trim()) else {
            return Err(format!("a Comment cell starts with '{when}', which is not a date Tandem can read"));
        };
        let author = if let Some(name) = names.get(account.trim()) {
            name.clone()
        } else {
            {
                tally.add(
                    "comment authors the file names only by an account id (no Assignee, Reporter or Creator column pairs it with a name): kept as 'Jira user' and the id's start",
                    1,
                );
                let short: String = account.trim().chars().take(12).collect();
                if short.is_empty() { "Jira user".to_owned() } else { format!("Jira user {short}") }
            }
        };
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let kept: String = text.chars().take(MAX_COMMENT_LEN).collect();
        tally.add("comments longer than 10,000 characters shortened", usize::from(kept.len() < text.len()));
        comments.push(DocComment { author: author.chars().take(MAX_AUTHOR_LEN).collect(), at, text: kept });
    }
    Ok(comments)
}
