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
run_interrupted)
    # Ctrl-C: the completed replications are kept and marked incomplete; exit status 130.
    "$BIN" run scenarios/lithium_north_america.yaml --replications 100000 --threads 1 --quiet \
        --out "$TMP/int" >"$TMP/stdout" 2>"$TMP/stderr" &
    PID=$!
    sleep 3
    kill -INT "$PID"
    STATUS=0
    wait "$PID" || STATUS=$?
    expect_status 130
    if [[ -f "$TMP/int/summary.json" ]]; then
        grep -q '"complete": false' "$TMP/int/summary.json" || fail "summary.json not marked incomplete"
        grep -q '"replications_requested": 100000' "$TMP/int/summary.json" ||
            fail "summary.json lacks replications_requested"
        expect_stderr_has 'interrupted: kept [0-9]+ of 100000 replications'
    else
        expect_stderr_has 'interrupted before any replication completed'
    fi
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
# ---- scale-out: --set, sweep, --shard and merge ----
help_scale)
    run --help
    for command in sweep merge; do expect_stdout_has "^  $command "; done
    run sweep --help
    expect_status 0
    expect_stdout_has '^Usage: chainshock sweep SCENARIO --grid'
    for option in grid set shard resume replications seed out; do expect_stdout_has "--$option "; done
    run merge --help
    expect_status 0
    expect_stdout_has '^Usage: chainshock merge --out DIR SHARD_DIR'
    run run --help
    expect_stdout_has '--set PATH=VALUE'
    expect_stdout_has '--shard I/K'
    expect_stdout_has '--resume '
    ;;
run_set)
    run run "$GOOD" --out "$TMP/plain" --quiet
    expect_status 0
    run run "$GOOD" --out "$TMP/set" --quiet --set horizon_days=100 \
        --set 'nodes[fabricator].demand={commodity: metal, tpd: 12}'
    expect_status 0
    grep -q '"horizon_days": 100,' "$TMP/set/summary.json" || fail "horizon_days not overridden"
    grep -q '"nodes\[fabricator\].demand={commodity: metal, tpd: 12}"' "$TMP/set/summary.json" ||
        fail "summary.json does not record the overrides"
    grep -q '"overrides"' "$TMP/plain/summary.json" && fail "a plain run records overrides"
    demand() { grep -m1 '"demand_t"' "$1/summary.json"; }
    [[ "$(demand "$TMP/set")" == *'"demand_t": 1200'[,.]* ]] ||
        fail "network demand should be 100 days x 12 t: $(demand "$TMP/set")"
    [[ "$(demand "$TMP/plain")" != "$(demand "$TMP/set")" ]] || fail "--set changed nothing"
    run run "$GOOD" --out "$TMP/bad" --set 'nodes[spr_xx].capacity_t=5'
    expect_status 2
    expect_stdout_empty
    expect_stderr_has "^${GOOD//./\\.}: error: --set nodes\[spr_xx\]\.capacity_t: no element with id 'spr_xx' in 'nodes'"
    run run "$GOOD" --out "$TMP/bad" --set 'nodes[fabricator].inventory.metal=-5'
    expect_status 2
    expect_stderr_has "expected a number >= 0, got -5 \(value from --set nodes\[fabricator\]\.inventory\.metal=-5\)$"
    run run "$GOOD" --out "$TMP/bad" --set horizon_days
    expect_usage_error "--set: expected PATH=VALUE, got 'horizon_days'"
    expect_absent "$TMP/bad"
    ;;
