//! The memory allocator of every program built on the core — the desktop app, the `mestno`
//! command, the shared server and the benchmarks — jemalloc, where it builds (not on Windows,
//! where the system's allocator stays). Fuzzing keeps the system's allocator too, so that the
//! address sanitizer and libFuzzer's malloc limit see every allocation.
//!
//! The bulk paths allocate and free hundreds of thousands of small values (a package's changes,
//! their rows, an import's cells); with jemalloc, loading a package of 100 000 changes took 7 %
//! less time than with glibc's allocator, in runs taken in turns (3.08–3.22 s against
//! 3.32–3.57 s), for the same memory. Only Rust's allocations go through it: SQLite, GTK and
//! WebKit keep the system's `malloc`. Every program links the core, so declaring it here gives
//! them all the same one.

#[cfg(not(any(windows, fuzzing)))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
