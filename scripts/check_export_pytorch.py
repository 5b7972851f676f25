#!/usr/bin/env python3
"""Checks that PyTorch takes the weights `dcgan export` writes, and that it samples what Java samples.

    dcgan export --checkpoint CKPT --out-dir EXP
    dcgan generate --checkpoint CKPT --out SAMPLES --singles --tensors --num 8 --seed 5   # optional, to compare
    /usr/bin/python3 scripts/check_export_pytorch.py EXP [--samples SAMPLES --seed 5]

Builds the PyTorch DCGAN tutorial's Generator (and Discriminator, if EXP has netD.safetensors) at the sizes
in the files' metadata (nz, ngf, ndf, nc, image_size; 64 is the tutorial's model exactly, 32 and 128 have one
stride-2 block fewer or more, as dcgan.model.Dcgan), reads the files with the hand-written safetensors reader
below (no safetensors package needed), calls load_state_dict(strict=True), and runs a forward pass in eval
mode. With --samples it regenerates Java's noise (dcgan.model.Rng: SplitMix64 and Box-Muller, nz values per
sample in sample order) and compares PyTorch's images with Java's: the floats of samples.safetensors (from
--tensors; PyTorch runs on Java's noise read from that file, and the regenerated noise must match it), and
the sample_NNNN.png files (from --singles), mapped to bytes as Java and torchvision's save_image do, allowing
a difference of 1 (float rounding differs between the two).

Exits non-zero on any failure. Needs torch and numpy; --samples also needs Pillow.
"""

import argparse
import copy
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn

DTYPES = {"F32": "<f4", "F64": "<f8", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1",
          "U8": "u1", "BOOL": "?"}


