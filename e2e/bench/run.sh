#!/usr/bin/env bash
# Benchmark: the Strangler Gateway side by side with the bare backend, nginx and a plain
# Spring Cloud Gateway, on 127.0.0.1 only. Method, caveats and the latest table:
# docs/benchmarks.md.
#
#   e2e/bench/run.sh            # full run (60 to 100 minutes): e2e/bench/results/<date>.md
#   e2e/bench/run.sh --quick    # smoke test (about 4 minutes): short warm-up and runs
#   e2e/bench/run.sh --baseline origin/main   # each gateway row before (REF) and after, one run
#   e2e/bench/run.sh --baseline origin/main --turns 6 --systems "plain-scg legacy@before legacy"
#                               # throughput only, measured in turns (below)
#   e2e/bench/run.sh --turns 5 --turns-rate --systems "backend plain-scg legacy shadow"
#                               # and the fixed-rate latency, in turns too
#
# Options: --quick, --skip-build (reuse the jars already built), --systems "backend nginx
# plain-scg legacy unrouted legacy-nolog shadow canary cache", in that order; also the diagnostics
# legacy-lean and legacy-auto), --baseline REF (also build the gateway of git revision REF and
# measure it side by side: a system NAME@before runs REF's jar in mode NAME; with --baseline and no
# --systems, the gateway rows of both are measured), --keep (keep
# the work directory with every log), --publish (also put the table into README.md and
# docs/benchmarks.md, between their latest-results markers), --turns ROUNDS (start every system
# of --systems at once, each on ports of its own, warm each, then give each one closed-loop run in
# turn, ROUNDS times: the machine's drift then hits all alike, and the report gives the median of
# each round's ratios; closed-loop throughput only unless --turns-rate, results/<date>-turns.md), --turns-rate (with
# --turns: every round also gives each system a fixed-rate run, as the full run's, and the
# report gives the median of each round's latency ratios: the added p99 of a system against
# plain SCG's, the client p99 of shadow and canary against the legacy stage's; one reading a
# run, minutes apart, flipped those bars between runs; the --turns report ends with the
# lean-hot-path bars judged by the medians of their per-round ratios, and RSS read once per system
# after the last round). Tunables, as environment variables: BENCH_CONNECTIONS
# (closed loop, default 50), BENCH_RATE_CONNECTIONS (200) and BENCH_RATE_PER_CONNECTION (10
# req/s) for the fixed-rate run, BENCH_JVM_FLAGS ("-Xmx256m -XX:+UseSerialGC"),
# BENCH_PORT_BASE (18080), BENCH_LOAD_CPU (0), BENCH_SERVER_CPU (1), BENCH_MAVEN_ARGS (e.g. -o),
# BENCH_SOURCE (what was built, when the tree is a copy without .git), BENCH_TURN_SECONDS (one
# run in --turns mode, default 20).
#
# Every process it starts is stopped on exit (trap), every load run is bounded in time, and
# all traffic goes to 127.0.0.1.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/../.." && pwd)

QUICK=0
SKIP_BUILD=0
KEEP=0
PUBLISH=0
SYSTEMS="backend nginx plain-scg legacy unrouted legacy-nolog shadow canary cache"
SYSTEMS_GIVEN=0
BASELINE=""
TURNS=0
TURN_RATE=0
while [[ $# -gt 0 ]]; do
	case "$1" in
		--quick) QUICK=1 ;;
		--skip-build) SKIP_BUILD=1 ;;
		--keep) KEEP=1 ;;
		--publish) PUBLISH=1 ;;
		--systems) SYSTEMS="$2"; SYSTEMS_GIVEN=1; shift ;;
		--baseline) BASELINE="$2"; shift ;;
		--turns) TURNS="$2"; shift ;;
		--turns-rate) TURN_RATE=1 ;;
		-h|--help) sed -n '2,/^set -euo pipefail/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
		*) echo "Unknown option: $1 (try --help)" >&2; exit 2 ;;
	esac
	shift
done

[[ $TURNS =~ ^[0-9]+$ ]] || { echo "--turns takes a number of rounds" >&2; exit 2; }
if ((TURN_RATE)) && ! ((TURNS)); then
	echo "--turns-rate needs --turns ROUNDS" >&2
	exit 2
fi
if ((TURNS)) && [[ $PUBLISH == 1 ]]; then
	echo "--turns measures no RSS and no full table: its report is not published (no --publish)" >&2
	exit 2
fi
if [[ -n $BASELINE && $SYSTEMS_GIVEN == 0 ]]; then
	# Before and after side by side, each gateway mode right after its baseline.
	SYSTEMS="backend plain-scg legacy@before legacy unrouted@before unrouted shadow@before shadow canary@before canary cache@before cache"
fi

LOAD_CPU=${BENCH_LOAD_CPU:-0}
SERVER_CPU=${BENCH_SERVER_CPU:-1}
CONNECTIONS=${BENCH_CONNECTIONS:-50}
RATE_CONNECTIONS=${BENCH_RATE_CONNECTIONS:-200}
RATE_PER_CONNECTION=${BENCH_RATE_PER_CONNECTION:-10}
JVM_FLAGS=${BENCH_JVM_FLAGS:--Xmx256m -XX:+UseSerialGC}
PORT_BASE=${BENCH_PORT_BASE:-18080}
MAVEN_ARGS=${BENCH_MAVEN_ARGS:-}
BACKEND_DELAY_MS=20

if [[ $QUICK == 1 ]]; then
	JVM_WARMUP=5; NATIVE_WARMUP=2; STEP=5; MAX_STEPS=1; RATE_WARMUP=2; RATE_DURATION=5
else
	# On one core the JIT keeps compiling for minutes: the gateway, with about 12 000
	# classes loaded, was measured climbing from a fifth of its steady throughput after
	# 40 s of load to its plateau after about 5 min (plain SCG after about 3). So a 120-s
	# warm-up, then 30-s runs until three successive ones lie within 5 % of each other
	# (a slow climb never settles by two close neighbours), at most 8 runs.
	JVM_WARMUP=120; NATIVE_WARMUP=10; STEP=30; MAX_STEPS=8; RATE_WARMUP=5; RATE_DURATION=30
fi
TOLERANCE=5
SETTLE_RUNS=3
# After the fixed warm-up a JVM's warm-up goes on, in STEP-second runs, while its JIT still
# compiled more than JIT_QUIET methods in the last one, up to MAX_WARMUP seconds in all: on
# one core the gateway, after its 120-s warm-up, was measured compiling 490, 260, 150, 165,
# 120, 110, 100 and 70 methods in its next 30-s runs (about 17 000 in all), and runs
# measured while the JIT works never settle.
JIT_QUIET=${BENCH_JIT_QUIET:-100}
MAX_WARMUP=${BENCH_MAX_WARMUP:-480}

FAST_PORT=$((PORT_BASE + 1))
SLOW_PORT=$((PORT_BASE + 2))
PROXY_PORT=$((PORT_BASE + 10))
MANAGEMENT_PORT=$((PORT_BASE + 11))
FAST_PATH=/api/fast/item
SLOW_PATH=/api/slow/item
# A path no route claims: the gateway sends it to strangler.legacy.url, the fast backend.
UNROUTED_PATH=/api/unrouted/item

