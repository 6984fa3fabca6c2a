//! Handing the memory the front stages freed back to the operating system before emitting.
//!
//! glibc gives each thread its own malloc arena, so the formatting workers of the emit stage
//! cannot reuse the pages the document value and the typed parse left free in the main
//! thread's arena: without this, those pages stay resident beside the workers' own and set the
//! run's peak (Stripe's document: 116 MB at emit against 81 MB with one arena, docs/PERFORMANCE.md).

/// Returns free heap pages to the kernel (glibc's `malloc_trim`); elsewhere a no-op.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub(crate) fn release_freed_memory() {
    unsafe extern "C" {
        fn malloc_trim(pad: usize) -> std::ffi::c_int;
    }
    // SAFETY: malloc_trim takes no pointers and only gives free pages of glibc's own heaps
    // back to the kernel; glibc documents it as thread-safe (it locks each arena it trims).
    unsafe {
        malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub(crate) fn release_freed_memory() {}
