#!/usr/bin/python3
"""Times the PyTorch DCGAN tutorial's training iteration on the CPU, as the tutorial is written (dcgan bench also skips D's weight gradients in G's step, which netD.zero_grad() discards unread).

Run with Debian's python3 (apt-get install python3-torch), e.g.
  /usr/bin/python3 scripts/pytorch_iteration.py --batch-size 128 --threads 2 --iters 3 --warmup 1
The last line is machine-readable: median_s_per_iter=... min=... max=... images_per_s=...
"""
import argparse
import statistics
import time

import torch
import torch.nn as nn


def generator(nz, ngf, nc, size):
    mult = size // 8
    layers = [nn.ConvTranspose2d(nz, ngf * mult, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * mult), nn.ReLU(True)]
    ch = ngf * mult
    s = 4
    while s * 2 < size:
        layers += [nn.ConvTranspose2d(ch, ch // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ch // 2), nn.ReLU(True)]
        ch //= 2
        s *= 2
    layers += [nn.ConvTranspose2d(ch, nc, 4, 2, 1, bias=False), nn.Tanh()]
    return nn.Sequential(*layers)


def discriminator(ndf, nc, size):
    layers = [nn.Conv2d(nc, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True)]
    ch, s = ndf, size // 2
    while s > 4:
        layers += [nn.Conv2d(ch, ch * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ch * 2), nn.LeakyReLU(0.2, inplace=True)]
        ch *= 2
        s //= 2
    layers += [nn.Conv2d(ch, 1, 4, 1, 0, bias=False), nn.Sigmoid()]
    return nn.Sequential(*layers)


def weights_init(m):
    name = m.__class__.__name__
    if name.find('Conv') != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif name.find('BatchNorm') != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--batch-size', type=int, default=128)
    p.add_argument('--image-size', type=int, default=64)
    p.add_argument('--nz', type=int, default=100)
    p.add_argument('--ngf', type=int, default=64)
    p.add_argument('--ndf', type=int, default=64)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--iters', type=int, default=3)
    p.add_argument('--warmup', type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(999)
    netG, netD = generator(a.nz, a.ngf, 3, a.image_size), discriminator(a.ndf, 3, a.image_size)
    netG.apply(weights_init)
    netD.apply(weights_init)
    crit = nn.BCELoss()
    optD = torch.optim.Adam(netD.parameters(), lr=2e-4, betas=(0.5, 0.999))
    optG = torch.optim.Adam(netG.parameters(), lr=2e-4, betas=(0.5, 0.999))
    b = a.batch_size
    real = torch.randn(b, 3, a.image_size, a.image_size).tanh()
    secs = []
    print(f'torch {torch.__version__} threads={torch.get_num_threads()} batch={b} image={a.image_size}', flush=True)
    for it in range(a.warmup + a.iters):
        t0 = time.perf_counter()
        # The tutorial's iteration: D on real (label 1), G(z), D on fake.detach() (label 0), D step,
        # D on fake (label 1) backpropagated into G, G step.
        netD.zero_grad()
        out = netD(real).view(-1)
        errD_real = crit(out, torch.full((b,), 1.0))
        errD_real.backward()
        noise = torch.randn(b, a.nz, 1, 1)
        fake = netG(noise)
        out = netD(fake.detach()).view(-1)
        errD_fake = crit(out, torch.full((b,), 0.0))
        errD_fake.backward()
        optD.step()
        netG.zero_grad()
        out = netD(fake).view(-1)
        errG = crit(out, torch.full((b,), 1.0))
        errG.backward()
        optG.step()
        s = time.perf_counter() - t0
        print(f'{"iter" if it >= a.warmup else "warmup"} {it + 1}: {s:.3f} s  Loss_D {(errD_real + errD_fake).item():.4f}', flush=True)
        if it >= a.warmup:
            secs.append(s)
    med = statistics.median(secs)
    print(f'median_s_per_iter={med:.3f} min={min(secs):.3f} max={max(secs):.3f} images_per_s={b / med:.1f}')


if __name__ == '__main__':
    main()
