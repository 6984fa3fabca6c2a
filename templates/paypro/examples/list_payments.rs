//! Lists every payment of the account, newest first, fetching further pages as needed.
//!
//! Run with `PAYPRO_API_KEY=pp_… cargo run --example list_payments`.

use futures::TryStreamExt;
use paypro::Client;
use paypro::resources::PaymentsListParams;

#[tokio::main]
async fn main() -> Result<(), paypro::Error> {
    let Ok(api_key) = std::env::var("PAYPRO_API_KEY") else {
        eprintln!("Set PAYPRO_API_KEY to your PayPro API key (it starts with `pp_`).");
        std::process::exit(2);
    };
    let client = Client::new(api_key);

    // The page size only changes how many requests are made, not what the stream yields.
    let params = PaymentsListParams::default().limit(100);
    let mut payments = std::pin::pin!(client.payments().list_all_with(params));
    let mut count = 0;
    while let Some(payment) = payments.try_next().await? {
        count += 1;
        println!(
            "{}  {:>8} cents  {:<10} {}",
            payment.id, payment.amount, payment.state, payment.description
        );
    }
    println!("{count} payments");
    Ok(())
}
