//! The attribute's options: `workers = N`, `crate = path`, and what stops the loop from
//! outside: `stop = token`, `timeout = duration` or `deadline = instant`.

use crate::errors::Errors;
use proc_macro2::TokenStream;
use syn::parse::{ParseStream, Parser};
use syn::{
    Attribute, Expr, ExprLit, ExprUnary, Ident, Lit, LitInt, LitStr, Meta, Path, Token, UnOp,
};

/// The options of one `#[fail_fast(...)]`, each kept with its span.
#[derive(Clone, Default)]
pub(crate) struct Options {
    pub(crate) workers: Option<Workers>,
    /// A `workers` value was given but refused (an error says why): an async loop does not
    /// also say that it needs one.
    pub(crate) workers_refused: bool,
    pub(crate) krate: Option<Path>,
    /// `stop = expr`: the option's name (errors about the stop point at it) and the token.
    pub(crate) stop: Option<(Ident, Expr)>,
    /// `timeout = expr` or `deadline = expr`: the option's name and its value.
    pub(crate) limit: Option<(Ident, Expr)>,
    /// Every option's value as written, kept or refused (see [`Options::still_used`]).
    values: Vec<Expr>,
}

/// How many iterations may run at once.
#[derive(Clone)]
pub(crate) enum Workers {
    /// A literal, already checked to be at least 1.
    Literal(LitInt),
    /// Any other `usize` expression, checked when the loop starts.
    Expr(Expr),
}

const ACCEPTED: &str =
    "`workers = 8`, `crate = path`, `stop = token`, `timeout = duration` and `deadline = instant`";

impl Options {
    /// Every option's value as written, as tokens: what they mention.
    pub(crate) fn values_tokens(&self) -> proc_macro2::TokenStream {
        self.values
            .iter()
            .map(quote::ToTokens::to_token_stream)
            .collect()
    }

    /// The options of a loop's `#[fail_fast(...)]` marker; errors were reported by
    /// [`Options::check_marker`].
    pub(crate) fn of_marker(marker: &Attribute) -> Options {
        Options::parse(marker_args(marker), &mut Errors::default())
    }

    /// Reports what is wrong with a marker's options.
    pub(crate) fn check_marker(marker: &Attribute, errors: &mut Errors) {
        if let Meta::NameValue(name_value) = &marker.meta {
            errors.error(
                &name_value.value,
                "`#[fail_fast = ..]` is not a form of the attribute\nhelp: write `#[fail_fast]` or `#[fail_fast(workers = 8)]`",
            );
        }
        Options::parse(marker_args(marker), errors);
    }

    /// These options, with the ones `marker` gives replacing them.
    pub(crate) fn overridden_by(&self, marker: &Options) -> Options {
        Options {
            workers: marker.workers.clone().or_else(|| self.workers.clone()),
            workers_refused: marker.workers_refused
                || marker.workers.is_none() && self.workers_refused,
            krate: marker.krate.clone().or_else(|| self.krate.clone()),
            stop: marker.stop.clone().or_else(|| self.stop.clone()),
            limit: marker.limit.clone().or_else(|| self.limit.clone()),
            values: Vec::new(),
        }
    }

