#!/usr/bin/env bash
# libFuzzer over SwitchboardCore's text parsers (JSON, JSONPath, selection expressions, permessage-deflate offers).
#
#   Benchmarks/Fuzz/fuzz.sh                  # 60 s
#   SECONDS_TO_RUN=3600 Benchmarks/Fuzz/fuzz.sh
#   Benchmarks/Fuzz/fuzz.sh crash-<hash>     # replay one input (a crash libFuzzer saved)
#
# SwiftPM has no fuzzer sanitizer setting, so this compiles FuzzCore.swift together with the Core sources it needs
# (JSON/, Selection/, WebSocket/DeflateNegotiation.swift: none of them imports Crypto) in one `swiftc
# -sanitize=fuzzer,address` call (about 10 s), then runs it on a corpus seeded with valid inputs. Output, corpus and
# crash files go to .build-bench/fuzz/. Linux only (the toolchain's libFuzzer runtime).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=.build-bench/fuzz
CORE=Sources/SwitchboardCore
mkdir -p "$OUT/corpus"
swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name FuzzCore -package-name switchboard \
    Benchmarks/Fuzz/FuzzCore.swift "$CORE"/JSON/*.swift "$CORE"/Selection/*.swift \
    "$CORE"/WebSocket/DeflateNegotiation.swift -o "$OUT/fuzz-core" 2> >(grep -v "Cannot export local symbol" >&2)
export SWIFT_BACKTRACE=enable=no   # libFuzzer and ASan report crashes; Swift's backtracer trips over ASan
if [[ $# -gt 0 ]]; then
    exec "$OUT/fuzz-core" "$@"
fi
# Seeds: the first byte picks the parser (0 JSON, 1 JSONPath, 2 selection expression, 3 extension offers).
seed() { printf '%b%s' "$1" "$2" >"$OUT/corpus/seed-$3"; }
seed '\x00' '{"action":"echo","data":{"room":"a","ids":[1,-2.5e3,"\u00e9\ud83d\ude00",null,true]}}' json
seed '\x01' "\$.a['b c'][0].d" path
seed '\x02' '${request.body.service}/$request.body.action-\$default' selection
seed '\x03' 'permessage-deflate; client_max_window_bits; server_max_window_bits=10, x-webkit-deflate-frame' deflate
"$OUT/fuzz-core" -max_total_time="${SECONDS_TO_RUN:-60}" -max_len=4096 -timeout=5 -rss_limit_mb=2048 \
    -artifact_prefix="$OUT/" "$OUT/corpus"
