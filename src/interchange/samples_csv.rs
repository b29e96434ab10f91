//! KPI samples from a CSV file (`date,value` with a header, ISO dates): read into a preview that lists
//! every row with what will happen to it, so the user confirms before anything is written, and an
//! import that is all or nothing.

use std::collections::HashMap;

use crate::model::{Date, Metric, MetricSample, parse_sample};

/// The largest samples file read: ten years of daily samples fit many times over.
pub const MAX_SAMPLES_FILE_BYTES: usize = 8 * 1024 * 1024;

/// What importing one row would do.
#[derive(Clone, Debug, PartialEq)]
pub enum RowOutcome {
    /// A new sample.
    Add(MetricSample),
    /// A sample replacing the one already stored for that day (its old value).
    Replace(MetricSample, f64),
    /// The row cannot be read: why.
    Error(String),
}

/// One data row of the file.
#[derive(Clone, Debug, PartialEq)]
pub struct PreviewRow {
    /// Its line in the file (the header is line 1).
    pub line: u64,
    /// The date cell as written.
    pub date: String,
    /// The value cell as written.
    pub value: String,
    /// What importing it would do.
    pub outcome: RowOutcome,
}

/// Every row of a samples file, checked against a metric.
#[derive(Clone, Debug, PartialEq)]
pub struct SamplesPreview {
    /// The rows, in file order.
    pub rows: Vec<PreviewRow>,
}

impl SamplesPreview {
    /// Rows that cannot be imported.
    #[must_use]
    pub fn error_count(&self) -> usize {
        self.rows.iter().filter(|row| matches!(row.outcome, RowOutcome::Error(_))).count()
    }

    /// How many samples are new and how many replace stored ones.
    #[must_use]
    pub fn counts(&self) -> (usize, usize) {
        self.rows.iter().fold((0, 0), |(added, replaced), row| match row.outcome {
            RowOutcome::Add(_) => (added + 1, replaced),
            RowOutcome::Replace(..) => (added, replaced + 1),
            RowOutcome::Error(_) => (added, replaced),
        })
    }

    /// The metric with the file's samples merged in (a sample of a day already stored replaces it),
    /// or `None` while any row has an error: the import is all or nothing.
    #[must_use]
    pub fn merged_into(&self, metric: &Metric) -> Option<Metric> {
        if self.error_count() > 0 {
            return None;
        }
        let mut by_day: std::collections::BTreeMap<Date, f64> =
            metric.samples.iter().map(|sample| (sample.date, sample.value)).collect();
        for row in &self.rows {
            if let RowOutcome::Add(sample) | RowOutcome::Replace(sample, _) = row.outcome {
                by_day.insert(sample.date, sample.value);
            }
        }
        let samples = by_day.into_iter().map(|(date, value)| MetricSample { date, value }).collect();
        Some(Metric { samples, ..metric.clone() })
    }
}

