"""Minimal .safetensors reader/writer (Debian packages no python3-safetensors).

The format: an 8-byte little-endian header length N, N bytes of JSON header
({"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...,
optionally "__metadata__": {str: str}}), then the raw little-endian tensor data.
"""
import json
import struct

import numpy as np
import torch

_DTYPES = {"F32": (torch.float32, np.float32), "F64": (torch.float64, np.float64),
           "F16": (torch.float16, np.float16), "I64": (torch.int64, np.int64), "I32": (torch.int32, np.int32)}
_NAMES = {v[0]: k for k, v in _DTYPES.items()}
_NAMES[torch.bfloat16] = "BF16"


def save_file(tensors, path, metadata=None):
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = dict(metadata)
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        if t.dtype == torch.bfloat16:
            data = t.view(torch.int16).numpy().astype("<i2").tobytes()
        else:
            data = t.numpy().astype(np.dtype(_DTYPES[_NAMES[t.dtype]][1]).newbyteorder("<")).tobytes()
        header[name] = {"dtype": _NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for c in chunks:
            f.write(c)


def load_file(path):
    """Returns (ordered dict of tensors, metadata dict)."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = blob[8 + n:]
    meta = header.pop("__metadata__", {})
    out = {}
    for name, d in header.items():
        b, e = d["data_offsets"]
        if d["dtype"] == "BF16":
            t = torch.from_numpy(np.frombuffer(data[b:e], dtype="<i2").copy()).view(torch.bfloat16)
        else:
            t = torch.from_numpy(np.frombuffer(data[b:e], dtype=np.dtype(_DTYPES[d["dtype"]][1]).newbyteorder("<"))
                                 .astype(_DTYPES[d["dtype"]][1]))
        out[name] = t.reshape(d["shape"])
    return out, meta
