"""PyTorch reference for bench/train.ts: the same network (REFERENCE_MOBILENET in
server/training/mobileNet.ts), channels-last, trained with SGD momentum 0.9 on random data.

Usage: /usr/bin/python3 bench/train_pytorch.py --config JSON [--batch 64] [--steps 10]
       [--warmup 3] [--threads 2]
Prints one JSON line: {"train_img_s", "infer_b1_ms", "infer_b64_ms", "torch", "threads"}.
"""
import argparse
import json
import time

import torch
import torch.nn as nn


class MBConv(nn.Module):
    def __init__(self, cin, cout, kernel, stride, expand):
        super().__init__()
        mid = cin * expand
        layers = []
        if expand != 1:
            layers += [nn.Conv2d(cin, mid, 1, bias=False), nn.BatchNorm2d(mid), nn.ReLU()]
        layers += [
            nn.Conv2d(mid, mid, kernel, stride, kernel // 2, groups=mid, bias=False),
            nn.BatchNorm2d(mid),
            nn.ReLU(),
            nn.Conv2d(mid, cout, 1, bias=False),
            nn.BatchNorm2d(cout),
        ]
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.body(x)
        return x + y if self.residual else y


def build(config):
    channels = config["inputShape"][2]
    stem = config["stemChannels"]
    layers = [nn.Conv2d(channels, stem, 3, config["stemStride"], 1, bias=False), nn.BatchNorm2d(stem), nn.ReLU()]
    c = stem
    def per_block(value, i):
        return value[i] if isinstance(value, list) else value

    for s in config["stages"]:
        for i in range(s["depth"]):
            kernel, expand = per_block(s["kernelSize"], i), per_block(s["expandRatio"], i)
            layers.append(MBConv(c, s["width"], kernel, s["stride"] if i == 0 else 1, expand))
            c = s["width"]
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, config["classes"])]
    return nn.Sequential(*layers)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    config = json.loads(args.config)
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    h, w, c = config["inputShape"]
    model = build(config).to(memory_format=torch.channels_last)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(args.batch, c, h, w).to(memory_format=torch.channels_last)
    y = torch.randint(0, config["classes"], (args.batch,))

    def step():
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()

    model.train()
    for _ in range(args.warmup):
        step()
    start = time.perf_counter()
    for _ in range(args.steps):
        step()
    train_img_s = args.batch * args.steps / (time.perf_counter() - start)

    def infer_ms(batch, repeats):
        xi = torch.randn(batch, c, h, w).to(memory_format=torch.channels_last)
        with torch.no_grad():
            for _ in range(3):
                model(xi)
            start = time.perf_counter()
            for _ in range(repeats):
                model(xi)
        return (time.perf_counter() - start) / repeats * 1000

    model.eval()
    print(json.dumps({
        "train_img_s": train_img_s,
        "infer_b1_ms": infer_ms(1, 50),
        "infer_b64_ms": infer_ms(64, 10),
        "torch": torch.__version__,
        "threads": args.threads,
    }))


if __name__ == "__main__":
    main()
