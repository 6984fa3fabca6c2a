//! Handing freed memory back to the operating system: large blocks as soon as they are freed, and what the front stages left free before emitting.
//!
//! glibc gives each thread its own malloc arena, so the formatting workers of the emit stage
//! cannot reuse the pages the document value and the typed parse left free in the main
//! thread's arena: without this, those pages stay resident beside the workers' own and set the
//! run's peak (Stripe's document: 116 MB at emit against 81 MB with one arena, docs/PERFORMANCE.md).

/// Returns free heap pages to the kernel (glibc's `malloc_trim`); elsewhere a no-op.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn release_freed_memory() {
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
pub fn release_freed_memory() {}

/// glibc's `mallopt` parameter number for the size from which blocks get their own mapping.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const M_MMAP_THRESHOLD: std::ffi::c_int = -3;

/// Blocks from this size up get their own mapping: glibc's starting value, kept fixed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const LARGE_BLOCK: std::ffi::c_int = 128 * 1024;

/// Keeps every block of 128 KiB or more in a mapping of its own, returned to the kernel the
/// moment it is freed and grown in place (`mremap`) rather than copied.
///
/// glibc starts there, but each time a mapped block is freed it raises the threshold to that
/// block's size (up to 32 MiB). A generation frees several such blocks early (the document
/// value's maps, the path items), after which the buffers that emit grows, `models.rs` among
/// them at 15 MB for the synthetic document, come from the heap instead: copied on each
/// growth and kept resident once freed. Fixing the threshold took the synthetic document's
/// peak from 68.8 to 64.3 MB (docs/PERFORMANCE.md). It changes the whole process's
/// allocator, so only programs call it (xtask, at start), never the library on its own.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn map_large_blocks_apart() {
    unsafe extern "C" {
        fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
    }
    // SAFETY: mallopt takes no pointers; glibc documents it as safe to call at any time
    // (it locks the main arena while it changes the parameter). A refusal (0) leaves the
    // allocator as it was, which is correct, only larger.
    unsafe {
        mallopt(M_MMAP_THRESHOLD, LARGE_BLOCK);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn map_large_blocks_apart() {}
