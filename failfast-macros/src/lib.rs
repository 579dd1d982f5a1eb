//! The `#[fail_fast]` attribute; use it through the `failfast` crate.
use proc_macro::TokenStream;

/// See the `failfast` crate.
#[proc_macro_attribute]
pub fn fail_fast(_args: TokenStream, item: TokenStream) -> TokenStream {
    item
}
