//! The default schedule is pinned by a snapshot (values and hash); any change is deliberate.
//! Regenerate with `WEFT_UPDATE_SNAPSHOTS=1 cargo test -p weft-gas --test all schedule`.

use std::path::PathBuf;

use weft_gas::{GasSchedule, SCHEDULE_VERSION};

fn snapshot_path() -> PathBuf {
    PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR for tests"))
        .join("tests/snapshots/default_schedule.json")
}

#[test]
fn default_schedule_matches_its_snapshot() {
    let schedule = GasSchedule::default();
    let actual = serde_json::to_string_pretty(&serde_json::json!({
        "hash": schedule.hash().to_string(),
        "schedule": schedule,
    }))
    .unwrap()
        + "\n";
    if std::env::var_os("WEFT_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(snapshot_path(), &actual).unwrap();
    }
    let expected =
        std::fs::read_to_string(snapshot_path()).expect("snapshot file (WEFT_UPDATE_SNAPSHOTS=1 writes it)");
    assert_eq!(
        actual, expected,
        "the default gas schedule changed: bump SCHEDULE_VERSION and update the snapshot"
    );
}

#[test]
fn the_hash_covers_every_field_and_round_trips_through_json() {
    let base = GasSchedule::default();
    assert_eq!(base.version, SCHEDULE_VERSION);
    let json = serde_json::to_string(&base).unwrap();
    let back: GasSchedule = serde_json::from_str(&json).unwrap();
    assert_eq!(back, base);
    assert_eq!(back.hash(), base.hash());

    let mut changed = base.clone();
    changed.ops.div += 1;
    assert_ne!(changed.hash(), base.hash());
    let mut changed = base.clone();
    changed.dynamic.storage_write_byte += 1;
    assert_ne!(changed.hash(), base.hash());
    let mut changed = base.clone();
    changed.limits.max_stack_height += 1;
    assert_ne!(changed.hash(), base.hash());
    let mut changed = base;
    changed.version += 1;
    assert_ne!(changed.hash(), GasSchedule::default().hash());
}
