//! Write floor: takes a list of files with their sizes (as `find OUT -type f
//! -printf '%s %P\n'` prints it for a site Tiller built) and gives the least
//! work any generator must do to write that site: make its folders and write
//! files of the same names and sizes, on all cores. Nothing is read or
//! rendered; the bytes written are filler. Benchmarks compare Tiller with
//! this, beside the render floor (`examples/floor.rs`), since a build must do
//! both.
//!
//! ```sh
//! find /dev/shm/site -type f -printf '%s %P\n' >/tmp/manifest
//! cargo run --release --example write_floor -- /tmp/manifest /dev/shm/written
//! ```

use std::fs;
use std::path::PathBuf;

use rayon::prelude::*;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [manifest, out] = args.as_slice() else {
        fail("usage: write_floor MANIFEST OUTPUT (MANIFEST: lines of 'size path')");
    };
    let out = PathBuf::from(out);
    if out.exists() {
        fail(&format!(
            "{} exists; the write floor writes into a new folder",
            out.display()
        ));
    }
    let listing = fs::read_to_string(manifest)
        .unwrap_or_else(|e| fail(&format!("cannot read {manifest}: {e}")));
    let files: Vec<(usize, &str)> = listing
        .lines()
        .map(|line| {
            line.split_once(' ')
                .and_then(|(size, path)| Some((size.parse().ok()?, path)))
                .unwrap_or_else(|| fail(&format!("{manifest}: not 'size path': {line}")))
        })
        .collect();
    // One buffer as long as the longest file: each file writes a prefix of it.
    let filler = vec![b'x'; files.iter().map(|(size, _)| *size).max().unwrap_or(0)];
    fs::create_dir_all(&out).unwrap_or_else(|e| fail(&format!("{}: {e}", out.display())));
    // As a generator streams pages out: each file makes its folder if it is
    // not there yet and is written whole, in parallel.
    files.par_iter().for_each(|(size, path)| {
        let target = out.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .unwrap_or_else(|e| fail(&format!("{}: {e}", parent.display())));
        }
        fs::write(&target, &filler[..*size])
            .unwrap_or_else(|e| fail(&format!("{}: {e}", target.display())));
    });
    let bytes: usize = files.iter().map(|(size, _)| size).sum();
    println!("{} files, {bytes} bytes written", files.len());
}

fn fail(message: &str) -> ! {
    eprintln!("write_floor: {message}");
    std::process::exit(1)
}

// The allocator the other programs of the benchmark use.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
