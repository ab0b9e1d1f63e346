#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in their own build folder and runs
# each for SECONDS (default 60) from a seed corpus made of corpus/articles. Exits 77 (skipped)
# when clang cannot build a fuzzer here; exits 1 on a crash, leaving the input in the log.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$src/build/fuzz}
secs=${VNX_FUZZ_SECONDS:-60}
command -v clang >/dev/null || { echo "skipped: no clang"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' > "$tmp/t.c"
clang -fsanitize=fuzzer "$tmp/t.c" -o "$tmp/t" 2>/dev/null || { echo "skipped: clang has no libFuzzer (libclang-rt-14-dev)"; exit 77; }
cmake -S "$src" -B "$bin" -DCMAKE_C_COMPILER=clang -DVNX_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 1
cmake --build "$bin" -j 2 >/dev/null || { echo "fuzz build failed"; exit 1; }
seeds=$tmp/seeds
mkdir -p "$seeds/text" "$seeds/jsonl"
cp "$src"/corpus/articles/*.txt "$seeds/text/"
for f in "$src"/corpus/articles/*.txt; do
  /usr/bin/python3 -c 'import json,sys; print(json.dumps({"id": sys.argv[1], "text": open(sys.argv[1], encoding="utf-8").read()}, ensure_ascii=False))' "$f" \
    > "$seeds/jsonl/$(basename "$f" .txt).jsonl"
done
# and as Python writes by default (every letter a \u escape), with a NUL and a lone surrogate
/usr/bin/python3 -c 'import json,sys; print(json.dumps({"id": "e", "date": "2021", "text": open(sys.argv[1], encoding="utf-8").read()[:3000] + "\x00 12 \ud800 5"}))' \
  "$(ls "$src"/corpus/articles/*.txt | head -1)" > "$seeds/jsonl/escapes.jsonl"
status=0
for t in decode jsonl numerals dates pipeline; do
  s=$seeds/text; [ "$t" = jsonl ] && s=$seeds/jsonl
  mkdir -p "$tmp/work-$t"
  "$bin/tests/fuzz/fuzz_$t" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1 \
      "$tmp/work-$t" "$s" > "$tmp/$t.log" 2>&1
  rc=$?
  runs=$(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$tmp/$t.log" | grep -o '[0-9]*$')
  echo "fuzz_$t: ${runs:-?} executions in ${secs}s, exit $rc"
  if [ $rc -ne 0 ]; then status=1; tail -40 "$tmp/$t.log"; fi
done
exit $status
