//! Helpers shared by the converters from other tools' exports: fitting text into Tandem's limits and
//! counting what could not be kept, so the import preview can name it.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::model::item::{MAX_DESCRIPTION_LEN, MAX_TITLE_LEN};

/// Longest label Tandem keeps.
pub const MAX_LABEL_LEN: usize = 60;

/// Counts of things a conversion had to change or drop, turned into sentences at the end.
#[derive(Debug, Default)]
pub struct Tally {
    counts: BTreeMap<String, usize>,
}

impl Tally {
    /// Counts one more occurrence of `what` (a sentence fragment such as "cards with members").
    pub fn add(&mut self, what: impl Into<String>, count: usize) {
        if count > 0 {
            *self.counts.entry(what.into()).or_default() += count;
        }
    }

    /// One sentence per counted thing: "12 × cards with members: Tandem has no members; not imported."
    #[must_use]
    pub fn sentences(self) -> Vec<String> {
        self.counts.into_iter().map(|(what, count)| format!("{count} × {what}")).collect()
    }
}

fn truncate_chars(text: &str, limit: usize) -> (String, bool) {
    match text.char_indices().nth(limit) {
        Some((cut, _)) => (text[..cut].to_owned(), true),
        None => (text.to_owned(), false),
    }
}

/// A title on one line within [`MAX_TITLE_LEN`]; an empty one becomes "(untitled)". Returns whether it
/// had to be shortened.
#[must_use]
pub fn fit_title(title: &str) -> (String, bool) {
    let one_line = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.is_empty() {
        return ("(untitled)".to_owned(), false);
    }
    truncate_chars(&one_line, MAX_TITLE_LEN)
}

/// A description within [`MAX_DESCRIPTION_LEN`], with Windows line endings made plain. Returns whether
/// it had to be shortened.
#[must_use]
pub fn fit_description(description: &str) -> (String, bool) {
    let plain = description.replace("\r\n", "\n");
    truncate_chars(plain.trim_end(), MAX_DESCRIPTION_LEN)
}

/// A label Tandem accepts (no commas or line breaks, at most [`MAX_LABEL_LEN`] characters), or `None` for
/// an empty one.
#[must_use]
pub fn fit_label(label: &str) -> Option<String> {
    let cleaned: String =
        label.chars().map(|character| if matches!(character, ',' | '\n' | '\r') { ' ' } else { character }).collect();
    let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if cleaned.is_empty() {
        return None;
    }
    Some(truncate_chars(&cleaned, MAX_LABEL_LEN).0)
}

/// "1 card", "3 cards", "60,000 cards".
#[must_use]
pub fn plural(value: usize, noun: &str) -> String {
    if value == 1 { format!("1 {noun}") } else { format!("{} {noun}s", count(value)) }
}

/// `value` with `one` or `many` (a noun whose plural is not made with an s), e.g. "1 status", "3 statuses".
#[must_use]
pub fn plural_of(value: usize, one: &str, many: &str) -> String {
    if value == 1 { format!("1 {one}") } else { format!("{} {many}", count(value)) }
}

