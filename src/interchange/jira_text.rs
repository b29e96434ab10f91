//! The text of Jira CSV cells that needs reading: dates in their many forms and languages, and the
//! "Acceptance Criteria" section of a description.

use jiff::civil::{Date, DateTime};

/// Reads a date as Jira writes it in CSV exports: `22/Sep/25 9:26 AM` (the default), with the month's
/// name or abbreviation in English, German, French or Spanish (`22/sept./25`, `22/Okt/25 14:05`,
/// `22/févr./25`), day-first numbers (`22.09.2025`, `22.09.25 14:05`, `22/09/2025` when the day is over
/// 12), or ISO (`2025-09-22`, `2025-09-22 09:26`, `2025-09-22T09:26:00`). A date that could be read two
/// ways (`03/04/2025`) is not guessed.
#[must_use]
pub fn parse_jira_time(text: &str) -> Option<DateTime> {
    let text = text.trim();
    if let Ok(time) = text.parse::<DateTime>() {
        return Some(time);
    }
    if let Ok(date) = text.parse::<Date>() {
        return Some(date.at(0, 0, 0, 0));
    }
    if let Ok(time) = DateTime::strptime("%Y-%m-%d %H:%M", text) {
        return Some(time);
    }
    let separator = if text.contains('/') { '/' } else { '.' };
    let (day, rest) = text.split_once(separator)?;
    let (month, rest) = rest.split_once(separator)?;
    let (year, clock) = rest.split_once(' ').unwrap_or((rest, ""));
    let (day, month) = match month.trim().parse::<i8>() {
        // Numbers: day first, unless only the other order is a date; never a guess between the two.
        Ok(number) => {
            let first: i8 = day.trim().parse().ok()?;
            match (first, number) {
                (first, second) if separator == '.' => (first, second),
                (first, second) if first > 12 && second <= 12 => (first, second),
                (first, second) if second > 12 && first <= 12 => (second, first),
                _ => return None,
            }
        }
        Err(_) => (day.trim().parse().ok()?, month_number(month)?),
    };
    let year: i16 = year.trim().parse().ok()?;
    let year = if year < 100 { 2000 + year } else { year };
    let (hour, minute) = clock_time(clock)?;
    Date::new(year, month, day).ok().map(|date| date.at(hour, minute, 0, 0))
}

/// A month's number from its name or abbreviation in English, German, French or Spanish, in any case,
/// with or without a final dot.
fn month_number(name: &str) -> Option<i8> {
    let name = name.trim().trim_end_matches('.').to_lowercase();
    let months: [&[&str]; 12] = [
        &["jan", "january", "januar", "jän", "janv", "janvier", "ene", "enero"],
        &["feb", "february", "februar", "févr", "fevr", "février", "fevrier", "febrero"],
        &["mar", "march", "mär", "märz", "mrz", "mars", "marzo"],
        &["apr", "april", "avr", "avril", "abr", "abril"],
        &["may", "mai", "mayo"],
        &["jun", "june", "juni", "juin", "junio"],
        &["jul", "july", "juli", "juil", "juillet", "julio"],
        &["aug", "august", "août", "aout", "ago", "agosto"],
        &["sep", "sept", "september", "septembre", "septiembre", "set"],
        &["oct", "october", "okt", "oktober", "octobre", "octubre"],
        &["nov", "november", "novembre", "noviembre"],
        &["dec", "december", "dez", "dezember", "déc", "decembre", "décembre", "dic", "diciembre"],
    ];
    months.iter().zip(1..).find(|(names, _)| names.contains(&name.as_str())).map(|(_, number)| number)
}

/// The hour and minute of `9:26 AM`, `1:49 PM` or `14:05`; midnight when there is no clock.
fn clock_time(clock: &str) -> Option<(i8, i8)> {
    if clock.trim().is_empty() {
        return Some((0, 0));
    }
    let (time, meridiem) = clock.trim().split_once(' ').unwrap_or((clock.trim(), ""));
    let (hour, minute) = time.split_once(':')?;
    let hour: i8 = hour.parse().ok()?;
    let minute: i8 = minute.parse().ok()?;
    if !(0..=59).contains(&minute) {
        return None;
    }
    // A 12-hour clock runs from 1 to 12; a 24-hour clock from 0 to 23. Anything else (9:60 AM,
    // 13:00 PM, -1:00, 24:00) is not a time, and is refused rather than bent into one.
    match meridiem.to_ascii_uppercase().as_str() {
        "AM" | "PM" if !(1..=12).contains(&hour) => None,
        "AM" if hour == 12 => Some((0, minute)),
        "PM" if hour < 12 => Some((hour + 12, minute)),
        "AM" | "PM" => Some((hour, minute)),
        "" if (0..=23).contains(&hour) => Some((hour, minute)),
        _ => None,
    }
}

