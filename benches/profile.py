"""Summarises `perf script` output of a `tiller build` (see profile.sh).

Each sample is a thread, a time and a call stack. A sample counts towards
every part of the pipeline whose function is on its stack (so shares are
inclusive and overlap: highlighting is part of Markdown, which is part of
parsing). The timeline counts samples per thread per 100 ms: at 999 samples a
second, a thread busy the whole time has about 100.
"""

import collections
import re
import sys

# (what the reader calls it, function names any of which on the stack means it)
PARTS = [
    ("load: walking and reading files", ("tiller::load::",)),
    ("parse: everything", ("tiller::parse::parse",)),
    ("parse: front matter", ("tiller::parse::front_matter::",)),
    ("parse: Markdown to HTML", ("tiller::parse::markdown::render",)),
    ("parse: syntax highlighting", ("tiller::highlight::",)),
    ("parse: finding entity mentions", ("tiller::parse::entities::Entities::find",)),
    ("resolve: everything", ("tiller::resolve::",)),
    ("resolve: related articles", ("tiller::resolve::related::",)),
    ("render: search files", ("tiller::render::search::",)),
    ("render: search, a body's readable text", ("tiller::parse::readable::Readable::whole",)),
    ("render: page views (data for templates)", ("tiller::render::views::",)),
    ("render: entity pages' sentences", ("tiller::parse::readable::Readable::mention",)),
    ("render: templates (Tera)", ("tera::",)),
    ("write: writing files", ("as tiller::write::Store>::put",)),
    ("memory: allocating and freeing", ("mi_",)),
    ("kernel: page faults", ("asm_exc_page_fault",)),
]

HEADER = re.compile(r"^\S.*?\s(\d+)\s+(\d+\.\d+):")


def samples(path):
    """Yields (thread, time, frames) for each sample."""
    thread, time, frames = None, None, []
    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if not line.strip():
                if thread is not None:
                    yield thread, time, frames
                thread, frames = None, []
            elif not line[0].isspace():
                match = HEADER.match(line)
                if match:
                    thread, time = int(match.group(1)), float(match.group(2))
            else:
                frames.append(line.strip())
    if thread is not None:
        yield thread, time, frames


def main(path):
    counts = collections.Counter()
    times = collections.defaultdict(list)
    total = 0
    start = None
    for thread, time, frames in samples(path):
        total += 1
        start = time if start is None else min(start, time)
        times[thread].append(time)
        for name, markers in PARTS:
            if any(marker in frame for frame in frames for marker in markers):
                counts[name] += 1
    if total == 0:
        sys.exit("no samples: did perf record work?")
    # Without debug info the functions inlined into parsing have no frames of
    # their own, and their parts would read 0% as if they cost nothing.
    if counts["parse: everything"] and not counts["parse: Markdown to HTML"]:
        sys.exit("inlined functions are not named: profile a build with debug info "
                 "(cargo build --profile profiling)")

    print(f"{total} samples. Share of all CPU samples, inclusive:")
    print()
    print("| part | share |")
    print("|---|---:|")
    for name, _ in PARTS:
        print(f"| {name} | {100 * counts[name] / total:.1f}% |")

    threads = sorted(times, key=lambda t: min(times[t]))
    per_tenth = collections.defaultdict(collections.Counter)
    for thread in threads:
        for time in times[thread]:
            per_tenth[int((time - start) * 10)][thread] += 1
    print()
    print("Samples per thread per 100 ms (about 100 = busy throughout):")
    print()
    print("| ms | " + " | ".join(f"thread {i + 1}" for i in range(len(threads))) + " |")
    print("|---:|" + "---:|" * len(threads))
    for tenth in sorted(per_tenth):
        row = " | ".join(str(per_tenth[tenth][t]) for t in threads)
        print(f"| {tenth * 100} | {row} |")


if __name__ == "__main__":
    main(sys.argv[1])
