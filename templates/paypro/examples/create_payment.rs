//! Creates a payment and prints the checkout link to send the customer to.
//!
//! Run with `PAYPRO_API_KEY=pp_… cargo run --example create_payment`.

use paypro::models::{CreatePaymentRequest, CreatePaymentRequestPayMethod, Currency};
use paypro::{Client, Patch};

#[tokio::main]
async fn main() -> Result<(), paypro::Error> {
    let Ok(api_key) = std::env::var("PAYPRO_API_KEY") else {
        eprintln!("Set PAYPRO_API_KEY to your PayPro API key (it starts with `pp_`).");
        std::process::exit(2);
    };
    let client = Client::new(api_key);

    // Amounts are in cents; optional members left `Unset` are not sent at all.
    let mut request = CreatePaymentRequest::new(1000, Currency::Eur, "Order 42");
    request.return_url = Patch::Set("https://shop.example/thank-you".to_owned());
    request.pay_methods = Patch::Set(vec![CreatePaymentRequestPayMethod::Ideal]);

    let payment = client.payments().create(&request).await?;
    match payment.links.checkout {
        Some(checkout) => println!("Payment {} created; pay at {checkout}", payment.id),
        None => println!("Payment {} created without a checkout link", payment.id),
    }
    Ok(())
}
