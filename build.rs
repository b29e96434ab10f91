//! Build script: embeds the git commit for the About dialog, and checks the bundled sample product so a
//! broken reference in it fails the build instead of a user's first start.

use std::collections::HashSet;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=assets/sample_product.json");
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs/heads");

    let commit = Command::new("git")
        .args(["rev-parse", "--short=10", "HEAD"])
        .output()
        .ok()
        .filter(|output| output.status.success())
        .and_then(|output| String::from_utf8(output.stdout).ok())
        .map_or_else(|| "unknown".to_owned(), |text| text.trim().to_owned());
    println!("cargo:rustc-env=TANDEM_GIT_COMMIT={commit}");

    if let Err(problem) = check_sample() {
        println!("cargo:warning=assets/sample_product.json: {problem}");
        std::process::exit(1);
    }
}

/// The references in the sample must resolve, and it must be the size the README promises.
fn check_sample() -> Result<(), String> {
    let text = std::fs::read_to_string("assets/sample_product.json").map_err(|error| error.to_string())?;
    let document: serde_json::Value =
        serde_json::from_str(&text).map_err(|error| format!("not valid JSON: {error}"))?;
    let list = |key: &str| document.get(key).and_then(serde_json::Value::as_array).cloned().unwrap_or_default();
    let ids =
        |key: &str| -> HashSet<i64> { list(key).iter().filter_map(|record| record.get("id")?.as_i64()).collect() };

    if document.get("format").and_then(serde_json::Value::as_str) != Some("tandem-workspace") {
        return Err("the format field must be 'tandem-workspace'".to_owned());
    }
    let (columns, epics, sprints, objectives) = (ids("columns"), ids("epics"), ids("sprints"), ids("objectives"));
    for epic in list("epics") {
        if let Some(objective) = epic.get("objective").and_then(serde_json::Value::as_i64)
            && !objectives.contains(&objective)
        {
            return Err(format!("epic {epic} names a missing objective"));
        }
    }
    let increments: HashSet<String> =
        list("increments").iter().filter_map(|increment| increment.get("name")?.as_str().map(str::to_owned)).collect();
    for objective in list("objectives") {
        if let Some(name) = objective.get("increment").and_then(serde_json::Value::as_str)
            && !increments.contains(name)
        {
            return Err(format!("objective {objective} names a missing increment"));
        }
    }
    let (personas, insights) = (ids("personas"), ids("insights"));
    for insight in list("insights") {
        if let Some(persona) = insight.get("persona").and_then(serde_json::Value::as_i64)
            && !personas.contains(&persona)
        {
            return Err(format!("insight {insight} names a missing persona"));
        }
    }
    let items = list("items");
    for item in &items {
        let title = item.get("title").and_then(serde_json::Value::as_str).unwrap_or("?");
        let check = |key: &str, known: &HashSet<i64>| match item.get(key).and_then(serde_json::Value::as_i64) {
            Some(id) if !known.contains(&id) => Err(format!("item '{title}' names a missing {key} {id}")),
            _ => Ok(()),
        };
        check("column", &columns)?;
        check("epic", &epics)?;
        check("sprint", &sprints)?;
        check("insight", &insights)?;
        for entry in item.get("history").and_then(serde_json::Value::as_array).into_iter().flatten() {
            if entry.get("to").and_then(serde_json::Value::as_i64).is_none_or(|to| !columns.contains(&to)) {
                return Err(format!("item '{title}' has a history entry with a missing column"));
            }
        }
    }
    let inclusivity = list("metrics")
        .iter()
        .filter(|metric| metric.get("category").and_then(serde_json::Value::as_str) == Some("inclusivity"))
        .count();
    if items.len() < 30 || epics.len() < 4 || sprints.len() < 3 || inclusivity < 2 {
        return Err(format!(
            "the sample must have at least 30 items, 4 epics, 3 sprints and 2 inclusivity KPIs (has {}, {}, {}, {inclusivity})",
            items.len(),
            epics.len(),
            sprints.len()
        ));
    }
    Ok(())
}
