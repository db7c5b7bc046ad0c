#!/usr/bin/env bash
# Cold start, side by side in one run: the smallest Spring Cloud Function (echo), the same with one
# DynamoDB GetItem (the "getitem" yardstick), and the project's functions, each as Lambda starts it
# (FunctionInvoker, one event), interleaved, median of RUNS. Run from the project root after packaging it.
# Copied from ../shared/bench/coldstart-yardstick.sh (issue 16); the yardstick's sources are in ./yardstick.
# Usage: tools/coldstart/yardstick.sh [PROJECT_DIR] [function...]      (default: every function)
# Env: RUNS (5), EVENT_<function> (an event file for that function), YARDSTICK_DIR (build folder),
#      MAVEN_ARGS (e.g. -Dmaven.repo.local=...), JAVA (java binary, default java),
#      JAVA25 (a JDK 25 java binary: adds the modes "jdk25-c1" and "jdk25-aot", C1 + its AOT cache,
#      -XX:AOTCacheOutput from one training run, then -XX:AOTCache).
set -u
here=$(cd "$(dirname "$0")" && pwd)
JAVA=${JAVA:-$(command -v java)}
java() { "$JAVA" "$@"; }
P=$(cd "${1:-.}" && pwd); shift || true
YD=${YARDSTICK_DIR:-/tmp/latchkey-yardstick}; Y="$YD/target"
if [ ! -d "$Y/lib" ]; then # shared/ may be read-only: build a copy
  rm -rf "$YD" && mkdir -p "$YD" && cp -r "$here/yardstick/." "$YD/" && chmod -R u+w "$YD" \
    && (cd "$YD" && mvn -q -B ${MAVEN_ARGS:-} package >/dev/null) || { echo "yardstick build failed" >&2; exit 1; }
fi
FUNCS=${*:-health jwks rotate-keys token api-keys orgs passkey register login}
RUNS=${RUNS:-5}
work=$(mktemp -d /tmp/cold-XXXX)
emu=$(ls "$P"/tools/dynoxide/node_modules/@dynoxide/*/dynoxide | head -1)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$emu" serve --host 127.0.0.1 --port "$port" >/dev/null 2>&1 & EMU=$!
trap 'kill $EMU 2>/dev/null' EXIT
sleep 1
export AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x
export LATCHKEY_ISSUER=http://localhost:3000 LATCHKEY_DYNAMODB_ENDPOINT=http://127.0.0.1:$port LATCHKEY_KEY_VAULT=local
export LATCHKEY_MASTER_KEY=$(head -c 32 /dev/urandom | base64)
unset JAVA_TOOL_OPTIONS
# Every start sends the same event from the same address: without these, register's 11th start in one run (its
# default is 10 sign-ups per address and hour) and login's 21st forgot answer a cheap 429 instead of doing the work.
export LATCHKEY_REGISTER_PER_IP_PER_HOUR=1000000 LATCHKEY_FORGOT_PER_IP_PER_HOUR=1000000
ev() { local v="EVENT_${1//-/_}"; [ -n "${!v:-}" ] && { echo "${!v}"; return; }
  case $1 in health) echo "$P/events/health/ready.json";; token) echo "$P/events/token/client-credentials-unknown-client.json";;
  orgs) echo "$P/events/orgs/member-list-unknown-api-key.json";; *) ls "$P"/events/$1/*.json | head -1;; esac; }
main() { (cd "$work/$1" && find . -path ./lib -prune -o -name '*Application.class' -print | head -1 | sed 's#^\./##; s#\.class$##; s#/#.#g'); }
for f in $FUNCS; do
  mkdir -p "$work/$f" && (cd "$work/$f" && unzip -q "$P/functions/$f/target/latchkey-$f-lambda.zip" && jar cf ../$f.jar $(find . -maxdepth 1 -mindepth 1 ! -name lib -printf '%P\n'))
done
jar cf "$work/yardstick.jar" -C "$Y/classes" .
run() { # name flags...
  local n=$1; shift
  case $n in
    echo) env -u YARDSTICK_DYNAMODB MAIN_CLASS=yardstick.Yardstick SPRING_CLOUD_FUNCTION_DEFINITION=yardstick "$JAVA" "$@" -cp "$work/yardstick.jar:$Y/lib/*" yardstick.InvokeOnce "$P/events/health/ready.json" ;;
    getitem) YARDSTICK_DYNAMODB=http://127.0.0.1:$port MAIN_CLASS=yardstick.Yardstick SPRING_CLOUD_FUNCTION_DEFINITION=yardstick "$JAVA" "$@" -cp "$work/yardstick.jar:$Y/lib/*" yardstick.InvokeOnce "$P/events/health/ready.json" ;;
    *) MAIN_CLASS=$(main $n) SPRING_CLOUD_FUNCTION_DEFINITION=$n "$JAVA" "$@" -cp "$work/$n.jar:$work/$n/lib/*" dev.latchkey.infrastructure.lambda.InvokeOnce "$(ev $n)" ;;
  esac 2>&1 >/dev/null | grep -o 'cold_start_ms=[0-9]*' | cut -d= -f2
}
MODES="c1 c1+appcds"
# the table for the project's functions
MAIN_CLASS=$(main health) SPRING_CLOUD_FUNCTION_DEFINITION=health java -cp "$work/health.jar:$work/health/lib/*" dev.latchkey.infrastructure.lambda.InvokeOnce --create-table >/dev/null 2>&1
NAMES="echo getitem $FUNCS"
for n in $NAMES; do # AppCDS archives
  run $n -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:ArchiveClassesAtExit="$work/$n.jsa" >/dev/null
done
java -version 2>&1 | head -1
if [ -n "${JAVA25:-}" ]; then # JDK 25 AOT caches (JEP 483/514): one training run each
  for n in $NAMES; do
    JAVA=$JAVA25 run $n -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:AOTCacheOutput="$work/$n.aot" >/dev/null
  done
  "$JAVA25" -version 2>&1 | head -1
  MODES="$MODES jdk25-c1 jdk25-aot"
fi
for mode in $MODES; do
  declare -A r=()
  for i in $(seq 1 "$RUNS"); do for n in $NAMES; do
    case $mode in
      c1) v=$(run $n -XX:TieredStopAtLevel=1) ;;
      c1+appcds) v=$(run $n -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:SharedArchiveFile="$work/$n.jsa") ;;
      jdk25-c1) v=$(JAVA=$JAVA25 run $n -XX:TieredStopAtLevel=1) ;;
      jdk25-aot) v=$(JAVA=$JAVA25 run $n -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:AOTCache="$work/$n.aot") ;;
    esac
    r[$n]="${r[$n]:-} $v"
  done; done
  line="$mode:"
  for n in $NAMES; do line="$line $n=$(echo ${r[$n]} | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')"; done
  echo "$line"
  g=$(echo ${r[getitem]} | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
  ratios="$mode ÷ getitem:"
  for n in $FUNCS; do m=$(echo ${r[$n]} | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
    ratios="$ratios $n=$(python3 -c "print(round($m/$g, 2))" 2>/dev/null)"; done
  echo "$ratios"
  unset r
done
rm -rf "$work"
