#!/usr/bin/env bash
# End-to-end checks of the `chainshock` command line: exit status, stdout, stderr, files written.
#
#   cli_test.sh PATH/TO/chainshock CASE
#
# Runs from the repository root (found from this script's path), so scenario paths are relative to
# it. Each case prints what it checked; the first failed check prints why and exits 1.
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: cli_test.sh PATH/TO/chainshock CASE" >&2
    exit 2
fi
BIN="$(cd -- "$(dirname -- "$1")" && pwd -P)/$(basename -- "$1")"
CASE="$2"
ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$ROOT"

readonly GOOD=scenarios/minimal_chain.yaml
readonly BAD=tests/data/bad/top_unknown_key.yaml

TMP="$(mktemp -d "${TMPDIR:-/tmp}/chainshock-cli.XXXXXX")"
trap 'rm -rf -- "$TMP"' EXIT

fail() {
    echo "FAIL [$CASE]: $*" >&2
    echo "--- exit status: ${STATUS:-?}" >&2
    echo "--- stdout:" >&2
    cat "$TMP/stdout" >&2 2>/dev/null || true
    echo "--- stderr:" >&2
    cat "$TMP/stderr" >&2 2>/dev/null || true
    exit 1
}

# run ARGS...: runs chainshock, keeping its exit status in STATUS and its output in files.
run() {
    STATUS=0
    "$BIN" "$@" >"$TMP/stdout" 2>"$TMP/stderr" || STATUS=$?
}

expect_status() { [[ "$STATUS" -eq "$1" ]] || fail "expected exit status $1, got $STATUS"; }
stdout_text() { cat "$TMP/stdout"; }
stderr_text() { cat "$TMP/stderr"; }
expect_stdout_has() { grep -qE -- "$1" "$TMP/stdout" || fail "stdout lacks /$1/"; }
expect_stderr_has() { grep -qE -- "$1" "$TMP/stderr" || fail "stderr lacks /$1/"; }
expect_stdout_empty() { [[ ! -s "$TMP/stdout" ]] || fail "stdout is not empty"; }
expect_stderr_empty() { [[ ! -s "$TMP/stderr" ]] || fail "stderr is not empty"; }
expect_file() { [[ -f "$1" ]] || fail "missing file $1"; }
expect_absent() { [[ ! -e "$1" ]] || fail "$1 exists but should not"; }
# No temporary directory or file of an atomic write is left anywhere under $1.
expect_no_temp_left() {
    local left
    left="$(find "$1" -name '*.tmp-*' -print -quit)"
    [[ -z "$left" ]] || fail "temporary output left behind: $left"
}
# A usage error: status 2, one error line naming the problem, then a hint to use --help.
expect_usage_error() {
    expect_status 2
    expect_stdout_empty
    expect_stderr_has "^chainshock.*: .*$1"
    expect_stderr_has "^Try 'chainshock.* --help' for more information\.$"
    [[ "$(wc -l <"$TMP/stderr")" -eq 2 ]] || fail "expected exactly two lines on stderr"
}

bad_file() {
    [[ -f "$BAD" ]] || fail "test input $BAD does not exist"
    echo "$BAD"
}

case "$CASE" in
version)
    run --version
    expect_status 0
    expect_stderr_empty
    [[ "$(stdout_text)" =~ ^chainshock\ [^[:space:]]+$ ]] || fail "expected 'chainshock <version>'"
    if [[ -n "${CHAINSHOCK_EXPECTED_VERSION:-}" ]]; then
        [[ "$(stdout_text)" == "chainshock ${CHAINSHOCK_EXPECTED_VERSION}"* ]] ||
            fail "expected version ${CHAINSHOCK_EXPECTED_VERSION}"
    fi
    ;;
help)
    for flag in --help -h help; do
        run "$flag"
        expect_status 0
        expect_stderr_empty
        expect_stdout_has '^Usage: chainshock '
        for command in run validate graph; do expect_stdout_has "^  $command "; done
        expect_stdout_has '--version'
    done
    ;;
help_subcommands)
    for command in run validate graph; do
        for flag in --help -h; do
            run "$command" "$flag"
            expect_status 0
            expect_stderr_empty
            expect_stdout_has "^Usage: chainshock $command SCENARIO"
            expect_stdout_has '-h \[ --help \] +show this help'
        done
        run help "$command"
        expect_status 0
        expect_stdout_has "^Usage: chainshock $command SCENARIO"
    done
    run run --help
    for option in replications seed out quiet series-replications; do
        expect_stdout_has "--$option .*[a-z]"
    done
    run graph --help
    expect_stdout_has '--out .*FILE'
    ;;
no_arguments)
    run
    expect_usage_error 'missing command'
    ;;
