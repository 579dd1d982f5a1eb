//! The misuse gallery in the crate's guide (`src/guide.rs`, shown on docs.rs as
//! `failfast::guide`) shows real compiler output: each `<!-- ui: NAME -->` block must repeat
//! `tests/ui/fail/NAME.rs` and `NAME.stderr` exactly.
use std::path::Path;

/// The guide's text as rustdoc reads it: its `//!` lines without their prefix.
fn guide_text(source: &str) -> String {
    source
        .lines()
        .filter_map(|line| line.strip_prefix("//!"))
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_misuse_gallery_matches_the_ui_tests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let guide = guide_text(&std::fs::read_to_string(root.join("src/guide.rs")).unwrap());
    let mut shown = 0;
    for block in guide.split("<!-- ui: ").skip(1) {
        let name = &block[..block.find(" -->").unwrap()];
        let fenced: Vec<&str> = block.split("```").collect();
        // `compile_fail`: rustdoc also checks that the gallery's code is refused.
        let code = fenced[1]
            .strip_prefix("compile_fail\n")
            .expect("a ```compile_fail block first");
        let output = fenced[3]
            .strip_prefix("text\n")
            .expect("then a ```text block");
        let read = |ext: &str| {
            std::fs::read_to_string(root.join(format!("tests/ui/fail/{name}.{ext}"))).unwrap()
        };
        assert_eq!(
            code.trim_end(),
            read("rs").trim_end(),
            "the guide's code for {name}"
        );
        assert_eq!(
            output.trim_end(),
            read("stderr").trim_end(),
            "the guide's output for {name}: copy the new .stderr"
        );
        shown += 1;
    }
    assert_eq!(shown, 5, "the guide shows the five most common mistakes");
}
