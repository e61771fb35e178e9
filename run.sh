#!/usr/bin/env bash
# salescore's one set-up script. On a fresh Debian 12 machine it installs what the
# project needs from Debian's archive (only what is missing), builds, and then:
#
#   ./run.sh demo    build, fill demo/crm.db with a demo company, serve it on 127.0.0.1:8080
#   ./run.sh test    build and run the whole test suite (GoogleTest + pytest via CTest)
#   ./run.sh build   install packages and build only
#   ./run.sh setup   install packages only
#   ./run.sh sanitize [asan|tsan|fuzz]...
#                    the whole suite built with ASan+UBSan (build-asan), the concurrent
#                    tests with TSan (build-tsan), each libFuzzer target briefly
#                    (build-fuzz, FUZZ_SECONDS each, default 20); all three without
#                    arguments. CI runs it after `test` (docs/reliability.md).
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
  clang-14 libclang-rt-14-dev  # sanitize: the libFuzzer targets (tests/fuzz) need clang's libFuzzer
  # the e-mail connector: libetpan (IMAP; its -dev pulls libcurl4-gnutls-dev), GMime 3 (MIME);
  # its tests run a real Dovecot IMAP server and aiosmtpd on loopback
  libetpan-dev libgmime-3.0-dev dovecot-imapd python3-aiosmtpd
  libsodium-dev  # Argon2id password hashes of the people who log in to the screens
  chromium chromium-driver python3-selenium  # tests only: the screens end to end in a headless browser
  libpq-dev  # the PostgreSQL store (core/src/store/pg_*.cpp) talks libpq directly
  postgresql  # PostgreSQL 15 server: the suite runs again on it (tests/postgres/with_postgres.sh)
  python3-jsonschema  # tests only: real requests and replies of every route checked against /api/v1/openapi.json
  mypy  # tests only: the typed stubs (python/salescore/*.pyi) checked over the examples and a typed usage file
)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

setup() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # npm fetches the screens' pinned charting library (web/package-lock.json). Debian's
  # npm only when there is no npm at all: a Node.js from elsewhere brings its own.
  command -v npm >/dev/null || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# The web-shop test's real Medusa shop: its npm install and its migrated PostgreSQL
# database, kept under ~/.cache/salescore keyed by its lockfile (minutes once, then
# nothing: a second clone with the same lockfile reuses them). Only the test suite needs
# it, so the demo does not wait for it. SALESCORE_NO_MEDUSA=1 skips this step (the test
# then prepares it itself when it runs).
prepare_test_shop() {
  if [ -z "${SALESCORE_NO_MEDUSA:-}" ] && [ ! -d "$(/usr/bin/python3 tests/connectors/medusa_shop.py home)/pgdata" ]; then
    say "preparing the real Medusa shop of the web-shop test (once per lockfile)"
    # Not fatal here: the test then prepares it and fails saying why.
    /usr/bin/python3 tests/connectors/medusa_shop.py prepare >/dev/null ||
      say "the real Medusa could not be prepared now; connectors_medusa_pytest will try again"
  fi
}

build() {
  setup
  if [ ! -f web/node_modules/uplot/dist/uPlot.iife.min.js ]; then
    say "fetching the screens' charting library (npm ci in web/)"
    (cd web && npm ci --no-audit --no-fund >/dev/null)
  fi
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
  # Every demo user logs in to the screens with the same demo password.
  local login
  for login in $(sqlite3 demo/crm.db "SELECT login FROM users WHERE active = 1"); do
    echo demo-password | "$BUILD_DIR/server/salescore" user passwd "$login" --db "$db" 2>/dev/null
  done
  say "serving on http://127.0.0.1:$port (Ctrl-C stops)"
  cat >&2 <<MSG
  Try:
    open http://127.0.0.1:$port/ and log in as smirnova.ev (head of department), orlov.vp (director)
      or kuznetsov.as (a manager) with the password demo-password
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
  prepare_test_shop
  say "running the test suite"
  (cd "$BUILD_DIR" && ctest --output-on-failure -j "$JOBS")
}

