#!/usr/bin/env bash
# Soak: the whole demo (monolith, catalog-service, orders-service, gateway) under steady mixed
# load for a bounded time, with every stage in use, an operator changing the catalog route's stage
# through the admin API, and a mirror target (orders-service, route orders in shadow) that stops
# answering for part of every other window. Samples the gateway's RSS, heap after GC, threads,
# open file descriptors, dropped mirrors and errors once per window, the reads' p99 per window,
# and writes a report with a plot: e2e/soak/results/<date>.md and .png. Not part of verify.
#
#   e2e/soak/run.sh                  # 30 minutes, 60-second windows
#   e2e/soak/run.sh --quick          # about 2 minutes, 20-second windows: shows the harness works
#   e2e/soak/run.sh --duration 600   # seconds
#
# Options: --quick, --duration SECONDS, --window SECONDS, --skip-build (reuse the jars built
# last), --keep (keep the work directory with every log). Environment: SOAK_PORT_BASE (28080:
# gateway; +1 monolith, +2 catalog, +3 orders, +10 management), SOAK_READ_CONNECTIONS (4),
# SOAK_WRITE_CONNECTIONS (1), SOAK_JVM_FLAGS ("-Xmx256m -XX:+UseSerialGC", the gateway's).
#
# Pass: zero errors on the idempotent reads (any status >= 400 or socket error), no 5xx on writes,
# and no growth of heap after GC, descriptors and threads: the mean of the second half of the
# windows (the first, warm-up window left out) within a band of the first half's (heap +10 % or
# 16 MB, descriptors +10 % or 16, threads +10 % or 8, whichever is larger). Exit status 0 on pass,
# 1 on fail. Every process it starts is stopped on exit; all traffic stays on 127.0.0.1.
set -euo pipefail

SOAK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SOAK_DIR/../.." && pwd)
VERSION=0.1.0-SNAPSHOT

DURATION=1800
WINDOW=60
SKIP_BUILD=0
KEEP=0
QUICK=0
while [[ $# -gt 0 ]]; do
	case "$1" in
		--quick) QUICK=1; DURATION=120; WINDOW=20 ;;
		--duration) DURATION="$2"; shift ;;
		--window) WINDOW="$2"; shift ;;
		--skip-build) SKIP_BUILD=1 ;;
		--keep) KEEP=1 ;;
		-h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
		*) echo "Unknown option: $1 (try --help)" >&2; exit 2 ;;
	esac
	shift
done
WINDOWS=$(( DURATION / WINDOW ))
(( WINDOWS >= 2 )) || { echo "the duration must hold at least two windows" >&2; exit 2; }

BASE=${SOAK_PORT_BASE:-28080}
GATEWAY_PORT=$BASE; LEGACY_PORT=$((BASE + 1)); CATALOG_PORT=$((BASE + 2)); ORDERS_PORT=$((BASE + 3))
MANAGEMENT_PORT=$((BASE + 10))
READ_CONNECTIONS=${SOAK_READ_CONNECTIONS:-4}
WRITE_CONNECTIONS=${SOAK_WRITE_CONNECTIONS:-1}
GATEWAY_JVM_FLAGS=${SOAK_JVM_FLAGS:--Xmx256m -XX:+UseSerialGC}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JCMD=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd
JSTAT=${JAVA_HOME:+$JAVA_HOME/bin/}jstat
ADMIN=(-u soak:soak-secret)
MIGRATION=http://127.0.0.1:$MANAGEMENT_PORT/actuator/migration

need() { command -v "$1" >/dev/null || { echo "$1 is needed${2:+ ($2)}" >&2; exit 1; }; }
install_if_missing() { # install_if_missing COMMAND PACKAGE
	command -v "$1" >/dev/null && return 0
	if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
		echo "==> installing $2 ..."
		apt-get install -y -qq "$2" >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq "$2" >/dev/null; }
	fi
}
install_if_missing wrk wrk
install_if_missing gnuplot gnuplot-nox
need wrk; need curl; need "$JCMD" "a JDK"; need "$JSTAT" "a JDK"

