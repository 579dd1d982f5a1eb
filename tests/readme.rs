//! The README's misuse gallery shows real compiler output: each `<!-- ui: NAME -->` block must
//! repeat `tests/ui/fail/NAME.rs` and `NAME.stderr` exactly.
use std::path::Path;

#[test]
fn the_misuse_gallery_matches_the_ui_tests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut shown = 0;
    for block in readme.split("<!-- ui: ").skip(1) {
        let name = &block[..block.find(" -->").unwrap()];
        let fenced: Vec<&str> = block.split("```").collect();
        let code = fenced[1]
            .strip_prefix("rust\n")
            .expect("a ```rust block first");
        let output = fenced[3]
            .strip_prefix("text\n")
            .expect("then a ```text block");
        let read = |ext: &str| {
            std::fs::read_to_string(root.join(format!("tests/ui/fail/{name}.{ext}"))).unwrap()
        };
        assert_eq!(
            code.trim_end(),
            read("rs").trim_end(),
            "README's code for {name}"
        );
        assert_eq!(
            output.trim_end(),
            read("stderr").trim_end(),
            "README's output for {name}: copy the new .stderr"
        );
        shown += 1;
    }
    assert_eq!(shown, 5, "the README shows the five most common mistakes");
}
