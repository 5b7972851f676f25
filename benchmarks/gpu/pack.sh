#!/usr/bin/env bash
# Packs what benchmarks/gpu/run.sh needs on a Linux x86-64 machine that has an NVIDIA driver and nothing else, as one
# file, benchmarks/gpu/bundle/dcgan-gpu.tar.xz (git-ignored; at most 64 MiB):
#   dcgan.jar   built against the TornadoVM SDK (src/tornado/java compiled in)
#   tornado/    the SDK, only what dcgan runs: its tornado-argfile.template, etc/, lib/ (the backends' JNI libraries),
#               the tornado-* runtime jars and the Graal compiler jars they need (not the tests, examples, benchmarks,
#               Truffle or polyglot jars)
#   jdk/        a jlinked JDK 25 with the modules TornadoVM and dcgan use (JVMCI, the Vector API, ...)
#   lib/        the OpenCL ICD loader of this machine (libOpenCL.so.1), for a GPU machine that has NVIDIA's OpenCL
#               driver but no loader
# TornadoVM itself is never committed: this script runs outside the Maven build, from an SDK built elsewhere.
#
# Usage: TORNADOVM_HOME=/path/to/tornadovm-sdk benchmarks/gpu/pack.sh
#   (default TORNADOVM_HOME: /opt/tornado-build/sdk). Builds target/dcgan.jar against the SDK and then removes
#   target/, so that the next plain build starts clean.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
sdk="${TORNADOVM_HOME:-/opt/tornado-build/sdk}"
out="$root/benchmarks/gpu/bundle"
limit=$((64 * 1024 * 1024))
. "$root/scripts/find-jdk.sh"
[ -f "$sdk/tornado-argfile.template" ] || { echo "pack: $sdk is not a TornadoVM SDK (no tornado-argfile.template)" >&2; exit 1; }
backends=$(sed -n 's/^tornado.backends=//p' "$sdk/etc/tornado.backend" 2>/dev/null || true)
echo "pack: TornadoVM SDK $sdk (backends: ${backends:-unknown}), JDK $JAVA_HOME"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/dcgan-gpu/tornado/share/java/tornado" "$stage/dcgan-gpu/tornado/share/java/graalJars" "$stage/dcgan-gpu/lib"
b="$stage/dcgan-gpu"

echo "pack: building dcgan.jar against the SDK"
rm -rf "$root/target"
(cd "$root" && TORNADOVM_HOME="$sdk" scripts/mvn -B -q package -DskipTests)
cp "$root/target/dcgan.jar" "$b/dcgan.jar"
rm -rf "$root/target"

echo "pack: the SDK's runtime"
cp "$sdk/tornado-argfile.template" "$b/tornado/"
cp -r "$sdk/etc" "$sdk/lib" "$b/tornado/"
for j in "$sdk"/share/java/tornado/*.jar; do
  case "$(basename "$j")" in
    tornado-api-*|tornado-runtime-*|tornado-annotation-*|tornado-drivers-*|asm-*|commons-math3-*|snmp4j-*|collections-*)
      cp "$j" "$b/tornado/share/java/tornado/" ;;
  esac
done
for j in "$sdk"/share/java/graalJars/*.jar; do
  case "$(basename "$j")" in
    compiler-*|collections-*|word-*|truffle-compiler-*) cp "$j" "$b/tornado/share/java/graalJars/" ;;
  esac
done

echo "pack: jlink a JDK 25"
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.desktop,java.logging,java.management,jdk.management,jdk.unsupported,jdk.internal.vm.ci,jdk.incubator.vector \
    --strip-debug --no-man-pages --no-header-files --compress=zip-9 --output "$b/jdk" 2>&1 | grep -v "Using incubator modules" || true
"$b/jdk/bin/java" -version 2>&1 | head -1

for l in /lib/x86_64-linux-gnu/libOpenCL.so.1 /usr/lib/x86_64-linux-gnu/libOpenCL.so.1 /usr/lib64/libOpenCL.so.1; do
  if [ -e "$l" ]; then cp -L "$l" "$b/lib/libOpenCL.so.1"; break; fi
done
[ -e "$b/lib/libOpenCL.so.1" ] || echo "pack: no libOpenCL.so.1 here; the GPU machine must have an OpenCL ICD loader" >&2

du -sh "$b/dcgan.jar" "$b/tornado" "$b/jdk" "$b/lib" | sed 's/^/pack: /'
mkdir -p "$out"
rm -f "$out/dcgan-gpu.tar.xz"
tar -C "$stage" -cf - dcgan-gpu | xz -T1 -6 > "$out/dcgan-gpu.tar.xz"
size=$(stat -c %s "$out/dcgan-gpu.tar.xz")
echo "pack: $out/dcgan-gpu.tar.xz: $((size / 1024 / 1024)) MiB"
if [ "$size" -gt "$limit" ]; then
  echo "pack: larger than 64 MiB: leave out more of the SDK (benchmarks/gpu/README.md)" >&2
  exit 1
fi
