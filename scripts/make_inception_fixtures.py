#!/usr/bin/python3
"""Golden fixture for dcgan.eval.inception: pytorch-fid's FID Inception-v3 with deterministic random weights.

Regenerate (from the repository root; Debian's python3 with torch and torchvision, installed once with
`apt-get install -y python3-torchvision`):

    /usr/bin/python3 scripts/make_inception_fixtures.py   # writes src/test/resources/fixtures/inception.safetensors

With pytorch-fid's real weights instead (where you have them; same tensors, for InceptionTest.realWeights):

    /usr/bin/python3 scripts/make_inception_fixtures.py --weights pt_inception-2015-12-05-6726825d.pth --out real.safetensors

pytorch-fid is not packaged, so its network is rebuilt here: torchvision's Inception3 (1008 classes, no aux
classifier) with Mixed_5b/5c/5d, 6b-6e, 7b and 7c replaced by the FID variants of its blocks (pytorch-fid's
FIDInceptionA/C/E_1/E_2: 3x3 average pooling with count_include_pad=False in A, C and E_1, 3x3 max pooling
in E_2's pool branch), and its forward: bilinear resize to 299x299 (align_corners=False), 2x - 1, the four
blocks up to the 2048-d average pool.

Weights: not from torch's RNG (the Java test could not repeat it, and 24M floats would not fit a fixture) but
from a counter-based generator both sides compute: for a tensor named N with k elements, element i (from 0)
is lo + (hi - lo) * u_i in float64, rounded to float32, where u_i = (splitmix64(s + (i + 1) * 0x9E3779B97F4A7C15)
>> 40) / 2^24 and s = FNV-1a 64 of N's UTF-8 bytes (splitmix64 here is the output mix only: z ^= z >> 30,
z *= 0xBF58476D1CE4E5B9, z ^= z >> 27, z *= 0x94D049BB133111EB, z ^= z >> 31). Ranges: conv weights
+-sqrt(6 / fan_in) (He-uniform, so activations neither die nor blow up over 94 layers), bn.weight and
bn.running_var [0.8, 1.2], bn.bias and bn.running_mean [-0.1, 0.1], fc.weight +-sqrt(3 / 2048),
fc.bias [-0.1, 0.1]. See dcgan.eval.inception.InceptionTestWeights for the Java side.

Tensors (F32; the inputs from torch.manual_seed(0))
  resize.x [2,3,13,17] in [0,1]; resize.up [2,3,29,40], resize.down [2,3,6,7]: F.interpolate bilinear
  pool.x [2,3,13,17]; pool.avg (3, 1, 1, count_include_pad=False), pool.max (3, 2, 0), pool.max_pad (3, 1, 1)
  stem0.x [2,3,35,35] in [-1,1]; stem0.y: Conv2d_1a_3x3, Conv2d_2a_3x3, Conv2d_2b_3x3, max pool 3/2
  stem1.x [2,64,11,11] in [0,1]; stem1.y: Conv2d_3b_1x1, Conv2d_4a_3x3, max pool 3/2
  Mixed_5b.x [1,192,11,11] in [0,1]; <block>.y for Mixed_5b, 5c, 5d, 6a, 6b, 6c, 6d, 6e, 7a, 7b, 7c, each block
      run on the previous one's stored output; pool.y: adaptive average pool of Mixed_7c.y
  net.x [2,3,32,32] in [0,1] (pytorch-fid's input range); net.features [2,2048]; net.logits [2,1008] (fc of
      the features, as Inception3's classifier in eval mode); net.probs: their softmax; net.probs_unbiased:
      softmax of features @ fc.weight.T without fc.bias (the Inception Score's logits, as torch-fidelity's)
  grey.x [1,1,28,28] in [0,1]; grey.features: the network on grey.x repeated to 3 channels (as RGB)
"""

import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from torchvision.models.inception import Inception3, InceptionA, InceptionC, InceptionE

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_out import write as write_safetensors  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "fixtures")

