#!/usr/bin/env bash
# Issue #19 (7): two clean builds of a function must give the same zip, byte for byte, or every deploy publishes a
# new Lambda version and SnapStart snapshot for an unchanged function. Builds core and one function twice (clean in
# between, so every class file and jar is new) and compares SHA-256. Usage: tools/check-reproducible-zips.sh [function]
# [extra Maven args, e.g. -Dmaven.repo.local=...]
set -euo pipefail
cd "$(dirname "$0")/.."
fn="${1:-health}"
shift || true
zip="functions/$fn/target/latchkey-$fn-lambda.zip"
build() {
  ./mvnw -B -Ddynoxide.skip -DskipTests -Dcheckstyle.skip "$@" clean package -pl "functions/core,infrastructure,functions/$fn" >/dev/null
}
build "$@"
first=$(sha256sum "$zip" | cut -d' ' -f1)
sleep 2
build "$@"
second=$(sha256sum "$zip" | cut -d' ' -f1)
echo "$zip: $first / $second"
[ "$first" = "$second" ] || { echo "NOT reproducible" >&2; exit 1; }
echo "reproducible"
