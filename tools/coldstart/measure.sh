#!/usr/bin/env bash
# Measures a function's cold start the way Lambda starts it: a new JVM, FunctionInvoker, one event,
# timed from JVM start to the first response. Runs each JVM flag set RUNS times and prints the median.
#
#   ./mvnw -q -B package -DskipTests && tools/coldstart/measure.sh
#   FUNCTION=orgs tools/coldstart/measure.sh
#
# Environment: FUNCTION (health, token or orgs; default health), RUNS (default 7), JAVA (default: java on
# PATH), EVENT (default per function, each making real DynamoDB requests: health/ready.json (a read and a
# key-vault check), token/client-credentials-unknown-client.json (rate counter, client Query, audit put),
# orgs/member-list-unknown-api-key.json (the key's GetItem)).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
java_bin=${JAVA:-java}
runs=${RUNS:-7}
function=${FUNCTION:-health}
case "$function" in
  health) main_class=dev.latchkey.functions.health.HealthApplication; default_event=health/ready.json ;;
  token) main_class=dev.latchkey.functions.token.TokenApplication
         default_event=token/client-credentials-unknown-client.json ;;
  orgs) main_class=dev.latchkey.functions.orgs.OrgsApplication; default_event=orgs/member-list-unknown-api-key.json ;;
  *) echo "FUNCTION is health, token or orgs" >&2; exit 2 ;;
esac
event=${EVENT:-$root/events/$default_event}
zip=$root/functions/$function/target/latchkey-$function-lambda.zip
work=$root/functions/$function/target/coldstart
[ -f "$zip" ] || { echo "build first: ./mvnw -q -B package -DskipTests" >&2; exit 1; }

rm -rf "$work" && mkdir -p "$work/app" && (cd "$work/app" && unzip -q "$zip")
# The zip's root classes go into one jar: class-data sharing on JDK 17 takes no non-empty directory on the
# class path. Same classes, same order as Lambda's (task root first, then lib/).
(cd "$work/app" && jar cf "$work/function.jar" $(find . -maxdepth 1 -mindepth 1 ! -name lib -printf '%P\n'))
classpath="$work/function.jar:$work/app/lib/*"

emulator=$(ls "$root"/tools/dynoxide/node_modules/@dynoxide/*/dynoxide | head -1)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$emulator" serve --host 127.0.0.1 --port "$port" >/dev/null 2>&1 &
emulator_pid=$!
trap 'kill $emulator_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.05; done

export MAIN_CLASS=$main_class
export SPRING_CLOUD_FUNCTION_DEFINITION=$function
export LATCHKEY_ISSUER=http://localhost:3000
export LATCHKEY_DYNAMODB_ENDPOINT="http://127.0.0.1:$port"
export LATCHKEY_KEY_VAULT=local
LATCHKEY_MASTER_KEY=$(head -c 32 /dev/urandom | base64)
export LATCHKEY_MASTER_KEY
export AWS_REGION=us-east-1
unset JAVA_TOOL_OPTIONS
"$java_bin" -cp "$classpath" dev.latchkey.infrastructure.lambda.InvokeOnce --create-table >/dev/null 2>&1

# An application class-data-sharing archive, dumped from one run (JDK 17: -XX:ArchiveClassesAtExit).
"$java_bin" -XX:ArchiveClassesAtExit="$work/app.jsa" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
  -cp "$classpath" dev.latchkey.infrastructure.lambda.InvokeOnce "$event" >/dev/null 2>&1

"$java_bin" -version 2>&1 | head -1
printf '%-44s %8s %8s %8s %8s\n' "flags" "cold_ms" "init_ms" "first_ms" "warm_ms"
while IFS='|' read -r name flags; do
  results=()
  for _ in $(seq 1 "$runs"); do
    # shellcheck disable=SC2086
    line=$("$java_bin" $flags -cp "$classpath" dev.latchkey.infrastructure.lambda.InvokeOnce "$event" 2>&1 >/dev/null \
      | grep '^cold_start_ms=')
    results+=("$line")
  done
  printf '%s\n' "${results[@]}" | python3 -c '
import sys, statistics
rows = [dict(kv.split("=") for kv in line.split()) for line in sys.stdin if line.strip()]
median = lambda key: statistics.median(float(r[key]) for r in rows)
print("%-44s %8.0f %8.0f %8.0f %8.2f" % (sys.argv[1], median("cold_start_ms"), median("init_ms"),
      median("first_invoke_ms"), median("warm_invoke_ms")))' "$name"
done <<FLAGS
default|
C1 only|-XX:TieredStopAtLevel=1
C1 + SerialGC|-XX:TieredStopAtLevel=1 -XX:+UseSerialGC
C1 + SerialGC + AppCDS|-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:SharedArchiveFile=$work/app.jsa
FLAGS