M64 = (1 << 64) - 1


def fnv1a64(name):
    h = 0xCBF29CE484222325
    for b in name.encode("utf-8"):
        h = ((h ^ b) * 0x100000001B3) & M64
    return h


def uniform(name, count, lo, hi):
    z = np.uint64(fnv1a64(name)) + np.arange(1, count + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(40)).astype(np.float64) / float(1 << 24)
    return (lo + (hi - lo) * u).astype(np.float32)


def test_weight(name, shape):
    count = int(np.prod(shape))
    if name.endswith("conv.weight"):
        b = math.sqrt(6.0 / (count // shape[0]))
        lo, hi = -b, b
    elif name.endswith("bn.weight") or name.endswith("bn.running_var"):
        lo, hi = 0.8, 1.2
    elif name.endswith("bn.bias") or name.endswith("bn.running_mean") or name == "fc.bias":
        lo, hi = -0.1, 0.1
    elif name == "fc.weight":
        b = math.sqrt(3.0 / shape[1])
        lo, hi = -b, b
    else:
        raise ValueError(name)
    return uniform(name, count, lo, hi).reshape(shape)


# ---- the FID variants of the blocks (after pytorch-fid's inception.py), over torchvision's layers

def avg3(x):
    return F.avg_pool2d(x, kernel_size=3, stride=1, padding=1, count_include_pad=False)


class FidA(InceptionA):
    def forward(self, x):
        b1 = self.branch1x1(x)
        b5 = self.branch5x5_2(self.branch5x5_1(x))
        b3 = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        return torch.cat([b1, b5, b3, self.branch_pool(avg3(x))], 1)


class FidC(InceptionC):
    def forward(self, x):
        b1 = self.branch1x1(x)
        b7 = self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x)))
        d = self.branch7x7dbl_1(x)
        for layer in (self.branch7x7dbl_2, self.branch7x7dbl_3, self.branch7x7dbl_4, self.branch7x7dbl_5):
            d = layer(d)
        return torch.cat([b1, b7, d, self.branch_pool(avg3(x))], 1)


class FidE(InceptionE):
    def __init__(self, in_channels, max_pool):
        super().__init__(in_channels)
        self.max_pool = max_pool

    def forward(self, x):
        b1 = self.branch1x1(x)
        t = self.branch3x3_1(x)
        b3 = torch.cat([self.branch3x3_2a(t), self.branch3x3_2b(t)], 1)
        d = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        bd = torch.cat([self.branch3x3dbl_3a(d), self.branch3x3dbl_3b(d)], 1)
        pooled = F.max_pool2d(x, kernel_size=3, stride=1, padding=1) if self.max_pool else avg3(x)
        return torch.cat([b1, b3, bd, self.branch_pool(pooled)], 1)


def fid_inception(weights=None):
    net = Inception3(num_classes=1008, aux_logits=False, init_weights=False)
    net.Mixed_5b = FidA(192, pool_features=32)
    net.Mixed_5c = FidA(256, pool_features=64)
    net.Mixed_5d = FidA(288, pool_features=64)
    net.Mixed_6b = FidC(768, channels_7x7=128)
    net.Mixed_6c = FidC(768, channels_7x7=160)
    net.Mixed_6d = FidC(768, channels_7x7=160)
    net.Mixed_6e = FidC(768, channels_7x7=192)
    net.Mixed_7b = FidE(1280, max_pool=False)
    net.Mixed_7c = FidE(2048, max_pool=True)
    if weights is not None:  # as pytorch-fid: the published state_dict, loaded strictly
        net.load_state_dict(torch.load(weights, map_location="cpu"))
        return net.eval()
    state = {k: torch.from_numpy(test_weight(k, tuple(v.shape))) if not k.endswith("num_batches_tracked") else v
             for k, v in net.state_dict().items()}
    net.load_state_dict(state)
    return net.eval()


