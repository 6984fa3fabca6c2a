//! Two pieces of work at once: one on a second thread, one on the calling thread, both results back in order.
//!
//! The stages between load and lower mostly read one big document value, and the machine has
//! more than one core; where two readings are independent they run side by side. Neither
//! result depends on which finishes first, so the output is the same as running them in turn.

/// Runs `first` on a new thread and `second` here, and returns both results. The thread has
/// the parser's stack ([`crate::parse::PARSER_STACK`]): the work is walks that recurse once per
/// level of the document. If no thread can be started, `first` runs here after `second` (it is
/// `Fn` so that it is still at hand then); a panic in either is passed on unchanged.
pub(crate) fn both<A: Send, B>(
    name: &str,
    first: impl Fn() -> A + Sync,
    second: impl FnOnce() -> B,
) -> (A, B) {
    std::thread::scope(|scope| {
        let started = std::thread::Builder::new()
            .name(name.to_owned())
            .stack_size(crate::parse::PARSER_STACK)
            .spawn_scoped(scope, &first);
        let second = second();
        let first = match started {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => first(),
        };
        (first, second)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_results_come_back_in_order_and_the_first_runs_elsewhere() {
        let here = std::thread::current().id();
        let (first, second) = both(
            "test-both",
            || (std::thread::current().id(), 1),
            || (std::thread::current().id(), 2),
        );
        assert_eq!((first.1, second.1), (1, 2));
        assert_eq!(second.0, here);
        assert_ne!(first.0, here);
    }
}
