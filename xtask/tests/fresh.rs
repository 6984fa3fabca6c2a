//! The committed `generated-client/` must be exactly what the generator makes from `spec/`, so a plain `cargo test` catches a stale client.

use xtask::{Job, sync::sync, workspace_root};

#[test]
fn generated_client_is_fresh() {
    let root = workspace_root();
    let job = Job::paypro(&root).unwrap_or_else(|failure| panic!("{failure}"));
    let generated = match xtask::run(&job) {
        Ok(generated) => generated,
        Err(failure) => panic!("the spec does not generate:\n{failure}"),
    };
    let report = sync(&job.out, &generated.files, true).expect("read generated-client/");
    assert!(
        report.is_clean(),
        "generated-client/ is stale; run `cargo xtask generate`:\n{}",
        report.describe(&job.out)
    );
}