def stem0(net, x):
    return F.max_pool2d(net.Conv2d_2b_3x3(net.Conv2d_2a_3x3(net.Conv2d_1a_3x3(x))), kernel_size=3, stride=2)


def stem1(net, x):
    return F.max_pool2d(net.Conv2d_4a_3x3(net.Conv2d_3b_1x1(x)), kernel_size=3, stride=2)


MIXED = ["Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e",
         "Mixed_7a", "Mixed_7b", "Mixed_7c"]


def features(net, x01):
    """pytorch-fid's InceptionV3 forward (resize, normalise, blocks 0-3): [n, 2048]."""
    x = F.interpolate(x01, size=(299, 299), mode="bilinear", align_corners=False)
    x = 2 * x - 1
    x = stem1(net, stem0(net, x))
    for name in MIXED:
        x = getattr(net, name)(x)
    return F.adaptive_avg_pool2d(x, output_size=(1, 1)).flatten(1)


def main():
    import argparse
    ap = argparse.ArgumentParser(description="FID Inception fixtures (random weights unless --weights)")
    ap.add_argument("--weights", help="pytorch-fid's pt_inception-2015-12-05-6726825d.pth instead of random weights")
    ap.add_argument("--out", default=os.path.join(OUT, "inception.safetensors"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    print("torch", torch.__version__, "torchvision", torchvision.__version__)
    net = fid_inception(args.weights)
    t = {}
    with torch.no_grad():
        x = torch.rand(2, 3, 13, 17)
        t["resize.x"] = x
        t["resize.up"] = F.interpolate(x, size=(29, 40), mode="bilinear", align_corners=False)
        t["resize.down"] = F.interpolate(x, size=(6, 7), mode="bilinear", align_corners=False)
        x = torch.rand(2, 3, 13, 17) * 2 - 1
        t["pool.x"] = x
        t["pool.avg"] = F.avg_pool2d(x, kernel_size=3, stride=1, padding=1, count_include_pad=False)
        t["pool.max"] = F.max_pool2d(x, kernel_size=3, stride=2)
        t["pool.max_pad"] = F.max_pool2d(x, kernel_size=3, stride=1, padding=1)
        x = torch.rand(2, 3, 35, 35) * 2 - 1
        t["stem0.x"], t["stem0.y"] = x, stem0(net, x)
        x = torch.rand(2, 64, 11, 11)
        t["stem1.x"], t["stem1.y"] = x, stem1(net, x)
        x = torch.rand(1, 192, 11, 11)
        t["Mixed_5b.x"] = x
        for name in MIXED:
            x = getattr(net, name)(x)
            t[name + ".y"] = x
        t["pool.y"] = F.adaptive_avg_pool2d(x, output_size=(1, 1))
        x = torch.rand(2, 3, 32, 32)
        f = features(net, x)
        logits = net.fc(f)
        t["net.x"], t["net.features"], t["net.logits"], t["net.probs"] = x, f, logits, F.softmax(logits, dim=1)
        t["net.probs_unbiased"] = F.softmax(f @ net.fc.weight.t(), dim=1)
        x = torch.rand(1, 1, 28, 28)
        t["grey.x"], t["grey.features"] = x, features(net, x.repeat(1, 3, 1, 1))
    for k, v in t.items():
        print(f"{k:16s} {tuple(v.shape)}  max|.| {v.abs().max().item():.4g}  mean {v.mean().item():.4g}")
    tensors = {k: v.contiguous().numpy().astype(np.float32) for k, v in t.items()}
    meta = {"torch": torch.__version__, "torchvision": torchvision.__version__,
            "weights": os.path.basename(args.weights) if args.weights
            else "splitmix64/fnv1a64 counter generator, see scripts/make_inception_fixtures.py"}
    size = write_safetensors(args.out, tensors, meta)
    print(f"wrote {args.out}: {len(tensors)} tensors, {size} bytes")


if __name__ == "__main__":
    main()