sweep_grid)
    run sweep "$GOOD" --out "$TMP/sw" --replications 2 --seed 5 \
        --grid 'horizon_days=60,90' --grid 'nodes[fabricator].demand={commodity: metal, tpd: 8},{commodity: metal, tpd: 12}'
    expect_status 0
    expect_stdout_has '^minimal_chain: 4 points x 2 replications, seed 5'
    expect_stdout_has '^point +horizon_days +nodes\[fabricator\]\.demand +fill rate \(%\) +shortfall \(t\) +cost \(USD\)$'
    expect_stdout_has '^3 +90 +\{commodity: metal, tpd: 12\} +[0-9]'
    [[ "$(tail -n 1 "$TMP/stdout")" == "results written to $TMP/sw (sweep.csv, points/<k>/)" ]] ||
        fail "last line"
    csv="$TMP/sw/sweep.csv"
    [[ "$(head -n 1 "$csv")" == 'point,horizon_days,nodes[fabricator].demand,entity,metric,mean,sd,ci95_low,ci95_high,p5,p50,p95,n' ]] ||
        fail "sweep.csv header: $(head -n 1 "$csv")"
    [[ "$(tail -n +2 "$csv" | cut -d, -f1 | sort -u | tr '\n' ' ')" == "0 1 2 3 " ]] ||
        fail "sweep.csv should hold points 0 to 3"
    grep -q '^3,90,"{commodity: metal, tpd: 12}",network,demand_t,1080,0,1080,1080,1080,1080,1080,2$' "$csv" ||
        fail "sweep.csv: point 3 network demand"
    for k in 0 1 2 3; do expect_file "$TMP/sw/points/$k/summary.json"; done
    grep -q '"seed": 5,' "$TMP/sw/points/2/summary.json" || fail "every point runs with the seed"
    expect_no_temp_left "$TMP"
    run sweep "$GOOD" --out "$TMP/sw2" --grid 'seed=1,2'
    expect_usage_error "--grid: every point runs with the same seed"
    run sweep "$GOOD" --out "$TMP/sw2" --grid 'horizon_days=10,,20'
    expect_usage_error "--grid: empty value"
    run sweep "$GOOD" --out "$TMP/sw2" --grid 'horizon_days=10,0'
    expect_status 2
    expect_stderr_has "horizon_days: expected an integer >= 1, got 0 \(value from --grid horizon_days=0\)$"
    expect_absent "$TMP/sw2"
    ;;
shard_merge_run)
    # Shards of a stochastic run, merged, are byte-identical to the unsharded run.
    STOCHASTIC=scenarios/lithium_chain.yaml
    common=(--replications 7 --series-replications 3 --seed 99 --set horizon_days=120)
    run run "$STOCHASTIC" "${common[@]}" --out "$TMP/full" --quiet
    expect_status 0
    for i in 0 1 2; do
        run run "$STOCHASTIC" "${common[@]}" --shard "$i/3" --out "$TMP/shard$i" --threads 1
        expect_status 0
        expect_stdout_has "^lithium_chain: shard $i/3, [23] of 7 replications, seed 99$"
        expect_file "$TMP/shard$i/shard.json"
    done
    run merge --out "$TMP/merged" "$TMP/shard2" "$TMP/shard0" "$TMP/shard1"
    expect_status 0
    expect_stdout_has '^merged 3 shards of lithium_chain$'
    for file in summary.json replications.csv timeseries.csv; do
        cmp -s "$TMP/full/$file" "$TMP/merged/$file" || fail "$file differs from the unsharded run"
    done
    expect_no_temp_left "$TMP"
    ;;
shard_merge_sweep)
    grid=(--grid 'horizon_days=30,60' --grid 'routes[1].lead_time_days=5,{dist: uniform, low: 4, high: 6}')
    run sweep "$GOOD" "${grid[@]}" --replications 3 --out "$TMP/full" --quiet
    expect_status 0
    for i in 0 1 2 3 4; do
        run sweep "$GOOD" "${grid[@]}" --replications 3 --shard "$i/5" --out "$TMP/shard$i" --quiet
        expect_status 0
    done
    run merge --out "$TMP/merged" --quiet "$TMP"/shard{0,1,2,3,4}
    expect_status 0
    diff -r "$TMP/full" "$TMP/merged" >/dev/null || fail "merged sweep differs from the unsharded one"
    ;;
