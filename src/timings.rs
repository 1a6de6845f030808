//! Timings: takes the moments each pipeline stage ends and gives how long each
//! took, for `--timings` and for finding where a build spends its time.

use std::fmt;
use std::time::{Duration, Instant};

/// Durations of the stages of one build, in the order they ran.
#[derive(Debug, Clone)]
pub struct Timings {
    last: Instant,
    stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    pub(crate) fn start() -> Self {
        Timings {
            last: Instant::now(),
            stages: Vec::new(),
        }
    }

    /// Records that `stage` ended now.
    pub(crate) fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.stages.push((stage, now - self.last));
        self.last = now;
    }
}

impl fmt::Display for Timings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .stages
            .iter()
            .map(|(stage, took)| format!("{stage} {:.1} ms", took.as_secs_f64() * 1000.0))
            .collect();
        write!(f, "{}", parts.join(" · "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laps_are_recorded_in_order() {
        let mut timings = Timings::start();
        timings.lap("load");
        timings.lap("parse");
        let names: Vec<&str> = timings.stages.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["load", "parse"]);
        assert!(timings.to_string().starts_with("load "));
    }
}
