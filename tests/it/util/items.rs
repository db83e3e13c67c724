//! Reading what `dengar export --format jsonl` prints (re-exported by `crate::util` and
//! `crate::ops_util`): the items, and the `platform:native_id` id the CLI addresses an item by.

use serde_json::Value;

/// The items of JSONL export output, one per line.
pub fn jsonl_items(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("export line is JSON"))
        .collect()
}

/// The `platform:native_id` id of an exported item.
pub fn item_id(item: &Value) -> String {
    format!(
        "{}:{}",
        item["post"]["platform"].as_str().unwrap(),
        item["post"]["native_id"].as_str().unwrap()
    )
}

/// The ids of the items in review state `status`, in export order.
pub fn ids_with_status(items: &[Value], status: &str) -> Vec<String> {
    items
        .iter()
        .filter(|i| i["status"] == status)
        .map(item_id)
        .collect()
}
