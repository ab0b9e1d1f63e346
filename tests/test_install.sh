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

# The Python package, installed beside the library, finds it and the patterns without help.
py=/usr/bin/python3
[ -x "$py" ] || py=python3
[ -e "$p/lib/python3/dist-packages/vnextract/__init__.py" ]; ok $? "cmake --install puts the Python package in lib/python3/dist-packages"
out=$(cd "$tmp" && env -u VNEXTRACT_LIB -u VNEXTRACT_PATTERNS PYTHONPATH="$p/lib/python3/dist-packages" "$py" -c '
import vnextract
print(vnextract._load()._name, vnextract.__version__ == vnextract.version(), vnextract.extract("có 38 người")[0]["value"])')
echo "installed Python package: $out"
case "$out" in "$p/lib/"*" True 38") true;; *) false;; esac; ok $? "it uses the library of its prefix"
out=$(cd "$tmp" && env -u VNEXTRACT_LIB VNEXTRACT_PATTERNS="$tmp/nowhere" PYTHONPATH="$p/lib/python3/dist-packages" "$py" -c '
import vnextract
try:
    vnextract.extract("x")
except OSError as e:
    print("error:", e)' 2>&1)
case "$out" in *VNEXTRACT_PATTERNS*) true;; *) false;; esac; ok $? "a VNEXTRACT_PATTERNS that is no directory is an error ($out)"
if "$py" -m pip --version >/dev/null 2>&1 && "$py" -c 'import setuptools' 2>/dev/null; then
  # a copy of the package source: pip writes a build directory and egg-info next to it
  cp -r "$src/python" "$tmp/pysrc" && rm -rf "$tmp/pysrc/vnextract/__pycache__"
  "$py" -m pip install --no-build-isolation --no-deps --no-index --root-user-action=ignore -q --target "$tmp/pip" \
    "$tmp/pysrc" > "$tmp/pip.log" 2>&1
  ok $? "pip install --no-build-isolation ./python ($(tail -1 "$tmp/pip.log"))"
  out=$(cd "$tmp" && VNEXTRACT_LIB="$p/lib/libvnextract.so" VNEXTRACT_PATTERNS="$p/share/vnextract/patterns" PYTHONPATH="$tmp/pip" \
        "$py" -c 'import vnextract; print(vnextract.__version__, len(vnextract.extract("có 38 người")))')
  [ "$out" = "0.1.0 1" ]; ok $? "the pip-installed package works ($out)"
  ls "$tmp/pip" | grep -q '^vnextract-0.1.0.dist-info$'; ok $? "pip records vnextract 0.1.0"
fi

# Configured for /usr (where GNUInstallDirs puts the library in lib/<multiarch>), staged with
# DESTDIR: pkg-config and find_package must point into the stage, not at /usr/lib/include.
cmake -S "$src" -B "$tmp/usr-build" -DCMAKE_INSTALL_PREFIX=/usr -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null &&
  cmake --build "$tmp/usr-build" -j 2 >/dev/null && DESTDIR="$tmp/stage" cmake --install "$tmp/usr-build" >/dev/null
ok $? "a /usr build installed into a staging directory"
pcdir=$(dirname "$(find "$tmp/stage/usr" -name vnextract.pc | head -1)")
[ -n "$pcdir" ] && [ -d "$pcdir" ]; ok $? "the staged vnextract.pc"
inc=$(PKG_CONFIG_PATH=$pcdir pkg-config --variable=includedir vnextract)
lib=$(PKG_CONFIG_PATH=$pcdir pkg-config --variable=libdir vnextract)
spat=$(PKG_CONFIG_PATH=$pcdir pkg-config --variable=patterns vnextract)
echo "staged /usr install: includedir=$inc libdir=$lib patterns=$spat"
echo "  pkg-config --cflags --libs: $(PKG_CONFIG_PATH=$pcdir pkg-config --cflags --libs vnextract)"
[ -e "$inc/vnextract.h" ]; ok $? "pkg-config's includedir holds the header ($inc)"
[ -e "$lib/libvnextract.so" ]; ok $? "pkg-config's libdir holds the library ($lib)"
[ -e "$spat/20-numbers.rules" ]; ok $? "pkg-config's patterns directory ($spat)"
mkdir -p "$tmp/fp"
{
  echo 'cmake_minimum_required(VERSION 3.16)'
  echo 'project(fp C)'
  echo 'find_package(vnextract REQUIRED)'
  echo 'get_target_property(i vnextract::vnextract INTERFACE_INCLUDE_DIRECTORIES)'
  echo 'if(NOT EXISTS "${VNEXTRACT_PATTERNS_DIR}/20-numbers.rules" OR NOT EXISTS "${i}/vnextract.h")'
  echo '  message(FATAL_ERROR "patterns ${VNEXTRACT_PATTERNS_DIR}, include ${i}")'
  echo 'endif()'
  echo 'message(STATUS "find_package: patterns ${VNEXTRACT_PATTERNS_DIR}, include ${i}")'
} > "$tmp/fp/CMakeLists.txt"
cmake -S "$tmp/fp" -B "$tmp/fp/b" -DCMAKE_PREFIX_PATH="$tmp/stage/usr" > "$tmp/fp.out" 2>&1
ok $? "find_package on the staged /usr install finds the header and patterns"
grep find_package "$tmp/fp.out"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
