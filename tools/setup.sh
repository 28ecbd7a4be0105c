#!/usr/bin/env bash
# Installs what chainshock needs (Debian 12 packages), then configures and builds it with the
# CMake presets in CMakePresets.json. Safe to re-run: it installs only missing packages, configures
# only when the build directory is new (or CMakePresets.json changed), and otherwise just builds.
#
#   tools/setup.sh                 install + build release (build/release)
#   tools/setup.sh run [ARGS...]   ... then `chainshock run ARGS` (default: the lithium demo)
#   tools/setup.sh test            ... then ctest --preset release
#   tools/setup.sh asan            install + build preset asan (build/asan) + its ctest
#   tools/setup.sh tsan            install + build preset tsan (build/tsan): the tests of the
#                                  parallel engine (ctest label `parallel`) under ThreadSanitizer
#   tools/setup.sh mpi             ... also Open MPI; build preset mpi (build/mpi, chainshock for
#                                  mpirun) + its test: mpirun -n 2 vs one process, cmp
#
# CHAINSHOCK_SKIP_DEPS=1 skips the package step (e.g. on a non-Debian machine with the deps).
set -euo pipefail

readonly CALLER_PWD="$PWD"
ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
readonly ROOT
cd "$ROOT"

# Boost.Math (header-only, used by engine/statistics.cpp) comes with libboost1.74-dev, which the
# Boost.Graph package depends on.
readonly PACKAGES=(
    cmake g++ ninja-build
    libboost-graph-dev libboost-program-options-dev libyaml-cpp-dev libtbb-dev doctest-dev
)
# Only for the optional MPI build (`setup.sh mpi`, CMake option CHAINSHOCK_MPI).
readonly MPI_PACKAGES=(libopenmpi-dev openmpi-bin)

log() { printf '==> %s\n' "$*"; }
die() { printf 'setup.sh: %s\n' "$*" >&2; exit 1; }

usage() {
    sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}"
}

# install_deps [PACKAGE...]: installs the missing ones of PACKAGES (default) or of those given.
install_deps() {
    local wanted=("$@")
    ((${#wanted[@]} > 0)) || wanted=("${PACKAGES[@]}")
    if [[ "${CHAINSHOCK_SKIP_DEPS:-0}" == 1 ]]; then
        log "deps: skipped (CHAINSHOCK_SKIP_DEPS=1)"
        return
    fi
    if ! command -v dpkg-query >/dev/null 2>&1; then
        log "deps: no dpkg-query (not Debian?); assuming ${wanted[*]} are available"
        return
    fi
    local missing=() pkg
    for pkg in "${wanted[@]}"; do
        if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" != "install ok installed" ]]; then
            missing+=("$pkg")
        fi
    done
    if ((${#missing[@]} == 0)); then
        log "deps: all ${#wanted[@]} packages installed"
        return
    fi
    local sudo=()
    if [[ "$(id -u)" != 0 ]]; then
        command -v sudo >/dev/null 2>&1 || die "need root or sudo to install: ${missing[*]}"
        sudo=(sudo)
    fi
    log "deps: installing ${missing[*]}"
    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}"
}

# build PRESET [TARGET...]: configure build/PRESET if it is new, its last configure failed, or
# CMakePresets.json changed since (CMake itself reruns for CMakeLists changes); then build it
# (only the given targets, if any).
build() {
    local preset="$1" dir="build/$1"
    shift
    local targets=()
    (($# > 0)) && targets=(--target "$@")
    local stamp="$dir/.setup-configured" # CMake leaves CMakeCache.txt's mtime alone if unchanged
    if [[ -f "$dir/CMakeCache.txt" && -f "$dir/build.ninja" && -f "$stamp" &&
        ! CMakePresets.json -nt "$stamp" ]]; then
        log "configure $preset: up to date ($dir)"
    else
        log "configure $preset ($dir)"
        rm -f "$stamp"
        cmake --preset "$preset"
        touch "$stamp"
    fi
    log "build $preset (-j $(nproc))"
    cmake --build --preset "$preset" -j "$(nproc)" "${targets[@]}"
}

run_tests() {
    local preset="$1"
    log "test $preset"
    ctest --preset "$preset" -j "$(nproc)"
}

mode="${1:-build}"
(($# > 0)) && shift
case "$mode" in
build)
    install_deps
    build release
    ;;
run)
    install_deps
    build release
    exe="$ROOT/build/release/tools/chainshock"
    [[ -x "$exe" ]] || die "$exe was not built"
    if (($# == 0)); then
        log "run: chainshock run scenarios/lithium_chain.yaml --out results/lithium_chain"
        exec "$exe" run scenarios/lithium_chain.yaml --out results/lithium_chain
    fi
    # User arguments are paths as the caller typed them: run from the caller's directory.
    cd "$CALLER_PWD"
    log "run: chainshock run $*"
    exec "$exe" run "$@"
    ;;
test)
    install_deps
    build release
    run_tests release
    ;;
asan)
    install_deps
    build asan
    run_tests asan
    ;;
tsan)
    install_deps
    build tsan test_engine test_parallel
    log "test tsan (label parallel)"
    ctest --preset tsan -j "$(nproc)" -L parallel
    ;;
mpi)
    install_deps
    install_deps "${MPI_PACKAGES[@]}"
    build mpi chainshock
    run_tests mpi
    ;;
-h | --help | help)
    usage
    ;;
*)
    usage >&2
    exit 2
    ;;
esac
