# Installs the Debian packages the build needs, only when some are missing (a no-op otherwise).
# Sourced by one_key_build.sh.

# qt6-httpserver-dev needs qt6-websockets-dev at configure time but does not depend on it in bookworm.
build_packages=(cmake g++ ninja-build pkg-config qt6-base-dev qt6-httpserver-dev qt6-websockets-dev
                libsimdjson-dev libcurl4-openssl-dev libssl-dev libtcmalloc-minimal4 curl)
test_packages=(libgtest-dev openssl) # openssl: the TLS tests make their certificates with it

missing_packages() {
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
    done
}

ensure_build_dependencies() {
    local with_tests="$1"
    local wanted=("${build_packages[@]}")
    [ "$with_tests" = 1 ] && wanted+=("${test_packages[@]}")
    local missing
    missing=$(missing_packages "${wanted[@]}" | tr '\n' ' ')
    [ -z "${missing// /}" ] && return 0

    echo "installing missing packages: $missing"
    local sudo=()
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null 2>&1 || { echo "error: need root or sudo to install: $missing" >&2; exit 1; }
        sudo=(sudo)
    fi
    # shellcheck disable=SC2086
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # shellcheck disable=SC2086
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
}
