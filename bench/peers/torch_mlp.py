"""PyTorch CPU peer for the end-to-end benchmark: the same MLP configurations, data and batch sizes
as blasnet's run, timed the same way (median epoch after warm-up, inference over the 10k test set).

Run by bench/run.cjs as: python3 torch_mlp.py '<json spec>'; prints one result line on stdout.
"""
import gzip
import json
import os
import resource
import statistics
import sys
import time

RESULT_MARK = "@@bench-result "


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def read_idx_ubyte(path):
    import numpy as np

    with gzip.open(path, "rb") as f:
        raw = f.read()
    if raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    rank = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * d: 8 + 4 * d], "big") for d in range(rank)]
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank)
    return data.reshape(dims[0], -1) if rank > 1 else data


def load(data_dir):
    import numpy as np
    import torch

    def images(name):
        return torch.from_numpy(read_idx_ubyte(os.path.join(data_dir, name)).astype(np.float32) / 255.0)

    def labels(name):
        return torch.from_numpy(read_idx_ubyte(os.path.join(data_dir, name)).astype(np.int64))

    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


def build(spec, features, classes):
    from torch import nn

    layers = []
    width = features
    for hidden in spec["hidden"]:
        layers.append(nn.Linear(width, hidden))
        if spec.get("batchNorm"):
            layers.append(nn.BatchNorm1d(hidden))
        layers.append(nn.ReLU())
        if spec.get("dropout", 0) > 0:
            layers.append(nn.Dropout(spec["dropout"]))
        width = hidden
    layers.append(nn.Linear(width, classes))
    return nn.Sequential(*layers)


def main():
    spec = json.loads(sys.argv[-1])
    import torch

    torch.set_num_threads(spec["threads"])
    torch.manual_seed(spec.get("seed", 1))
    x_train, y_train, x_test, y_test = load(spec["dataDir"])
    n = min(spec["trainSamples"], x_train.shape[0])
    n_test = min(spec.get("inferSamples", x_test.shape[0]), x_test.shape[0])
    x_test, y_test = x_test[:n_test].contiguous(), y_test[:n_test].contiguous()
    x_train, y_train = x_train[:n].contiguous(), y_train[:n].contiguous()

    model = build(spec, x_train.shape[1], 10)
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=spec["lr"])
    batch = spec["batch"]

    def epoch():
        model.train()
        perm = torch.randperm(n)
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x_train[idx]), y_train[idx])
            loss.backward()
            opt.step()

    epoch_seconds = []
    for e in range(spec["warmupEpochs"] + spec["timedEpochs"]):
        t0 = time.perf_counter()
        epoch()
        dt = time.perf_counter() - t0
        if e >= spec["warmupEpochs"]:
            epoch_seconds.append(dt)
        log(f"epoch {e + 1}: {dt:.3f} s ({n / dt:,.0f} samples/s){' warm-up' if e < spec['warmupEpochs'] else ''}")

    model.eval()
    infer_batch = spec["inferBatch"]
    correct = 0

    def infer():
        nonlocal correct
        correct = 0
        with torch.inference_mode():
            for i in range(0, n_test, infer_batch):
                pred = model(x_test[i:i + infer_batch]).argmax(1)
                correct += int((pred == y_test[i:i + infer_batch]).sum())

    infer()
    infer_seconds = []
    for _ in range(spec["inferReps"]):
        t0 = time.perf_counter()
        infer()
        infer_seconds.append(time.perf_counter() - t0)

    train_s = statistics.median(epoch_seconds)
    infer_s = statistics.median(infer_seconds)
    result = {
        "library": f"torch {torch.__version__}",
        "threads": spec["threads"],
        "trainSamples": n,
        "inferSamples": n_test,
        "epochSeconds": train_s,
        "trainSamplesPerSec": n / train_s,
        "inferSamplesPerSec": n_test / infer_s,
        "testAccuracy": correct / n_test,
        "peakRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(RESULT_MARK + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