merge_bad_shards)
    for i in 0 1 2; do
        run run "$GOOD" --replications 4 --shard "$i/3" --out "$TMP/s$i" --quiet
        expect_status 0
    done
    run merge --out "$TMP/m" "$TMP/s0" "$TMP/s2"
    expect_status 2
    expect_stdout_empty
    expect_stderr_has '^chainshock merge: error: missing shard 1/3 \(2 of 3 given\)$'
    run merge --out "$TMP/m" "$TMP/s0" "$TMP/s1" "$TMP/s2" "$TMP/s1"
    expect_status 2
    expect_stderr_has "^chainshock merge: error: shard 1/3 is given twice: "
    run run "$GOOD" --replications 4 --seed 8 --shard 1/3 --out "$TMP/other" --quiet
    run merge --out "$TMP/m" "$TMP/s0" "$TMP/other" "$TMP/s2"
    expect_status 2
    expect_stderr_has "are not from the same job: they differ in seed \(1 vs 8\)$"
    run merge --out "$TMP/m" "$TMP/s0" "$TMP/nothing"
    expect_status 2
    expect_stderr_has 'nothing/shard\.json: no such file'
    run merge "$TMP/s0"
    expect_usage_error 'missing --out DIR'
    expect_absent "$TMP/m"
    ;;
shard_bad_syntax)
    for shard in 3/3 1 a/3 1/0 -1/3 1/3/4 ""; do
        run run "$GOOD" --shard "$shard" --out "$TMP/r"
        expect_usage_error "--shard: expected I/K with 0 <= I < K"
        run sweep "$GOOD" --grid horizon_days=5,6 --shard "$shard" --out "$TMP/r"
        expect_usage_error "--shard: expected I/K with 0 <= I < K"
    done
    run run "$GOOD" --shard 0/2 --modes none --out "$TMP/r"
    expect_usage_error "--shard cannot be combined with --modes"
    expect_absent "$TMP/r"
    ;;
# ---- interrupted jobs: Ctrl-C / SIGTERM, checkpoints and --resume ----
sweep_resume)
    # A sweep stopped twice (once between points, once inside a point) and resumed is
    # byte-identical to an uninterrupted one. CHAINSHOCK_TEST_INTERRUPT_AFTER=N makes chainshock
    # send itself SIGINT when its N-th replication completes: a Ctrl-C at a predictable moment.
    grid=(--grid 'horizon_days=60,90' --grid 'routes[1].lead_time_days=5,{dist: uniform, low: 4, high: 6}')
    common=(sweep "$GOOD" "${grid[@]}" --replications 3 --series-replications 2 --seed 4)
    run "${common[@]}" --out "$TMP/full" --quiet
    expect_status 0
    STATUS=0
    CHAINSHOCK_TEST_INTERRUPT_AFTER=6 "$BIN" "${common[@]}" --threads 1 --out "$TMP/part" \
        >"$TMP/stdout" 2>"$TMP/stderr" || STATUS=$?
    expect_status 130
    expect_stderr_has "^chainshock sweep: interrupted: 6 of 12 \(point, replication\) pairs done, kept in ${TMP//./\\.}/part/\.checkpoint; run the same command with --resume to continue$"
    expect_absent "$TMP/part/sweep.csv"
    expect_absent "$TMP/part/points"
    expect_file "$TMP/part/.checkpoint/job.json"
    # Without --resume the checkpoint is not silently thrown away.
    run "${common[@]}" --out "$TMP/part"
    expect_status 2
    expect_stdout_empty
    expect_stderr_has "^chainshock sweep: error: .*/part/\.checkpoint holds the checkpoint of an interrupted sweep: run the same command with --resume to continue it, or remove .* to start over$"
    STATUS=0
    CHAINSHOCK_TEST_INTERRUPT_AFTER=2 "$BIN" "${common[@]}" --threads 1 --out "$TMP/part" \
        --resume >"$TMP/stdout" 2>"$TMP/stderr" || STATUS=$?
    expect_status 130
    expect_stderr_has '^chainshock sweep: resuming from .*/part/\.checkpoint: 6 of 12 \(point, replication\) pairs already done$'
    expect_stderr_has 'interrupted: 8 of 12 '
    run "${common[@]}" --threads 2 --out "$TMP/part" --resume --quiet
    expect_status 0
    for file in sweep.csv points/{0,1,2,3}/{summary.json,replications.csv,timeseries.csv}; do
        cmp -s "$TMP/full/$file" "$TMP/part/$file" || fail "$file differs from the uninterrupted sweep"
    done
    diff -r "$TMP/full" "$TMP/part" >/dev/null || fail "the resumed sweep's directory differs"
    expect_absent "$TMP/part/.checkpoint"
    expect_no_temp_left "$TMP"
    ;;
