#!/usr/bin/env bash
# `cpack -G DEB`: the package holds the CLI, library, header, .pc, CMake package, man page,
# patterns and Python package under /usr, and declares its dependencies; unpacked, its CLI
# finds its patterns. Prints 'N passed, N failed'; exits 77 without cpack or dpkg-deb.
set -u
build=$1
command -v cpack >/dev/null && command -v dpkg-deb >/dev/null || { echo "skipped: no cpack or dpkg-deb"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { if [ "$1" -eq 0 ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $2" >&2; fi; }
(cd "$tmp" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/out" > "$tmp/cpack.log" 2>&1)
ok $? "cpack -G DEB ($(tail -1 "$tmp/cpack.log"))"
deb=$(ls "$tmp"/out/*.deb 2>/dev/null | head -1)
[ -n "$deb" ]; ok $? "a .deb was written"
dpkg-deb -c "$deb" > "$tmp/contents"
echo "dpkg-deb -c $(basename "$deb") (files):"; awk '{print "  " $6}' "$tmp/contents" | grep -v '/$'
for f in ./usr/bin/vnextract ./usr/lib/libvnextract.so ./usr/include/vnextract.h ./usr/lib/pkgconfig/vnextract.pc \
         ./usr/lib/cmake/vnextract/vnextractConfig.cmake ./usr/share/man/man1/vnextract.1 \
         ./usr/share/vnextract/patterns/45-relative.rules ./usr/lib/python3/dist-packages/vnextract/__init__.py; do
  grep -q " $f\$" "$tmp/contents" || grep -q " $f -> " "$tmp/contents"; ok $? "the package holds $f"
done
dpkg-deb -I "$deb" > "$tmp/info"
sed -n 's/^ //p' "$tmp/info" | grep -E '^(Package|Version|Architecture|Depends):'
for d in libpcre2-8-0 libicu72 libcjson1 zlib1g; do
  grep -q "Depends:.*$d" "$tmp/info"; ok $? "it depends on $d"
done
dpkg-deb -x "$deb" "$tmp/root"
echo "có 38 người" | LD_LIBRARY_PATH="$tmp/root/usr/lib" "$tmp/root/usr/bin/vnextract" | grep -q '"value":38'
ok $? "the unpacked CLI finds the packaged patterns"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
