//! Ctrl-C, a closed terminal or `kill`: `serve` must still stop its children
//! and remove `my-work/serve.json`. The signals are blocked in every thread
//! and waited for by one (`sigwait`), so no handler runs in an unknown state
//! and no unsafe code is needed. Children start with an empty signal mask
//! (the standard library resets it), so Ctrl-C still reaches mdBook and the
//! runner at once; `serve` sees them exit and knows why.

/// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread and in every
/// thread it starts from now on: call it before starting any. `notify` gets
/// the signal's name when one arrives.
#[cfg(unix)]
pub fn forward_stop_signals(notify: impl Fn(&'static str) + Send + 'static) -> Result<(), String> {
    use nix::sys::signal::{SigSet, Signal};
    let mut set = SigSet::empty();
    for signal in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP] {
        set.add(signal);
    }
    set.thread_block()
        .map_err(|e| format!("cannot take over Ctrl-C: {e}"))?;
    std::thread::spawn(move || {
        while let Ok(signal) = set.wait() {
            notify(match signal {
                Signal::SIGINT => "Ctrl-C",
                Signal::SIGHUP => "the terminal closed (SIGHUP)",
                _ => "SIGTERM",
            });
        }
    });
    Ok(())
}

/// Elsewhere Ctrl-C ends `serve` as it ends its children.
#[cfg(not(unix))]
pub fn forward_stop_signals(_notify: impl Fn(&'static str) + Send + 'static) -> Result<(), String> {
    Ok(())
}