/// An "Acceptance Criteria" section of a description (a heading line such as `h3. Acceptance Criteria`,
/// `*Acceptance criteria:*` or `Acceptance Criteria`, then bullet lines `* …`, `- …`, `# …`, `• …`):
/// the description without it, and its bullets as criteria. No bullets: nothing is taken.
#[must_use]
pub fn acceptance_criteria_section(description: &str) -> (String, Vec<crate::model::Criterion>) {
    let lines: Vec<&str> = description.lines().collect();
    let is_heading = |line: &str| {
        let words: String = line
            .trim()
            .trim_start_matches(|c: char| {
                c == 'h' || c.is_ascii_digit() || c == '.' || c == '#' || c == '*' || c == ' '
            })
            .trim_end_matches([':', '*', ' '])
            .to_lowercase();
        words == "acceptance criteria"
    };
    let bullet = |line: &str| -> Option<String> {
        let trimmed = line.trim_start();
        ["* ", "- ", "# ", "• ", "** ", "## "]
            .iter()
            .find_map(|mark| trimmed.strip_prefix(mark))
            .map(|text| text.trim().chars().take(1000).collect::<String>())
            .filter(|text| !text.is_empty())
    };
    let Some(start) = lines.iter().position(|line| is_heading(line)) else {
        return (description.to_owned(), Vec::new());
    };
    let mut criteria = Vec::new();
    let mut end = start + 1;
    while let Some(line) = lines.get(end) {
        if let Some(text) = bullet(line) {
            criteria.push(crate::model::Criterion { text, done: false });
        } else if !line.trim().is_empty() {
            break;
        }
        end += 1;
    }
    if criteria.is_empty() {
        return (description.to_owned(), Vec::new());
    }
    let rest: Vec<&str> = lines[..start].iter().chain(lines[end..].iter()).copied().collect();
    (rest.join("\n").trim().to_owned(), criteria)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jira_dates_in_all_their_forms() {
        let at = |text| parse_jira_time(text).map(|time| time.to_string());
        assert_eq!(at("22/Sep/25 9:26 AM").as_deref(), Some("2025-09-22T09:26:00"));
        assert_eq!(at("28/Aug/25 1:49 PM").as_deref(), Some("2025-08-28T13:49:00"));
        assert_eq!(at("18/Sep/25 12:00 AM").as_deref(), Some("2025-09-18T00:00:00"));
        assert_eq!(at("01/Dec/2024 12:30 PM").as_deref(), Some("2024-12-01T12:30:00"));
        assert_eq!(at("2025-09-22").as_deref(), Some("2025-09-22T00:00:00"));
        assert_eq!(at("2025-09-22 09:26").as_deref(), Some("2025-09-22T09:26:00"));
        assert_eq!(at("31/Feb/25 9:00 AM"), None);
        for impossible in [
            "22/Sep/25 9:60 AM",
            "22/Sep/25 2:85 PM",
            "22/Sep/25 -1:00 AM",
            "22/Sep/25 -3:00",
            "22/Sep/25 24:00",
            "22/Sep/25 13:00 PM",
            "22/Sep/25 0:30 AM",
            "22/Sep/25 9:-5 AM",
        ] {
            assert_eq!(at(impossible), None, "{impossible}");
        }
        assert_eq!(at("22/Sep/25 23:59").as_deref(), Some("2025-09-22T23:59:00"));
        assert_eq!(at("22/Foo/25"), None);
        assert_eq!(at("yesterday"), None);
        // Other languages and day-first numbers.
        for (text, expected) in [
            ("22/sept./25", "2025-09-22T00:00:00"),
            ("22/Okt/25 14:05", "2025-10-22T14:05:00"),
            ("03/févr./25 9:00 AM", "2025-02-03T09:00:00"),
            ("15/Dez/2024", "2024-12-15T00:00:00"),
            ("1/ene/26", "2026-01-01T00:00:00"),
            ("22.09.2025", "2025-09-22T00:00:00"),
            ("03.04.25 14:05", "2025-04-03T14:05:00"),
            ("22/09/2025", "2025-09-22T00:00:00"),
            ("09/22/2025", "2025-09-22T00:00:00"),
        ] {
            assert_eq!(at(text).as_deref(), Some(expected), "{text}");
        }
        assert_eq!(at("03/04/2025"), None, "day and month could be either: not guessed");
        assert_eq!(at("31.02.2025"), None);
    }

    #[test]
    fn an_acceptance_criteria_section_becomes_criteria() {
        let description = "As a shopper I want to pay by phone.\n\nh3. Acceptance Criteria\n* Works with Apple Pay\n* Works with Google Pay\n\nNotes: ask legal.";
        let (rest, criteria) = acceptance_criteria_section(description);
        let texts: Vec<&str> = criteria.iter().map(|criterion| criterion.text.as_str()).collect();
        assert_eq!(texts, ["Works with Apple Pay", "Works with Google Pay"]);
        assert_eq!(rest, "As a shopper I want to pay by phone.\n\nNotes: ask legal.");
        let (kept, none) = acceptance_criteria_section("Acceptance criteria: to be agreed");
        assert!(none.is_empty());
        assert_eq!(kept, "Acceptance criteria: to be agreed", "no bullets: the text stays");
        let (_, bold) = acceptance_criteria_section("*Acceptance criteria:*\n- One\n- Two");
        assert_eq!(bold.len(), 2);
    }
}
