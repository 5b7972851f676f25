#!/usr/bin/env bash
# One prepared run of dcgan on a GPU through TornadoVM, from what benchmarks/gpu/pack.sh packed (a jlinked JDK 25,
# the TornadoVM SDK, dcgan.jar): on a Linux x86-64 machine with an NVIDIA driver and nothing else installed.
#   1. the machine: nvidia-smi, and the devices TornadoVM sees (dcgan info)
#   2. correctness (on the first device that passes: PTX devices, then OpenCL ones): dcgan bench --check, CHECK_ITERS training iterations on TornadoVM and on the plain JVM kernels
#      from the same weights and data, every stats line and the final weights within 1e-4 (the tutorial's layer
#      shapes at batch 8; TornadoBackendTest's check, as a command)
#   3. speed: dcgan bench --per-kernel at the tutorial size (batch 128, 64x64, ngf = ndf = 64) and at the small size
#      (batch 64, 32x32, ngf = ndf = 32, nc 1): s/iteration, GFLOP/s, device time per kernel
# Everything goes to $OUT (default ./gpu-out): one log per step (check-<device>.txt, ...) and summary.txt.
#
# Usage: benchmarks/gpu/run.sh            on the GPU machine
#        benchmarks/gpu/run.sh --tiny     the same steps with a tiny model (batch 2, 32x32, ngf = ndf = 8), for PoCL
# Environment:
#   BUNDLE         the packed file (default benchmarks/gpu/bundle/dcgan-gpu.tar.xz), unpacked under $WORK (default
#                  /tmp/dcgan-gpu-run); without it, TORNADOVM_HOME, JAVA_HOME (or a JDK 25 found on PATH) and
#                  DCGAN_JAR (default target/dcgan.jar) name the parts
#   DEVICE         TornadoVM device as backend:device (default: the first PTX device, else TornadoVM's default; see
#                  devices.txt)
#   ITERS          timed iterations (default 20; warm-up 3), CHECK_ITERS checked iterations (default 3)
#   CONV           -Ddcgan.tornado.conv: tiled | plain | auto (default auto: tiled on a GPU, plain on a CPU device;
#                  with --tiny, tiled)
#   JAVA_OPTS      more JVM options (default -Xmx24g, with --tiny -Xmx3g)
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
tiny=0
[ "${1:-}" = "--tiny" ] && tiny=1
OUT="${OUT:-$PWD/gpu-out}"
mkdir -p "$OUT"
summary="$OUT/summary.txt"
: > "$summary"
say() { echo "$*" | tee -a "$summary"; }

bundle="${BUNDLE:-$root/benchmarks/gpu/bundle/dcgan-gpu.tar.xz}"
if [ -f "$bundle" ]; then
  work="${WORK:-/tmp/dcgan-gpu-run}"
  rm -rf "$work" && mkdir -p "$work"
  xz -dc "$bundle" | tar -C "$work" -xf - || { say "run: could not unpack $bundle"; exit 1; }
  export JAVA_HOME="$work/dcgan-gpu/jdk" TORNADOVM_HOME="$work/dcgan-gpu/tornado"
  jar="$work/dcgan-gpu/dcgan.jar"
  extra_lib="$work/dcgan-gpu/lib"
else
  . "$root/scripts/find-jdk.sh" || exit 1
  jar="${DCGAN_JAR:-$root/target/dcgan.jar}"
  extra_lib=""
  [ -n "${TORNADOVM_HOME:-}" ] || { say "run: no bundle at $bundle and no TORNADOVM_HOME"; exit 1; }
fi
[ -f "$jar" ] || { say "run: $jar not found"; exit 1; }

# TornadoVM's JVM options, its argfile made from the SDK's template for where the SDK is now.
# (kept out of $OUT, which holds only the logs: at most 8 files come back from a device run)
runtime="${WORK:-/tmp/dcgan-gpu-run}/runtime"
rm -rf "$runtime" && mkdir -p "$runtime"
argfile="$runtime/tornado-argfile"
# (without the template's "." on the module path: jars in the working directory would become modules)
sed -e "s|\${TORNADOVM_HOME}|$TORNADOVM_HOME|g" -e 's|--module-path \.:|--module-path |' \
    "$TORNADOVM_HOME/tornado-argfile.template" > "$argfile"
