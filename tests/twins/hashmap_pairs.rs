// The pairs of a borrowed `HashMap`.
use failfast::fail_fast;
use std::collections::HashMap;

#[fail_fast(workers = 2)]
fn check_prices(prices: &HashMap<String, f64>) -> Result<(), String> {
    for (name, price) in prices {
        if *price < 0.0 {
            return Err(format!("{name} has a negative price"));
        }
    }
    Ok(())
}

fn main() {
    let prices = HashMap::from([("tea".to_string(), 2.5)]);
    assert!(check_prices(&prices).is_ok());
}