    /// A statement that uses the options' values without running them, for code that is
    /// not rewritten (an error was reported): a `use` that only an option needs (`timeout =
    /// Duration::from_secs(5)`) would otherwise be reported unused beside the error. `None`
    /// if no option has a value.
    pub(crate) fn still_used(&self) -> Option<syn::Stmt> {
        if self.values.is_empty() {
            return None;
        }
        let values = &self.values;
        Some(syn::parse_quote! {
            #[allow(unreachable_code, clippy::all)]
            if false {
                let _ = (#(&(#values),)*);
            }
        })
    }

    /// The option that stops the loop from outside, if any: errors about where the stopped
    /// loop's exit goes point at it.
    pub(crate) fn stopped_by(&self) -> Option<&Ident> {
        self.stop
            .as_ref()
            .or(self.limit.as_ref())
            .map(|(name, _)| name)
    }

    /// Parses `args`, reporting every bad option, not only the first.
    pub(crate) fn parse(args: TokenStream, errors: &mut Errors) -> Options {
        let mut options = Options::default();
        let parser = |input: ParseStream| {
            while !input.is_empty() {
                if !input.peek(syn::Ident) && !input.peek(Token![crate]) && !input.peek(Token![::])
                {
                    // `#[fail_fast(8)]`: a value with no name.
                    let value: Expr = input.parse()?;
                    errors.error(
                        &value,
                        format!(
                            "options of `#[fail_fast]` are named: a value alone does not say what it sets\n\
                             help: write `workers = {}`",
                            quote::quote!(#value)
                        ),
                    );
                    if input.is_empty() {
                        break;
                    }
                    input.parse::<Token![,]>()?;
                    continue;
                }
                let key: Path = input.call(Path::parse_mod_style).or_else(|_| {
                    // `crate` is a keyword, not an identifier.
                    input
                        .parse::<Token![crate]>()
                        .map(|k| Path::from(syn::Ident::new("crate", k.span)))
                })?;
                options.parse_one(&key, input, errors)?;
                if input.is_empty() {
                    break;
                }
                input.parse::<Token![,]>()?;
            }
            Ok(())
        };
        if let Err(error) = parser.parse2(args) {
            errors.push(error);
        }
        options
    }

    fn parse_one(
        &mut self,
        key: &Path,
        input: ParseStream,
        errors: &mut Errors,
    ) -> syn::Result<()> {
        let name = key.get_ident().map(ToString::to_string).unwrap_or_default();
        let known = OPTIONS.contains(&name.as_str());
        if !input.peek(Token![=]) {
            // `workers: 4`, as a struct literal is written: one error, at the option, with the
            // value read as the `=` path reads it, so that syn adds no "expected `,`" at the
            // colon.
            let colon = input.peek(Token![:]) && !input.peek(Token![::]);
            if colon {
                input.parse::<Token![:]>()?;
            }
            let value = match colon && !input.peek(Token![=]) {
                true => input.fork().parse::<Expr>().ok(),
                false => None,
            };
            let message = match (known, value) {
                (true, Some(value)) => {
                    input.parse::<Expr>()?;
                    format!(
                        "an option of `#[fail_fast]` is set with `=`, not `:`\nhelp: write `{name} = {}`",
                        quote::quote!(#value)
                    )
                }
                (true, None) => {
                    skip_to_comma(input);
                    format!("`{name}` needs a value\nhelp: write `{}`", example(&name))
                }
                (false, _) => {
                    skip_to_comma(input);
                    unknown_message(&name)
                }
            };
            errors.error(key, message);
            return Ok(());
        }
        input.parse::<Token![=]>()?;
        if name != "crate" {
            let value = match input.fork().parse::<Expr>() {
                Ok(value) => value,
                // `workers = 4 +`, `stop = `: syn says "unexpected end of input" at the whole
                // attribute; the option is where the value is missing.
                Err(error) if error.to_string().contains("end of input") && known => {
                    errors.error(
                        key,
                        format!(
                            "`{name} = ` is not followed by a whole value\nhelp: write `{}`",
                            example(&name)
                        ),
                    );
                    return input.step(|cursor| {
                        let mut rest = *cursor;
                        while let Some((_, next)) = rest.token_tree() {
                            rest = next;
                        }
                        Ok(((), rest))
                    });
                }
                Err(error) => return Err(error),
            };
            self.values.push(value);
        }
        match name.as_str() {
            "workers" => {
                let value: Expr = input.parse()?;
                if self.workers.is_some() {
                    errors.error(
                        &value,
                        "`workers` is given twice\nhelp: keep one `workers = ...`",
                    );
                } else if let Some(workers) = workers(value, errors) {
                    self.workers = Some(workers);
                } else {
                    self.workers_refused = true;
                }
            }
            "crate" => {
                let path = if input.peek(LitStr) {
                    let literal: LitStr = input.parse()?;
                    match literal.parse_with(Path::parse_mod_style) {
                        Ok(path) => Some(path),
                        Err(_) => {
                            errors.error(
                                &literal,
                                "`crate` must name a path, like `crate = \"failfast\"`",
                            );
                            None
                        }
                    }
                } else {
                    Some(input.call(Path::parse_mod_style)?)
                };
                if let Some(path) = path {
                    if self.krate.is_some() {
                        errors.error(
                            &path,
                            "`crate` is given twice\nhelp: keep one `crate = ...`",
                        );
                    } else {
                        self.krate = Some(path);
                    }
                }
            }
            "stop" => {
                let value: Expr = input.parse()?;
                if self.stop.is_some() {
                    errors.error(key, "`stop` is given twice\nhelp: keep one `stop = ...`");
                } else {
                    self.stop = Some((option_name(key), value));
                }
            }
            "timeout" | "deadline" => {
                let value: Expr = input.parse()?;
                // A number is the mistake a first user makes (seconds, as a config gives
                // them); any other value's type is checked by rustc, which also infers it
                // (`cfg.timeout.into()`).
                if let Some(seconds) = number(&value) {
                    // A length of time is never negative: the example shows the number's size.
                    let seconds = seconds.trim_start_matches('-');
                    let from = match seconds.contains(['.', 'e', 'E']) {
                        true => format!("Duration::from_secs_f64({seconds})"),
                        false => format!("Duration::from_secs({seconds})"),
                    };
                    let (takes, example) = match name.as_str() {
                        "timeout" => (
                            "a `std::time::Duration`",
                            format!("`timeout = {from}`: the loop stops once that much time has passed since it started"),
                        ),
                        _ => (
                            "a `std::time::Instant`",
                            format!("`deadline = Instant::now() + {from}`: the loop stops when that instant passes"),
                        ),
                    };
                    errors.error(
                        &value,
                        format!("`{name}` takes {takes}, not a number\nhelp: write {example}"),
                    );
                } else if is_string(&value) {
                    // `timeout = "30s"`, as a config file or another library writes it.
                    let takes = match name.as_str() {
                        "timeout" => "a `std::time::Duration`",
                        _ => "a `std::time::Instant`",
                    };
                    errors.error(
                        &value,
                        format!(
                            "`{name}` takes {takes}, not a string\nhelp: write `{}`",
                            example(&name)
                        ),
                    );
                } else if let Some(made) = made_by(&value).filter(|made| {
                    (name == "deadline" && *made == "Duration")
                        || (name == "timeout" && *made == "Instant")
                }) {
                    // The other option's type, given to this one: `deadline = Duration::from_secs(5)`.
                    let (takes, a_made, other) = match made {
                        "Duration" => ("an `Instant`", "a `Duration`", "timeout"),
                        _ => ("a `Duration`", "an `Instant`", "deadline"),
                    };
                    errors.error(
                        &value,
                        format!(
                            "`{name}` takes {takes}, and this is {a_made}\nhelp: {a_made} is what `{other}` takes: write `{other} = ` with this value, or `{}`",
                            example(&name)
                        ),
                    );
                }
                match &self.limit {
                    Some((given, _)) if *given == name => errors.error(
                        key,
                        format!("`{name}` is given twice\nhelp: keep one `{name} = ...`"),
                    ),
                    Some((given, _)) => errors.error(
                        key,
                        format!(
                            "`timeout` and `deadline` both say when the loop stops: choose one\n\
                             help: keep `{given} = ...` or `{name} = ...` (a `timeout` counts from the loop's start, a `deadline` is an `Instant`)"
                        ),
                    ),
                    None => self.limit = Some((option_name(key), value)),
                }
            }
            _ => {
                let _skipped: Expr = input.parse()?;
                errors.error(key, unknown_message(&name));
            }
        }
        Ok(())
    }
}

/// `Duration` or `Instant`, if `value` is visibly made by one of their constructors
/// (`Duration::from_secs(5)`, `std::time::Instant::now() + d`): the one type a `timeout` or
/// `deadline` may be given instead of the other. (Not through `-`: an `Instant` less another
/// is a `Duration`.)
fn made_by(value: &Expr) -> Option<&'static str> {
    let value = match value {
        Expr::Binary(binary) if matches!(binary.op, syn::BinOp::Add(_)) => &*binary.left,
        value => value,
    };
    let Expr::Call(call) = value else {
        return None;
    };
    let Expr::Path(path) = &*call.func else {
        return None;
    };
    let segments = &path.path.segments;
    let function = segments.last()?.ident.to_string();
    let ty = segments.iter().rev().nth(1)?;
    // Their constructors only: `Instant::elapsed(&start)` is a `Duration`.
    let made = ["Duration", "Instant"]
        .into_iter()
        .find(|made| ty.ident == made)?;
    let constructs = match made {
        "Instant" => function == "now",
        _ => function.starts_with("from_") || function == "new",
    };
    constructs.then_some(made)
}

/// The options of `#[fail_fast]`.
const OPTIONS: [&str; 5] = ["workers", "crate", "stop", "timeout", "deadline"];

/// Skips the tokens up to the next `,` (or the end), of an option already reported.
fn skip_to_comma(input: ParseStream) {
    let skipped = input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tree, next)) = rest.token_tree() {
            if matches!(&tree, proc_macro2::TokenTree::Punct(p) if p.as_char() == ',') {
                break;
            }
            rest = next;
        }
        Ok(((), rest))
    });
    debug_assert!(skipped.is_ok(), "a step that only moves on cannot fail");
}