# The sanitizer trees build what the normal tree builds, less the benchmarks, Python
# module and jemalloc (the sanitizers bring their own allocator). A report of any kind,
# from a test binary or from a `salescore` a pytest started, is written under
# <tree>/sanitizer-reports; a run that leaves one there fails, whatever the tests said.
# Its CTest entries (cmake/test_entries.cmake): each GoogleTest executable runs whole, in
# GoogleTest's shards (an instrumented process start costs half a second; one entry per
# test spent ~8 minutes of the ASan suite on them), every entry's time limit is tripled
# (an instrumented `salescore` is that much slower), and the PostgreSQL entries run one at
# a time beside the others instead of alone (alone they left a core idle for ~7 minutes).
sanitizer_tree() {
  local dir=$1 flags=$2; shift 2
  # A tree configured before the entry options existed is configured again.
  if ! grep -qs '^SALESCORE_POSTGRES_ENTRIES_ALONE:BOOL=OFF$' "$dir/CMakeCache.txt"; then
    say "configuring $dir"
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Sanitize \
      "-DCMAKE_C_FLAGS_SANITIZE=$flags" "-DCMAKE_CXX_FLAGS_SANITIZE=$flags" \
      "-DCMAKE_EXE_LINKER_FLAGS_SANITIZE=$flags" "-DCMAKE_SHARED_LINKER_FLAGS_SANITIZE=$flags" \
      "-DCMAKE_MODULE_LINKER_FLAGS_SANITIZE=$flags" \
      -DSALESCORE_BUILD_BENCH=OFF -DSALESCORE_BUILD_PYTHON=OFF -DSALESCORE_JEMALLOC=OFF \
      -DSALESCORE_GTEST_SHARDS=1 -DSALESCORE_TEST_TIMEOUT_SCALE=3 -DSALESCORE_POSTGRES_ENTRIES_ALONE=OFF \
      "-DSALESCORE_PYTHON_MODULE_DIR=$PWD/$BUILD_DIR/python" >/dev/null
  fi
  # SANITIZE_TARGETS="target ...": only those test executables (default: the whole tree).
  local targets=()
  [ -n "${SANITIZE_TARGETS:-}" ] && read -r -a targets <<<"$SANITIZE_TARGETS"
  say "building ${targets[*]:-everything} in $dir with $JOBS jobs"
  # -g1 makes ccache hash the build folder; CI builds in a clone of its own, so the
  # folder stays out of the hash (only debuggers' source paths suffer).
  local log="$dir/build.log"
  if ! CCACHE_NOHASHDIR=1 cmake --build "$dir" -j "$JOBS" ${targets[@]:+--target "${targets[@]}"} \
      -- --no-print-directory >"$log" 2>&1; then
    grep -vE '^\[ *[0-9]+%\]' "$log" | tail -n 60 >&2
    echo "$dir: build failed" >&2
    exit 1
  fi
}