def read_safetensors(path):
    """Returns (ordered dict name -> torch tensor, metadata dict), checking the layout as it goes."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise ValueError(f"{path}: shorter than 8 bytes")
    (n,) = struct.unpack("<Q", blob[:8])
    if n > len(blob) - 8:
        raise ValueError(f"{path}: header length {n} runs past the end of the file")
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = blob[8 + n:]
    metadata = header.pop("__metadata__", {})
    tensors, end = {}, 0
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        begin, stop = info["data_offsets"]
        if begin != end:
            raise ValueError(f"{path}: {name} starts at {begin}, expected {end}")
        dt = np.dtype(DTYPES[info["dtype"]])
        shape = tuple(info["shape"])
        count = int(np.prod(shape)) if shape else 1
        if stop - begin != count * dt.itemsize:
            raise ValueError(f"{path}: {name}: {stop - begin} bytes for shape {list(shape)} of {info['dtype']}")
        arr = np.frombuffer(data, dtype=dt, count=count, offset=begin).reshape(shape).copy()
        tensors[name] = torch.from_numpy(arr)
        end = stop
    if end != len(data):
        raise ValueError(f"{path}: tensors cover {end} of {len(data)} data bytes")
    ordered = {k: tensors[k] for k in header}  # header order
    return ordered, metadata


class Generator(nn.Module):
    """The tutorial's Generator; at image_size 64 exactly its layers (ngf*8 -> *4 -> *2 -> ngf -> nc)."""

    def __init__(self, nz, ngf, nc, image_size):
        super().__init__()
        blocks = int(math.log2(image_size)) - 2
        ch = ngf * image_size // 8
        layers = [nn.ConvTranspose2d(nz, ch, 4, 1, 0, bias=False), nn.BatchNorm2d(ch), nn.ReLU(True)]
        for _ in range(blocks - 1):
            layers += [nn.ConvTranspose2d(ch, ch // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ch // 2), nn.ReLU(True)]
            ch //= 2
        layers += [nn.ConvTranspose2d(ch, nc, 4, 2, 1, bias=False), nn.Tanh()]
        self.main = nn.Sequential(*layers)

    def forward(self, x):
        return self.main(x)


class Discriminator(nn.Module):
    """The tutorial's Discriminator; at image_size 64 exactly its layers (ndf -> *2 -> *4 -> *8 -> 1)."""

    def __init__(self, ndf, nc, image_size):
        super().__init__()
        blocks = int(math.log2(image_size)) - 2
        ch = ndf
        layers = [nn.Conv2d(nc, ch, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True)]
        for _ in range(blocks - 1):
            layers += [nn.Conv2d(ch, ch * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ch * 2), nn.LeakyReLU(0.2, inplace=True)]
            ch *= 2
        layers += [nn.Conv2d(ch, 1, 4, 1, 0, bias=False), nn.Sigmoid()]
        self.main = nn.Sequential(*layers)

    def forward(self, x):
        return self.main(x)


MASK = (1 << 64) - 1


class Rng:
    """dcgan.model.Rng: SplitMix64; Gaussians by Box-Muller in double, no cached second value."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next_long(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def next_double(self):
        return (self.next_long() >> 11) * 2.0 ** -53

    def gaussian(self):
        u1 = 1.0 - self.next_double()
        u2 = self.next_double()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def java_noise(seed, n, nz):
    rng = Rng(seed)
    z = np.array([rng.gaussian() for _ in range(n * nz)], dtype=np.float64).astype(np.float32)
    return torch.from_numpy(z.reshape(n, nz, 1, 1))


def to_bytes(img):
    """[-1, 1] CHW -> HWC uint8 as save_image((x + 1) / 2): clamp(x * 255 + 0.5, 0, 255), truncated."""
    u = ((img + 1) / 2).clamp(0, 1) * 255 + 0.5
    return u.clamp(0, 255).to(torch.uint8).permute(1, 2, 0).numpy()


def netG_eval_samples(t_path):
    """False when samples.safetensors says the samples used batch statistics (the PNGs are then not compared)."""
    return not os.path.exists(t_path) or read_safetensors(t_path)[1].get("batchnorm") == "running statistics"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir", help="folder with netG.safetensors (and netD.safetensors) from `dcgan export`")
    ap.add_argument("--samples", help="folder with sample_NNNN.png from `dcgan generate --singles`")
    ap.add_argument("--seed", type=int, default=0, help="the --seed given to dcgan generate (default 0)")
    args = ap.parse_args()
    torch.set_grad_enabled(False)

    sd, meta = read_safetensors(os.path.join(args.dir, "netG.safetensors"))
    nz, ngf, ndf, nc, size = (int(meta[k]) for k in ("nz", "ngf", "ndf", "nc", "image_size"))
    print(f"torch {torch.__version__}; metadata: nz={nz} ngf={ngf} ndf={ndf} nc={nc} image_size={size} "
          f"upsampling={meta.get('upsampling', '?')}")
    netG = Generator(nz, ngf, nc, size)
    result = netG.load_state_dict(sd, strict=True)
    print(f"netG.load_state_dict(strict=True): {result}; {len(sd)} tensors")
    for name, t in netG.state_dict().items():
        if t.dtype != sd[name].dtype or not torch.equal(t, sd[name]):
            raise SystemExit(f"FAIL: {name} differs after loading")
    counts = {k: int(v) for k, v in sd.items() if k.endswith("num_batches_tracked")}
    print(f"num_batches_tracked (int64 scalars): {counts}")
    netG.eval()
    n = 8
    z = java_noise(args.seed, n, nz)
    fake = netG(z)
    print(f"netG.eval() forward on {n} samples of Java's noise (seed {args.seed}): shape {list(fake.shape)}, "
          f"range [{fake.min().item():.4f}, {fake.max().item():.4f}], mean {fake.mean().item():.6f}")
    if list(fake.shape) != [n, nc, size, size]:
        raise SystemExit("FAIL: wrong output shape")

    d_path = os.path.join(args.dir, "netD.safetensors")
    if os.path.exists(d_path):
        sdD, _ = read_safetensors(d_path)
        netD = Discriminator(ndf, nc, size)
        print(f"netD.load_state_dict(strict=True): {netD.load_state_dict(sdD, strict=True)}; {len(sdD)} tensors")
        netD.eval()
        out = netD(fake).view(-1)
        print(f"netD.eval() on those fakes: {[round(v, 4) for v in out.tolist()]}")

    if args.samples:
        t_path = os.path.join(args.samples, "samples.safetensors")
        if os.path.exists(t_path):
            st, smeta = read_safetensors(t_path)
            zj, xj = st["noise"], st["images"]
            if list(zj.shape[1:]) != [nz, 1, 1] or list(xj.shape[1:]) != [nc, size, size]:
                raise SystemExit(f"FAIL: {t_path} holds noise {list(zj.shape)} and images {list(xj.shape)}, "
                                 f"not samples of this generator (nz={nz}, nc={nc}, image_size={size})")
            zp = java_noise(int(smeta["seed"]), zj.shape[0], nz)
            zdiff = (zp - zj).abs().max().item()
            print(f"noise regenerated here vs Java's ({zj.shape[0]} x {nz}): max abs difference {zdiff:.3g}")
            if smeta.get("batchnorm") == "batch statistics":
                # dcgan generate --batch-stats: train-mode BatchNorm per batch of at most 64, split evenly
                mode, total = "netG.train() per batch", zj.shape[0]
                batches = -(-total // 64)
                sizes = [total // batches + (1 if i < total % batches else 0) for i in range(batches)]
                parts, at = [], 0
                for b in sizes:
                    parts.append(copy.deepcopy(netG).train()(zj[at:at + b]))
                    at += b
                xp = torch.cat(parts)
            else:
                mode, xp = "netG.eval()", netG(zj)
            xdiff = (xp - xj).abs().max().item()
            print(f"{mode} on Java's noise vs Java's images {list(xj.shape)}: max abs difference {xdiff:.3g} "
                  f"(images range [{xj.min().item():.4f}, {xj.max().item():.4f}])")
            if zdiff > 1e-6 or xdiff > 1e-4:
                raise SystemExit("FAIL: PyTorch and Java disagree")
        from PIL import Image
        worst, compared = 0, 0
        for i in range(n if netG_eval_samples(t_path) else 0):
            p = os.path.join(args.samples, f"sample_{i:04d}.png")
            if not os.path.exists(p):
                break
            java = np.asarray(Image.open(p).convert("RGB")).astype(np.int16)
            torch_img = to_bytes(fake[i]).astype(np.int16)
            if nc == 1:
                torch_img = np.repeat(torch_img, 3, axis=2)
            diff = int(np.abs(java - torch_img).max())
            worst = max(worst, diff)
            compared += 1
        if compared == 0 and not os.path.exists(t_path) and netG_eval_samples(t_path):
            raise SystemExit(f"FAIL: neither samples.safetensors nor sample_NNNN.png in {args.samples}")
        if compared:
            print(f"compared {compared} Java sample PNGs with PyTorch's: max byte difference {worst}")
        if worst > 1:
            raise SystemExit("FAIL: PyTorch and Java images differ by more than 1 (made with --batch-stats? "
                             "the PNG comparison is for eval-mode samples with the same --seed)")
    print("OK")


if __name__ == "__main__":
    main()