sweep_resume_periodic)
    # Saves made while a point runs (here after every replication: CHAINSHOCK_TEST_SAVE_EVERY_S=0),
    # on 2 threads, resume to the same files as an uninterrupted sweep.
    grid=(--grid 'routes[1].lead_time_days={dist: uniform, low: 4, high: 6},{dist: uniform, low: 3, high: 9}')
    common=(sweep "$GOOD" "${grid[@]}" --replications 6 --series-replications 2)
    run "${common[@]}" --out "$TMP/full" --quiet
    expect_status 0
    STATUS=0
    CHAINSHOCK_TEST_SAVE_EVERY_S=0 CHAINSHOCK_TEST_INTERRUPT_AFTER=4 "$BIN" "${common[@]}" \
        --threads 2 --out "$TMP/part" >"$TMP/stdout" 2>"$TMP/stderr" || STATUS=$?
    expect_status 130
    chunks="$(find "$TMP/part/.checkpoint/chunks" -mindepth 1 -maxdepth 1 -type d | wc -l)"
    [[ "$chunks" -ge 4 ]] || fail "expected a chunk per replication, got $chunks"
    STATUS=0
    CHAINSHOCK_TEST_SAVE_EVERY_S=0 "$BIN" "${common[@]}" --threads 2 --out "$TMP/part" --resume \
        --quiet >"$TMP/stdout" 2>"$TMP/stderr" || STATUS=$?
    expect_status 0
    diff -r "$TMP/full" "$TMP/part" >/dev/null || fail "the resumed sweep differs"
    ;;
sweep_resume_refused)
    # --resume with other inputs than the checkpoint's is refused, and the checkpoint kept.
    grid=(--grid 'horizon_days=60,90')
    STATUS=0
    CHAINSHOCK_TEST_INTERRUPT_AFTER=1 "$BIN" sweep "$GOOD" "${grid[@]}" --replications 2 --threads 1 \
        --out "$TMP/s" >"$TMP/stdout" 2>"$TMP/stderr" || STATUS=$?
    expect_status 130
    run sweep "$GOOD" --grid 'horizon_days=60,91' --replications 2 --out "$TMP/s" --resume
    expect_status 2
    expect_stdout_empty
    expect_stderr_has "^chainshock sweep: error: --resume: .*/s/\.checkpoint is the checkpoint of another sweep \(key [0-9a-f]{16}, this sweep's is [0-9a-f]{16}; they differ in sweep grid\): resume it with its own options, or remove .* to start over$"
    run sweep "$GOOD" "${grid[@]}" --replications 2 --seed 9 --out "$TMP/s" --resume
    expect_status 2
    expect_stderr_has 'they differ in seed \(1 vs 9\)'
    run run "$GOOD" --replications 2 --out "$TMP/s" --resume
    expect_status 2
    expect_stderr_has '^chainshock run: error: --resume: .* they differ in kind \(sweep vs run\)'
    expect_file "$TMP/s/.checkpoint/job.json"
    expect_absent "$TMP/s/sweep.csv"
    run sweep "$GOOD" "${grid[@]}" --replications 2 --out "$TMP/s" --resume --quiet
    expect_status 0
    expect_absent "$TMP/s/.checkpoint"
    # --resume with nothing to resume starts from the beginning.
    run sweep "$GOOD" "${grid[@]}" --replications 2 --out "$TMP/fresh" --resume
    expect_status 0
    expect_stderr_has '^chainshock sweep: --resume: no checkpoint in .*; starting from the beginning$'
    cmp -s "$TMP/s/sweep.csv" "$TMP/fresh/sweep.csv" || fail "sweep.csv differs"
    ;;
