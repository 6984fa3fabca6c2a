//! A criterion measurement of the benchmark thread's CPU time instead of wall-clock time, for boxes where other work competes for the cores.
//!
//! Wall-clock time counts every moment the thread waits for a core, so on a shared machine the
//! same code measured twice can differ by half. The kernel's per-thread CPU clock
//! (`CLOCK_THREAD_CPUTIME_ID`, read through rustix) counts only the time the thread ran. It
//! still sees caches disturbed by other processes, so figures remain a little noisier than on an
//! idle machine. Used by `benches/decode.rs` here and by the generator's own benchmarks.

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use rustix::time::{ClockId, clock_gettime};
use std::time::Duration;

/// CPU time of the calling thread; values are nanoseconds, formatted like [`WallTime`]'s.
pub struct CpuTime;

/// Only lends its formatter: both measurements count nanoseconds.
static WALL_TIME: WallTime = WallTime;

impl Measurement for CpuTime {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        thread_cpu_time()
    }

    fn end(&self, start: Duration) -> Duration {
        thread_cpu_time().saturating_sub(start)
    }

    fn add(&self, v1: &Duration, v2: &Duration) -> Duration {
        *v1 + *v2
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        WALL_TIME.formatter()
    }
}

fn thread_cpu_time() -> Duration {
    let now = clock_gettime(ClockId::ThreadCPUTime);
    Duration::new(
        u64::try_from(now.tv_sec).unwrap_or(0),
        u32::try_from(now.tv_nsec).unwrap_or(0),
    )
}
