// Generic code calling the runtime API without `Send` bounds: the note says to write `Send`.
pub fn check_all<T, E>(items: Vec<T>, check: impl Fn(T) -> Result<(), E> + Sync) -> Result<(), E> {
    failfast::try_for_each(items, 4, check)
}

fn main() {}
