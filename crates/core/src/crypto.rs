//! OpenSSL, SQLCipher's cipher on Linux and Windows (CommonCrypto on Apple systems), set up
//! before the first connection opens.

/// Initialises OpenSSL without the clean-up it would otherwise run at process exit. That clean-up
/// frees OpenSSL's global tables while threads of closed connections may still be finishing
/// (OpenSSL's per-thread state is freed as a thread ends), and it corrupted the heap: `mestno`
/// crashed now and then as it exited, after its work was done ("double free or corruption",
/// `OPENSSL_cleanup` in the exit handlers). The OS frees a process's memory anyway. Idempotent;
/// the first initialisation in a process decides, so every way into the database calls this first.
pub(crate) fn init() {
    #[cfg(not(target_vendor = "apple"))]
    openssl_sys::init();
}
