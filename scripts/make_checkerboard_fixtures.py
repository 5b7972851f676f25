#!/usr/bin/python3
"""PyTorch parity fixtures for the checkerboard ops (Upsample nearest/bilinear x2, PixelShuffle).

Run with Debian's interpreter, which has torch (apt-get install -y python3-torch):
    /usr/bin/python3 scripts/make_checkerboard_fixtures.py

Writes src/test/resources/fixtures/checkerboard/: per tensor NAME.bin (little-endian float32, C order)
and shapes.json mapping every NAME to its shape. Per case CASE: CASE.x (input), CASE.y (module output),
CASE.dy (upstream gradient, random), CASE.dx (autograd's dL/dx for L = sum(y * dy)). Read by
src/test/java/dcgan/checkerboard/CheckerboardFixtures.java.
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources",
                   "fixtures", "checkerboard")

CASES = [
    # (case name, module, input shape [n, c, h, w])
    ("nearest_a", torch.nn.Upsample(scale_factor=2, mode="nearest"), (1, 1, 3, 3)),
    ("nearest_b", torch.nn.Upsample(scale_factor=2, mode="nearest"), (2, 3, 4, 5)),
    ("nearest_c", torch.nn.Upsample(scale_factor=2, mode="nearest"), (2, 3, 8, 8)),
    ("bilinear_a", torch.nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False), (1, 1, 3, 3)),
    ("bilinear_b", torch.nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False), (2, 3, 4, 5)),
    ("bilinear_c", torch.nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False), (2, 3, 8, 8)),
    ("bilinear_d", torch.nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False), (1, 2, 1, 1)),
    ("bilinear_e", torch.nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False), (1, 1, 2, 7)),
    ("pixelshuffle_a", torch.nn.PixelShuffle(2), (1, 4, 3, 3)),
    ("pixelshuffle_b", torch.nn.PixelShuffle(2), (2, 12, 4, 5)),
    ("pixelshuffle_c", torch.nn.PixelShuffle(2), (2, 12, 8, 8)),
    ("pixelshuffle_r3", torch.nn.PixelShuffle(3), (1, 18, 2, 3)),
]


def save(shapes, name, t):
    t = t.detach().contiguous().to(torch.float32)
    t.numpy().astype("<f4").tofile(os.path.join(OUT, name + ".bin"))
    shapes[name] = list(t.shape)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(20161010)  # distill.pub's checkerboard article, Oct 2016
    shapes = {}
    for name, module, shape in CASES:
        x = torch.randn(*shape, dtype=torch.float32, requires_grad=True)
        y = module(x)
        dy = torch.randn(*y.shape, dtype=torch.float32)
        (y * dy).sum().backward()
        save(shapes, name + ".x", x)
        save(shapes, name + ".y", y)
        save(shapes, name + ".dy", dy)
        save(shapes, name + ".dx", x.grad)
    with open(os.path.join(OUT, "shapes.json"), "w") as f:
        f.write('{\n "torch": %s,\n "tensors": {\n' % json.dumps(torch.__version__))
        f.write(",\n".join('  %s: %s' % (json.dumps(k), json.dumps(v)) for k, v in sorted(shapes.items())))
        f.write("\n }\n}\n")
    print("wrote %d tensors to %s (torch %s)" % (len(shapes), os.path.normpath(OUT), torch.__version__))


if __name__ == "__main__":
    main()
