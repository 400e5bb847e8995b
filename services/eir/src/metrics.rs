//! The service's metrics in the Prometheus / OpenMetrics text format
//! (`prometheus-client`, the Prometheus project's crate): requests by
//! endpoint and status code, latency histograms by endpoint, verdicts
//! given, snapshot reloads and failures, and the snapshot's age and size.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// Labels of a request.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// The endpoint (`equipment-status`, `imei-info`, …).
    pub endpoint: &'static str,
    /// The HTTP status code.
    pub code: &'static str,
}

/// Labels of an endpoint.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct EndpointLabels {
    /// The endpoint.
    pub endpoint: &'static str,
}

/// Labels of a verdict.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StatusLabels {
    /// `WHITELISTED`, `GREYLISTED`, `BLACKLISTED` or `UNKNOWN`.
    pub status: &'static str,
}

type Latency = Family<EndpointLabels, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 25 µs to about 0.8 s.
    Histogram::new(exponential_buckets(0.000_025, 2.0, 16))
}

/// The metrics.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    /// Requests answered.
    pub requests: Family<RequestLabels, Counter>,
    /// Request latency, seconds.
    pub latency: Latency,
    /// Equipment statuses given.
    pub statuses: Family<StatusLabels, Counter>,
    /// Snapshots swapped in.
    pub reloads: Counter,
    /// Snapshots that could not be loaded (the previous one kept).
    pub reload_failures: Counter,
    /// Seconds since the snapshot was written (set at each scrape).
    pub snapshot_age: Gauge<f64, std::sync::atomic::AtomicU64>,
    /// Devices in the snapshot.
    pub snapshot_devices: Gauge,
}

/// Status code as a static label.
pub fn code_label(code: u16) -> &'static str {
    match code {
        200 => "200",
        400 => "400",
        401 => "401",
        403 => "403",
        404 => "404",
        405 => "405",
        408 => "408",
        413 => "413",
        414 => "414",
        415 => "415",
        422 => "422",
        429 => "429",
        500 => "500",
        503 => "503",
        _ => "other",
    }
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("spectra_eir");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: Latency = Family::new_with_constructor(latency_histogram);
        let statuses = Family::<StatusLabels, Counter>::default();
        let reloads = Counter::default();
        let reload_failures = Counter::default();
        let snapshot_age = Gauge::<f64, std::sync::atomic::AtomicU64>::default();
        let snapshot_devices = Gauge::default();
        registry.register("requests", "Requests answered", requests.clone());
        registry.register(
            "request_duration_seconds",
            "Time to answer a request",
            latency.clone(),
        );
        registry.register(
            "equipment_status",
            "Equipment statuses and verdicts given",
            statuses.clone(),
        );
        registry.register("snapshot_reloads", "Snapshots swapped in", reloads.clone());
        registry.register(
            "snapshot_reload_failures",
            "Snapshots that could not be loaded (the previous one kept)",
            reload_failures.clone(),
        );
        registry.register(
            "snapshot_age_seconds",
            "Seconds since the snapshot in use was written",
            snapshot_age.clone(),
        );
        registry.register(
            "snapshot_devices",
            "Devices in the snapshot in use",
            snapshot_devices.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            statuses,
            reloads,
            reload_failures,
            snapshot_age,
            snapshot_devices,
        }
    }
}

impl Metrics {
    /// The text exposition.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}
