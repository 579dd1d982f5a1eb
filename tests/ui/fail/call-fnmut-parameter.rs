use failfast::fail_fast;

// Calling an `FnMut` takes `&mut` of it: iterations that run at the same time would each
// change it. Refused at the call, in the loop's terms, whatever the parameter's spelling.
#[fail_fast(workers = 4)]
fn visit<F>(items: &[u32], mut f: F) -> Result<(), String>
where
    F: FnMut(u32) -> Result<(), String> + Sync,
{
    for item in items {
        f(*item)?;
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn visit_inline<F: FnMut(u32) + Sync>(items: &[u32], mut f: F) {
    for item in items {
        f(*item);
    }
}

#[fail_fast(workers = 4)]
fn visit_impl(items: &[u32], mut f: impl FnMut(u32) + Sync) {
    for item in items {
        f(*item);
    }
}

#[fail_fast(workers = 4)]
fn visit_dyn(items: &[u32], on_item: &mut dyn FnMut(u32)) {
    for item in items {
        on_item(*item);
    }
}

#[fail_fast(workers = 4)]
fn visit_boxed(items: &[u32], mut on_item: Box<dyn FnMut(u32) + Sync>) {
    for item in items {
        on_item(*item);
    }
}

#[fail_fast(workers = 4)]
async fn visit_async(items: &[u32], mut f: impl FnMut(u32)) {
    for item in items {
        std::future::ready(()).await;
        f(*item);
    }
}

// A closure of the function's own that changes what it captures: the same.
#[fail_fast(workers = 4)]
fn total_of(items: &[u32]) -> u32 {
    let mut total = 0;
    let mut add = |n: u32| total += n;
    for item in items {
        add(*item);
    }
    total
}

#[fail_fast(workers = 4)]
fn collect(items: &[u32]) -> Vec<u32> {
    let mut seen = Vec::new();
    let mut keep = move |n: u32| {
        seen.push(n);
        seen.len()
    };
    for item in items {
        let _ = keep(*item);
    }
    Vec::new()
}

fn main() {}
