#!/usr/bin/env bash
# The checkerboard study with sample quality on Fashion-MNIST (Debian's dataset-fashion-mnist): four generator
# upsampling variants, each trained from 3 seeds (400 iterations, 32x32, ngf = ndf = 32, batch 64), FID/KID of
# 10,000 samples per run against 10,000 training images through the `classifier` feature network, beside the
# spectral artifact scores. Build first: scripts/mvn -B -q package -DskipTests
# Usage: benchmarks/checkerboard-fashion-mnist.sh CLASSIFIER [OUT_DIR]
#   CLASSIFIER: a Fashion-MNIST classifier at 32x32 (benchmarks/classifier-fashion-mnist.sh makes one:
#   OUT_DIR/classifier.safetensors); OUT_DIR default: benchmarks/checkerboard/fashion-mnist-fid
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
clf="${1:?usage: checkerboard-fashion-mnist.sh CLASSIFIER [OUT_DIR]}"
out="${2:-$root/benchmarks/checkerboard/fashion-mnist-fid}"
data=/usr/share/datasets/fashion-mnist
[ -f "$data/train-images-idx3-ubyte.gz" ] || { echo "no Fashion-MNIST in $data: apt-get install dataset-fashion-mnist" >&2; exit 1; }
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(uname -m), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# classifier $(sha256sum "$clf" | cut -d' ' -f1)"
start=$(date +%s)
"$root/scripts/dcgan" checkerboard compare --dataset mnist --dataroot "$data" --nc 1 --metric fid --classifier "$clf" \
    --num 10000 --seeds 3 --variants convt-k4s2,convt-k3s2,resize-nearest,pixel-shuffle-icnr --iters 400 --backend jvm \
    --out "$out" 2>&1 | grep --line-buffered -v '^WARNING: Using incubator modules'
echo "(wall clock $(( $(date +%s) - start )) s)"
