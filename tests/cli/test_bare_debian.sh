#!/usr/bin/env bash
# A newcomer's first minutes, on a bare Debian 12: a minimal chroot (debootstrap --variant=minbase bookworm, plus
# git and ca-certificates as the issue's "bare" machine has them), the repository cloned into it (the HEAD of this
# checkout), then `bash ci/example.sh` (twice: the second run must install nothing and be quick) and every line of
# README.md's Quick start from the repository root: offline lines must exit 0 or 1; lines that need AWS run
# against the fake AWS (started here, loopback only, reachable from the chroot) and must not exit 2.
#
# Needs root on Debian and the Debian mirror; skipped (77) with the reason otherwise. Runs only when
# IL_BARE_DEBIAN=1 (ci/test.sh sets it as root on Debian for the normal build): it takes minutes.
# The base system is cached in $IL_BARE_CACHE (default /var/cache/inspector-ledger), so later runs only unpack it;
# downloaded .debs are kept there too. Settings: IL_DEBIAN_MIRROR (default http://deb.debian.org/debian).
set -uo pipefail
src=${IL_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
cache=${IL_BARE_CACHE:-/var/cache/inspector-ledger}
mirror=${IL_DEBIAN_MIRROR:-http://deb.debian.org/debian}
skip() { echo "SKIP: $*"; exit 77; }
# ctest points HTTP(S)_PROXY at a refusing loopback port so nothing can reach AWS by accident. The Debian mirror is
# the one outside host this test needs (debootstrap, apt); the chroot's AWS lines run with `env -i` against the fake
# on 127.0.0.1, so dropping the guard here opens nothing else.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY

[ "${IL_BARE_DEBIAN:-}" = 1 ] || skip "set IL_BARE_DEBIAN=1 to build a bare Debian chroot (ci/test.sh does as root on Debian)"
[ "$(id -u)" -eq 0 ] || skip "needs root (debootstrap, chroot, mounts)"
[ -f /etc/debian_version ] || skip "not a Debian system"
command -v python3 >/dev/null || skip "python3 is not installed (runs the fake AWS; ci/setup.sh --test installs it)"
if ! command -v debootstrap >/dev/null; then
    echo "bare-debian: installing debootstrap (as ci/setup.sh --test does)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null 2>&1 ||
        skip "debootstrap is not installed and apt-get could not install it"
fi
if ! python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/dists/bookworm/Release", timeout=15)' \
        "$mirror" 2>/dev/null; then
    skip "the Debian mirror $mirror is not reachable (IL_DEBIAN_MIRROR sets another)"
fi

fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }
now() { date +%s.%N; }
secs() { python3 -c 'import sys; print("%.1f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$1" "$2"; }

mkdir -p "$cache/apt-archives/partial"
base="$cache/bookworm-minbase.tar.gz"
t0=$(now)
if [ ! -s "$base" ]; then
    echo "bare-debian: building the cached base system with debootstrap (once; minutes)"
    tmp=$(mktemp -d "$cache/base.XXXXXX")
    if ! debootstrap --variant=minbase --include=git,ca-certificates bookworm "$tmp" "$mirror" >"$cache/debootstrap.log" 2>&1; then
        tail -n 20 "$cache/debootstrap.log"
        rm -rf "$tmp"
        skip "debootstrap bookworm from $mirror failed (log: $cache/debootstrap.log)"
    fi
    tar -C "$tmp" -czf "$base.tmp" . && mv "$base.tmp" "$base"
    rm -rf "$tmp"
fi
root=$(mktemp -d /var/tmp/il-bare-debian.XXXXXX)
fake_pid=""
mounts=()
cleanup() {
    if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null; wait "$fake_pid" 2>/dev/null; fi
    local i
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
        umount -l "${mounts[$i]}" 2>/dev/null
    done
    # Never delete through a mount that is still there (that would reach the host's /dev or cache).
    if grep -q " $root/" /proc/mounts; then
        echo "bare-debian: mounts remain under $root; not removing it" >&2
    else
        rm -rf "$root"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
tar -C "$root" -xzf "$base" || { echo "FAIL: cannot unpack $base"; exit 1; }
t1=$(now)
echo "bare-debian: base system ready in $(secs "$t0" "$t1") s ($root)"
bindmount() { mkdir -p "$root$2" && mount --bind "$1" "$root$2" && mounts+=("$root$2"); }
mount -t proc proc "$root/proc" && mounts+=("$root/proc")
bindmount /dev /dev
bindmount /dev/pts /dev/pts # apt logs through a pseudo-terminal
bindmount "$cache/apt-archives" /var/cache/apt/archives # downloads only: the chroot still installs everything itself
cp /etc/resolv.conf "$root/etc/resolv.conf"
printf 'Types: deb\nURIs: %s\nSuites: bookworm bookworm-updates\nComponents: main\n' "$mirror" \
    >"$root/etc/apt/sources.list.d/debian.sources"
rm -f "$root/etc/apt/sources.list"

# What a bare machine does not have: no compiler, no cmake, no python3.
for tool in gcc cc cmake python3 make; do
    check "the bare system has no $tool" "! chroot '$root' sh -c 'command -v $tool' >/dev/null"
done

git clone -q --no-local "$src" "$root/root/inspector-ledger" || { echo "FAIL: git clone of $src"; exit 1; }
echo "bare-debian: cloned $(git -C "$src" rev-parse --short HEAD) of $src"
in_chroot() {
    chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        LANG=C.UTF-8 TERM=dumb AWS_EC2_METADATA_DISABLED=true "$@"
}

t2=$(now)
in_chroot bash -c 'cd /root/inspector-ledger && bash ci/example.sh' >"$root/example1.log" 2>&1
rc=$?
t3=$(now)
tail -n 5 "$root/example1.log"
check "ci/example.sh on a bare Debian exits 0 (got $rc; $(secs "$t2" "$t3") s)" '[ "$rc" -eq 0 ]'
[ "$rc" -eq 0 ] || tail -n 40 "$root/example1.log"
check "it built build/inspector-ledger" '[ -x "$root/root/inspector-ledger/build/inspector-ledger" ]'
check "it validated the bundled example" 'grep -q "exclusions checked as of .*: passed" "$root/example1.log"'
check "the tests were not built" '[ ! -e "$root/root/inspector-ledger/build/test_yaml" ]'

in_chroot bash -c 'cd /root/inspector-ledger && bash ci/example.sh' >"$root/example2.log" 2>&1
rc=$?
t4=$(now)
second=$(secs "$t3" "$t4")
check "the second ci/example.sh exits 0 (got $rc)" '[ "$rc" -eq 0 ]'
check "the second run installs nothing" '! grep -q "^setup: installing" "$root/example2.log"'
check "the second run is quick (${second} s < 20 s)" 'python3 -c "import sys; sys.exit(not float(sys.argv[1]) < 20)" "$second"'

# The Quick start, line by line, as a newcomer pastes it. AWS lines talk to the fake (the chroot shares loopback).
python3 "$src/tests/fake-aws/fake_aws.py" --port 0 --port-file "$root/fake.port" \
    --fixture "$src/ledger-example/demo/fake-aws.json" --seed 1 >/dev/null 2>&1 &
fake_pid=$!
for _ in $(seq 1 100); do [ -s "$root/fake.port" ] && break; sleep 0.1; done
port=$(cat "$root/fake.port" 2>/dev/null)
aws_env=(AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null
         AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_ACCESS_KEY_ID=AKIDFAKE0000000001
         AWS_SECRET_ACCESS_KEY=fakeSecretKeyForTestsOnly/0000000000000001)
lines=$(awk '/^## Quick start/ {q = 1; next} q && /^```/ {n++; if (n == 2) exit; next} q && n == 1' "$src/README.md" |
        sed -e 's/[[:space:]]*#.*$//' -e '/^[[:space:]]*$/d')
check "the Quick start has commands" '[ -n "$lines" ]'
while IFS= read -r line; do
    in_chroot "${aws_env[@]}" bash -c "cd /root/inspector-ledger && $line" >"$root/line.log" 2>&1 </dev/null
    rc=$?
    case "$line" in
        *whoami* | *" check "* | *--live* | *ci/demo.sh*)
            # needs AWS: against the fake, 3 (fail closed, e.g. a role the fake does not have) is an honest answer
            check "Quick start (AWS): '$line' exits 0, 1 or 3 (got $rc)" '[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || [ "$rc" -eq 3 ]' ;;
        *)
            check "Quick start: '$line' exits 0 or 1 (got $rc)" '[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]' ;;
    esac
    [ "$rc" -le 1 ] || [ "$rc" -eq 3 ] || tail -n 5 "$root/line.log"
done <<<"$lines"
t5=$(now)
echo "bare-debian: timings: base $(secs "$t0" "$t1") s, first ci/example.sh $(secs "$t2" "$t3") s, second $second s," \
     "Quick start $(secs "$t4" "$t5") s, total $(secs "$t0" "$t5") s"
exit "$fail"
