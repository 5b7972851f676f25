#!/usr/bin/python3
"""Golden PyTorch fixtures for the classifier feature network of `dcgan evaluate` (Linear, softmax cross-entropy,
and one training step of a small classifier), written as safetensors files.

Regenerate (from the repository root; Debian's python3 with torch 1.13: `apt-get install -y python3-torch`):

    /usr/bin/python3 scripts/make_classifier_fixtures.py     # writes src/test/resources/fixtures/classifier_*.safetensors

Deterministic (seeded, one thread). Uses make_fixtures.py's hand-written safetensors writer.

classifier_layers.safetensors (metadata "cases", "ce_cases", "case<i>", "ce<i>")
  case<i>.{x [n,in], weight [out,in], bias [out], y, dy, dx, dweight, dbias}   nn.Linear; L = sum(y * dy)
  ce<i>.{logits [n,k], labels [n] (F32 holding the class), probs (softmax), loss [] (mean cross-entropy),
         accuracy [] (share of rows whose argmax is the label), dlogits (grad of the mean loss)}
classifier_step.safetensors: the network of dcgan.model.Classifier for nc=1, 32x32, width 4, 8 features, 3 classes:
  main = 0 Conv2d(1,4,4,2,1) 1 LeakyReLU(0.2) 2 Conv2d(4,8,4,2,1) 3 BN2d(8) 4 LeakyReLU 5 Conv2d(8,16,4,2,1)
         6 BN2d(16) 7 LeakyReLU 8 Flatten 9 Linear(256,8,bias=False) 10 BN1d(8) 11 LeakyReLU 12 Linear(8,3)   (no conv bias)
  PyTorch's default initialisation; batch of 4 in training mode; CrossEntropyLoss (mean); Adam(lr=1e-3).
  init.<name>       the state_dict before the step
  x [4,1,32,32], labels [4] (F32)
  features [4,8]    output of main.11; logits [4,3]; loss []
  grad.<param>      every parameter's .grad
  after.<name>      the state_dict after optimizer.step() (running statistics moved once)
  eval.features, eval.probs   eval mode after the step, on the same x
"""

import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import save, meta_str  # noqa: E402


def layers():
    torch.manual_seed(20261203)
    tensors, meta = {}, {}
    cases = [(3, 7, 4), (5, 64, 10), (1, 33, 1)]
    meta["cases"] = len(cases)
    for i, (n, cin, cout) in enumerate(cases):
        lin = nn.Linear(cin, cout)
        x = torch.randn(n, cin, requires_grad=True)
        y = lin(x)
        dy = torch.randn_like(y)
        (y * dy).sum().backward()
        meta[f"case{i}"] = meta_str(n=n, **{"in": cin}, out=cout)
        c = f"case{i}."
        tensors.update({c + "x": x, c + "weight": lin.weight, c + "bias": lin.bias, c + "y": y, c + "dy": dy,
                        c + "dx": x.grad, c + "dweight": lin.weight.grad, c + "dbias": lin.bias.grad})
    ce = [(4, 5, 1.5), (8, 10, 3.0), (3, 2, 20.0)]   # n, k, logit scale (20: probabilities near 0 and 1)
    meta["ce_cases"] = len(ce)
    for i, (n, k, scale) in enumerate(ce):
        logits = (torch.randn(n, k) * scale).requires_grad_()
        labels = torch.randint(0, k, (n,))
        loss = nn.functional.cross_entropy(logits, labels)
        loss.backward()
        meta[f"ce{i}"] = meta_str(n=n, k=k)
        c = f"ce{i}."
        acc = (logits.argmax(dim=1) == labels).float().mean()
        tensors.update({c + "logits": logits, c + "labels": labels.float(), c + "probs": torch.softmax(logits, dim=1),
                        c + "loss": loss, c + "accuracy": acc, c + "dlogits": logits.grad})
    save("classifier_layers.safetensors", tensors, meta)


def step():
    torch.manual_seed(7)
    w, f, k = 4, 8, 3
    net = nn.Sequential(
        nn.Conv2d(1, w, 4, 2, 1, bias=False), nn.LeakyReLU(0.2),
        nn.Conv2d(w, 2 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * w), nn.LeakyReLU(0.2),
        nn.Conv2d(2 * w, 4 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(4 * w), nn.LeakyReLU(0.2),
        nn.Flatten(), nn.Linear(4 * w * 16, f, bias=False), nn.BatchNorm1d(f), nn.LeakyReLU(0.2), nn.Linear(f, k))
    main = nn.Module()
    main.main = net
    tensors = {}
    for name, t in main.state_dict().items():
        tensors["init." + name] = t.clone()
    x = torch.rand(4, 1, 32, 32) * 2 - 1
    labels = torch.tensor([0, 2, 1, 2])
    opt = torch.optim.Adam(main.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    net.train()
    feats = {}
    hook = net[11].register_forward_hook(lambda m, i, o: feats.__setitem__("f", o.detach().clone()))
    logits = net(x)
    loss = nn.functional.cross_entropy(logits, labels)
    opt.zero_grad()
    loss.backward()
    tensors.update({"x": x, "labels": labels.float(), "features": feats["f"], "logits": logits, "loss": loss})
    for name, p in main.named_parameters():
        tensors["grad." + name] = p.grad.clone()
    opt.step()
    for name, t in main.state_dict().items():
        tensors["after." + name] = t.clone()
    net.eval()
    with torch.no_grad():
        out = net(x)
    hook.remove()
    tensors.update({"eval.features": feats["f"], "eval.probs": torch.softmax(out, dim=1)})
    save("classifier_step.safetensors", tensors, {"nc": 1, "image_size": 32, "width": w, "features": f, "classes": k, "lr": 1e-3})


def main():
    torch.set_num_threads(1)
    layers()
    step()


if __name__ == "__main__":
    main()