STAMP=$(date -u +%Y-%m-%dT%H%MZ)
WORK=$(mktemp -d -t strangler-soak.XXXXXX)
RESULTS=$SOAK_DIR/results
mkdir -p "$RESULTS" "$WORK/routes" "$WORK/state" "$WORK/logs"
pids=()
paused=""
cleanup() {
	trap - INT TERM EXIT
	[[ -n $paused ]] && kill -CONT "$paused" 2>/dev/null || true
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	if [[ $KEEP == 1 ]]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup INT TERM EXIT

if [[ $SKIP_BUILD == 0 ]]; then
	echo "==> building the four jars (./mvnw -B -q -DskipTests package) ..."
	(cd "$ROOT" && ./mvnw -B -q -DskipTests package \
		-pl gateway,legacy-adapter,new-services/catalog-service,new-services/orders-service -am)
fi
GATEWAY_JAR=$ROOT/gateway/target/gateway-$VERSION-exec.jar
for jar in "$GATEWAY_JAR" "$ROOT/legacy-adapter/target/legacy-adapter-$VERSION-exec.jar" \
	"$ROOT/new-services/catalog-service/target/catalog-service-$VERSION-exec.jar" \
	"$ROOT/new-services/orders-service/target/orders-service-$VERSION-exec.jar"; do
	[[ -f $jar ]] || { echo "missing $jar: run without --skip-build" >&2; exit 1; }
done

start() { # start NAME JVM_FLAGS JAR ARGS...; sets $started
	local name=$1 flags=$2 jar=$3; shift 3
	# shellcheck disable=SC2086
	"$JAVA" $flags -jar "$jar" "$@" >"$WORK/logs/$name.log" 2>&1 &
	started=$!
	pids+=("$started")
}
wait_healthy() { # wait_healthy NAME URL
	for _ in $(seq 1 180); do
		curl -fsS "$2" 2>/dev/null | grep -q '"UP"' && return 0
		sleep 1
	done
	echo "$1 did not become healthy; last log lines:" >&2; tail -n 30 "$WORK/logs/$1.log" >&2; exit 1
}

echo "==> starting the demo on ports $BASE.. (work directory $WORK) ..."
cp "$ROOT"/routes/*.yml "$WORK/routes/"
export LEGACY_URL=http://127.0.0.1:$LEGACY_PORT CATALOG_URL=http://127.0.0.1:$CATALOG_PORT \
	ORDERS_URL=http://127.0.0.1:$ORDERS_PORT
BACKEND_FLAGS="-Xmx256m -XX:TieredStopAtLevel=1"
start legacy "$BACKEND_FLAGS" "$ROOT/legacy-adapter/target/legacy-adapter-$VERSION-exec.jar" --server.port="$LEGACY_PORT" --server.address=127.0.0.1
start catalog "$BACKEND_FLAGS" "$ROOT/new-services/catalog-service/target/catalog-service-$VERSION-exec.jar" --server.port="$CATALOG_PORT" --server.address=127.0.0.1
start orders "$BACKEND_FLAGS" "$ROOT/new-services/orders-service/target/orders-service-$VERSION-exec.jar" --server.port="$ORDERS_PORT" --server.address=127.0.0.1
ORDERS_PID=$started
wait_healthy legacy "http://127.0.0.1:$LEGACY_PORT/actuator/health"
wait_healthy catalog "http://127.0.0.1:$CATALOG_PORT/actuator/health"
wait_healthy orders "http://127.0.0.1:$ORDERS_PORT/actuator/health"
start gateway "$GATEWAY_JVM_FLAGS" "$GATEWAY_JAR" --server.port="$GATEWAY_PORT" --server.address=127.0.0.1 \
	--management.server.port="$MANAGEMENT_PORT" --management.server.address=127.0.0.1 \
	--strangler.legacy.url="$LEGACY_URL" --strangler.routes.location="file:$WORK/routes/" \
	--strangler.state.dir="$WORK/state" --strangler.admin.username=soak --strangler.admin.password=soak-secret \
	--management.tracing.enabled=false
GATEWAY_PID=$started
wait_healthy gateway "http://127.0.0.1:$MANAGEMENT_PORT/actuator/health"

override() { # override ROUTE STAGE PERCENT
	curl -fsS "${ADMIN[@]}" -H 'Content-Type: application/json' \
		-d "{\"stage\":\"$2\",\"percent\":$3,\"reason\":\"soak: operator step\"}" "$MIGRATION/$1" >/dev/null
}
metric_sum() { # metric_sum NAME [LABEL_FILTER]: the sum of a Prometheus metric's samples
	curl -fsS "http://127.0.0.1:$MANAGEMENT_PORT/actuator/prometheus" |
		awk -v name="$1" -v filter="${2:-}" '$1 ~ "^"name"({|$)" && index($1, filter) { sum += $NF } END { printf "%d", sum }'
}
heap_after_gc_mb() { # a full GC, then the heap in use (survivors, eden, old), in MB
	"$JCMD" "$GATEWAY_PID" GC.run >/dev/null
	"$JSTAT" -gc "$GATEWAY_PID" | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
		NR == 2 { printf "%.1f", ($col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"]) / 1024 }'
}
proc_field() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }

# Every stage in use: orders mirrored (its target is the one that misbehaves), catalog moved by
# an operator through shadow, canary and migrated, one step per window.
override orders shadow 0
STEPS=("shadow 0" "canary 10" "canary 50" "migrated 100" "canary 50" "legacy 0")

CSV=$WORK/samples.csv
echo "window,elapsed_s,catalog_stage,reads,reads_per_s,read_p50_ms,read_p99_ms,read_errors,writes,write_5xx,write_socket_errors,rss_mb,heap_after_gc_mb,threads,fds,mirrors_dropped,comparison_errors,mirror_target_paused" >"$CSV"
echo "==> load: $WINDOWS windows of ${WINDOW}s, $READ_CONNECTIONS read and $WRITE_CONNECTIONS write connection(s) ..."
for (( w = 1; w <= WINDOWS; w++ )); do
	step=${STEPS[$(( (w - 1) % ${#STEPS[@]} ))]}
	override catalog $step
	wrk -t1 -c"$READ_CONNECTIONS" -d"${WINDOW}s" --timeout 10s -s "$SOAK_DIR/reads.lua" \
		"http://127.0.0.1:$GATEWAY_PORT" >"$WORK/reads-$w.txt" 2>&1 &
	reads_pid=$!
	wrk -t1 -c"$WRITE_CONNECTIONS" -d"${WINDOW}s" --timeout 10s -s "$SOAK_DIR/writes.lua" \
		"http://127.0.0.1:$GATEWAY_PORT" >"$WORK/writes-$w.txt" 2>&1 &
	writes_pid=$!
	paused_now=no
	if (( w % 2 == 0 )); then
		# The mirror target stops answering for the middle third of the window: mirrors time out
		# or are dropped, clients must not notice.
		sleep $(( WINDOW / 3 )); kill -STOP "$ORDERS_PID"; paused=$ORDERS_PID; paused_now=yes
		sleep $(( WINDOW / 3 )); kill -CONT "$ORDERS_PID"; paused=""
	fi
	wait "$reads_pid" "$writes_pid"
	read_line=$(grep '^SOAK' "$WORK/reads-$w.txt" || echo "SOAK requests=0 duration_us=1 socket_errors=-1 status_errors=-1 p50_us=0 p99_us=0")
	write_line=$(grep '^SOAK' "$WORK/writes-$w.txt" || echo "SOAK requests=0 socket_errors=-1 status_errors=-1 server_errors=-1 p99_us=0")
	field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'; }
	reads=$(field "$read_line" requests); duration_us=$(field "$read_line" duration_us)
	read_errors=$(( $(field "$read_line" socket_errors) + $(field "$read_line" status_errors) ))
	rss_kb=$(proc_field "$GATEWAY_PID" VmRSS); threads=$(proc_field "$GATEWAY_PID" Threads)
	fds=$(ls "/proc/$GATEWAY_PID/fd" | wc -l)
	heap=$(heap_after_gc_mb)
	dropped=$(metric_sum strangler_shadow_dropped_total)
	comparison_errors=$(metric_sum strangler_shadow_comparisons_total 'result="error"')
	printf '%d,%d,%s,%d,%.1f,%.2f,%.2f,%d,%d,%d,%d,%.1f,%s,%d,%d,%d,%d,%s\n' "$w" $(( w * WINDOW )) "${step% *} ${step#* }%" \
		"$reads" "$(awk -v r="$reads" -v d="$duration_us" 'BEGIN { print r / (d / 1e6) }')" \
		"$(awk -v v="$(field "$read_line" p50_us)" 'BEGIN { print v / 1000 }')" \
		"$(awk -v v="$(field "$read_line" p99_us)" 'BEGIN { print v / 1000 }')" \
		"$read_errors" "$(field "$write_line" requests)" "$(field "$write_line" server_errors)" \
		"$(field "$write_line" socket_errors)" "$(awk -v k="$rss_kb" 'BEGIN { print k / 1024 }')" "$heap" \
		"$threads" "$fds" "$dropped" "$comparison_errors" "$paused_now" >>"$CSV"
	tail -n 1 "$CSV"
done

# Verdict: errors, then the trend of heap after GC, descriptors and threads (second half of the
# windows against the first, the warm-up window left out).
verdict=$(awk -F, 'NR > 1 { n++; re += $8; w5 += $10; ws += $11; heap[n] = $13; fds[n] = $15; thr[n] = $14 }
	function mean(a, from, to,   s, i) { s = 0; for (i = from; i <= to; i++) s += a[i]; return s / (to - from + 1) }
	function check(name, a, pct, abs, unit,   first, second, band, ok) {
		first = mean(a, 2, half); second = mean(a, half + 1, n)
		band = (first * pct / 100 > abs) ? first * pct / 100 : abs
		ok = (second - first <= band)
		printf "| %s | %.1f %s | %.1f %s | +%.1f %s | %s |\n", name, first, unit, second, unit, band, unit, ok ? "pass" : "**FAIL**"
		return ok
	}
	END {
		if (n < 3) { first = 1 } else { half = int((n + 1) / 2); if (half < 2) half = 2 }
		ok = 1
		printf "| criterion | first half | second half | band | result |\n|---|---:|---:|---:|---|\n"
		if (n >= 3) {
			ok = check("heap after GC", heap, 10, 16, "MB") && ok
			ok = check("open file descriptors", fds, 10, 16, "") && ok
			ok = check("threads", thr, 10, 8, "") && ok
		}
		printf "| errors on reads (status >= 400 or socket) | | %d | 0 | %s |\n", re, (re == 0) ? "pass" : "**FAIL**"
		printf "| 5xx and socket errors on writes | | %d | 0 | %s |\n", w5 + ws, (w5 + ws == 0) ? "pass" : "**FAIL**"
		ok = ok && re == 0 && w5 + ws == 0
		printf "RESULT %s\n", ok ? "PASS" : "FAIL"
	}' "$CSV")
result=$(grep '^RESULT' <<<"$verdict" | cut -d' ' -f2)

cp "$CSV" "$RESULTS/$STAMP.csv"
PNG=$RESULTS/$STAMP.png
if command -v gnuplot >/dev/null; then
	gnuplot <<GNUPLOT
set terminal pngcairo size 1200,900 font ",10"
set output "$PNG"
set datafile separator ","
set key top left
set xlabel "elapsed (s)"
set multiplot layout 2,2 title "Strangler Gateway soak $STAMP ($WINDOWS windows of ${WINDOW}s)"
set title "memory (MB)"; plot "$CSV" every ::1 using 2:12 with linespoints title "RSS", "" every ::1 using 2:13 with linespoints title "heap after GC"
set title "threads and open file descriptors"; plot "$CSV" every ::1 using 2:14 with linespoints title "threads", "" every ::1 using 2:15 with linespoints title "fds"
set title "reads: latency (ms)"; plot "$CSV" every ::1 using 2:7 with linespoints title "p99", "" every ::1 using 2:6 with linespoints title "p50"
set title "errors and mirrors (cumulative)"; plot "$CSV" every ::1 using 2:8 with linespoints title "read errors", "" every ::1 using 2:10 with linespoints title "write 5xx", "" every ::1 using 2:16 with linespoints title "mirrors dropped", "" every ::1 using 2:17 with linespoints title "comparison errors"
unset multiplot
GNUPLOT
	plot_line="![soak plot]($STAMP.png)"
else
	plot_line="(no plot: gnuplot is not installed)"
fi

{
	echo "# Soak $STAMP: $result"
	echo
	echo "- Command: \`e2e/soak/run.sh$( [[ $QUICK == 1 ]] && echo ' --quick')\` ($WINDOWS windows of ${WINDOW}s; $READ_CONNECTIONS read connections, $WRITE_CONNECTIONS write connection, closed loop)"
	echo "- Gateway: commit $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown), JVM flags \`$GATEWAY_JVM_FLAGS\`; $("$JAVA" -version 2>&1 | head -n 1)"
	echo "- Machine: $(nproc) cores, load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- Traffic: reads of catalog (products, listings, categories) and orders (orders, customers) with a rotating sticky key; orders placed (POST, unrouted). Route orders in shadow; its target (orders-service) is stopped (SIGSTOP) for the middle third of every even window. Route catalog moved by admin override each window: ${STEPS[*]}."
	echo "- Sampled once per window, after the window's load: RSS, threads and descriptors from /proc, heap after a forced full GC (jcmd GC.run, then jstat), mirrors dropped and comparison errors (cumulative) from /actuator/prometheus."
	echo
	echo "## Verdict"
	echo
	grep -v '^RESULT' <<<"$verdict"
	echo
	[[ $QUICK == 1 ]] && echo "A --quick run shows the harness works; its few windows say little about a trend." && echo
	echo "$plot_line"
	echo
	echo "## Windows"
	echo
	echo "| window | catalog | reads/s | p50 ms | p99 ms | read errors | writes | write 5xx | RSS MB | heap after GC MB | threads | fds | mirrors dropped | comparison errors | mirror target stopped |"
	echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
	awk -F, 'NR > 1 { printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $3, $5, $6, $7, $8, $9, $10, $12, $13, $14, $15, $16, $17, $18 }' "$CSV"
	echo
	echo "Raw samples: [$STAMP.csv]($STAMP.csv)."
} >"$RESULTS/$STAMP.md"

echo "==> report: $RESULTS/$STAMP.md ($result)"
[[ $result == PASS ]]
