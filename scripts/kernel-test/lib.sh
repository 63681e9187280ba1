# Shell functions shared by the kernel tests (scripts/kernel-test/run and arm64/): cached Debian
# downloads, QMP over FIFOs, timing, and the PASS/FAIL tally. Source it from bash; it sets no
# options of its own. Every function is prefixed kt_.

# Downloads survive `make clean`: they live outside the repository and are reused until the
# archive's candidate version changes.
KT_CACHE=${MDTLOAD_CACHE:-$HOME/.cache/mdtload}/kernel-test

kt_log() { printf '%s\n' "$*" >&2; }
kt_die() { kt_log "kernel-test: $*"; exit 2; }

# Milliseconds since the epoch, for step timings.
kt_now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# kt_dep PKG PREFIX [APT_OPTION...]: the dependency of PKG's candidate whose name starts with PREFIX
# (linux-image-amd64 -> linux-image-6.1.0-NN-amd64): the ABI moves with security updates.
kt_dep() {
    local pkg=$1 prefix=$2; shift 2
    apt-cache "$@" depends "$pkg" | awk -v p="$prefix" '$1 == "Depends:" && index($2, p) == 1 { print $2; exit }'
}

# kt_deb PKG [APT_OPTION...]: prints a directory holding PKG's candidate unpacked (dpkg-deb -x),
# downloading the .deb once per version into $KT_CACHE/debs. The options go to apt-cache and
# apt-get (a private apt state for a foreign architecture, say).
kt_deb() {
    local pkg=$1; shift
    local version dir debs=$KT_CACHE/debs
    version=$(apt-cache "$@" show --no-all-versions "$pkg" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)
    [ -n "$version" ] || { kt_log "kernel-test: apt knows no package $pkg (run apt-get update)"; return 1; }
    dir=$debs/${pkg//:/_}_${version//:/%3a}
    if [ ! -f "$dir/.unpacked" ]; then
        mkdir -p "$debs" || return 1
        rm -rf "$dir" "$debs"/.dl && mkdir -p "$debs/.dl" || return 1
        (cd "$debs/.dl" && apt-get "$@" -q download "$pkg=$version" >&2) || return 1
        dpkg-deb -x "$debs"/.dl/*.deb "$dir.tmp" && rm -rf "$debs/.dl" && touch "$dir.tmp/.unpacked" &&
            mv "$dir.tmp" "$dir" || return 1
    fi
    echo "$dir"
}

# --- QMP over a FIFO pair ------------------------------------------------------------------
# QEMU: -chardev pipe,id=qmp,path=BASE -mon chardev=qmp,mode=control, with BASE.in and BASE.out
# made by kt_fifos first. QEMU opens both read-write, so neither side blocks on open.

kt_fifos() { rm -f "$1.in" "$1.out" && mkfifo "$1.in" "$1.out"; }

# kt_qmp_open BASE: reads the greeting and leaves command mode negotiated.
kt_qmp_open() {
    exec {KT_QMP_W}>"$1.in" {KT_QMP_R}<"$1.out"
    local greeting
    read -r -t 60 -u "$KT_QMP_R" greeting || { kt_log "kernel-test: no QMP greeting from QEMU"; return 1; }
    kt_qmp '{"execute":"qmp_capabilities"}' >/dev/null
}

# kt_qmp JSON: sends one command and prints its answer line, skipping the events QEMU sends in
# between. Fails (1) on an error answer or no answer within 120 s.
kt_qmp() {
    local line
    printf '%s\n' "$1" >&"$KT_QMP_W"
    while read -r -t 120 -u "$KT_QMP_R" line; do
        case $line in
            *'"return"'*) printf '%s\n' "$line"; return 0 ;;
            *'"error"'*) kt_log "kernel-test: QMP $1: $line"; return 1 ;;
        esac
    done
    kt_log "kernel-test: QMP $1: no answer"
    return 1
}

# kt_pmemsave ADDR SIZE FILE: guest physical memory [ADDR, ADDR+SIZE) into FILE (absolute path).
kt_pmemsave() {
    rm -f "$3"
    kt_qmp "$(printf '{"execute":"pmemsave","arguments":{"val":%d,"size":%d,"filename":"%s"}}' "$1" "$2" "$3")" \
        >/dev/null
}

kt_qmp_close() {
    [ -n "${KT_QMP_W:-}" ] || return 0
    exec {KT_QMP_W}>&- {KT_QMP_R}<&-
    KT_QMP_W= KT_QMP_R=
}

# --- checks -----------------------------------------------------------------------------
# kt_check NAME MS VERDICT [DETAIL]: VERDICT 0 is PASS, anything else FAIL. One line per check,
# also appended to $KT_RESULTS when that is set; kt_summary prints the tally and sets the status.
KT_PASSED=0
KT_FAILED=0

kt_check() {
    local name=$1 ms=$2 verdict=$3 detail=${4:-} word=PASS
    if [ "$verdict" = 0 ]; then KT_PASSED=$((KT_PASSED + 1)); else word=FAIL; KT_FAILED=$((KT_FAILED + 1)); fi
    local line
    line=$(printf '%s  %-58s %7.1f s%s' "$word" "$name" "$(awk -v ms="$ms" 'BEGIN { printf "%.1f", ms / 1000 }')" \
        "${detail:+  ($detail)}")
    printf '%s\n' "$line"
    [ -z "${KT_RESULTS:-}" ] || printf '%s\n' "$line" >>"$KT_RESULTS"
}

# Prints "N passed, N failed" and returns 0 only when nothing failed and something passed.
kt_summary() {
    local line="$KT_PASSED passed, $KT_FAILED failed"
    printf '%s\n' "$line"
    [ -z "${KT_RESULTS:-}" ] || printf '%s\n' "$line" >>"$KT_RESULTS"
    [ "$KT_FAILED" = 0 ] && [ "$KT_PASSED" -gt 0 ]
}