/// A count as people read large ones: `60,000`, not `60000` (what a 100,000-item board shows in its
/// column headers, status bar, windows and sentences).
#[must_use]
pub fn count(value: usize) -> String {
    let digits = value.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// Adds `line` as a paragraph at the end of `description`.
pub fn append_line(description: &mut String, line: &str) {
    if !description.is_empty() {
        description.push_str("\n\n");
    }
    description.push_str(line);
}

/// An imported item's start and due dates. A start after the due date (which Tandem refuses) stays a
/// `Starts …` line of the description, and is counted in `tally`.
pub fn item_dates(
    start: Option<Date>,
    due: Option<Date>,
    description: &mut String,
    source: &str,
    tally: &mut Tally,
) -> (Option<Date>, Option<Date>) {
    match (start, due) {
        (Some(start), Some(due)) if due < start => {
            append_line(description, &format!("Starts {start} (from {source}; after its due date)"));
            tally.add("start dates after the item's due date: kept as a line of the description", 1);
            (None, Some(due))
        }
        other => other,
    }
}

/// Whether a column name says "finished" in the words tools commonly use.
#[must_use]
pub fn looks_done(name: &str) -> bool {
    let lower = name.to_lowercase();
    [
        "done",
        "closed",
        "complete",
        "finished",
        "shipped",
        "released",
        "resolved",
        "クローズ",
        "完了",
        "erledigt",
        "terminé",
    ]
    .iter()
    .any(|word| lower.contains(word))
}

/// Epic colours handed out in turn to epics that arrive without one.
pub const EPIC_COLOURS: [[u8; 3]; 6] = [
    [0x2f, 0x6f, 0xb3],
    [0x3a, 0x8f, 0x5c],
    [0xb3, 0x6b, 0x1f],
    [0x8a, 0x4f, 0xb0],
    [0xb0, 0x3a, 0x4f],
    [0x2a, 0x8a, 0x8a],
];

/// The Monday on or before `date`.
#[must_use]
pub fn monday_of(date: Date) -> Date {
    let offset = i64::from(date.weekday().to_monday_zero_offset());
    date.checked_sub(jiff::Span::new().days(offset)).unwrap_or(date)
}

/// The character between the cells of CSV text, read from its first line: a comma, unless that line
/// (outside quoted text) has more semicolons or tabs. Spreadsheets write semicolons where the comma is
/// the decimal mark (Excel in most of Europe), and Excel's "Unicode Text" puts tabs between cells.
#[must_use]
pub fn delimiter_of(text: &str) -> u8 {
    let (mut commas, mut semicolons, mut tabs) = (0usize, 0usize, 0usize);
    let mut quoted = false;
    for byte in text.trim_start_matches('\u{feff}').bytes() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            b'\t' if !quoted => tabs += 1,
            _ => {}
        }
    }
    if semicolons > commas && semicolons >= tabs {
        b';'
    } else if tabs > commas && tabs > semicolons {
        b'\t'
    } else {
        b','
    }
}

/// A number as a CSV cell holds it, with a dot for decimals. Where cells are not separated by commas,
/// a comma in a number is its decimal mark ("2,5" from a spreadsheet in German, French or Polish).
#[must_use]
pub fn decimal_point(value: &str, delimiter: u8) -> std::borrow::Cow<'_, str> {
    if delimiter != b',' && value.matches(',').count() == 1 && !value.contains('.') {
        std::borrow::Cow::Owned(value.replacen(',', ".", 1))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// Which part of a date written with slashes comes first, as a whole file writes them: `3/4/2026` is
/// 3 April in most of the world and March 4 in the United States.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlashDates {
    /// Day, month, year.
    DayFirst,
    /// Month, day, year.
    MonthFirst,
    /// The file has no date with slashes, or none that tells.
    Undecided,
}

/// The two numbers before the year of a date written `a/b/yyyy`.
fn slash_parts(value: &str) -> Option<(i8, i8, i16)> {
    let mut parts = value.trim().split('/');
    let (first, second, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 4 {
        return None;
    }
    Some((first.parse().ok()?, second.parse().ok()?, year.parse().ok()?))
}

/// How the file's dates with slashes are written, from those that tell (a first number above 12 is a
/// day, a second one above 12 is a day too).
///
/// # Errors
/// A sentence when the file writes them both ways.
pub fn slash_dates<'a>(values: impl IntoIterator<Item = &'a str>) -> Result<SlashDates, String> {
    let (mut day_first, mut month_first) = (None, None);
    for value in values {
        if let Some((first, second, _)) = slash_parts(value) {
            if first > 12 {
                day_first.get_or_insert(value);
            }
            if second > 12 {
                month_first.get_or_insert(value);
            }
        }
    }
    match (day_first, month_first) {
        (Some(day), Some(month)) => Err(format!(
            "its dates are written both day first ('{day}') and month first ('{month}'); write them all as YYYY-MM-DD"
        )),
        (Some(_), None) => Ok(SlashDates::DayFirst),
        (None, Some(_)) => Ok(SlashDates::MonthFirst),
        (None, None) => Ok(SlashDates::Undecided),
    }
}