run_resume)
    # An interrupted run writes what completed, marked incomplete, and --resume completes it.
    STOCHASTIC=scenarios/lithium_chain.yaml
    common=(run "$STOCHASTIC" --replications 7 --series-replications 3 --seed 99)
    run "${common[@]}" --out "$TMP/full" --quiet
    expect_status 0
    STATUS=0
    CHAINSHOCK_TEST_INTERRUPT_AFTER=3 "$BIN" "${common[@]}" --threads 1 --out "$TMP/r" \
        >"$TMP/stdout" 2>"$TMP/stderr" || STATUS=$?
    expect_status 130
    expect_stderr_has '^chainshock run: interrupted: kept 3 of 7 replications \(marked incomplete\); run the same command with --resume to continue'
    grep -q '"complete": false' "$TMP/r/summary.json" || fail "summary.json not marked incomplete"
    run "${common[@]}" --out "$TMP/r" --resume --threads 2
    expect_status 0
    expect_stderr_has 'resuming from .*: 3 of 7 replications already done'
    for file in summary.json replications.csv timeseries.csv; do
        cmp -s "$TMP/full/$file" "$TMP/r/$file" || fail "$file differs from the uninterrupted run"
    done
    expect_absent "$TMP/r/.checkpoint"
    run run "$GOOD" --modes none --resume --out "$TMP/m"
    expect_usage_error "--resume cannot be combined with --modes"
    ;;
shard_interrupted)
    # SIGTERM (a batch system's time limit) and SIGINT stop a shard cleanly: exit status 130, no
    # shard.json (merge would refuse the shard), and the work done kept for --resume.
    "$BIN" run scenarios/lithium_north_america.yaml --replications 100000 --threads 1 --quiet \
        --shard 0/2 --out "$TMP/run" >"$TMP/stdout" 2>"$TMP/stderr" &
    PID=$!
    sleep 3
    kill -TERM "$PID"
    STATUS=0
    wait "$PID" || STATUS=$?
    expect_status 130
    expect_stderr_has '^chainshock run: shard 0/2 interrupted: [0-9]+ of 50000 replications done'
    expect_absent "$TMP/run/shard.json"
    "$BIN" sweep scenarios/lithium_north_america.yaml --grid horizon_days=365,366 --quiet \
        --replications 50000 --threads 1 --shard 1/2 --out "$TMP/sweep" >"$TMP/stdout" 2>"$TMP/stderr" &
    PID=$!
    sleep 3
    kill -INT "$PID"
    STATUS=0
    wait "$PID" || STATUS=$?
    expect_status 130
    expect_stderr_has '^chainshock sweep: shard 1/2 interrupted: [0-9]+ of 50000 \(point, replication\) pairs done'
    expect_absent "$TMP/sweep/shard.json"
    expect_no_temp_left "$TMP"
    ;;
shard_resume_merge)
    # A shard interrupted and resumed merges with the others into the unsharded run's files.
    STOCHASTIC=scenarios/lithium_chain.yaml
    common=(run "$STOCHASTIC" --replications 7 --series-replications 3 --seed 5)
    run "${common[@]}" --out "$TMP/full" --quiet
    expect_status 0
    STATUS=0
    CHAINSHOCK_TEST_INTERRUPT_AFTER=1 "$BIN" "${common[@]}" --shard 1/2 --threads 1 \
        --out "$TMP/s1" >"$TMP/stdout" 2>"$TMP/stderr" || STATUS=$?
    expect_status 130
    expect_stderr_has '^chainshock run: shard 1/2 interrupted: 1 of 3 replications done, kept in '
    expect_absent "$TMP/s1/shard.json"
    run merge --out "$TMP/m" "$TMP/s1"
    expect_status 2
    expect_stderr_has 's1/shard\.json: no such file'
    run "${common[@]}" --shard 1/2 --out "$TMP/s1" --resume --quiet
    expect_status 0
    expect_absent "$TMP/s1/.checkpoint"
    run "${common[@]}" --shard 0/2 --out "$TMP/s0" --quiet
    expect_status 0
    run merge --out "$TMP/m" --quiet "$TMP/s0" "$TMP/s1"
    expect_status 0
    for file in summary.json replications.csv timeseries.csv; do
        cmp -s "$TMP/full/$file" "$TMP/m/$file" || fail "$file differs from the unsharded run"
    done
    ;;
