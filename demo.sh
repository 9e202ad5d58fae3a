#!/usr/bin/env bash
# Builds and starts the whole demo on embedded defaults: the monolith (8081), catalog-service (8082),
# orders-service (8083) and the gateway (8080, management 9090). Ctrl-C stops everything it started.
#
#   ./demo.sh               build, then start
#   ./demo.sh --no-build    start what was built last
set -euo pipefail
cd "$(dirname "$0")"

VERSION=0.1.0-SNAPSHOT
LOGS=target/demo-logs
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JAVA_OPTS=${DEMO_JAVA_OPTS:--Xmx256m -XX:TieredStopAtLevel=1}
# The demo sets an admin password so the admin API's write calls work; a real deployment sets its own.
export STRANGLER_ADMIN_USERNAME=${STRANGLER_ADMIN_USERNAME:-admin}
export STRANGLER_ADMIN_PASSWORD=${STRANGLER_ADMIN_PASSWORD:-demo}
export LEGACY_URL=${LEGACY_URL:-http://127.0.0.1:8081}
export CATALOG_URL=${CATALOG_URL:-http://127.0.0.1:8082}
export ORDERS_URL=${ORDERS_URL:-http://127.0.0.1:8083}

if [ "${1:-}" != "--no-build" ]; then
	echo "==> building (./mvnw -B -q -DskipTests package) ..."
	./mvnw -B -q -DskipTests package
fi

mkdir -p "$LOGS"
pids=()
stop_all() {
	trap - INT TERM EXIT
	echo
	echo "==> stopping ..."
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	echo "==> stopped"
}
trap stop_all INT TERM EXIT

start() { # start NAME JAR ARGS...
	local name=$1 jar=$2; shift 2
	[ -f "$jar" ] || { echo "missing $jar: run ./demo.sh without --no-build" >&2; exit 1; }
	# shellcheck disable=SC2086
	"$JAVA" $JAVA_OPTS -jar "$jar" "$@" >"$LOGS/$name.log" 2>&1 &
	pids+=("$!")
	echo "    $name started (pid $!, log $LOGS/$name.log)"
}

wait_healthy() { # wait_healthy NAME URL
	local name=$1 url=$2
	for _ in $(seq 1 120); do
		if curl -fsS "$url" 2>/dev/null | grep -q '"UP"'; then echo "    $name is up"; return 0; fi
		sleep 1
	done
	echo "$name did not become healthy; last log lines:" >&2
	tail -n 30 "$LOGS/$name.log" >&2
	exit 1
}

echo "==> starting ..."
start legacy legacy-adapter/target/legacy-adapter-$VERSION-exec.jar --server.port=8081
start catalog new-services/catalog-service/target/catalog-service-$VERSION-exec.jar --server.port=8082
start orders new-services/orders-service/target/orders-service-$VERSION-exec.jar --server.port=8083
wait_healthy legacy http://127.0.0.1:8081/actuator/health
wait_healthy catalog http://127.0.0.1:8082/actuator/health
wait_healthy orders http://127.0.0.1:8083/actuator/health
start gateway gateway/target/gateway-$VERSION-exec.jar \
	--server.port=8080 --management.server.port=9090 \
	--strangler.legacy.url="$LEGACY_URL" --strangler.routes.location=file:./routes/ --strangler.state.dir=./data
wait_healthy gateway http://127.0.0.1:9090/actuator/health

cat <<TXT

Strangler Gateway demo is running.

  Migration dashboard: http://localhost:9090/dashboard/   (sign in as $STRANGLER_ADMIN_USERNAME / $STRANGLER_ADMIN_PASSWORD)

Try:
  curl -i localhost:8080/api/products/1                 # routed (catalog), see X-Strangler-Backend
  curl -s 'localhost:8080/api/products?page=0&size=5'   # catalog listing through the gateway
  curl -si localhost:8080/api/customers/1               # orders route (stage legacy): served by the monolith
  curl -s localhost:9090/actuator/health                # gateway health (management port)
  curl -s -u $STRANGLER_ADMIN_USERNAME:$STRANGLER_ADMIN_PASSWORD localhost:9090/actuator/migration   # routes, stages, live stats

Direct: monolith http://localhost:8081  catalog-service http://localhost:8082  orders-service http://localhost:8083
Logs in $LOGS/. Press Ctrl-C to stop everything.
TXT
wait -n "${pids[@]}" || true
echo "a process exited; see $LOGS/" >&2