/// What to write for the option `name`, in a help.
fn example(name: &str) -> &'static str {
    match name {
        "crate" => "crate = failfast",
        "stop" => "stop = &token",
        "timeout" => "timeout = Duration::from_secs(60)",
        "deadline" => "deadline = Instant::now() + Duration::from_secs(60)",
        _ => "workers = 8",
    }
}

/// `value` as the number it is written as, if it is one (`5`, `2.5`, `-5`, `(30)`).
fn number(value: &Expr) -> Option<String> {
    match unparenthesized(value) {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(int),
            ..
        }) => Some(int.base10_digits().to_string()),
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Float(float),
            ..
        }) => Some(float.base10_digits().to_string()),
        Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr,
            ..
        }) => number(expr).map(|n| format!("-{n}")),
        _ => None,
    }
}

/// Whether `value` is written as a string (`"30s"`, `("30s")`).
fn is_string(value: &Expr) -> bool {
    matches!(
        unparenthesized(value),
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(_),
            ..
        })
    )
}

/// `value` without the parentheses (or invisible groups) around it.
fn unparenthesized(mut value: &Expr) -> &Expr {
    loop {
        match value {
            Expr::Paren(paren) => value = &paren.expr,
            Expr::Group(group) => value = &group.expr,
            _ => return value,
        }
    }
}

