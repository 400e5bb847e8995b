//! ITU-R P.452-18 and P.1812-6 predictions allocate nothing once their
//! thread has run one over a profile as long (issue 18: "no allocation per
//! call"): the reciprocals of the distances and the terrain plus clutter live
//! in per-thread buffers that are reused.
//!
//! A global allocator counts the allocations of the thread under test.

#![allow(clippy::unwrap_used)] // test set-up: a failure here is a broken fixture
#![allow(unsafe_code)] // GlobalAlloc is an unsafe trait; this one only counts and forwards to System

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use spectrum_core::p452::{P452Input, PathCentre, p452};
use spectrum_core::p526::Polarization;
use spectrum_core::p1812::{P1812Input, p1812};
use spectrum_core::profile::{PathProfile, RadioClimaticZone};

/// Forwards to the system allocator, counting the allocations of a thread
/// while it has asked for a count.
struct Counting;

thread_local! {
    static COUNT: Cell<Option<usize>> = const { Cell::new(None) };
}

// SAFETY: every call is forwarded unchanged to `System`, which upholds the
// trait's contract; the count is a thread-local `Cell` that never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = COUNT.try_with(|c| {
            if let Some(n) = c.get() {
                c.set(Some(n + 1));
            }
        });
        // SAFETY: the caller's layout is passed on as it came.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The number of allocations `f` makes on this thread.
fn allocations(f: impl FnOnce()) -> usize {
    COUNT.with(|c| c.set(Some(0)));
    f();
    COUNT.with(|c| c.replace(None)).unwrap_or(0)
}

/// A profile of `points` points over 150 km with relief, clutter and
/// inland, coastal and sea sections.
fn profile(points: usize) -> PathProfile {
    let step = 150.0 / (points - 1) as f64;
    let d: Vec<f64> = (0..points).map(|i| i as f64 * step).collect();
    let h: Vec<f64> = d
        .iter()
        .map(|x| 300.0 + 250.0 * (x / 9.0).sin() + 2.0 * x)
        .collect();
    let mut p = PathProfile::new(d, h).unwrap();
    p.clutter_heights_m = Some(vec![10.0; points]);
    p.zones = Some(
        (0..points)
            .map(|i| match i * 3 / points {
                0 => RadioClimaticZone::Inland,
                1 => RadioClimaticZone::CoastalLand,
                _ => RadioClimaticZone::Sea,
            })
            .collect(),
    );
    p
}

fn centre() -> PathCentre {
    PathCentre::Endpoints {
        tx_lat_deg: 42.8,
        tx_lon_deg: 74.6,
        rx_lat_deg: 42.0,
        rx_lon_deg: 76.0,
    }
}

#[test]
fn p452_and_p1812_allocate_nothing_once_warm() {
    let long = profile(2001);
    let short = profile(300);
    let p452_input = P452Input {
        freq_ghz: 2.0,
        time_pct: 1.0,
        htg_m: 20.0,
        hrg_m: 10.0,
        path_centre: centre(),
        gt_dbi: 10.0,
        gr_dbi: 5.0,
        polarization: Polarization::Vertical,
        dct_km: 500.0,
        dcr_km: 500.0,
        pressure_hpa: 1013.25,
        temperature_c: 15.0,
        dn: 45.0,
        n0: 325.0,
    };
    let p1812_input = P1812Input::new(0.6, 10.0, 50.0, 10.0, centre(), Polarization::Vertical);
    // Warm: the buffers grow to the longest profile.
    let first = p452(&p452_input, &long).unwrap().lb_db;
    p1812(&p1812_input, &long).unwrap();
    let count = allocations(|| {
        for profile in [&long, &short, &long] {
            let lb = p452(&p452_input, profile).unwrap().lb_db;
            assert!(lb.is_finite());
            assert!(p1812(&p1812_input, profile).unwrap().lb_db.is_finite());
        }
    });
    assert_eq!(count, 0, "allocations in six warm predictions");
    // The reused buffers give the same answer as the first call.
    assert_eq!(
        p452(&p452_input, &long).unwrap().lb_db.to_bits(),
        first.to_bits()
    );
    // The counter itself sees allocations.
    assert_eq!(allocations(|| drop(std::hint::black_box(vec![0u8; 64]))), 1);
}
