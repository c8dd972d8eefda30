//! The memory allocator of every program built on the core — the desktop app, the `mestno`
//! command, the shared server and the benchmarks — jemalloc, where it builds (not on Windows,
//! where the system's allocator stays), for Rust's allocations and for SQLite's. Fuzzing keeps
//! the system's allocator, so that the address sanitizer and libFuzzer's malloc limit see every
//! allocation.
//!
//! The bulk paths allocate and free hundreds of thousands of small values (a package's changes,
//! their rows, an import's cells); with jemalloc, loading a package of 100 000 changes took 7 %
//! less time than with glibc's allocator, in runs taken in turns (3.08–3.22 s against
//! 3.32–3.57 s), for the same memory. SQLite, which writes those rows, allocates as much again
//! (each bound value, each record it builds, its full-text index's terms), and with its memory
//! statistics on it took a global lock and asked the allocator each block's size on every
//! allocation and free. [`route_sqlite`] turns those statistics off and gives SQLite jemalloc
//! too. In turns with the code before, the same package then loaded in 2.78–2.83 s against
//! 3.14–3.25 s: 2.92–2.99 s with the statistics off alone, the rest jemalloc's, which keeps
//! about 13 MB more at the load's peak and 5.5 MB more in the idle desktop app (most likely
//! SQLite's page buffers: 4 KB and a header, in jemalloc's size class of 5 KB). GTK and WebKit
//! keep the system's `malloc`: only what Rust and SQLite ask for changes allocator. Every program
//! links the core, so declaring it here gives them all the same one.

#[cfg(not(any(windows, fuzzing)))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Has SQLite allocate through jemalloc, without its memory statistics (a global lock around
/// every allocation, for figures Mestno never asks SQLite for). Runs once, before the process's
/// first connection: every way of the core into a database calls it first. Code that opens a
/// database without the core (a test reading a file raw) calls it first too: SQLite may not be
/// set up while another thread starts it. Where SQLite was started already, it refuses the
/// change and keeps its own allocator, which is as correct, only slower.
pub fn route_sqlite() {
    #[cfg(not(any(windows, fuzzing)))]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(sqlite::configure);
    }
}

#[cfg(not(any(windows, fuzzing)))]
#[allow(unsafe_code)]
mod sqlite {
    use std::os::raw::{c_int, c_void};

    use libsqlite3_sys as ffi;
    use tikv_jemalloc_sys as je;

    // SQLite asks for sizes as C ints, never negative or zero (it answers those itself).
    unsafe extern "C" fn malloc(size: c_int) -> *mut c_void {
        unsafe { je::malloc(size.max(1) as usize) }
    }

    unsafe extern "C" fn free(ptr: *mut c_void) {
        unsafe { je::free(ptr) }
    }

    unsafe extern "C" fn realloc(ptr: *mut c_void, size: c_int) -> *mut c_void {
        unsafe { je::realloc(ptr, size.max(1) as usize) }
    }

    unsafe extern "C" fn size(ptr: *mut c_void) -> c_int {
        if ptr.is_null() { 0 } else { unsafe { je::malloc_usable_size(ptr) as c_int } }
    }

    unsafe extern "C" fn roundup(size: c_int) -> c_int {
        if size <= 0 { size } else { unsafe { je::nallocx(size as usize, 0) as c_int } }
    }

    unsafe extern "C" fn init(_: *mut c_void) -> c_int {
        ffi::SQLITE_OK
    }

    unsafe extern "C" fn shutdown(_: *mut c_void) {}

    pub(super) fn configure() {
        let methods = ffi::sqlite3_mem_methods {
            xMalloc: Some(malloc),
            xFree: Some(free),
            xRealloc: Some(realloc),
            xSize: Some(size),
            xRoundup: Some(roundup),
            xInit: Some(init),
            xShutdown: Some(shutdown),
            pAppData: std::ptr::null_mut(),
        };
        // SAFETY: called once, before this process opens any connection (see `route_sqlite`), so
        // no other thread is inside SQLite; SQLite copies `methods` before returning. Once SQLite
        // has started, both calls return SQLITE_MISUSE and change nothing.
        let (memstatus, malloc) = unsafe {
            (
                ffi::sqlite3_config(ffi::SQLITE_CONFIG_MEMSTATUS, 0 as c_int),
                ffi::sqlite3_config(ffi::SQLITE_CONFIG_MALLOC, &methods as *const ffi::sqlite3_mem_methods),
            )
        };
        if memstatus != ffi::SQLITE_OK || malloc != ffi::SQLITE_OK {
            tracing::debug!("SQLite was started before Mestno could give it jemalloc: it keeps its own allocator");
        }
    }
}

#[cfg(all(test, not(any(windows, fuzzing))))]
#[allow(unsafe_code)]
mod tests {
    use std::sync::Arc;

    use libsqlite3_sys as ffi;

    use crate::{Store, SystemClock};

    #[tokio::test]
    async fn sqlite_allocates_through_jemalloc_without_its_statistics() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("office.sqlite"), Arc::new(SystemClock), "test").await.unwrap();
        store.set_setting("greeting", "здравствуйте").await.unwrap();
        // SAFETY: SQLite is up (the store opened it). The two settings are made together, so
        // with its statistics off SQLite has jemalloc too, and the block is jemalloc's to size.
        unsafe {
            assert_eq!(ffi::sqlite3_memory_used(), 0, "SQLite keeps no figures of its memory: its statistics are off");
            let block = ffi::sqlite3_malloc(1000);
            assert!(!block.is_null());
            let usable = tikv_jemalloc_sys::malloc_usable_size(block);
            ffi::sqlite3_free(block);
            // jemalloc rounds 1000 bytes up to its size class of 1024.
            assert_eq!(usable, 1024, "the block is jemalloc's");
        }
        store.close().await;
    }
}
