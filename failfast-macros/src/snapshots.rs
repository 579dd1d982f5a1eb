//! Expansion snapshots: `snapshots/NAME.rs` is expanded and compared with
//! `snapshots/NAME.expanded.rs`, so that a reviewer sees exactly what the macro writes.
//! `UPDATE_SNAPSHOTS=1 cargo test -p failfast-macros` rewrites them.
use std::path::Path;

fn expand(source: &str) -> String {
    let mut file: syn::File = syn::parse_str(source).unwrap();
    for item in &mut file.items {
        let syn::Item::Fn(function) = item else {
            continue;
        };
        let Some(at) = function.attrs.iter().position(crate::find::is_marker) else {
            continue;
        };
        let marker = function.attrs.remove(at);
        let args = match marker.meta {
            syn::Meta::List(list) => list.tokens,
            _ => proc_macro2::TokenStream::new(),
        };
        let expanded = crate::expand::fail_fast(args, quote::quote!(#function));
        *item = syn::parse2(expanded).unwrap();
    }
    prettyplease::unparse(&file)
}

#[test]
fn expansions_match_the_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap();
        if name.ends_with(".expanded.rs") || !name.ends_with(".rs") {
            continue;
        }
        let expanded = expand(&std::fs::read_to_string(&path).unwrap());
        let snapshot = path.with_extension("expanded.rs");
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(&snapshot, &expanded).unwrap();
        }
        let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
        assert_eq!(
            expanded, expected,
            "{name} expands differently from its snapshot"
        );
        checked += 1;
    }
    assert_eq!(checked, 10, "every snapshot was checked");
}
