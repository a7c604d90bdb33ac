//! Ctrl-C, a closed terminal or `kill`: `serve` must still stop its children
//! and remove `my-work/serve.json`. A handler (`ctrlc`, which runs it on a
//! thread of its own, not inside the signal) rather than a blocked signal
//! mask: the standard library passes the mask on to every child, and a
//! blocked Ctrl-C would then no longer stop mdBook, the runner, or any build
//! they start. Ctrl-C still reaches the children at once (they are in the
//! terminal's process group); `serve` sees them exit and knows why.

/// Calls `notify` on each SIGINT, SIGTERM or SIGHUP (Ctrl-C on Windows).
pub fn on_stop_signal(notify: impl Fn() + Send + 'static) -> Result<(), String> {
    ctrlc::set_handler(notify).map_err(|e| format!("cannot take over Ctrl-C: {e}"))
}