/// The name of an option, as an identifier with its span.
fn option_name(key: &Path) -> Ident {
    key.get_ident()
        .cloned()
        .expect("options with a known name are identifiers")
}

/// Checks a `workers` value: literals at compile time, anything else at run time.
fn workers(value: Expr, errors: &mut Errors) -> Option<Workers> {
    const HELP: &str =
        "help: write a number of at least 1, like `workers = 8`, or a `usize` expression";
    match &value {
        Expr::Lit(ExprLit {
            lit: Lit::Int(int), ..
        }) => match int.base10_parse::<u64>() {
            Ok(0) => errors.error(
                int,
                format!("`workers = 0` would never run an iteration\n{HELP}"),
            ),
            // Any other type would be refused by rustc, at the runtime's signature.
            Ok(_) if !matches!(int.suffix(), "" | "usize") => errors.error(
                int,
                format!(
                    "`workers` is a `usize`, not {} `{}`\nhelp: write the number alone, `workers = {}`",
                    if int.suffix().starts_with('i') { "an" } else { "a" },
                    int.suffix(),
                    int.base10_digits()
                ),
            ),
            Ok(_) => return Some(Workers::Literal(int.clone())),
            Err(error) => errors.push(error),
        },
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr,
            ..
        }) if matches!(
            &**expr,
            Expr::Lit(ExprLit {
                lit: Lit::Int(_) | Lit::Float(_),
                ..
            })
        ) =>
        {
            errors.error(&value, format!("`workers` cannot be negative\n{HELP}"));
        }
        Expr::Lit(ExprLit {
            lit: Lit::Float(float),
            ..
        }) => {
            errors.error(
                float,
                format!("`workers` must be a whole number, not `{float}`\n{HELP}"),
            );
        }
        Expr::Lit(ExprLit {
            lit: Lit::Str(string),
            ..
        }) => {
            errors.error(
                string,
                format!("`workers` takes a number, not a string\n{HELP}"),
            );
        }
        Expr::Lit(ExprLit { lit, .. }) => {
            errors.error(lit, format!("`workers` takes a number\n{HELP}"));
        }
        _ => return Some(Workers::Expr(value)),
    }
    None
}