/// A date as a spreadsheet may have saved it: `2026-12-18` as Tandem writes it, `2026/12/18`,
/// `18.12.2026` and `18-12-2026` (day first, as written in most of Europe), and `18/12/2026` or
/// `12/18/2026` as `slashes` says.
///
/// # Errors
/// What is wrong, as words that follow the value in a sentence ("is not a date like 2026-12-04…"; for a
/// date with slashes whose order the file does not tell, the two days it could be).
pub fn spreadsheet_date(value: &str, slashes: SlashDates) -> Result<Date, String> {
    let value = value.trim();
    if let Ok(date) = value.parse::<Date>() {
        return Ok(date);
    }
    let numbers = |separator: char| -> Option<(i16, i8, i8)> {
        let parts: Vec<&str> = value.split(separator).collect();
        match parts.as_slice() {
            [year, month, day] if year.len() == 4 => Some((year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)),
            [day, month, year] if year.len() == 4 => Some((year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)),
            _ => None,
        }
    };
    let like = "is not a date like 2026-12-04; fix the cell or clear it";
    let year_first = value.split('/').next().is_some_and(|part| part.len() == 4);
    let (year, month, day) = if value.contains('/') && year_first {
        // 2026/12/18.
        numbers('/').ok_or_else(|| like.to_owned())?
    } else if value.contains('/') {
        let (first, second, year) = slash_parts(value).ok_or_else(|| like.to_owned())?;
        match slashes {
            SlashDates::DayFirst => (year, second, first),
            SlashDates::MonthFirst => (year, first, second),
            SlashDates::Undecided if first == second => (year, first, second),
            SlashDates::Undecided => {
                let words = |month: i8, day: i8| {
                    Date::new(year, month, day)
                        .map_or_else(|_| "no date".to_owned(), |date| date.strftime("%-d %B %Y").to_string())
                };
                return Err(format!(
                    "could be {} or {}, and no other date in the file tells which; write it as YYYY-MM-DD",
                    words(second, first),
                    words(first, second)
                ));
            }
        }
    } else {
        ['.', '-'].into_iter().find_map(numbers).ok_or_else(|| like.to_owned())?
    };
    Date::new(year, month, day).map_err(|_| like.to_owned())
}

/// A CSV file read whole: its header row and its records with their line numbers. Repeated header
/// names (Jira repeats `Sprint`, `Labels`, `Comment`…) are kept, and a value is looked up by name across
/// all columns of that name.
#[derive(Debug)]
pub struct Table {
    /// Header names, trimmed.
    pub headers: Vec<String>,
    /// Records with the line they start on (1-based; the header is line 1).
    pub rows: Vec<(u64, Vec<String>)>,
    /// The character between cells ([`delimiter_of`]).
    pub delimiter: u8,
}