mpi_off_refuses)
    # A build without MPI started by mpirun with several processes would run the whole job in
    # each: it refuses instead.
    STATUS=0
    OMPI_COMM_WORLD_SIZE=2 "$BIN" sweep "$GOOD" --grid horizon_days=60,90 --out "$TMP/s" \
        >"$TMP/stdout" 2>"$TMP/stderr" || STATUS=$?
    expect_usage_error 'built without MPI'
    expect_absent "$TMP/s"
    ;;
mpi_sweep)
    # CHAINSHOCK_MPI=ON: `mpirun -n 2 chainshock sweep|run` writes exactly the single-process files,
    # and an MPI job interrupted on every rank resumes (here without MPI) to the same files.
    MPIEXEC="${CHAINSHOCK_MPIEXEC:-mpirun}"
    # In containers Open MPI's shared-memory transport may not be allowed to use
    # process_vm_readv; copying through the shared segment works everywhere.
    export OMPI_MCA_btl_vader_single_copy_mechanism=none
    mpi=("$MPIEXEC" --allow-run-as-root --oversubscribe -n 2)
    grid=(--grid 'horizon_days=60,90' --grid 'routes[1].lead_time_days=5,{dist: uniform, low: 4, high: 6}')
    common=(sweep "$GOOD" "${grid[@]}" --replications 3 --series-replications 2 --seed 4)
    run "${common[@]}" --out "$TMP/single" --quiet
    expect_status 0
    STATUS=0
    "${mpi[@]}" "$BIN" "${common[@]}" --threads 1 --out "$TMP/mpi" >"$TMP/stdout" 2>"$TMP/stderr" ||
        STATUS=$?
    expect_status 0
    expect_stdout_has '^minimal_chain: 4 points x 3 replications, seed 4'
    [[ "$(grep -c '^results written to ' "$TMP/stdout")" -eq 1 ]] || fail "only rank 0 should print"
    for file in sweep.csv points/{0,1,2,3}/{summary.json,replications.csv,timeseries.csv}; do
        cmp -s "$TMP/single/$file" "$TMP/mpi/$file" || fail "$file differs from the single-process sweep"
    done
    diff -r "$TMP/single" "$TMP/mpi" >/dev/null || fail "the MPI sweep's directory differs"
    STATUS=0
    "${mpi[@]}" "$BIN" run scenarios/lithium_chain.yaml --replications 5 --series-replications 2 \
        --threads 1 --quiet --out "$TMP/mpirun" >"$TMP/stdout" 2>"$TMP/stderr" || STATUS=$?
    expect_status 0
    run run scenarios/lithium_chain.yaml --replications 5 --series-replications 2 --quiet \
        --out "$TMP/run"
    for file in summary.json replications.csv timeseries.csv; do
        cmp -s "$TMP/run/$file" "$TMP/mpirun/$file" || fail "$file differs from the single-process run"
    done
    STATUS=0
    "${mpi[@]}" -x CHAINSHOCK_TEST_INTERRUPT_AFTER=2 "$BIN" "${common[@]}" --threads 1 \
        --out "$TMP/int" >"$TMP/stdout" 2>"$TMP/stderr" || STATUS=$?
    [[ "$STATUS" -ne 0 ]] || fail "an interrupted MPI sweep should not exit 0"
    expect_stderr_has 'shard [01]/2 interrupted: 2 of 6 '
    expect_absent "$TMP/int/sweep.csv"
    run "${common[@]}" --out "$TMP/int" --resume
    expect_status 0
    expect_stderr_has 'resuming from .*: 4 of 12 \(point, replication\) pairs already done'
    diff -r "$TMP/single" "$TMP/int" >/dev/null || fail "the resumed MPI sweep differs"
    ;;
