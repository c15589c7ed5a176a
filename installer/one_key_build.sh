#!/usr/bin/env bash
# Builds ms_coordinator (and mindie_sim) from source on Debian bookworm, installing any missing
# build dependency with apt-get first.
#
#   bash installer/one_key_build.sh            Release build
#   bash installer/one_key_build.sh -d         Debug build
#   bash installer/one_key_build.sh -v 1.2.3   version printed by `ms_coordinator --version`
#   bash installer/one_key_build.sh -t         build everything and run every test (what CI runs)
#   bash installer/one_key_build.sh -r         build, then run the coordinator on a simulated cluster
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
# shellcheck source=installer/deps.sh
source "$here/deps.sh"

build_type=Release
version=1.0.0
run_tests=0
run_local=0
werror=OFF
[ "${CI:-}" = "true" ] && werror=ON

usage() {
    sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    echo "  --werror   treat compiler warnings as errors (on by default when CI=true)"
}

while [ $# -gt 0 ]; do
    case "$1" in
        -d) build_type=Debug ;;
        -v) [ $# -ge 2 ] || { echo "error: -v needs a version X.Y.Z" >&2; exit 2; }
            version="$2"; shift ;;
        -t) run_tests=1 ;;
        -r) run_local=1 ;;
        --werror) werror=ON ;;
        -h|--help) usage; exit 0 ;;
        *) echo "error: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    echo "error: version must look like X.Y.Z, got '$version'" >&2
    exit 2
fi

ensure_build_dependencies "$run_tests"

build_dir="$root/build/$(echo "$build_type" | tr '[:upper:]' '[:lower:]')"
jobs="$(nproc 2>/dev/null || echo 2)"
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)

cmake -S "$root" -B "$build_dir" "${generator[@]}" \
    -DCMAKE_BUILD_TYPE="$build_type" \
    -DCOORD_VERSION="$version" \
    -DCOORD_WERROR="$werror" \
    -DCOORD_BUILD_TESTS="$([ "$run_tests" = 1 ] && echo ON || echo OFF)"
cmake --build "$build_dir" -j "$jobs"
echo "built: $build_dir/bin"

if [ "$run_tests" = 1 ]; then
    cd "$build_dir"
    ctest --output-on-failure -j "$jobs" --timeout 300
fi
if [ "$run_local" = 1 ]; then
    exec bash "$here/run_local.sh" "$build_dir"
fi