/// Reads a samples file for `metric`.
///
/// # Errors
/// A sentence when the file as a whole cannot be read: too large, no header, or a header other than
/// `date,value`. Problems of single rows are in the preview instead.
pub fn preview_samples(text: &str, metric: &Metric) -> Result<SamplesPreview, String> {
    if text.len() > MAX_SAMPLES_FILE_BYTES {
        return Err(format!(
            "The file is {} MB; a samples file may be at most {} MB. Split it by year and import each part.",
            text.len() / (1024 * 1024),
            MAX_SAMPLES_FILE_BYTES / (1024 * 1024)
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Semicolons or tabs between the cells, as spreadsheets in many languages write them, are fine too;
    // a comma in a value is then its decimal mark.
    let delimiter = super::convert::delimiter_of(text);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        None => return Err("The file is empty. Write a header line `date,value`, then one sample per line.".to_owned()),
        Some(Err(error)) => return Err(format!("The first line cannot be read as CSV: {error}.")),
        Some(Ok(header)) => header,
    };
    let names: Vec<String> = header.iter().map(|name| name.trim().to_lowercase()).collect();
    if names != ["date", "value"] {
        return Err(format!(
            "The first line is `{}`, but it must be the header `date,value` (a semicolon or a tab between the two \
             works too). Add that line at the top (dates as YYYY-MM-DD, values as numbers) and try again.",
            header.iter().collect::<Vec<_>>().join(&char::from(delimiter).to_string())
        ));
    }
    let stored: HashMap<Date, f64> = metric.samples.iter().map(|sample| (sample.date, sample.value)).collect();
    let mut seen: HashMap<Date, u64> = HashMap::new();
    let mut rows = Vec::new();
    for (index, record) in (2u64..).zip(records) {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(index, csv::Position::line);
                rows.push(PreviewRow {
                    line,
                    date: String::new(),
                    value: String::new(),
                    outcome: RowOutcome::Error(format!("This line cannot be read as CSV: {error}.")),
                });
                continue;
            }
        };
        let line = record.position().map_or(index, csv::Position::line);
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let date = record.get(0).unwrap_or_default().to_owned();
        let value = record.get(1).unwrap_or_default().to_owned();
        let outcome = if record.len() == 2 {
            match parse_sample(&date, &super::convert::decimal_point(&value, delimiter), metric.unit) {
                Err(message) => RowOutcome::Error(message),
                Ok(sample) => match seen.insert(sample.date, line) {
                    Some(earlier) => RowOutcome::Error(format!(
                        "{} is also on line {earlier}: keep one sample per day.",
                        sample.date
                    )),
                    None => match stored.get(&sample.date) {
                        Some(&old) => RowOutcome::Replace(sample, old),
                        None => RowOutcome::Add(sample),
                    },
                },
            }
        } else {
            RowOutcome::Error(format!("This line has {} cells; it needs two: a date and a value.", record.len()))
        };
        rows.push(PreviewRow { line, date, value, outcome });
    }
    Ok(SamplesPreview { rows })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Direction, MetricCategory, MetricId, MetricUnit};
    use jiff::civil::date;

    fn csat() -> Metric {
        Metric {
            metric_id: MetricId(7),
            name: "CSAT".into(),
            unit: MetricUnit::Percent,
            direction: Direction::HigherIsBetter,
            category: MetricCategory::Product,
            target: Some(80.0),
            description: String::new(),
            objective_id: None,
            samples: vec![MetricSample { date: date(2026, 1, 1), value: 70.0 }],
        }
    }

    #[test]
    fn good_rows_are_added_or_replace_the_stored_day() {
        let text = "\u{feff}Date,Value\r\n2026-01-01,72\r\n2026-02-01,75.5%\r\n\r\n";
        let preview = preview_samples(text, &csat()).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(preview.counts(), (1, 1));
        assert_eq!(preview.error_count(), 0);
        let merged = preview.merged_into(&csat()).map(|metric| metric.samples);
        assert_eq!(
            merged,
            Some(vec![
                MetricSample { date: date(2026, 1, 1), value: 72.0 },
                MetricSample { date: date(2026, 2, 1), value: 75.5 }
            ])
        );
    }

    #[test]
    fn a_spreadsheet_with_semicolons_and_decimal_commas_is_read() {
        let text = "Date;Value\r\n2026-02-01;75,5 %\r\n2026-03-01;76\r\n";
        let preview = preview_samples(text, &csat()).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(preview.error_count(), 0, "{:?}", preview.rows);
        let merged = preview.merged_into(&csat()).map(|metric| metric.samples);
        assert_eq!(
            merged.as_deref().and_then(|samples| samples.get(1)),
            Some(&MetricSample { date: date(2026, 2, 1), value: 75.5 })
        );
        let tabs = preview_samples("date\tvalue\n2026-02-01\t71,25\n", &csat()).map(|preview| preview.counts());
        assert_eq!(tabs, Ok((1, 0)));
        let Err(message) = preview_samples("day;amount\n2026-02-01;1\n", &csat()) else { panic!("a wrong header") };
        assert!(message.contains("`day;amount`") && message.contains("semicolon"), "{message}");
    }

    #[test]
    fn bad_rows_are_listed_with_their_lines_and_nothing_merges() {
        let text = "date,value\n2026-01-02,71\n02/01/2026,70\n2026-01-03,140\n2026-01-02,69\n2026-01-04\n";
        let preview = preview_samples(text, &csat()).unwrap_or_else(|error| panic!("{error}"));
        let errors: Vec<(u64, String)> = preview
            .rows
            .iter()
            .filter_map(|row| match &row.outcome {
                RowOutcome::Error(message) => Some((row.line, message.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors.first().is_some_and(|(line, message)| *line == 3 && message.contains("YYYY-MM-DD")));
        assert!(errors.get(1).is_some_and(|(line, message)| *line == 4 && message.contains("0 to 100")));
        assert!(errors.get(2).is_some_and(|(line, message)| *line == 5 && message.contains("line 2")));
        assert!(errors.get(3).is_some_and(|(line, message)| *line == 6 && message.contains("two")));
        assert_eq!(preview.merged_into(&csat()), None);
    }

    #[test]
    fn a_file_without_the_header_is_refused_as_a_whole() {
        let refused = |text: &str| preview_samples(text, &csat()).err().unwrap_or_default();
        assert!(refused("2026-01-01,70\n").contains("date,value"));
        assert!(refused("").contains("empty"));
        assert!(refused("when,how much\n").contains("header"));
    }
}
