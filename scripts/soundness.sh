#!/usr/bin/env bash
# House rules that a compiler does not check (STYLE.md): file size caps, no force unwraps / try! /
# fatalError in the data plane, no unjustified unstructured tasks.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
while IFS= read -r f; do
  n=$(wc -l < "$f")
  case "$f" in
    Tests/*) cap=800 ;;
    *) cap=600 ;;
  esac
  if [ "$n" -gt "$cap" ]; then echo "soundness: $f has $n lines (cap $cap)"; fail=1; fi
done < <(git ls-files 'Sources/*.swift' 'Tests/*.swift' 'Benchmarks/*.swift')
for dir in Sources/SwitchboardPipeline Sources/SwitchboardServer; do
  if grep -rnE '(try!|fatalError\(|as! |[A-Za-z0-9_)\]]![.( ,)])' "$dir" --include='*.swift' | grep -v '// SAFETY' | grep -v '!=' ; then
    echo "soundness: force unwrap, try!, as! or fatalError in the data plane ($dir)"; fail=1
  fi
done
if grep -rnE '(^|[^A-Za-z.])Task(\.detached)? *\{' Sources --include='*.swift' | grep -vE 'UNSTRUCTURED:|^[^:]+:[0-9]+: *///'; then
  echo "soundness: Task {} without an // UNSTRUCTURED: justification"; fail=1
fi
if command -v swift >/dev/null 2>&1 && swift format --version >/dev/null 2>&1; then
  if ! swift format lint --strict --recursive Sources Tests; then echo "soundness: swift format lint failed"; fail=1; fi
fi
[ "$fail" = 0 ] && echo "soundness: ok"
exit $fail