unknown_command)
    run frobnicate "$GOOD"
    expect_usage_error "unknown command 'frobnicate'"
    run --bogus
    expect_usage_error 'bogus'
    ;;
unknown_option)
    run run "$GOOD" --bogus --out "$TMP/r"
    expect_usage_error 'bogus'
    expect_absent "$TMP/r"
    run validate "$GOOD" extra_argument
    expect_usage_error 'too many positional'
    ;;
missing_scenario)
    for command in run validate graph; do
        run "$command"
        expect_usage_error 'missing SCENARIO'
    done
    ;;
bad_numbers)
    for args in "--replications 0" "--replications abc" "--replications=-1" "--seed=-5" \
        "--seed 18446744073709551616" "--series-replications 1.5" "--replications"; do
        # shellcheck disable=SC2086 # word splitting of $args is intended
        run run "$GOOD" $args --out "$TMP/r"
        expect_status 2
        expect_stderr_has "^chainshock run: "
        expect_absent "$TMP/r"
    done
    ;;
validate_ok)
    run validate "$GOOD"
    expect_status 0
    expect_stderr_empty
    [[ "$(stdout_text)" =~ ^scenarios/minimal_chain\.yaml:\ ok\ \([0-9]+\ nodes,\ [0-9]+\ routes,\ [0-9]+\ commodities\)$ ]] ||
        fail "unexpected validate output"
    ;;
validate_bad)
    bad="$(bad_file)"
    run validate "$bad"
    expect_status 2
    expect_stdout_empty
    expect_stderr_has "^${bad//./\\.}:[0-9]+:[0-9]+: error: "
    ;;
validate_missing_file)
    run validate "$TMP/no_such_file.yaml"
    expect_status 2
    expect_stdout_empty
    expect_stderr_has 'no_such_file\.yaml.*error'
    ;;
run_bad_leaves_nothing)
    bad="$(bad_file)"
    run run "$bad" --out "$TMP/r"
    expect_status 2
    expect_stdout_empty
    expect_stderr_has "^${bad//./\\.}:[0-9]+:[0-9]+: error: "
    expect_absent "$TMP/r"
    left="$(find "$TMP" -mindepth 1 -not -name stdout -not -name stderr -print -quit)"
    [[ -z "$left" ]] || fail "left behind: $left"
    ;;
run_ok)
    run run "$GOOD" --out "$TMP/r" --replications 3 --seed 7
    expect_status 0
    for file in summary.json replications.csv timeseries.csv; do expect_file "$TMP/r/$file"; done
    expect_no_temp_left "$TMP"
    [[ "$(find "$TMP/r" -mindepth 1 | wc -l)" -eq 3 ]] || fail "expected exactly three files in $TMP/r"
    expect_stdout_has '^scenario +minimal_chain$'
    expect_stdout_has '^replications +3$'
    expect_stdout_has '^seed +7$'
    expect_stdout_has '^fingerprint +[0-9a-f]{16}$'
    expect_stdout_has '^entity +demand \(t\) +delivered \(t\) +shortfall \(t\) +fill rate \(%\)$'
    expect_stdout_has '^network +[0-9]'
    expect_stdout_has '^fabricator +[0-9]'
    [[ "$(tail -n 1 "$TMP/stdout")" == "results written to $TMP/r" ]] ||
        fail "last line should be 'results written to $TMP/r'"
    grep -q '"seed": 7,' "$TMP/r/summary.json" || fail "summary.json: seed"
    grep -q '"replications": 3,' "$TMP/r/summary.json" || fail "summary.json: replications"
    grep -q '"scenario": "minimal_chain",' "$TMP/r/summary.json" || fail "summary.json: scenario"
    if command -v python3 >/dev/null; then
        python3 -m json.tool "$TMP/r/summary.json" >/dev/null || fail "summary.json is not JSON"
    fi
    head -n 1 "$TMP/r/replications.csv" | grep -qE '^replication,fingerprint,events,network\.' ||
        fail "replications.csv header"
    [[ "$(wc -l <"$TMP/r/replications.csv")" -eq 4 ]] || fail "replications.csv: 1 + 3 lines"
    [[ "$(head -n 1 "$TMP/r/timeseries.csv")" == "replication,day,entity,metric,value" ]] ||
        fail "timeseries.csv header"
    ;;
run_quiet)
    run run "$GOOD" --out "$TMP/r" --quiet
    expect_status 0
    expect_stderr_empty
    [[ "$(stdout_text)" == "results written to $TMP/r" ]] || fail "--quiet prints one line"
    expect_file "$TMP/r/summary.json"
    ;;
run_overwrite)
    mkdir -p "$TMP/r"
    echo stale >"$TMP/r/summary.json"
    echo mine >"$TMP/r/notes.txt"
    run run "$GOOD" --out "$TMP/r/" --quiet --seed 3
    expect_status 0
    grep -q '"seed": 3,' "$TMP/r/summary.json" || fail "summary.json was not replaced"
    [[ "$(cat "$TMP/r/notes.txt")" == mine ]] || fail "an unrelated file was touched"
    expect_no_temp_left "$TMP"
    ;;