# The OpenCL backend needs an ICD loader and a vendor file; bring both if the machine has only the driver.
if ! ldconfig -p 2>/dev/null | grep -q 'libOpenCL.so.1' && [ -n "$extra_lib" ] && [ -e "$extra_lib/libOpenCL.so.1" ]; then
  export LD_LIBRARY_PATH="$extra_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
if [ -z "${OCL_ICD_VENDORS:-}" ] && ! ls /etc/OpenCL/vendors/*.icd >/dev/null 2>&1; then
  nvocl=$( (ldconfig -p 2>/dev/null | sed -n 's/.*libnvidia-opencl.so.1 .*=> //p'; \
            ls /usr/local/nvidia/lib64/libnvidia-opencl.so.1 /usr/lib/x86_64-linux-gnu/libnvidia-opencl.so.1 2>/dev/null) | head -1)
  if [ -n "$nvocl" ]; then
    mkdir -p "$runtime/icd" && echo "$nvocl" > "$runtime/icd/nvidia.icd"
    export OCL_ICD_VENDORS="$runtime/icd"
  fi
fi
# libcuda for the PTX backend, where the driver keeps it outside the loader's path
[ -d /usr/local/nvidia/lib64 ] && export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}/usr/local/nvidia/lib64"
# A backend whose native library cannot load stops TornadoVM from starting at all (the PTX backend without the
# driver's libcuda.so.1, say, on a machine without a GPU): leave out the modules of those the machine cannot run.
have_cuda=0
{ ldconfig -p 2>/dev/null | grep -q 'libcuda.so.1 '; } && have_cuda=1
for d in ${LD_LIBRARY_PATH:+${LD_LIBRARY_PATH//:/ }}; do [ -e "$d/libcuda.so.1" ] && have_cuda=1; done
have_ocl=0
{ [ -n "${OCL_ICD_VENDORS:-}" ] || ls /etc/OpenCL/vendors/*.icd >/dev/null 2>&1; } && have_ocl=1
drop() {   # removes module $1 from the argfile: its own --add-* lines, and wherever it is named as a target
  local m="${1//./\\.}"
  sed -i -e "/^--add-[a-z]*=$m[/=]/d" -e "s/,$m\b//g" -e "/[= ]$m\$/d" -e "s/=$m,/=/" "$argfile"
}
[ "$have_cuda" = 1 ] || drop tornado.drivers.ptx
[ "$have_ocl" = 1 ] || drop tornado.drivers.opencl
# and off the module path, where TornadoVM's service lookup would find them anyway: a folder of links to the rest
mods="$runtime/modules"
rm -rf "$mods" && mkdir -p "$mods"
for j in "$TORNADOVM_HOME"/share/java/tornado/*.jar; do
  case "$(basename "$j")" in
    tornado-drivers-ptx*) [ "$have_cuda" = 1 ] || continue ;;
    tornado-drivers-opencl*) [ "$have_ocl" = 1 ] || continue ;;
  esac
  ln -s "$j" "$mods/"
done
sed -i "s|^--module-path .*|--module-path $mods|" "$argfile"

# --tiny runs the GPU's convolutions (tiled) on the CPU device too, where the backend would pick the plain ones
[ "$tiny" = 1 ] && CONV="${CONV:-tiled}"
conv=()
[ -n "${CONV:-}" ] && conv=("-Ddcgan.tornado.conv=$CONV")
dcgan() {
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" "@$argfile" --add-modules jdk.incubator.vector -Dtornado.recover.bailout=False \
      "${conv[@]}" ${JAVA_OPTS:-$default_heap} -jar "$jar" "$@"
}
dev=()
ITERS="${ITERS:-20}"
CHECK_ITERS="${CHECK_ITERS:-3}"
default_heap=-Xmx24g
if [ "$tiny" = 1 ]; then
  default_heap=-Xmx3g
  check_size=(--batch-size 2 --image-size 32 --ngf 8 --ndf 8)
  sizes=("tiny|--batch-size 2 --image-size 32 --ngf 8 --ndf 8")
else
  check_size=(--batch-size 8)
  sizes=("tutorial|--batch-size 128 --image-size 64 --ngf 64 --ndf 64" "small|--batch-size 64 --image-size 32 --ngf 32 --ndf 32 --nc 1")
fi

say "run: $(date -u +%FT%TZ) on $(hostname), $(nproc) cores; JDK $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
say "run: TornadoVM SDK $TORNADOVM_HOME (backends: $(sed -n 's/^tornado.backends=//p' "$TORNADOVM_HOME/etc/tornado.backend" 2>/dev/null))"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi > "$OUT/nvidia-smi.txt" 2>&1
  say "run: GPU $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)"
fi

# 1. devices: DEVICE, else every PTX device, then every OpenCL one (CUDA's driver API needs no OpenCL driver)
dcgan info > "$OUT/devices.txt" 2>&1
grep -E '^ *[0-9]+:[0-9]+ |tornadovm|auto' "$OUT/devices.txt" | tee -a "$summary"
if [ -n "${DEVICE:-}" ]; then
  candidates=("$DEVICE")
else
  # shellcheck disable=SC2207
  candidates=($(sed -n 's/^ *\([0-9]*:[0-9]*\) .*(PTX)$/\1/p' "$OUT/devices.txt") \
              $(sed -n 's/^ *\([0-9]*:[0-9]*\) .*(OPENCL)$/\1/p' "$OUT/devices.txt"))
fi
[ "${#candidates[@]}" -gt 0 ] || candidates=("")

# 2. correctness, on the first candidate that passes (a backend that fails is reported, and the next one tried)
status=1
for c in "${candidates[@]}"; do
  dev=()
  [ -n "$c" ] && dev=(--device "$c")
  log="$OUT/check${c:+-${c/:/-}}.txt"
  say "run: check on device ${c:-the default of TornadoVM}"
  if dcgan bench --check --backend tornado "${dev[@]}" --iters "$CHECK_ITERS" "${check_size[@]}" > "$log" 2>&1; then
    status=0
    grep -E '^check' "$log" | tee -a "$summary"
    break
  fi
  grep -E '^check' "$log" | tee -a "$summary"
  say "run: the check FAILED on device ${c:-the default} (see $(basename "$log")):"
  tail -5 "$log" | tee -a "$summary"
done
[ "$status" = 0 ] || say "run: no device passed the check; timing the last one anyway"

# 3. speed
for s in "${sizes[@]}"; do
  name=${s%%|*}
  # shellcheck disable=SC2206
  args=(${s#*|})
  dcgan bench --backend tornado "${dev[@]}" --per-kernel --warmup 3 --iters "$ITERS" "${args[@]}" > "$OUT/bench-$name.txt" 2>&1 || status=1
  say "bench $name: $(grep -E '^backend=' "$OUT/bench-$name.txt" | head -1)"
  say "bench $name: $(grep -E '^(warmup 1|median_s_per_iter)' "$OUT/bench-$name.txt" | tr '\n' ' ')"
  say "bench $name: $(grep -E '^plan:' "$OUT/bench-$name.txt" | head -1)"
  grep -A8 -E '^kernel +calls/it' "$OUT/bench-$name.txt" | sed "s/^/bench $name: /" | tee -a "$summary"
  grep -qE '^median_s_per_iter' "$OUT/bench-$name.txt" || { say "run: bench $name FAILED (see bench-$name.txt):"; tail -5 "$OUT/bench-$name.txt" | tee -a "$summary"; }
done
say "run: done, status $status; logs in $OUT"
exit "$status"
