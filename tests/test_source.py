"""Reading inputs: a file read whole with plain system calls, under its size cap, and from a pipe."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from creditfix import caps
from creditfix.errors import InputError
from creditfix.load.source import read_bytes


def test_reads_a_file_longer_than_one_read(tmp_path: Path) -> None:
    data = bytes(range(256)) * 1000  # 256,000 bytes: four reads and more
    path = tmp_path / "big.yaml"
    path.write_bytes(data)
    assert read_bytes(path, cap="profile_bytes") == data


def test_refuses_a_file_over_its_cap(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes(b"a" * 101)
    try:
        caps.use(caps.Caps(profile_bytes=100))
        with pytest.raises(InputError, match="larger than the 100 bytes limit"):
            read_bytes(path, cap="profile_bytes")
        caps.use(caps.Caps(profile_bytes=101))
        assert read_bytes(path, cap="profile_bytes") == b"a" * 101
    finally:
        caps.use(caps.DEFAULT)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes: POSIX")
def test_reads_a_pipe_to_its_end(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    parts = [b"client: {id: a}\n", b"as_of: 2026-11-20\n"]

    def write() -> None:
        with open(fifo, "wb", buffering=0) as sink:
            for part in parts:  # two writes: a short read is not the end
                sink.write(part)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert read_bytes(fifo, cap="profile_bytes") == b"".join(parts)
    finally:
        writer.join()


def test_errors_are_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_bytes(tmp_path / "missing.yaml")
    with pytest.raises(InputError, match="is a folder"):
        read_bytes(tmp_path)