impl Table {
    /// Reads CSV text (a byte-order mark and Windows line endings are fine; quoted cells may span lines;
    /// cells may be separated by commas, semicolons or tabs, as the header line shows).
    ///
    /// # Errors
    /// A message naming the line that could not be read.
    pub fn read(text: &str) -> Result<Self, String> {
        let text = text.trim_start_matches('\u{feff}');
        let delimiter = delimiter_of(text);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let mut record = csv::StringRecord::new();
        let headers: Vec<String> = match reader.read_record(&mut record) {
            Ok(true) => record.iter().map(|cell| cell.trim().to_owned()).collect(),
            Ok(false) => return Err("the file has no header row".to_owned()),
            Err(error) => return Err(format!("the header row could not be read ({error})")),
        };
        let mut rows = Vec::new();
        let (mut counted_to, mut line) = (0usize, 1u64);
        loop {
            // Before a record the reader may still stand on the previous record's line ending; the record
            // starts after it. Lines are counted in the text itself, so quoted line breaks count too.
            let mut start = usize::try_from(reader.position().byte()).unwrap_or(usize::MAX).min(text.len());
            while text.as_bytes().get(start).is_some_and(|byte| matches!(byte, b'\r' | b'\n')) {
                start += 1;
            }
            if start > counted_to {
                line += text.get(counted_to..start).map_or(0, |gap| gap.matches('\n').count()) as u64;
                counted_to = start;
            }
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(error) => return Err(format!("line {line} could not be read as CSV ({error}); check its quotes")),
            }
            // A quote that is never closed swallows every later line into one cell, so it can only be the
            // last record, and its text then holds an odd number of quote marks (a closed one and an
            // escaped "" always come in pairs).
            let end = usize::try_from(reader.position().byte()).unwrap_or(usize::MAX).min(text.len());
            if end >= text.len() && text.get(start..).is_some_and(|rest| rest.matches('"').count() % 2 == 1) {
                return Err(format!(
                    "line {line} opens a quoted cell that is never closed, so every line after it would be read as part of one cell; add the missing quote mark (\") and import again"
                ));
            }
            if record.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            if record.len() > headers.len() && record.iter().skip(headers.len()).any(|cell| !cell.trim().is_empty()) {
                return Err(format!(
                    "line {line} has {} cells but the header row names only {} columns, so some of its values have no column to go to; remove the extra cells or add their column names to the header",
                    record.len(),
                    headers.len()
                ));
            }
            rows.push((line, record.iter().map(|cell| cell.replace("\r\n", "\n")).collect()));
        }
        Ok(Self { headers, rows, delimiter })
    }

    /// A number cell's text with a dot for decimals ([`decimal_point`]).
    #[must_use]
    pub fn decimal<'cell>(&self, value: &'cell str) -> std::borrow::Cow<'cell, str> {
        decimal_point(value, self.delimiter)
    }

    /// Whether a column of that name exists (ignoring case).
    #[must_use]
    pub fn has(&self, name: &str) -> bool {
        self.headers.iter().any(|header| header.eq_ignore_ascii_case(name))
    }

    /// Every non-empty value of the columns called `name` in `row`, trimmed, left to right.
    #[must_use]
    pub fn values<'row>(&self, row: &'row [String], name: &str) -> Vec<&'row str> {
        self.headers
            .iter()
            .zip(row)
            .filter(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, cell)| cell.trim())
            .filter(|cell| !cell.is_empty())
            .collect()
    }

    /// The first non-empty value of the columns called `name`.
    #[must_use]
    pub fn first<'row>(&self, row: &'row [String], name: &str) -> Option<&'row str> {
        self.values(row, name).into_iter().next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_counts_are_grouped_in_thousands() {
        let shown: Vec<String> = [0, 7, 999, 1000, 60_000, 100_000, 1_234_567].into_iter().map(count).collect();
        assert_eq!(shown, ["0", "7", "999", "1,000", "60,000", "100,000", "1,234,567"]);
        assert_eq!(
            [plural(1, "card"), plural(2, "card"), plural(21_432, "item")],
            ["1 card", "2 cards", "21,432 items"]
        );
    }

    #[test]
    fn titles_are_one_line_and_bounded() {
        assert_eq!(fit_title("  Log in\n with  SSO "), ("Log in with SSO".to_owned(), false));
        assert_eq!(fit_title(""), ("(untitled)".to_owned(), false));
        let long = "é".repeat(MAX_TITLE_LEN + 5);
        let (fitted, cut) = fit_title(&long);
        assert!(cut);
        assert_eq!(fitted.chars().count(), MAX_TITLE_LEN);
    }

    #[test]
    fn labels_lose_commas_and_line_breaks() {
        assert_eq!(fit_label("front, end\n"), Some("front end".to_owned()));
        assert_eq!(fit_label(" , "), None);
    }

    #[test]
    fn done_columns_are_recognised_in_several_languages() {
        assert!(looks_done("Done"));
        assert!(looks_done("クローズ"));
        assert!(!looks_done("In review"));
    }

    #[test]
    fn tables_keep_repeated_headers_and_multi_line_cells() {
        let read = Table::read("\u{feff}Summary,Sprint,Sprint\r\n\"Two\r\nlines\",S1,S2\r\nOne,,S3\r\n");
        let Ok(table) = read else { panic!("{read:?}") };
        assert_eq!(table.rows.len(), 2);
        let (line, first) = &table.rows[0];
        assert_eq!(*line, 2);
        assert_eq!(table.first(first, "summary"), Some("Two\nlines"));
        assert_eq!(table.values(first, "Sprint"), vec!["S1", "S2"]);
        assert_eq!(table.values(&table.rows[1].1, "Sprint"), vec!["S3"]);
        assert_eq!(table.rows[1].0, 4);
    }

    #[test]
    fn an_unclosed_quote_or_an_overwide_row_is_refused_with_its_line() {
        let unclosed = Table::read("Title,Status\nOne,Ready\n\"Two,Ready\nThree,Ready\n");
        let Err(message) = unclosed else { panic!("{unclosed:?}") };
        assert!(message.contains("line 3") && message.contains("never closed"), "{message}");
        let wide = Table::read("Title,Status\nOne,Ready,surprise\n");
        let Err(message) = wide else { panic!("{wide:?}") };
        assert!(message.contains("line 2") && message.contains("3 cells"), "{message}");
        // Trailing empty cells, as spreadsheets write them, are fine; so are quotes that close.
        let fine = Table::read("Title,Status\nOne,Ready,,\n\"Say \"\"hi\"\"\",Done\n");
        let Ok(table) = fine else { panic!("{fine:?}") };
        assert_eq!(table.rows.len(), 2);
    }

    #[test]
    fn semicolons_or_tabs_between_cells_are_read_as_such_and_decimal_commas_with_them() {
        let read = Table::read("\u{feff}Title;Status;Points\r\n\"Pay; then ship, fast\";Ready;2,5\r\n");
        let Ok(table) = read else { panic!("{read:?}") };
        assert_eq!(table.headers, ["Title", "Status", "Points"]);
        let row = &table.rows[0].1;
        assert_eq!(table.first(row, "Title"), Some("Pay; then ship, fast"));
        assert_eq!(table.first(row, "Points").map(|value| table.decimal(value).into_owned()), Some("2.5".to_owned()));
        let read = Table::read("Title\tStatus\nOne, two\tDone\n");
        let Ok(table) = read else { panic!("{read:?}") };
        assert_eq!(table.first(&table.rows[0].1, "Status"), Some("Done"));
        // With commas between cells a comma in a number is not a decimal mark, and a header line that
        // mentions a semicolon inside quotes is still read with commas.
        let read = Table::read("Title,\"Note; more\",Points\nOne,x,\"1,000\"\n");
        let Ok(table) = read else { panic!("{read:?}") };
        assert_eq!(table.delimiter, b',');
        assert_eq!(
            table.first(&table.rows[0].1, "Points").map(|value| table.decimal(value).into_owned()),
            Some("1,000".to_owned())
        );
        assert_eq!(decimal_point("1.5", b';'), "1.5");
        assert_eq!(decimal_point("1.234,5", b';'), "1.234,5");
    }

    #[test]
    fn dates_as_spreadsheets_save_them_are_read_and_slashes_as_the_file_writes_them() {
        let december = Ok(jiff::civil::date(2026, 12, 18));
        for written in ["2026-12-18", "2026/12/18", "18.12.2026", "18-12-2026", " 18.12.2026 "] {
            assert_eq!(spreadsheet_date(written, SlashDates::Undecided), december, "{written}");
        }
        assert_eq!(spreadsheet_date("18/12/2026", SlashDates::DayFirst), december);
        assert_eq!(spreadsheet_date("12/18/2026", SlashDates::MonthFirst), december);
        assert_eq!(spreadsheet_date("3/4/2026", SlashDates::DayFirst), Ok(jiff::civil::date(2026, 4, 3)));
        assert_eq!(spreadsheet_date("3/4/2026", SlashDates::MonthFirst), Ok(jiff::civil::date(2026, 3, 4)));
        assert_eq!(spreadsheet_date("4/4/2026", SlashDates::Undecided), Ok(jiff::civil::date(2026, 4, 4)));
        let Err(why) = spreadsheet_date("3/4/2026", SlashDates::Undecided) else { panic!("read one way") };
        assert!(why.contains("3 April 2026 or 4 March 2026"), "{why}");
        for bad in ["31.02.2026", "18.12.26", "tomorrow", "2026-13-01", "1/2/3/2026"] {
            let Err(why) = spreadsheet_date(bad, SlashDates::DayFirst) else { panic!("{bad} was read") };
            assert!(why.starts_with("is not a date like 2026-12-04"), "{bad}: {why}");
        }

        assert_eq!(slash_dates(["2026-01-01", "3/4/2026"]), Ok(SlashDates::Undecided));
        assert_eq!(slash_dates(["3/4/2026", "18/12/2026"]), Ok(SlashDates::DayFirst));
        assert_eq!(slash_dates(["3/4/2026", "12/18/2026"]), Ok(SlashDates::MonthFirst));
        let Err(why) = slash_dates(["18/12/2026", "12/18/2026"]) else { panic!("both ways") };
        assert!(why.contains("'18/12/2026'") && why.contains("'12/18/2026'"), "{why}");
    }

    #[test]
    fn tally_counts_into_sentences() {
        let mut tally = Tally::default();
        tally.add("comments: not imported", 2);
        tally.add("comments: not imported", 1);
        tally.add("ignored", 0);
        assert_eq!(tally.sentences(), vec!["3 × comments: not imported".to_owned()]);
    }
}
