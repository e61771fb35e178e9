#!/usr/bin/env bash
# salescore's one set-up script. On a fresh Debian 12 machine it installs what the
# project needs from Debian's archive (only what is missing), builds, and then:
#
#   ./run.sh demo    build, fill demo/crm.db with a demo company, serve it on 127.0.0.1:8080
#   ./run.sh test    build and run the whole test suite (GoogleTest + pytest via CTest)
#   ./run.sh build   install packages and build only
#   ./run.sh setup   install packages only
#
# Environment: BUILD_DIR (default ./build), JOBS (default: all cores), PORT (demo, 8080).
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}
PACKAGES=(
  build-essential cmake pkg-config ccache
  libpoco-dev libexpat1-dev libssl-dev ca-certificates openssl libphonenumber-dev libsqlite3-dev sqlite3 libjemalloc-dev
  libgtest-dev libgmock-dev
  libboost-dev  # tests only: Boost.Beast's parser is the HTTP parser's second opinion
  python3 python3-dev pybind11-dev python3-pytest python3-numpy python3-pandas
  curl
  libpq-dev  # the PostgreSQL store (core/src/store/pg_*.cpp) talks libpq directly
  postgresql  # PostgreSQL 15 server: the suite runs again on it (tests/postgres/with_postgres.sh)
)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

setup() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() {
  setup
  if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
    say "configuring $BUILD_DIR"
    cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  say "building with $JOBS jobs"
  cmake --build "$BUILD_DIR" -j "$JOBS" -- --no-print-directory 2>&1 | grep -vE '^\[ *[0-9]+%\]' || true
  [ -x "$BUILD_DIR/server/salescore" ] || { echo "build failed" >&2; exit 1; }
}

demo() {
  build
  mkdir -p demo
  local db="sqlite:demo/crm.db" port=${PORT:-8080}
  say "filling demo/crm.db with a demo company (run again: nothing is duplicated)"
  "$BUILD_DIR/server/salescore" demo --db "$db"
  # A fresh API token of the demo director for the examples (docs/api.md).
  local token
  token=$("$BUILD_DIR/server/salescore" token create --db "$db" --user orlov.vp --name run.sh 2>/dev/null)
  say "serving on http://127.0.0.1:$port (Ctrl-C stops)"
  cat >&2 <<MSG
  Try:
    curl http://127.0.0.1:$port/healthz
    curl -H 'Authorization: Bearer $token' http://127.0.0.1:$port/api/v1/clients/1
    curl -H 'Authorization: Bearer $token' 'http://127.0.0.1:$port/api/v1/orders?limit=5'
    $BUILD_DIR/server/salescore export clients --db $db --format csv --out demo/clients.csv
    PYTHONPATH=$BUILD_DIR/python /usr/bin/python3 -c 'import salescore; crm = salescore.open("$db"); print(crm.clients.get(1))'
MSG
  exec "$BUILD_DIR/server/salescore" serve --db "$db" --listen "127.0.0.1:$port"
}

run_tests() {
  build
  say "running the test suite"
  (cd "$BUILD_DIR" && ctest --output-on-failure -j "$JOBS")
}

case "${1:-}" in
  setup) setup ;;
  build) build ;;
  demo) demo ;;
  test) run_tests ;;
  *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
