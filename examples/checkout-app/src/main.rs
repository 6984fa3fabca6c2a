//! Runs the shop on 127.0.0.1:3000 against PayPro: `PAYPRO_API_KEY` and `PAYPRO_WEBHOOK_SECRET`
//! must be set.

use checkout_app::Shop;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let api_key = std::env::var("PAYPRO_API_KEY").map_err(|_| "set PAYPRO_API_KEY")?;
    let secret = std::env::var("PAYPRO_WEBHOOK_SECRET").map_err(|_| "set PAYPRO_WEBHOOK_SECRET")?;
    // The application's own reqwest 0.13 client (one connection pool for everything it calls).
    let http = reqwest::Client::builder().build()?;
    let paypro = paypro::Client::builder(api_key).http_client(http).build()?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, Shop::new(paypro, &secret).router()).await?;
    Ok(())
}