run_reproducible)
    run run "$GOOD" --out "$TMP/a" --quiet --replications 2 --seed 11
    expect_status 0
    run run "$GOOD" --out "$TMP/b" --quiet --replications 2 --seed 11
    expect_status 0
    for file in summary.json replications.csv timeseries.csv; do
        cmp -s "$TMP/a/$file" "$TMP/b/$file" || fail "$file differs between identical runs"
    done
    ;;
run_threads_identical)
    # Results do not depend on the number of threads: bit-identical files for 1 and 2 threads.
    STOCHASTIC=scenarios/lithium_chain.yaml
    run run "$STOCHASTIC" --out "$TMP/t1" --quiet --replications 6 --threads 1
    expect_status 0
    run run "$STOCHASTIC" --out "$TMP/t2" --quiet --replications 6 --threads 2
    expect_status 0
    for file in summary.json replications.csv timeseries.csv; do
        cmp -s "$TMP/t1/$file" "$TMP/t2/$file" || fail "$file differs between 1 and 2 threads"
    done
    ;;
run_modes)
    DRILL=tests/data/good/shocks.yaml
    run run "$DRILL" --out "$TMP/m" --replications 2 --modes none,coordinated
    expect_status 0
    expect_stdout_has 'none +coordinated'
    expect_stdout_has '^network\.stockpile_released_t'
    for mode in none coordinated; do
        [[ -f "$TMP/m/$mode/summary.json" ]] || fail "missing $mode/summary.json"
    done
    grep -q '^none,network,stockpile_released_t,0,' "$TMP/m/comparison.csv" ||
        fail "comparison.csv lacks the none row with nothing released"
    run run "$DRILL" --out "$TMP/m2" --modes none,sometimes
    expect_usage_error "--modes: expected a comma-separated list"
    expect_absent "$TMP/m2"
    run run "$GOOD" --out "$TMP/m3" --modes none
    expect_usage_error "no stockpile_policies"
    ;;
run_default_out_dir)
    mkdir -p "$TMP/cwd"
    STATUS=0
    (cd "$TMP/cwd" && "$BIN" run "$ROOT/$GOOD" --quiet) >"$TMP/stdout" 2>"$TMP/stderr" ||
        STATUS=$?
    expect_status 0
    [[ "$(stdout_text)" == "results written to results/minimal_chain" ]] ||
        fail "default output directory should be results/<scenario name>"
    expect_file "$TMP/cwd/results/minimal_chain/summary.json"
    expect_no_temp_left "$TMP/cwd"
    ;;
run_unwritable_out)
    echo "a file, not a directory" >"$TMP/file"
    run run "$GOOD" --out "$TMP/file/r" --quiet
    expect_status 1
    expect_stdout_empty
    expect_stderr_has "^chainshock: error: cannot write ${TMP//./\\.}/file/r: "
    [[ "$(wc -l <"$TMP/stderr")" -eq 1 ]] || fail "expected one line on stderr"
    expect_no_temp_left "$TMP"
    run graph "$GOOD" --out "$TMP/file/g.dot"
    expect_status 1
    expect_stderr_has "^chainshock: error: cannot write ${TMP//./\\.}/file/g\\.dot: "
    ;;
graph_stdout)
    run graph "$GOOD"
    expect_status 0
    expect_stderr_empty
    [[ "$(head -n 1 "$TMP/stdout")" == digraph* ]] || fail "DOT output should start with digraph"
    expect_stdout_has 'shape=invtriangle'
    expect_stdout_has 'shape=house'
    expect_stdout_has '\->'
    [[ "$(tail -n 1 "$TMP/stdout")" == "}" ]] || fail "DOT output should end with }"
    ;;
graph_file)
    run graph "$GOOD" --out "$TMP/g/net.dot"
    expect_status 0
    [[ "$(stdout_text)" == "graph written to $TMP/g/net.dot" ]] || fail "graph --out message"
    [[ "$(head -n 1 "$TMP/g/net.dot")" == digraph* ]] || fail "DOT file should start with digraph"
    expect_no_temp_left "$TMP"
    ;;
graph_bad)
    bad="$(bad_file)"
    run graph "$bad" --out "$TMP/g.dot"
    expect_status 2
    expect_stdout_empty
    expect_stderr_has "^${bad//./\\.}:[0-9]+:[0-9]+: error: "
    expect_absent "$TMP/g.dot"
    ;;
*)
    echo "cli_test.sh: unknown case '$CASE'" >&2
    exit 2
    ;;
esac
echo "ok [$CASE]"