sanitizer_ctest() {
  local dir=$1; shift
  local reports="$PWD/$dir/sanitizer-reports"
  rm -rf "$reports" && mkdir -p "$reports"
  local status=0 target binary
  if [ -n "${SANITIZE_TARGETS:-}" ]; then
    # Only some executables were built: each runs its GoogleTests itself.
    for target in $SANITIZE_TARGETS; do
      binary=$(find "$dir" -name "$target" -type f -perm -u+x | head -n 1)
      say "running $binary"
      "$binary" --gtest_brief=1 || status=$?
    done
  else
    # The tests that measure memory or push hundreds of MB through read which sanitizer runs.
    (cd "$dir" && SALESCORE_SANITIZER=${dir#build-} ctest --output-on-failure -j "$JOBS" "$@") || status=$?
  fi
  if compgen -G "$reports/*" >/dev/null; then
    say "$dir: sanitizer reports"
    head -c 20000 "$reports"/* >&2
    status=1
  fi
  return $status
}

sanitize_asan() {
  local flags="-O1 -g1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"
  sanitizer_tree build-asan "$flags"
  say "running ${SANITIZE_TARGETS:-the whole suite} under ASan+UBSan"
  ASAN_OPTIONS="log_path=$PWD/build-asan/sanitizer-reports/asan:detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=0" \
  UBSAN_OPTIONS="log_path=$PWD/build-asan/sanitizer-reports/ubsan:print_stacktrace=1:halt_on_error=1" \
  LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp" \
    sanitizer_ctest build-asan
}

# TSan builds only the executables whose tests run our code on several threads (the
# whole tree is ~380 files; the tests of single-threaded code would find nothing):
#  - salescore_tests, TSAN_ENGINE_TESTS: the HTTP server's event loops and workers
#    (ServerFixture), the store's reader pool, WAL checkpointer and writer, idempotency
#    keys, the automations' durable state, the outbox claims;
#  - salescore_plugin_tests, whole: the connector runtime (session threads, inbox,
#    outbox, streaming batches, failures, dead-letter replays, clock jumps), overlapping
#    1C exchanges with their import threads (OnecSessionsTest) and the connectors'
#    own threads (AMI reader and session, the e-mail parse budget);
#  - salescore with its 1C and webhooks connectors, started as `serve` by TSAN_PYTEST:
#    webhook deliveries beside REST writes, 32 connections writing with kills, a 1C
#    import killed midway, and a second 1C session starting while an import runs.
# The automations runner is Python (salescore.automate) over the uninstrumented module
# (docs/reliability.md says why the module is not instrumented).
TSAN_TARGETS="salescore_tests salescore_plugin_tests salescore"
TSAN_ENGINE_TESTS='ServerFixture.*:ReaderPoolTest.*:Store.*:EventLogTest.*:IdempotencyTest.*:OutboxClaimsTest.*:EngineTest.*'
TSAN_PYTEST="tests/connectors/test_webhooks.py tests/connectors/test_crash.py
  tests/connectors/test_onec_exchange.py::test_a_second_session_starting_while_an_import_runs_gets_answers_not_a_crash"

sanitize_tsan() {
  local flags="-O1 -g1 -fno-omit-frame-pointer -fsanitize=thread"
  SANITIZE_TARGETS=$TSAN_TARGETS sanitizer_tree build-tsan "$flags"
  local dir=build-tsan reports="$PWD/build-tsan/sanitizer-reports" status=0
  rm -rf "$reports" && mkdir -p "$reports"
  # Inherited by every `salescore serve` the pytest files start; halt_on_error=0 so one
  # run shows every race, and the reports folder fails it.
  export TSAN_OPTIONS="log_path=$reports/tsan:halt_on_error=0:second_deadlock_stack=1:suppressions=$PWD/tests/sanitizers/tsan.supp"
  say "running the concurrent tests under TSan"
  "$dir/tests/salescore_tests" --gtest_brief=1 --gtest_filter="$TSAN_ENGINE_TESTS" || status=1
  "$dir/plugins/salescore_plugin_tests" --gtest_brief=1 || status=1
  # shellcheck disable=SC2086
  SALESCORE_BIN="$PWD/$dir/server/salescore" PYTHONPATH="$PWD/$BUILD_DIR/python" \
    /usr/bin/python3 -m pytest -q -p no:cacheprovider $TSAN_PYTEST || status=1
  unset TSAN_OPTIONS
  if compgen -G "$reports/*" >/dev/null; then
    say "$dir: sanitizer reports"
    head -c 20000 "$reports"/* >&2
    status=1
  fi
  return $status
}

# Every libFuzzer target tests/fuzz builds runs FUZZ_SECONDS on its checked-in corpus
# (tests/fuzz/corpus/<target less _fuzz>), new inputs going to a scratch folder.
sanitize_fuzz() {
  local dir=build-fuzz seconds=${FUZZ_SECONDS:-20}
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    say "configuring $dir"
    CC=clang-14 CXX=clang++-14 cmake -S . -B "$dir" -DSALESCORE_FUZZ=ON >/dev/null
  fi
  # FUZZ_TARGETS="NAME ...": only those (default: every NAME_fuzz.cpp of tests/fuzz).
  local names=() source name
  for source in tests/fuzz/*_fuzz.cpp; do
    name=$(basename "$source" _fuzz.cpp)
    if [ -n "${FUZZ_TARGETS:-}" ] && [[ " $FUZZ_TARGETS " != *" $name "* ]]; then continue; fi
    names+=("$name")
  done
  say "building ${names[*]} in $dir with $JOBS jobs"
  local scratch failed=0 ran=0
  scratch=$(mktemp -d)
  if ! CCACHE_NOHASHDIR=1 cmake --build "$dir" -j "$JOBS" --target "${names[@]/%/_fuzz}" -- --no-print-directory \
      >"$scratch/build.log" 2>&1; then
    grep -vE '^\[ *[0-9]+%\]' "$scratch/build.log" | tail -n 40 >&2
    echo "fuzz: 0 passed, ${#names[@]} failed"
    rm -rf "$scratch"
    return 1
  fi
  for name in "${names[@]}"; do
    mkdir -p "$scratch/$name"
    say "fuzzing $name for ${seconds}s"
    if "$dir/tests/fuzz/${name}_fuzz" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$scratch/" "$scratch/$name" "tests/fuzz/corpus/$name" \
        2>"$scratch/$name.log"; then
      grep -E '^stat::number_of_executed_units' "$scratch/$name.log" >&2 || true
      ran=$((ran + 1))
    else
      # Without the access log's JSON lines (rest_api answers through the server's log).
      grep -v '^{"ts"' "$scratch/$name.log" | tail -n 60 >&2
      failed=$((failed + 1))
      # The input outlives the scratch folder: kept under the tree and, small ones, in the
      # log as base64 (a CI machine's folders are gone with it; one finding was lost so).
      mkdir -p "$dir/findings/$name"
      local input
      for input in "$scratch"/crash-* "$scratch"/timeout-* "$scratch"/oom-* "$scratch"/leak-*; do
        [ -f "$input" ] || continue
        cp "$input" "$dir/findings/$name/"
        echo "fuzz: input kept as $dir/findings/$name/$(basename "$input")" >&2
        if [ "$(stat -c %s "$input")" -le 16384 ]; then
          echo "fuzz: its base64 (base64 -d > input):" >&2
          base64 -w 100 "$input" >&2
        fi
      done
    fi
  done
  rm -rf "$scratch"
  echo "fuzz: $ran passed, $failed failed"
  [ "$failed" -eq 0 ] && [ "$ran" -gt 0 ]
}

sanitize() {
  build  # the normal tree's Python module is the one the sanitizer trees' pytest imports
  local parts=("$@") status=0
  [ ${#parts[@]} -eq 0 ] && parts=(asan tsan fuzz)
  for part in "${parts[@]}"; do
    case "$part" in
      asan|tsan|fuzz) "sanitize_$part" || status=1 ;;
      *) echo "sanitize: unknown part $part (asan, tsan, fuzz)" >&2; exit 2 ;;
    esac
  done
  return $status
}

case "${1:-}" in
  setup) setup ;;
  build) build ;;
  demo) demo ;;
  test) run_tests ;;
  sanitize) shift; sanitize "$@" ;;
  *) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