fn marker_args(marker: &Attribute) -> TokenStream {
    match &marker.meta {
        Meta::List(list) => list.tokens.clone(),
        Meta::Path(_) | Meta::NameValue(_) => TokenStream::new(),
    }
}

fn unknown_message(name: &str) -> String {
    let suggestion = match name {
        "worker" | "workers_count" | "max_workers" | "threads" | "thread" | "num_threads"
        | "jobs" | "concurrency" | "parallelism" | "n" | "limit" => Some("workers"),
        "krate" | "crate_path" | "path" => Some("crate"),
        "cancel" | "cancellation" | "token" | "stop_token" | "shutdown" | "cancel_token" => {
            Some("stop")
        }
        "time_limit" | "timeout_ms" | "time_out" | "duration" => Some("timeout"),
        "until" | "deadline_at" => Some("deadline"),
        _ => OPTIONS
            .into_iter()
            .find(|known| edit_distance(name, known) <= 2),
    };
    match suggestion {
        Some(known) => format!(
            "unknown option `{name}`\nhelp: did you mean `{known}`? (the options are {ACCEPTED})"
        ),
        None => format!("unknown option `{name}`\nhelp: the options are {ACCEPTED}"),
    }
}

/// Levenshtein distance, for "did you mean".
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn parse(args: TokenStream) -> (Options, Vec<String>) {
        let mut errors = Errors::default();
        let options = Options::parse(args, &mut errors);
        let messages = errors
            .into_result()
            .err()
            .map_or_else(Vec::new, |e| e.into_iter().map(|e| e.to_string()).collect());
        (options, messages)
    }

    #[test]
    fn every_bad_option_is_reported() {
        let (_, messages) = parse(quote!(workers = 0, threads = 4, crate = "not a path"));
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].starts_with("`workers = 0`"));
        assert!(messages[1].contains("did you mean `workers`?"));
        assert!(messages[2].contains("must name a path"));
    }

    #[test]
    fn an_option_set_with_a_colon_is_one_error_that_shows_it_with_equals() {
        let (options, messages) = parse(quote!(workers: n * 2, stop = &token));
        assert_eq!(
            messages,
            ["an option of `#[fail_fast]` is set with `=`, not `:`\nhelp: write `workers = n * 2`"]
        );
        assert!(
            options.stop.is_some(),
            "the options after it are still read"
        );
        // A comma inside the value is the value's.
        let (_, messages) = parse(quote!(workers: HashMap::<u32, u32>::new().len()));
        assert_eq!(messages.len(), 1, "{messages:?}");
        let help = messages[0].split("help: ").nth(1).unwrap_or_default();
        assert!(
            help.contains("u32 , u32") && help.ends_with("len ()`"),
            "{messages:?}"
        );
        // No comma after the value: syn's "expected `,`" says where one is missing.
        let (_, messages) = parse(quote!(workers: 4 stop = t));
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[1].contains("expected `,`"), "{messages:?}");
        let (_, messages) = parse(quote!(workers: = 4));
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains("needs a value"), "{messages:?}");
        let (_, messages) = parse(quote!(workers, timeout));
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages.iter().all(|m| m.contains("needs a value")));
    }

    #[test]
    fn good_options_are_kept() {
        let (options, messages) = parse(quote!(workers = n * 2, crate = ff));
        assert!(messages.is_empty(), "{messages:?}");
        assert!(matches!(options.workers, Some(Workers::Expr(_))));
        assert!(options.krate.unwrap().is_ident("ff"));
    }

    #[test]
    fn stop_timeout_and_deadline_are_kept_and_both_limits_refused() {
        let (options, messages) = parse(quote!(stop = &token, timeout = d));
        assert!(messages.is_empty(), "{messages:?}");
        assert!(options.stop.is_some());
        assert_eq!(options.stopped_by().unwrap(), "stop");
        assert_eq!(options.limit.unwrap().0, "timeout");
        let (_, messages) = parse(quote!(timeout = d, deadline = i));
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains("choose one"));
        assert!(unknown_message("cancel").contains("did you mean `stop`"));
    }

    #[test]
    fn a_string_for_a_timeout_or_a_deadline_is_refused() {
        let (_, messages) = parse(quote!(timeout = "30s"));
        assert_eq!(
            messages,
            ["`timeout` takes a `std::time::Duration`, not a string\nhelp: write `timeout = Duration::from_secs(60)`"]
        );
        let (_, messages) = parse(quote!(timeout = ("30s")));
        assert_eq!(messages.len(), 1);
        let (_, messages) = parse(quote!(deadline = "2026-12-06T10:00:00Z"));
        assert!(messages[0].starts_with("`deadline` takes a `std::time::Instant`, not a string"));
    }

    #[test]
    fn a_duration_for_a_deadline_or_an_instant_for_a_timeout_is_refused() {
        for args in [
            quote!(deadline = Duration::from_secs(5)),
            quote!(timeout = std::time::Instant::now() + d),
        ] {
            let (_, messages) = parse(args);
            assert_eq!(messages.len(), 1, "{messages:?}");
            assert!(messages[0].contains("is what"), "{messages:?}");
        }
        for args in [
            quote!(deadline = start + Duration::from_secs(5)),
            quote!(timeout = deadline - Instant::now()),
            quote!(timeout = Instant::now() - started),
            quote!(timeout = Instant::elapsed(&started)),
            quote!(timeout = Instant::duration_since(&end, Instant::now())),
            quote!(timeout = Duration::from_millis(5)),
        ] {
            let (_, messages) = parse(args);
            assert!(messages.is_empty(), "{messages:?}");
        }
    }

    #[test]
    fn a_value_cut_short_is_reported_at_its_option() {
        for args in [quote!(workers = 4 +), quote!(workers = 2, stop = )] {
            let (_, messages) = parse(args);
            assert_eq!(messages.len(), 1, "{messages:?}");
            assert!(
                messages[0].contains("is not followed by a whole value"),
                "{messages:?}"
            );
        }
    }

    #[test]
    fn close_names_are_suggested() {
        assert_eq!(edit_distance("wrkers", "workers"), 1);
        assert!(unknown_message("wrokers").contains("did you mean `workers`"));
        assert!(!unknown_message("colour").contains("did you mean"));
    }
}