WORK=$(mktemp -d "${TMPDIR:-/tmp}/strangler-bench.XXXXXX")
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
RESULTS_DIR="$BENCH_DIR/results"
RESULT_FILE="$RESULTS_DIR/$STAMP$( ((TURNS)) && echo -turns || true)$( ((QUICK)) && echo -quick || true).md"

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- processes and cleanup

declare -a STARTED=()

stop_pid() {
	local pid=$1
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	local status=$?
	for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
		stop_pid "${STARTED[$i]}"
	done
	if [[ -d $WORK/baseline ]]; then
		git -C "$ROOT" worktree remove --force "$WORK/baseline" >/dev/null 2>&1 || true
	fi
	if [[ $KEEP == 1 || $status != 0 ]]; then
		log "work directory (logs): $WORK"
	else
		rm -rf "$WORK"
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start NAME COMMAND...: runs COMMAND on the server core, output to $WORK/NAME.log; sets PID.
start() {
	local name=$1
	shift
	taskset -c "$SERVER_CPU" "$@" >"$WORK/$name.log" 2>&1 &
	PID=$!
	STARTED+=("$PID")
	log "started $name (pid $PID)"
}

# await_ok NAME URL PID: until URL answers 2xx, at most 180 s, failing fast if PID died.
await_ok() {
	local name=$1 url=$2 pid=$3
	for _ in $(seq 900); do
		if curl -fs -o /dev/null --max-time 2 "$url"; then
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || { tail -30 "$WORK/$name.log" >&2; die "$name exited during start-up"; }
		sleep 0.2
	done
	tail -30 "$WORK/$name.log" >&2
	die "$name did not answer $url within 180 s"
}

# rss_mb PID: resident set of PID and its children (nginx's workers), in MB.
rss_mb() {
	local total=0 kb
	for p in $1 $(pgrep -P "$1" 2>/dev/null || true); do
		kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
		total=$((total + ${kb:-0}))
	done
	awk -v kb="$total" 'BEGIN { printf "%.0f", kb / 1024 }'
}

# ---------------------------------------------------------------- tools and builds

ensure_tools() {
	local missing=()
	command -v wrk >/dev/null || missing+=(wrk)
	command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
	command -v h2load >/dev/null || missing+=(nghttp2-client)
	command -v taskset >/dev/null || missing+=(util-linux)
	command -v curl >/dev/null || missing+=(curl)
	if [[ ${#missing[@]} -gt 0 ]]; then
		[[ $(id -u) == 0 ]] || die "missing ${missing[*]}: install them (apt-get install ${missing[*]}) or run as root"
		log "installing ${missing[*]} from Debian"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
	fi
	NGINX=$(command -v nginx || echo /usr/sbin/nginx)
	[[ $(nproc) -ge 2 ]] || die "needs 2 cores: one for the load generator, one for the servers"
}

jar_of() { ls "$1"/target/*-exec.jar 2>/dev/null | head -1; }

build() {
	cd "$ROOT"
	if [[ $SKIP_BUILD == 0 ]]; then
		log "building the gateway and the benchmark apps (./mvnw package)"
		# Formatting is verify's business, not a benchmark's: a work in progress still builds.
		MAVEN_ARGS="$MAVEN_ARGS -Dspring-javaformat.skip=true"
		# shellcheck disable=SC2086
		./mvnw -B -q $MAVEN_ARGS -DskipTests -pl gateway -am package
		# shellcheck disable=SC2086
		./mvnw -B -q $MAVEN_ARGS -DskipTests -f e2e/bench/stub/pom.xml package
		# shellcheck disable=SC2086
		./mvnw -B -q $MAVEN_ARGS -DskipTests -f e2e/bench/plain-scg/pom.xml package
	fi
	GATEWAY_JAR=$(jar_of "$ROOT/gateway")
	if [[ -n $BASELINE ]]; then
		BASELINE_COMMIT=$(git -C "$ROOT" rev-parse --short "$BASELINE^{commit}") || die "--baseline $BASELINE: not a git revision"
		log "building the baseline gateway of $BASELINE ($BASELINE_COMMIT) in a worktree of its own"
		git -C "$ROOT" worktree add --detach "$WORK/baseline" "$BASELINE_COMMIT" >/dev/null
		# shellcheck disable=SC2086
		(cd "$WORK/baseline" && ./mvnw -B -q $MAVEN_ARGS -Dspring-javaformat.skip=true -DskipTests -pl gateway -am package)
		BASELINE_JAR=$(jar_of "$WORK/baseline/gateway")
		[[ -n $BASELINE_JAR ]] || die "the baseline build made no gateway jar"
	fi
	STUB_JAR=$(jar_of "$BENCH_DIR/stub")
	SCG_JAR=$(jar_of "$BENCH_DIR/plain-scg")
	[[ -n $GATEWAY_JAR && -n $STUB_JAR && -n $SCG_JAR ]] || die "jars missing; run without --skip-build"
}

# ---------------------------------------------------------------- load

# wrk_run URL SECONDS: one closed-loop run; sets RPS P50 P99 P999 (ms) ERRORS.
wrk_run() {
	local url=$1 seconds=$2 out
	out=$(timeout --signal=INT $((seconds + 30)) taskset -c "$LOAD_CPU" \
		wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" --timeout 5s -s "$BENCH_DIR/wrk/bench.lua" "$url" 2>&1) \
		|| die "wrk failed: $out"
	local line
	line=$(grep '^BENCH ' <<<"$out") || die "wrk printed no result: $out"
	eval "$(awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		printf "RPS=%.0f P50=%.2f P99=%.2f P999=%.2f ERRORS=%d\n",
			v["requests"] / (v["duration_us"] / 1e6), v["p50_us"] / 1000, v["p99_us"] / 1000,
			v["p999_us"] / 1000, v["errors"] + v["status_errors"] }' <<<"$line")"
}

# jit_compilations PID: how many methods the JVM PID has JIT-compiled so far (empty when
# it is not a JVM jstat can read).
jit_compilations() {
	jstat -compiler "$1" 2>/dev/null | awk 'NR == 2 { print $1 }'
}

# warm_while_jit_busy SYSTEM URL PID WARMED: after WARMED seconds of warm-up, goes on in
# STEP-second runs while the JVM PID compiled more than JIT_QUIET methods in the last one, up
# to MAX_WARMUP seconds in all (not in a quick run, nor for a process jstat cannot read); sets
# WARMED_SECONDS.
warm_while_jit_busy() {
	local system=$1 url=$2 pid=$3 before after
	WARMED_SECONDS=$4
	if [[ $QUICK == 0 && -n $pid && -n $(jit_compilations "$pid") ]]; then
		while ((WARMED_SECONDS + STEP <= MAX_WARMUP)); do
			before=$(jit_compilations "$pid")
			wrk_run "$url" "$STEP"
			after=$(jit_compilations "$pid")
			WARMED_SECONDS=$((WARMED_SECONDS + STEP))
			log "$system: warm-up goes on: ${RPS} req/s, $((after - before)) JIT compilations in ${STEP}s"
			((after - before > JIT_QUIET)) || break
		done
	fi
}

# closed_loop SYSTEM URL WARMUP [PID]: warm-up (for a JVM PID, extended while its JIT is
# busy), then STEP-second runs until the last SETTLE_RUNS lie within TOLERANCE % of their
# mean (highest minus lowest).
closed_loop() {
	local system=$1 url=$2 warmup=$3 pid=${4:-} step settled="no" recent=()
	log "$system: closed loop, ${warmup}s warm-up"
	wrk_run "$url" "$warmup"
	log "$system: warm-up ${RPS} req/s, errors $ERRORS"
	warm_while_jit_busy "$system" "$url" "$pid" "$warmup"
	WARMED[$system]=$WARMED_SECONDS
	for ((step = 1; step <= MAX_STEPS; step++)); do
		wrk_run "$url" "$STEP"
		log "$system: run $step: ${RPS} req/s p50 ${P50} p99 ${P99} p99.9 ${P999} ms, errors $ERRORS"
		recent+=("$RPS")
		if ((${#recent[@]} >= SETTLE_RUNS)) && settled_within "$TOLERANCE" "${recent[@]: -SETTLE_RUNS}"; then
			settled="yes"
			break
		fi
	done
	[[ $QUICK == 1 ]] && settled="quick"
	if [[ $RPS == 0 ]]; then
		P50="–"; P99="–"; P999="–"
	fi
	C_RPS[$system]=$RPS; C_P50[$system]=$P50; C_P99[$system]=$P99; C_P999[$system]=$P999
	C_ERR[$system]=$ERRORS; C_SETTLED[$system]="$settled ($((step > MAX_STEPS ? MAX_STEPS : step)) runs)"
	C_RUNS[$system]="${recent[*]}"
}

# settled_within TOLERANCE RPS...: true when (max - min) / mean <= TOLERANCE %.
settled_within() {
	local tolerance=$1
	shift
	awk -v t="$tolerance" 'BEGIN {
		min = max = ARGV[1]; sum = 0
		for (i = 1; i < ARGC; i++) { v = ARGV[i] + 0; sum += v; if (v < min) min = v; if (v > max) max = v }
		mean = sum / (ARGC - 1)
		exit !(mean > 0 && (max - min) / mean * 100 <= t) }' "$@"
}

# fixed_rate SYSTEM URL: open loop, RATE_CONNECTIONS x RATE_PER_CONNECTION req/s.
fixed_rate() {
	local system=$1 url=$2 out logfile="$WORK/h2load-$1.tsv"
	log "$system: fixed rate $RATE_CONNECTIONS x $RATE_PER_CONNECTION req/s for ${RATE_DURATION}s"
	# h2load appends to its log: a system measured again (--turns-rate) starts afresh
	rm -f "$logfile"
	out=$(timeout --signal=INT $((RATE_WARMUP + RATE_DURATION + 60)) taskset -c "$LOAD_CPU" \
		h2load --h1 -t1 -c"$RATE_CONNECTIONS" --rps "$RATE_PER_CONNECTION" -D "$RATE_DURATION" \
		--warm-up-time "$RATE_WARMUP" --log-file "$logfile" "$url" 2>&1) || die "h2load failed: $out"
	echo "$out" >"$WORK/h2load-$system.out"
	local failed
	failed=$(awk '/^requests:/ { print $(NF-5) + $(NF-3) + $(NF-1) }' <<<"$out")
	# Columns: start (us since epoch), status, duration (us). Status 0: still in flight when
	# h2load stopped, neither an error nor a latency. Percentiles by rank.
	BAD=$(awk -F'\t' '$2 != 200 && $2 != 0 { bad++ } END { print bad + 0 }' "$logfile")
	eval "$(awk -F'\t' '$2 != 0 { print $3 }' "$logfile" | sort -n | awk -v secs="$RATE_DURATION" '{ d[NR] = $1 }
		function at(q) { i = int(NR * q); return d[i > 0 ? i : 1] / 1000 }
		END { printf "RPS=%.0f P50=%.2f P99=%.2f P999=%.2f\n", NR / secs, at(0.50), at(0.99), at(0.999) }')"
	if [[ $RPS == 0 ]]; then
		P50=""; P99=""; P999=""
	fi
	log "$system: ${RPS} req/s p50 ${P50:-–} p99 ${P99:-–} p99.9 ${P999:-–} ms, non-200 $BAD, failed $failed"
	O_RPS[$system]=$RPS; O_P50[$system]=$P50; O_P99[$system]=$P99; O_P999[$system]=$P999
	O_ERR[$system]=$((BAD + ${failed:-0}))
}

# ---------------------------------------------------------------- systems

declare -A WARMED C_RPS C_P50 C_P99 C_P999 C_ERR C_SETTLED C_RUNS O_RPS O_P50 O_P99 O_P999 O_ERR RSS LABEL NOTES

start_backend() {
	start backend java $JVM_FLAGS -jar "$STUB_JAR" "$FAST_PORT:0" "$SLOW_PORT:$BACKEND_DELAY_MS"
	BACKEND_PID=$PID
	await_ok backend "http://127.0.0.1:$FAST_PORT/" "$PID"
	await_ok backend "http://127.0.0.1:$SLOW_PORT/" "$PID"
}

start_nginx() {
	mkdir -p "$WORK/nginx/logs"
	cat >"$WORK/nginx/nginx.conf" <<-EOF
		# One worker on the server core, keepalive upstreams: the industry floor.
		daemon off;
		worker_processes 1;
		pid $WORK/nginx/nginx.pid;
		error_log $WORK/nginx/logs/error.log warn;
		events { worker_connections 4096; }
		http {
		    access_log off;
		    client_body_temp_path $WORK/nginx/body;
		    proxy_temp_path $WORK/nginx/proxy;
		    fastcgi_temp_path $WORK/nginx/fastcgi;
		    uwsgi_temp_path $WORK/nginx/uwsgi;
		    scgi_temp_path $WORK/nginx/scgi;
		    upstream fast { server 127.0.0.1:$FAST_PORT; keepalive 64; }
		    upstream slow { server 127.0.0.1:$SLOW_PORT; keepalive 256; }
		    server {
		        listen 127.0.0.1:$PROXY_PORT;
		        location /api/fast/ { proxy_pass http://fast; proxy_http_version 1.1; proxy_set_header Connection ""; }
		        location /api/slow/ { proxy_pass http://slow; proxy_http_version 1.1; proxy_set_header Connection ""; }
		    }
		}
	EOF
	start nginx "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/logs/error.log"
	await_ok nginx "http://127.0.0.1:$PROXY_PORT$FAST_PATH" "$PID"
}

start_plain_scg() {
	# shellcheck disable=SC2086
	start plain-scg env FAST_URL="http://127.0.0.1:$FAST_PORT" SLOW_URL="http://127.0.0.1:$SLOW_PORT" \
		PORT="$PROXY_PORT" java $JVM_FLAGS -jar "$SCG_JAR"
	await_ok plain-scg "http://127.0.0.1:$PROXY_PORT$FAST_PATH" "$PID"
}

# The route file of one gateway mode: routes fast and slow, both backends the same stub.
route_file() {
	local mode=$1 stage=legacy extra=""
	case "$mode" in
		legacy|unrouted|legacy-nolog|legacy-lean|legacy-auto) ;;
		shadow) stage=shadow; extra=$'\n    shadow:\n      percent: 100' ;;
		canary) stage=canary; extra=$'\n    rollout:\n      percent: 50\n      stickyBy: header:X-User-Id' ;;
		cache) extra=$'\n    cache:\n      ttl: 10m\n      maxEntries: 1000\n      maxBytes: 16MB' ;;
	esac
	for route in fast slow; do
		local port=$FAST_PORT
		[[ $route == slow ]] && port=$SLOW_PORT
		printf '  - id: %s\n    match:\n      paths: [/api/%s/**]\n    legacy: http://127.0.0.1:%s\n    target: http://127.0.0.1:%s\n    stage: %s%s\n' \
			"$route" "$route" "$port" "$port" "$stage" "$extra"
	done | { echo "routes:"; cat; }
}

# start_gateway MODE [JAR]: the gateway (JAR, default the one built from this tree) in MODE.
start_gateway() {
	local mode=$1 jar=${2:-$GATEWAY_JAR} dir="$WORK/gateway-$1${2:+-before}" args=()
	mkdir -p "$dir/routes" "$dir/state"
	route_file "$mode" >"$dir/routes/bench.yml"
	[[ $mode == legacy-nolog || $mode == legacy-lean ]] && args+=(--logging.level.strangler.access=off)
	# Diagnostic: the legacy stage with every per-request observability cost off, to size them:
	# tracing and every Micrometer observation (http.server.requests, http.client.requests) too.
	# Tracing alone is not enough: without a trace decision every backend call is observed.
	[[ $mode == legacy-lean ]] && args+=(--management.tracing.enabled=false --management.observations.enable.all=false)
	# Diagnostic: Reactor restoring thread-locals around every operator, to size what the
	# default (limited context propagation) saves.
	[[ $mode == legacy-auto ]] && args+=(--spring.reactor.context-propagation=auto)
	# shellcheck disable=SC2086
	start "gateway-$mode${2:+-before}" java $JVM_FLAGS -Djava.io.tmpdir="$dir" -jar "$jar" \
		--server.address=127.0.0.1 --server.port="$PROXY_PORT" \
		--management.server.address=127.0.0.1 --management.server.port="$MANAGEMENT_PORT" \
		--strangler.legacy.url="http://127.0.0.1:$FAST_PORT" \
		--strangler.routes.location="file:$dir/routes/" --strangler.state.dir="$dir/state" "${args[@]}"
	await_ok "gateway-$mode${2:+-before}" "http://127.0.0.1:$MANAGEMENT_PORT/actuator/health" "$PID"
	await_ok "gateway-$mode${2:+-before}" "http://127.0.0.1:$PROXY_PORT$FAST_PATH" "$PID"
	check_mode "$mode"
}

# Proves the mode does what it says before measuring it.
check_mode() {
	local base="http://127.0.0.1:$PROXY_PORT$FAST_PATH" headers
	headers=$(curl -fsS -D - -o /dev/null "$base")
	grep -qi '^X-Strangler-Route: fast' <<<"$headers" || die "$1: response not routed by route fast: $headers"
	case "$1" in
		unrouted)
			headers=$(curl -fsS -D - -o /dev/null "http://127.0.0.1:$PROXY_PORT$UNROUTED_PATH")
			if grep -qi '^X-Strangler-Route: fast' <<<"$headers"; then
				die "unrouted: $UNROUTED_PATH was claimed by route fast"
			fi
			;;
		canary)
			local target=0
			for i in $(seq 40); do
				curl -fsS -D - -o /dev/null -H "X-User-Id: check-$i" "$base" | grep -qi '^X-Strangler-Backend: target' \
					&& target=$((target + 1))
			done
			log "canary: $target of 40 sticky keys went to the target"
			((target > 5 && target < 35)) || die "canary: $target of 40 keys on target, expected about half"
			NOTES[canary]="$target of 40 sample keys routed to the target"
			;;
		cache)
			curl -fsS -D - -o /dev/null "$base" | grep -qi '^Cache-Status: .*hit' \
				|| die "cache: second request was not a cache hit"
			;;
	esac
}

shadow_stats() {
	curl -fsS "http://127.0.0.1:$MANAGEMENT_PORT/actuator/prometheus" 2>/dev/null \
		| awk '/^strangler_shadow_comparisons_total\{/ { match($0, /result="[a-z]+"/); r = substr($0, RSTART + 8, RLENGTH - 9); c[r] += $NF }
			/^strangler_shadow_dropped_total/ { dropped += $NF }
			END { printf "mirrors compared: match %d, mismatch %d, error %d, skipped %d; dropped (limit full) %d",
				c["match"], c["mismatch"], c["error"], c["skipped"], dropped }'
}

measure() {
	local system=$1 mode=$1 pid
	local fast="http://127.0.0.1:$PROXY_PORT$FAST_PATH" slow="http://127.0.0.1:$PROXY_PORT$SLOW_PATH"
	local warmup=$JVM_WARMUP
	if [[ $system == *@before ]]; then
		mode=${system%@before}
		[[ -n $BASELINE ]] || die "$system needs --baseline REF"
		LABEL[$system]="before ($BASELINE_COMMIT): mode $mode"
		start_gateway "$mode" "$BASELINE_JAR"; pid=$PID
		[[ $mode == unrouted ]] && fast="http://127.0.0.1:$PROXY_PORT$UNROUTED_PATH"
	else
		measure_current "$system"
	fi
	if ((TURNS)); then
		turn_ready "$system" "$mode" "$pid" "$fast" "$slow" "$warmup"
		return
	fi
	measure_loads "$system" "$mode" "$pid" "$fast" "$slow" "$warmup"
}

# measure_current SYSTEM: starts SYSTEM built from this tree; sets LABEL, pid, fast, slow and
# warmup of measure().
measure_current() {
	local system=$1
	case "$system" in
		backend)
			LABEL[$system]="bare backend (stub)"
			fast="http://127.0.0.1:$FAST_PORT$FAST_PATH"; slow="http://127.0.0.1:$SLOW_PORT$SLOW_PATH"
			pid=$BACKEND_PID ;;
		nginx) LABEL[$system]="nginx"; warmup=$NATIVE_WARMUP; start_nginx; pid=$PID ;;
		plain-scg) LABEL[$system]="plain Spring Cloud Gateway"; start_plain_scg; pid=$PID ;;
		legacy) LABEL[$system]="gateway: legacy stage"; start_gateway legacy; pid=$PID ;;
		unrouted)
			LABEL[$system]="gateway: unrouted path (no route claims it)"; start_gateway unrouted; pid=$PID
			fast="http://127.0.0.1:$PROXY_PORT$UNROUTED_PATH" ;;
		legacy-nolog) LABEL[$system]="gateway: legacy stage, access log off"; start_gateway legacy-nolog; pid=$PID ;;
		legacy-lean) LABEL[$system]="gateway: legacy stage, access log, tracing and observations off"; start_gateway legacy-lean; pid=$PID ;;
		legacy-auto) LABEL[$system]="gateway: legacy stage, automatic context propagation"; start_gateway legacy-auto; pid=$PID ;;
		shadow) LABEL[$system]="gateway: shadow stage, 100% mirrored"; start_gateway shadow; pid=$PID ;;
		canary) LABEL[$system]="gateway: canary 50% (sticky header)"; start_gateway canary; pid=$PID ;;
		cache) LABEL[$system]="gateway: cache hits"; start_gateway cache; pid=$PID ;;
		*) die "unknown system $system" ;;
	esac
}

# ---------------------------------------------------------------- --turns

declare -a TURN_SYSTEMS=()
declare -A TURN_URL=() TURN_SLOW_URL=() TURN_MODE=() TURN_PID=() TURN_WARMUP=() TURN_RPS=() TURN_P99=() TURN_RSS=()

# turn_ready SYSTEM MODE PID URL SLOW-URL WARMUP: a started system, kept running for the rounds.
turn_ready() {
	TURN_SYSTEMS+=("$1")
	TURN_MODE[$1]=$2; TURN_PID[$1]=$3; TURN_URL[$1]=$4; TURN_SLOW_URL[$1]=$5; TURN_WARMUP[$1]=$6
}

# has_fixed_rate SYSTEM: whether SYSTEM gets the fixed-rate run, as in measure_loads (cache
# hits never reach the 20 ms backend; the unrouted path goes to the fast one).
has_fixed_rate() {
	[[ ${TURN_MODE[$1]} != cache && ${TURN_MODE[$1]} != unrouted ]]
}

# sticky_header SYSTEM: the header wrk sends a sticky key in (canary only).
sticky_header() {
	[[ ${TURN_MODE[$1]} == canary ]] && echo X-User-Id || true
}

# turn_run SYSTEM SECONDS: one closed-loop run of SYSTEM; sets RPS.
turn_run() {
	BENCH_STICKY_HEADER=$(sticky_header "$1") wrk_run "${TURN_URL[$1]}" "$2"
}

# measure_in_turns: every system of --systems started at once, each on ports of its own, each
# warmed, then one run each in turn, TURNS times.
measure_in_turns() {
	local index=0 system round seconds=${BENCH_TURN_SECONDS:-20}
	((QUICK)) && seconds=5
	for system in $SYSTEMS; do
		# Ports of its own: the servers run side by side.
		PROXY_PORT=$((PORT_BASE + 10 + 2 * index))
		MANAGEMENT_PORT=$((PROXY_PORT + 1))
		index=$((index + 1))
		measure "$system"
	done
	for system in "${TURN_SYSTEMS[@]}"; do
		log "$system: ${TURN_WARMUP[$system]}s warm-up"
		turn_run "$system" "${TURN_WARMUP[$system]}"
		log "$system: warm-up ${RPS} req/s, errors $ERRORS"
		BENCH_STICKY_HEADER=$(sticky_header "$system") \
			warm_while_jit_busy "$system" "${TURN_URL[$system]}" "${TURN_PID[$system]}" "${TURN_WARMUP[$system]}"
		TURN_WARMUP[$system]=$WARMED_SECONDS
	done
	local order=() i
	for ((round = 1; round <= TURNS; round++)); do
		# Odd rounds in the order given, even rounds the other way round: no system is always
		# measured right after the same one.
		order=()
		for ((i = 0; i < ${#TURN_SYSTEMS[@]}; i++)); do
			if ((round % 2)); then
				order+=("${TURN_SYSTEMS[$i]}")
			else
				order=("${TURN_SYSTEMS[$i]}" "${order[@]}")
			fi
		done
		for system in "${order[@]}"; do
			turn_run "$system" "$seconds"
			log "round $round: $system ${RPS} req/s, errors $ERRORS"
			TURN_RPS[$system,$round]=$RPS
		done
		((TURN_RATE)) || continue
		for system in "${order[@]}"; do
			has_fixed_rate "$system" || continue
			fixed_rate "$system" "${TURN_SLOW_URL[$system]}"
			# An empty p99 (nothing answered) leaves the round out of this system's ratios.
			TURN_P99[$system,$round]=$P99
		done
	done
	TURN_SECONDS=$seconds
	for system in "${TURN_SYSTEMS[@]}"; do
		TURN_RSS[$system]=$(rss_mb "${TURN_PID[$system]}")
	done
}

# median V...: the median of the numbers given.
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "–"; else if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# turn_rps_ratios A B: the per-round ratios of A's closed-loop req/s to B's, one a line.
turn_rps_ratios() {
	local round
	for ((round = 1; round <= TURNS; round++)); do
		awk -v a="${TURN_RPS[$1,$round]:-}" -v b="${TURN_RPS[$2,$round]:-}" \
			'BEGIN { if (a != "" && b > 0) printf "%.3f\n", a / b }'
	done
}

# turn_p99_ratios A B [BASE]: the per-round ratios of A's fixed-rate p99 to B's, one a line; with
# BASE, of the latency A and B add to BASE's p99 (the added p99). A round where one of them
# answered nothing is left out.
turn_p99_ratios() {
	local round
	for ((round = 1; round <= TURNS; round++)); do
		awk -v a="${TURN_P99[$1,$round]:-}" -v b="${TURN_P99[$2,$round]:-}" -v base="${3:+${TURN_P99[$3,$round]:-}}" \
			-v based="${3:+1}" 'BEGIN {
				if (a == "" || b == "" || (based && base == "")) exit
				if (based) { a -= base; b -= base }
				if (b > 0) printf "%.3f\n", a / b }'
	done
}

# ratios_summary: "median × (min–max), above 1 in N of M rounds" of the ratios on stdin.
ratios_summary() {
	local ratios=()
	mapfile -t ratios
	((${#ratios[@]})) || { echo "not measured"; return; }
	printf '%s × (%s–%s), above 1 in %s of %s rounds' "$(median "${ratios[@]}")" \
		"$(printf '%s\n' "${ratios[@]}" | sort -g | head -1)" "$(printf '%s\n' "${ratios[@]}" | sort -g | tail -1)" \
		"$(printf '%s\n' "${ratios[@]}" | awk '$1 > 1' | wc -l)" "${#ratios[@]}"
}

# turn_target_row TEXT LIMIT OP RATIOS: one row of the targets in turns, from the per-round
# ratios (one a line): their median judged against the bar, their range, and in how many rounds
# the bar was met.
turn_target_row() {
	local text=$1 limit=$2 op=$3 ratios=() median_ratio
	mapfile -t ratios <<<"$4"
	[[ -n ${ratios[0]:-} ]] || { echo "| $text | – | – | – | not measured |"; return; }
	median_ratio=$(median "${ratios[@]}" | awk '{ printf "%.2f", $1 }')
	echo "| $text | $median_ratio | $(printf '%s\n' "${ratios[@]}" | sort -g | head -1)–$(printf '%s\n' "${ratios[@]}" | sort -g | tail -1) | $(printf '%s\n' "${ratios[@]}" | awk -v l="$limit" -v op="$op" '(op == ">=" && $1 >= l) || (op == "<=" && $1 <= l)' | wc -l) of ${#ratios[@]} | $(check "$median_ratio" "$limit" "$op") |"
}

# turned SYSTEM...: whether every SYSTEM was measured in turns.
turned() {
	local system
	for system in "$@"; do [[ -n ${TURN_MODE[$system]:-} ]] || return 1; done
}

# report_turn_targets: the lean-hot-path bars judged in turns, each by the median of its
# per-round ratios, RSS once per system after the last round.
report_turn_targets() {
	local system worst=0
	echo
	echo "### Targets, in turns"
	echo
	echo "The bars of the lean-hot-path work, each judged by the median of its per-round ratios (the machine's drift hits every system of a round alike); RSS read once per system, after the last round."
	echo
	echo "| target | median of the rounds | range | rounds meeting the bar | result |"
	echo "|---|---:|---:|---:|---|"
	turn_target_row "legacy-stage throughput ≥ 0.9 × plain SCG" 0.9 '>=' \
		"$(turned legacy plain-scg && turn_rps_ratios legacy plain-scg)"
	turn_target_row "unrouted throughput ≥ 0.95 × plain SCG" 0.95 '>=' \
		"$(turned unrouted plain-scg && turn_rps_ratios unrouted plain-scg)"
	turn_target_row "legacy-stage added p99 at fixed rate ≤ 1.2 × plain SCG's" 1.2 '<=' \
		"$( ((TURN_RATE)) && turned legacy plain-scg backend && turn_p99_ratios legacy plain-scg backend)"
	turn_target_row "canary 50 % throughput ≥ 0.85 × legacy stage" 0.85 '>=' \
		"$(turned canary legacy && turn_rps_ratios canary legacy)"
	turn_target_row "shadow 100 %: client p99 at fixed rate ≤ 1.1 × legacy stage's" 1.1 '<=' \
		"$( ((TURN_RATE)) && turned shadow legacy && turn_p99_ratios shadow legacy)"
	turn_target_row "shadow 100 %: throughput ≥ 0.6 × legacy stage" 0.6 '>=' \
		"$(turned shadow legacy && turn_rps_ratios shadow legacy)"
	turn_target_row "cache-hit throughput ≥ 3 × plain SCG" 3 '>=' \
		"$(turned cache plain-scg && turn_rps_ratios cache plain-scg)"
	for system in "${TURN_SYSTEMS[@]}"; do
		[[ $system == backend || $system == nginx || $system == plain-scg || $system == *@before ]] && continue
		[[ -n ${TURN_RSS[$system]:-} ]] && ((TURN_RSS[$system] > worst)) && worst=${TURN_RSS[$system]}
	done
	if ((worst)); then
		echo "| RSS after load ≤ 300 MB with -Xmx256m (largest gateway system) | $worst MB | one reading each: $(for system in "${TURN_SYSTEMS[@]}"; do [[ -n ${TURN_RSS[$system]:-} ]] && printf '%s %s; ' "$system" "${TURN_RSS[$system]}"; done)| – | $(check "$worst" 300 '<=') |"
	fi
}

# rounds_table_header LAST: the header of a table with one column per round of --turns and LAST
# (the median) at the end.
rounds_table_header() {
	local round row="| system |" rule="|---|"
	for ((round = 1; round <= TURNS; round++)); do
		row+=" round $round |"
		rule+="---:|"
	done
	echo "$row $1 |"
	echo "$rule---:|"
}

# report_turns_rate: the fixed-rate part of the --turns report.
report_turns_rate() {
	local system round row values
	echo
	echo "Fixed rate, every round after its closed-loop runs: \`h2load --h1 -c$RATE_CONNECTIONS --rps $RATE_PER_CONNECTION\` ($((RATE_CONNECTIONS * RATE_PER_CONNECTION)) req/s offered), ${RATE_WARMUP}s warm-up, ${RATE_DURATION}s measured, on the route whose backend answers after ${BACKEND_DELAY_MS} ms; p99 in ms:"
	echo
	rounds_table_header "median p99 ms"
	for system in "${TURN_SYSTEMS[@]}"; do
		has_fixed_rate "$system" || continue
		values=()
		row="| $system |"
		for ((round = 1; round <= TURNS; round++)); do
			row+=" ${TURN_P99[$system,$round]:-–} |"
			[[ -n ${TURN_P99[$system,$round]:-} ]] && values+=("${TURN_P99[$system,$round]}")
		done
		if ((${#values[@]})); then
			echo "$row $(median "${values[@]}" | awk '{ printf "%.2f", $1 }') |"
		else
			echo "$row – |"
		fi
	done
	echo
	echo "Latency ratios: the median of the per-round ratios, their range, and in how many rounds the ratio was above 1 (bars: added p99 ≤ 1.2 × plain SCG's, shadow's client p99 ≤ 1.1 × the legacy stage's)."
	echo
	for system in "${TURN_SYSTEMS[@]}"; do
		[[ $system == plain-scg || $system == backend ]] && continue
		has_fixed_rate "$system" || continue
		if [[ -n ${TURN_MODE[plain-scg]:-} && -n ${TURN_MODE[backend]:-} ]]; then
			echo "- $system added p99 × plain-scg's: $(turn_p99_ratios "$system" plain-scg backend | ratios_summary)"
		fi
		if [[ $system != legacy && $system != *@before && -n ${TURN_MODE[legacy]:-} ]]; then
			echo "- $system p99 × legacy's: $(turn_p99_ratios "$system" legacy | ratios_summary)"
		fi
		if [[ $system != *@before && -n ${TURN_MODE[$system@before]:-} ]]; then
			echo "- $system p99 × $system@before's: $(turn_p99_ratios "$system" "$system@before" | ratios_summary)"
		fi
	done
}

report_turns() {
	local system round row base
	{
		echo "## Benchmark $STAMP in turns$( ((QUICK)) && echo " (quick: smoke test, not figures)" || true)"
		echo
		machine_line
		echo "- Built from: $(source_description)$([[ -n $BASELINE ]] && echo "; NAME@before: $BASELINE ($BASELINE_COMMIT)" || true)"
		echo "- Every system started at once on CPU $SERVER_CPU, \`wrk -t1 -c$CONNECTIONS\` on CPU $LOAD_CPU; each warmed (a JVM at least ${JVM_WARMUP}s, longer while its JIT is busy), then $TURNS rounds of one ${TURN_SECONDS}-s closed-loop run each, in turn (even rounds in reverse order); warm-up per system: $(for s in "${TURN_SYSTEMS[@]}"; do printf '%s %ss; ' "$s" "${TURN_WARMUP[$s]}"; done)JVM flags \`$JVM_FLAGS\`"
		echo
		rounds_table_header "median req/s"
		for system in "${TURN_SYSTEMS[@]}"; do
			local values=()
			row="| $system |"
			for ((round = 1; round <= TURNS; round++)); do
				row+=" ${TURN_RPS[$system,$round]} |"
				values+=("${TURN_RPS[$system,$round]}")
			done
			echo "$row $(median "${values[@]}" | awk '{ printf "%.0f", $1 }') |"
		done
		echo
		echo "Ratios: the median of the per-round ratios, their range, and in how many rounds the ratio was above 1."
		echo
		for system in "${TURN_SYSTEMS[@]}"; do
			[[ $system == plain-scg || $system == backend ]] && continue
			if [[ -n ${TURN_MODE[plain-scg]:-} ]]; then
				echo "- $system × plain-scg: $(turn_rps_ratios "$system" plain-scg | ratios_summary)"
			fi
			# The legacy stage is the bar of shadow and canary, and the reference of the diagnostics.
			if [[ $system != legacy && $system != *@before && -n ${TURN_MODE[legacy]:-} ]]; then
				echo "- $system × legacy: $(turn_rps_ratios "$system" legacy | ratios_summary)"
			fi
			base="$system@before"
			if [[ $system != *@before && -n ${TURN_MODE[$base]:-} ]]; then
				echo "- $system × $base: $(turn_rps_ratios "$system" "$base" | ratios_summary)"
			fi
		done
		if ((TURN_RATE)); then
			report_turns_rate
		fi
		report_turn_targets
	} >"$WORK/report.md"
}

# measure_loads SYSTEM MODE PID FAST-URL SLOW-URL WARMUP: both loads, RSS, notes; stops PID.
measure_loads() {
	local system=$1 mode=$2 pid=$3 fast=$4 slow=$5 warmup=$6
	if [[ $mode == canary ]]; then
		BENCH_STICKY_HEADER=X-User-Id closed_loop "$system" "$fast" "$warmup" "$pid"
	else
		BENCH_STICKY_HEADER="" closed_loop "$system" "$fast" "$warmup" "$pid"
	fi
	# Cache hits never reach the 20 ms backend: no added latency to measure. The unrouted path
	# goes to strangler.legacy.url, the fast backend: its latency is the legacy row's.
	[[ $mode != cache && $mode != unrouted ]] && fixed_rate "$system" "$slow"
	RSS[$system]=$(rss_mb "$pid")
	if [[ $mode == shadow ]]; then
		NOTES[$system]=$(shadow_stats)
		log "$system: ${NOTES[$system]}"
	fi
	if [[ $system != backend ]]; then
		stop_pid "$pid"
	fi
}

# ---------------------------------------------------------------- report

ratio() { # ratio A B: A / B with 2 decimals; "–" when either is missing or B is not positive
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == "–" || b == "–" || b + 0 <= 0) print "–"; else printf "%.2f", a / b }'
}
minus() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == "–" || b == "–") print ""; else printf "%.2f", a - b }'; }
check() { # check OK-EXPRESSION-RESULT
	awk -v v="$1" -v limit="$2" -v op="$3" 'BEGIN {
		if (v == "–" || v == "") { print "not measured"; exit }
		ok = (op == ">=") ? (v + 0 >= limit + 0) : (v + 0 <= limit + 0)
		print (ok ? "met" : "**missed**") }'
}

# target_row TEXT LIMIT OP KIND SYSTEM REFERENCE: one row of the targets table, the ratio of
# SYSTEM to REFERENCE (KIND closed: throughput; added: added p99 at fixed rate; open99: p99 at
# fixed rate), for this tree and, when measured, for the baseline (SYSTEM@before against
# REFERENCE@before where that exists, else REFERENCE: plain SCG is the same in both).
target_row() {
	local text=$1 limit=$2 op=$3 kind=$4 system=$5 reference=$6 after before ref_before=$6
	[[ -n ${C_RPS[$reference@before]:-} || -n ${O_P99[$reference@before]:-} ]] && ref_before="$reference@before"
	after=$(figure_ratio "$kind" "$system" "$reference")
	before=$(figure_ratio "$kind" "$system@before" "$ref_before")
	if [[ $kind == closed ]]; then
		# Each row's last run can sit at either end of the machine's swing within a row:
		# the medians of the rows' measured runs are judged too.
		local after_median before_median
		after_median=$(ratio "$(runs_median "$system")" "$(runs_median "$reference")")
		before_median=$(ratio "$(runs_median "$system@before")" "$(runs_median "$ref_before")")
		echo "| $text | $before | $after | $(check "$after" "$limit" "$op") | $before_median | $after_median | $(check "$after_median" "$limit" "$op") |"
	else
		echo "| $text | $before | $after | $(check "$after" "$limit" "$op") | – | – | $([[ $after == – ]] && echo "not measured" || echo "one reading") |"
	fi
}

# runs_median SYSTEM: the median req/s of SYSTEM's measured closed-loop runs; empty if none.
runs_median() {
	[[ -n ${C_RUNS[$1]:-} ]] || return 0
	# shellcheck disable=SC2086 # the runs are a space-separated list of numbers
	median ${C_RUNS[$1]}
}

figure_ratio() {
	local kind=$1 a=$2 b=$3 base99=${O_P99[backend]:-}
	case "$kind" in
		closed) ratio "${C_RPS[$a]:-}" "${C_RPS[$b]:-}" ;;
		added) ratio "$(minus "${O_P99[$a]:-}" "$base99")" "$(minus "${O_P99[$b]:-}" "$base99")" ;;
		open99) ratio "${O_P99[$a]:-}" "${O_P99[$b]:-}" ;;
	esac
}

# source_description: the gateway commit measured, and whether the tree had changes.
source_description() {
	local commit dirty
	# BENCH_SOURCE describes the source when the tree is a copy without .git.
	commit=${BENCH_SOURCE:-$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "unknown (not a git checkout)")}
	dirty=$([[ -n $(git -C "$ROOT" status --porcelain 2>/dev/null | grep -v '^??' | head -1) ]] && echo " (plus uncommitted changes)" || true)
	echo "gateway commit $commit$dirty"
}

# machine_line: the machine, and the other work's CPU share before and after the run.
machine_line() {
	local quiet
	quiet=$(awk -v a="$BUSY_BEFORE" -v b="$BUSY_AFTER" \
		'BEGIN { print (a + 0 <= 10 && b + 0 <= 10) ? "quiet" : "**busy: figures are indicative only**" }')
	echo "- Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/^Mem:/ {print $2}') GiB, kernel $(uname -r); CPU used by other work in 5 s before the run $BUSY_BEFORE %, after it $BUSY_AFTER % (above 10 % the figures are suspect): $quiet"
}

report() {
	local java_version scg_version boot_version
	java_version=$(java -version 2>&1 | head -1)
	scg_version=$(unzip -l "$SCG_JAR" 2>/dev/null | grep -o 'spring-cloud-gateway-server-webflux-[0-9][^/]*\.jar' | head -1 | sed 's/.*webflux-//; s/\.jar//')
	boot_version=$(unzip -l "$SCG_JAR" 2>/dev/null | grep -o 'spring-boot-[0-9][^/]*\.jar' | head -1 | sed 's/spring-boot-//; s/\.jar//')
	{
		echo "## Benchmark $STAMP$([[ $QUICK == 1 ]] && echo ' — QUICK SMOKE RUN: figures not meaningful')"
		echo
		machine_line
		echo "- Pinning: load generator on CPU $LOAD_CPU, every server (backend stub included) on CPU $SERVER_CPU"
		echo "- Versions: $(source_description); Spring Boot $boot_version, Spring Cloud Gateway $scg_version; $java_version; $("$NGINX" -v 2>&1 | sed 's/.*: //'); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); h2load $(h2load --version | awk '{print $2}')"
		echo "- JVM flags (every JVM): \`$JVM_FLAGS\`"
		echo "- Closed loop: \`wrk -t1 -c$CONNECTIONS\`, ${JVM_WARMUP}s warm-up (nginx ${NATIVE_WARMUP}s), for a JVM extended by ${STEP}s runs while its JIT compiled more than $JIT_QUIET methods in one (at most ${MAX_WARMUP}s in all), then ${STEP}s runs until $SETTLE_RUNS in a row lie within $TOLERANCE % of their mean (at most $MAX_STEPS); the table shows the last run; fast backend, 300-byte JSON"
		echo "- Fixed rate: \`h2load --h1 -c$RATE_CONNECTIONS --rps $RATE_PER_CONNECTION\` ($((RATE_CONNECTIONS * RATE_PER_CONNECTION)) req/s offered), ${RATE_WARMUP}s warm-up, ${RATE_DURATION}s measured; backend answers after ${BACKEND_DELAY_MS} ms"
		echo
		echo "### Throughput (closed loop, fast backend)"
		echo
		echo "| system | req/s | p50 ms | p99 ms | p99.9 ms | RSS after load MB | × backend | × plain SCG | × nginx | errors | settled |"
		echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
		for s in $SYSTEMS; do
			[[ -n ${C_RPS[$s]:-} ]] || continue
			echo "| ${LABEL[$s]} | ${C_RPS[$s]} | ${C_P50[$s]} | ${C_P99[$s]} | ${C_P999[$s]} | ${RSS[$s]} | $(ratio "${C_RPS[$s]}" "${C_RPS[backend]:-}") | $(ratio "${C_RPS[$s]}" "${C_RPS[plain-scg]:-}") | $(ratio "${C_RPS[$s]}" "${C_RPS[nginx]:-}") | ${C_ERR[$s]} | ${C_SETTLED[$s]} |"
		done
		echo
		echo "Every measured run, req/s in order (after the warm-up), to show how each system settled:"
		echo
		for s in $SYSTEMS; do
			[[ -n ${C_RUNS[$s]:-} ]] && echo "- ${LABEL[$s]} (warm-up ${WARMED[$s]:-?}s): ${C_RUNS[$s]// /, }"
		done
		echo
		echo "### Added latency (fixed rate, ${BACKEND_DELAY_MS} ms backend)"
		echo
		echo "Added = the system's percentile minus the bare backend's at the same rate. Ratios compare added p99."
		echo
		echo "| system | req/s | p50 ms | p99 ms | p99.9 ms | added p50 ms | added p99 ms | added p99 × plain SCG | added p99 × nginx | errors |"
		echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
		local base50=${O_P50[backend]:-} base99=${O_P99[backend]:-}
		for s in $SYSTEMS; do
			[[ -n ${O_RPS[$s]:-} ]] || continue
			local a50 a99
			a50=$(minus "${O_P50[$s]}" "$base50"); a99=$(minus "${O_P99[$s]}" "$base99")
			local scg99 nginx99
			scg99=$(minus "${O_P99[plain-scg]:-}" "$base99"); nginx99=$(minus "${O_P99[nginx]:-}" "$base99")
			local achieved=${O_RPS[$s]}
			# Below 95 % of the offered rate the system could not keep up: its latency is queueing.
			awk -v a="$achieved" -v o="$((RATE_CONNECTIONS * RATE_PER_CONNECTION))" 'BEGIN { exit !(a < 0.95 * o) }' \
				&& achieved="$achieved (saturated)"
			echo "| ${LABEL[$s]} | $achieved | ${O_P50[$s]:-–} | ${O_P99[$s]:-–} | ${O_P999[$s]:-–} | ${a50:-–} | ${a99:-–} | $([[ $s == backend ]] && echo – || ratio "$a99" "$scg99") | $([[ $s == backend ]] && echo – || ratio "$a99" "$nginx99") | ${O_ERR[$s]} |"
		done
		echo
		echo "### Targets"
		echo
		echo "The bars of the lean-hot-path work. \"before\" is the same figure for the baseline jar (--baseline), measured in this run; \"last run\" compares each row's last run (the tables above), \"medians\" the medians of each row's measured runs (throughput only; a fixed-rate figure is one reading)."
		echo
		echo "| target | before, last run | after, last run | result, last run | before, medians | after, medians | result, medians |"
		echo "|---|---:|---:|---|---:|---:|---|"
		target_row "legacy-stage throughput ≥ 0.9 × plain SCG" 0.9 '>=' closed legacy plain-scg
		target_row "unrouted throughput ≥ 0.95 × plain SCG" 0.95 '>=' closed unrouted plain-scg
		target_row "legacy-stage added p99 at fixed rate ≤ 1.2 × plain SCG's" 1.2 '<=' added legacy plain-scg
		target_row "canary 50 % throughput ≥ 0.85 × legacy stage" 0.85 '>=' closed canary legacy
		target_row "shadow 100 %: client p99 at fixed rate ≤ 1.1 × legacy stage's" 1.1 '<=' open99 shadow legacy
		target_row "shadow 100 %: throughput ≥ 0.6 × legacy stage" 0.6 '>=' closed shadow legacy
		target_row "cache-hit throughput ≥ 3 × plain SCG" 3 '>=' closed cache plain-scg
		local worst=0 worst_before=0
		for s in legacy unrouted legacy-nolog legacy-lean legacy-auto shadow canary cache; do
			[[ -n ${RSS[$s]:-} ]] && ((RSS[$s] > worst)) && worst=${RSS[$s]}
			[[ -n ${RSS[$s@before]:-} ]] && ((RSS[$s@before] > worst_before)) && worst_before=${RSS[$s@before]}
		done
		[[ $worst == 0 ]] && worst="–"
		[[ $worst_before == 0 ]] && worst_before="–"
		echo "| RSS after load ≤ 300 MB with -Xmx256m (largest gateway row) | ${worst_before} MB | ${worst} MB | $(check "$worst" 300 '<=') | – | – | one reading |"
		if [[ -n ${NOTES[*]+set} ]]; then
			echo
			for s in "${!NOTES[@]}"; do echo "- ${LABEL[$s]}: ${NOTES[$s]}"; done
		fi
	} >"$WORK/report.md"
}

# cpu_busy_percent SECONDS: the share of all CPUs busy over SECONDS, from /proc/stat.
# Sampled while the harness runs no load, it is other work's share: unlike the load
# average, it does not remember what ran a minute ago.
cpu_busy_percent() {
	local before after
	before=$(head -1 /proc/stat)
	sleep "$1"
	after=$(head -1 /proc/stat)
	awk -v b="$before" -v a="$after" 'BEGIN {
		nb = split(b, x); split(a, y); total = 0; idle = 0
		for (i = 2; i <= nb; i++) total += y[i] - x[i]
		idle = (y[5] - x[5]) + (y[6] - x[6])
		printf "%.0f", (total > 0) ? (total - idle) * 100 / total : 0 }'
}

# ---------------------------------------------------------------- main

ensure_tools
build
BUSY_BEFORE=$(cpu_busy_percent 5)
awk -v a="$BUSY_BEFORE" 'BEGIN { exit !(a + 0 > 10) }' \
	&& log "WARNING: other work used $BUSY_BEFORE % of the CPUs: it will distort the figures"
log "systems: $SYSTEMS; $([[ $QUICK == 1 ]] && echo quick || echo full) run; work directory $WORK"
start_backend
if ((TURNS)); then
	measure_in_turns
	for system in "${TURN_SYSTEMS[@]}"; do
		[[ $system == backend ]] || stop_pid "${TURN_PID[$system]}"
	done
else
	for system in $SYSTEMS; do
		measure "$system"
	done
fi
# Every measured server is stopped by now; the idle backend stub costs nothing.
BUSY_AFTER=$(cpu_busy_percent 5)
if ((TURNS)); then
	report_turns
else
	report
fi
mkdir -p "$RESULTS_DIR"
cp "$WORK/report.md" "$RESULT_FILE"
echo
cat "$RESULT_FILE"
echo
log "written to ${RESULT_FILE#"$ROOT"/}"
if [[ $PUBLISH == 1 ]]; then
	for doc in "$ROOT/README.md" "$ROOT/docs/benchmarks.md"; do
		# Replaces what is between the markers; the headings move down a level to fit.
		sed 's/^## /### /; s/^### \(Throughput\|Added\|Targets\)/#### \1/' "$RESULT_FILE" >"$WORK/published.md"
		awk -v report="$WORK/published.md" '
			/<!-- latest-results:end -->/ { skipping = 0 }
			!skipping { print }
			/<!-- latest-results:start -->/ { while ((getline line < report) > 0) print line; skipping = 1 }' \
			"$doc" >"$WORK/doc.md" && cat "$WORK/doc.md" >"$doc"
		log "published to ${doc#"$ROOT"/}"
	done
fi