# ---- stress and compare ----
help_stress_compare)
    run --help
    for command in stress compare; do expect_stdout_has "^  $command "; done
    run stress --help
    expect_status 0
    expect_stderr_empty
    expect_stdout_has '^Usage: chainshock stress SCENARIO'
    for option in duration-days start-day replications seed threads out top quiet; do
        expect_stdout_has "--$option "
    done
    run help compare
    expect_status 0
    expect_stdout_has '^Usage: chainshock compare A\.yaml B\.yaml'
    for option in replications seed threads out quiet; do expect_stdout_has "--$option "; done
    ;;
stress_graphite)
    # The graphite drill (China's exports to the US and Mexico already banned from day 30 to 210):
    # what else, knocked out for 90 days from day 30, shortens survival most? The import ports:
    # each is the only way in for its country's plants, and a port that is down holds its cargo.
    DRILL=scenarios/drill_graphite_ban.yaml
    [[ -f "$DRILL" ]] || fail "missing $DRILL"
    run stress "$DRILL" --replications 20 --threads 2 --top 3 --out "$TMP/s"
    expect_status 0
    expect_stdout_has '^drill_graphite_ban: [0-9]+ cases, each knocked out for 90 days from day 30; 20 replications each, seed 2026'
    expect_stdout_has '^baseline: network TTS [0-9.]+ d'
    expect_stdout_has '^rank +case +TTS \(d\) +TTR \(d\) +shortfall \(t\) +vs baseline \(t\) +cost vs baseline \(USD\)$'
    expect_stdout_has '^ +1 +outage (mx_port_manzanillo|us_port_la_lb) .* AT RISK$'
    [[ "$(grep -cE '^ +[0-9]+ +(outage|closure|export_ban) ' "$TMP/stdout")" -eq 3 ]] ||
        fail "--top 3 should print three cases"
    [[ "$(tail -n 1 "$TMP/stdout")" == "stress.csv written to $TMP/s" ]] || fail "last line"
    csv="$TMP/s/stress.csv"
    expect_file "$csv"
    expect_no_temp_left "$TMP"
    head -n 1 "$csv" | grep -qE '^rank,kind,target,time_to_survive_days_mean,.*,at_risk$' ||
        fail "stress.csv header"
    grep -q '^0,baseline,,' "$csv" || fail "stress.csv: the baseline row (rank 0)"
    grep -qE '^1,outage,(mx_port_manzanillo|us_port_la_lb),.*,1$' "$csv" ||
        fail "stress.csv: rank 1 should be an import port, at risk: $(sed -n 3p "$csv")"
    for target in 'outage,cn_anode_producer' 'closure,us_port_la_lb->us_se_cell_plant' \
        'export_ban,CN anode_graphite' 'export_ban,ID anode_graphite'; do
        grep -q "^[0-9]*,$target," "$csv" || fail "stress.csv lacks $target"
    done
    # One row per case plus the baseline; ranks 0..N in order.
    [[ "$(tail -n +2 "$csv" | cut -d, -f1 | tr '\n' ' ')" == "$(seq -s ' ' 0 $(($(wc -l <"$csv") - 2))) " ]] ||
        fail "stress.csv ranks should run 0, 1, 2, ..."
    # Reproducible: the same file for the same seed, whatever the threads (a quicker scenario).
    run stress scenarios/lithium_chain.yaml --replications 4 --threads 2 --quiet --out "$TMP/t2"
    expect_status 0
    [[ "$(stdout_text)" == "stress.csv written to $TMP/t2" ]] || fail "--quiet prints one line"
    run stress scenarios/lithium_chain.yaml --replications 4 --threads 1 --quiet --out "$TMP/t1"
    expect_status 0
    cmp -s "$TMP/t1/stress.csv" "$TMP/t2/stress.csv" ||
        fail "stress.csv differs between 1 and 2 threads"
    ;;
