#!/usr/bin/env bash
# Builds a TornadoVM 5.2.0-jdk25 SDK with the OpenCL and PTX backends from TornadoVM's source, on a machine with a
# JDK 25, Maven Central, cmake, a C++ compiler and the CUDA toolkit's headers, but no NVIDIA driver and no GPU (as
# these machines). Outside the repository's build; TornadoVM itself is never committed. Then:
#   TORNADOVM_HOME=<the SDK it prints> benchmarks/gpu/pack.sh
#
# Usage: benchmarks/gpu/build-sdk.sh SOURCE [WORK]
#   SOURCE  a TornadoVM checkout or git directory holding the tag v5.2.0-jdk25 (e.g. a clone of beehive-lab/TornadoVM)
#   WORK    where to build (default /tmp/tornadovm-5.2.0-ptx)
#
# What it works around, each for a machine like these:
#   - TornadoVM's installer imports Python modules it only needs to download things (wget, streamlit): skipped.
#   - It clones the Khronos OpenCL headers from GitHub: the system's /usr/include/CL is used instead.
#   - It downloads compiler-management-25.0.2.jar, which Maven Central serves empty: left out (the runtime does
#     not need it; the SDK built before had none either).
#   - The PTX JNI library links with -L/usr/local/cuda/lib64/stubs -lcuda -lnvidia-ml, and this CUDA toolkit has no
#     stubs: empty libraries with the sonames libcuda.so.1 and libnvidia-ml.so.1 stand in, linked --no-as-needed so
#     that libtornado-ptx.so names libcuda.so.1 (the driver's, at run time). They are not part of the SDK.
set -euo pipefail
src="${1:?usage: build-sdk.sh SOURCE [WORK]}"
work="${2:-/tmp/tornadovm-5.2.0-ptx}"
tag=v5.2.0-jdk25
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
. "$root/scripts/find-jdk.sh"
[ -d /usr/include/CL ] || { echo "build-sdk: no OpenCL headers in /usr/include/CL (apt-get install opencl-headers)" >&2; exit 1; }
[ -f /usr/local/cuda/include/cuda.h ] || { echo "build-sdk: no CUDA toolkit headers in /usr/local/cuda/include" >&2; exit 1; }

rm -rf "$work" && mkdir -p "$work/src" "$work/stubs"
# git archive stops at a blob missing from a partial clone (a test matrix of the benchmarks): take the rest by path
git -C "$src" archive "$tag" | tar -x -C "$work/src" 2>/dev/null || true
for d in $(git -C "$src" ls-tree --name-only "$tag"); do
  [ -e "$work/src/$d" ] || git -C "$src" archive "$tag" -- "$d" 2>/dev/null | tar -x -C "$work/src" 2>/dev/null || true
done
touch "$work/src/tornado-benchmarks/src/main/resources/bcsstk32.mtx"
cd "$work/src"
sed 's/^tornadoReq.check_python_dependencies()/pass  # build-sdk.sh: only the download helpers need them/' bin/compile > bin/compile-nodeps
sed -i '/compiler-management/d' bin/pull_graal_jars.py
mkdir -p tornado-drivers/opencl-jni/src/main/cpp/headers/include
cp -r /usr/include/CL tornado-drivers/opencl-jni/src/main/cpp/headers/include/

# empty stand-ins for the driver's libcuda.so.1 and libnvidia-ml.so.1, only to link against
echo 'void dcgan_stub(void){}' > "$work/stubs/stub.c"
gcc -shared -fPIC -Wl,-soname,libcuda.so.1 -o "$work/stubs/libcuda.so" "$work/stubs/stub.c"
gcc -shared -fPIC -Wl,-soname,libnvidia-ml.so.1 -o "$work/stubs/libnvidia-ml.so" "$work/stubs/stub.c"

# --no-as-needed: keep libcuda.so.1 a dependency although the stub defines none of the functions it calls
LDFLAGS="-Wl,--no-as-needed" LIBRARY_PATH="$work/stubs" python3 bin/compile-nodeps --jdk jdk25 --backend opencl,ptx
sdk=$(ls -d "$work"/src/dist/tornadovm-*-opencl-ptx-linux-amd64/tornadovm-*-opencl-ptx | head -1)
if ! readelf -d "$sdk/lib/libtornado-ptx.so" | grep -q 'libcuda.so.1'; then
  echo "build-sdk: libtornado-ptx.so does not name libcuda.so.1" >&2
  exit 1
fi
echo "build-sdk: SDK in $sdk ($(du -sh "$sdk" | cut -f1), backends: $(sed -n 's/^tornado.backends=//p' "$sdk/etc/tornado.backend"))"
