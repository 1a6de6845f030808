//! Cache: takes any value and gives a fingerprint of it, a fast in-process
//! hash that tells whether what something is made from changed between two
//! builds.

use std::hash::{BuildHasher, Hash};

/// A fast in-process hash, for telling whether something changed between two
/// builds. Fixed keys keep it the same for the same input within a run.
pub fn fingerprint<T: Hash + ?Sized>(value: &T) -> u64 {
    fingerprints().hash_one(value)
}

/// The hasher [`fingerprint`] uses, for a fingerprint of parts fed in one by
/// one rather than gathered first.
pub fn fingerprinter() -> ahash::AHasher {
    fingerprints().build_hasher()
}

fn fingerprints() -> ahash::RandomState {
    ahash::RandomState::with_seeds(1, 2, 3, 4)
}
