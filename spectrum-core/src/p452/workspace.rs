//! Buffers a P.452-18 or P.1812-6 prediction over a profile needs (the
//! reciprocals of the distances for the Bullington walks and the path
//! analysis, the terrain plus clutter), kept per thread and reused, so that
//! a prediction allocates nothing once its thread has seen a profile as long.

use std::cell::RefCell;

use crate::p526::Reciprocals;

/// The reusable buffers of one prediction.
#[derive(Debug, Default)]
pub(crate) struct Workspace {
    /// `1 / d_i` and `1 / (d_tot − d_i)` of the profile's inner points.
    pub(crate) recip: Reciprocals,
    /// Terrain plus representative clutter heights, m.
    pub(crate) heights_m: Vec<f64>,
}

/// Runs `f` with this thread's workspace (a fresh one if it is already in
/// use further up the stack).
pub(crate) fn with_workspace<R>(f: impl FnOnce(&mut Workspace) -> R) -> R {
    thread_local! {
        static WORKSPACE: RefCell<Workspace> = RefCell::default();
    }
    WORKSPACE.with(|ws| match ws.try_borrow_mut() {
        Ok(mut ws) => f(&mut ws),
        Err(_) => f(&mut Workspace::default()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_buffers_are_kept_and_a_nested_call_gets_its_own() {
        let cap = with_workspace(|ws| {
            ws.heights_m.extend([1.0; 500]);
            let inner = with_workspace(|inner| inner.heights_m.len());
            assert_eq!(inner, 0);
            ws.heights_m.clear();
            ws.heights_m.capacity()
        });
        assert!(cap >= 500);
        assert!(with_workspace(|ws| ws.heights_m.capacity()) >= 500);
    }
}