stress_bad_usage)
    run stress
    expect_usage_error 'missing SCENARIO'
    for args in "--duration-days 0" "--duration-days abc" "--start-day=-1" "--top 0" \
        "--replications 0" "--bogus"; do
        # shellcheck disable=SC2086 # word splitting of $args is intended
        run stress "$GOOD" $args --out "$TMP/s"
        expect_status 2
        expect_stdout_empty
        expect_stderr_has '^chainshock stress: '
    done
    run stress "$GOOD" --start-day 365 --out "$TMP/s"
    expect_usage_error '--start-day: must be before the horizon \(day 365\)'
    bad="$(bad_file)"
    run stress "$bad" --out "$TMP/s"
    expect_status 2
    expect_stderr_has "^${bad//./\\.}:[0-9]+:[0-9]+: error: "
    expect_absent "$TMP/s"
    ;;
compare_self)
    # A stochastic scenario against itself: common random numbers make every difference exactly
    # zero, while the unpaired interval (as if independent) is not.
    STOCHASTIC=scenarios/lithium_chain.yaml
    run compare "$STOCHASTIC" "$STOCHASTIC" --replications 5 --seed 3 --out "$TMP/c"
    expect_status 0
    expect_stdout_has '^5 replications each, seed 3 \(common random numbers\); [0-9]+ KPIs in both \(0 only in A, 0 only in B\)$'
    expect_stdout_has '^entity\.metric +A +B +B - A +SD of B - A +paired 95% CI +unpaired 95% CI$'
    expect_stdout_has '^network\.shortfall_t '
    expect_stdout_has '^network\.demand_t +[0-9,.]+ +[0-9,.]+ +0 +0 +± 0 +± [0-9,.]*[1-9]'
    rows="$(grep -cE '^(network|[A-Z]+)\.[a-z_]+ ' "$TMP/stdout")"
    zero_rows="$(grep -cE '^(network|[A-Z]+)\.[a-z_]+ +[0-9,.]+ +[0-9,.]+ +0 +0 +± 0 +± ' "$TMP/stdout")"
    [[ "$rows" -gt 4 && "$rows" -eq "$zero_rows" ]] ||
        fail "every row should show a zero difference ($zero_rows of $rows do)"
    csv="$TMP/c/compare.csv"
    expect_file "$csv"
    expect_no_temp_left "$TMP"
    [[ "$(head -n 1 "$csv")" == entity,metric,a_mean,*,difference_mean,difference_sd,*,unpaired_ci95_half_width,n ]] ||
        fail "compare.csv header"
    awk -F, 'NR > 1 && ($9 != 0 || $10 != 0 || $13 != 0 || $15 != 5) { bad = 1 } END { exit bad }' \
        "$csv" || fail "compare.csv: every difference should be 0 over 5 replications"
    [[ "$(tail -n 1 "$TMP/stdout")" == "compare.csv written to $TMP/c" ]] || fail "last line"
    ;;
compare_bad_usage)
    run compare
    expect_usage_error 'expected two scenarios, A and B'
    run compare "$GOOD"
    expect_usage_error 'expected two scenarios, A and B'
    run compare "$GOOD" "$GOOD" "$GOOD"
    expect_usage_error 'too many positional'
    run compare "$GOOD" "$GOOD" --replications 0 --out "$TMP/c"
    expect_usage_error '--replications: must be at least 1'
    bad="$(bad_file)"
    run compare "$GOOD" "$bad" --out "$TMP/c"
    expect_status 2
    expect_stdout_empty
    expect_stderr_has "^${bad//./\\.}:[0-9]+:[0-9]+: error: "
    expect_absent "$TMP/c"
    ;;
*)
    echo "cli_test.sh: unknown case '$CASE'" >&2
    exit 2
    ;;
esac
echo "ok [$CASE]"
