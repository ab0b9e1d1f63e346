#!/usr/bin/env bash
# cmake --install into a temporary prefix, then build examples/extract.c against the
# installed copy with pkg-config and with find_package, and run both; the installed
# binary finds its patterns without --patterns. Prints 'N passed, N failed'.
set -u
src=$1; build=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { if [ "$1" -eq 0 ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $2" >&2; fi; }
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null; ok $? "cmake --install"
p=$tmp/prefix
for f in include/vnextract.h lib/libvnextract.so lib/libvnextract.a lib/pkgconfig/vnextract.pc \
         lib/cmake/vnextract/vnextractConfig.cmake share/vnextract/patterns/20-numbers.rules \
         share/man/man1/vnextract.1 bin/vnextract; do
  [ -e "$p/$f" ]; ok $? "installed $f"
done
pat=$(PKG_CONFIG_PATH=$p/lib/pkgconfig pkg-config --variable=patterns vnextract)
cc "$src/examples/extract.c" -o "$tmp/extract-pc" $(PKG_CONFIG_PATH=$p/lib/pkgconfig pkg-config --cflags --libs vnextract) \
   -DPATTERNS_DIR="\"$pat\""; ok $? "build with pkg-config"
LD_LIBRARY_PATH=$p/lib "$tmp/extract-pc" > "$tmp/pc.out"; ok $? "run the pkg-config build"
grep -q '"18-NQ/TW"' "$tmp/pc.out"; ok $? "the pkg-config build extracts"
cmake -S "$src/examples" -B "$tmp/ex" -DCMAKE_PREFIX_PATH="$p" >/dev/null && cmake --build "$tmp/ex" >/dev/null
ok $? "build with find_package"
LD_LIBRARY_PATH=$p/lib "$tmp/ex/extract" > "$tmp/cm.out"; ok $? "run the find_package build"
cmp -s "$tmp/pc.out" "$tmp/cm.out"; ok $? "both builds print the same"
echo "có 38 người" | "$p/bin/vnextract" | grep -q '"value":38'; ok $? "the installed binary finds its patterns"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
