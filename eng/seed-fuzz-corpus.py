#!/usr/bin/env python3
"""Seeds tests/Stickpeer.Fuzz/corpus/<target>/ from the committed HAProxy recordings.

Run from the repository root after building the daemon:
  dotnet build src/Stickpeer.Daemon && python3 eng/seed-fuzz-corpus.py
Message boundaries come from `stickpeer decode` (its @offset prefixes).
"""
import glob, hashlib, os, re, subprocess

ROOT = os.getcwd()
DECODE = ["dotnet", "src/Stickpeer.Daemon/bin/Debug/net10.0/stickpeer.dll", "decode"]
OUT = "tests/Stickpeer.Fuzz/corpus"

def parse_hex(path):
    data = bytearray()
    for line in open(path):
        line = line.split("#", 1)[0]
        for tok in re.split(r"[\s:]+", line.strip()):
            if tok:
                data += bytes.fromhex(tok)
    return bytes(data)

def save(target, data, tag):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    name = f"{tag}-{hashlib.sha256(data).hexdigest()[:12]}.bin"
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

recordings = sorted(glob.glob("tests/Stickpeer.Interop.Tests/Recordings/*.hex"))
for path in recordings:
    base = os.path.basename(path)[:-4]
    data = parse_hex(path)
    out = subprocess.run(DECODE + [path], capture_output=True, text=True, check=True).stdout
    items = [(int(m.group(1)), m.group(2)) for m in re.finditer(r"^@(\d+) (\S+)", out, re.M)]
    offsets = [o for o, _ in items] + [len(data)]
    handshake_end = offsets[1]
    # Session: the head of the direction and the whole direction.
    save("SessionDecode", data[:600], base + "-head")
    save("SessionDecode", data, base + "-all")
    if items[0][1] == "HELLO":
        save("HelloParser", bytes([7]) + data[:handshake_end], base)
    else:
        save("StatusLine", bytes([2]) + data[:handshake_end + 8], base)
    # Frames: each DEFINE with the messages after it, up to ~600 bytes; plus a control/ACK run.
    for i, (off, kind) in enumerate(items[1:], start=1):
        if kind != "DEFINE":
            continue
        j = i + 1
        while j < len(items) and offsets[j] - off < 600 and items[j][1] != "DEFINE":
            j += 1
        save("FrameDecoder", bytes([off % 256, i % 256, 5]) + data[off:offsets[j]], base + "-define")
    acks = [k for k, (o, kind) in enumerate(items) if kind in ("ACK", "HEARTBEAT", "RESYNCREQ", "RESYNCPARTIAL", "RESYNCCONFIRM")]
    if acks:
        a = acks[0]
        b = min(len(items), a + 12)
        save("FrameDecoder", bytes([1, 2, 3]) + data[offsets[a]:offsets[b]], base + "-control")

# Hand-written edge cases (spec vectors and variants).
hello = b"HAProxyS 2.1\nhapB\nhapA 4242 1\n"
for tag, h in [("v1", hello), ("downgraded", hello.replace(b"2.1", b"2.0")), ("crlf", hello.replace(b"\n", b"\r\n")),
               ("nospace", b"HAProxyS 2.1\nhapB\nhapA\n"), ("badversion", b"HAProxyS 3.x\nhapB\nhapA 1 1\n"),
               ("local", b"HAProxyS 2.1\nhapB\nhapB 1 1\n")]:
    save("HelloParser", bytes([3]) + h, tag)
for tag, s in [("200", b"200\n"), ("502", b"502\n"), ("300crlf", b"300\r\n"), ("space", b" 200 ok\n"), ("empty", b"\n")]:
    save("StatusLine", bytes([1]) + s, tag)
