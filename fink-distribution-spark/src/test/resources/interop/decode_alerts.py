"""Decodes Fink distribution messages with Python's standard avro package (no Fink code).

usage: decode_alerts.py SCHEMA.avsc FORMAT MESSAGE_FILE...
Prints one line per message: objectId candid
"""
import io
import struct
import sys

import avro.io
import avro.schema
from avro.datafile import DataFileReader


def crc64_avro(data: bytes) -> int:
    """CRC-64-AVRO (the Rabin fingerprint of the Avro specification)."""
    empty = 0xC15D213AA4D7A795
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (empty & -(fp & 1))
        table.append(fp)
    fp = empty
    for b in data:
        fp = (fp >> 8) ^ table[(fp ^ b) & 0xFF]
    return fp


def main() -> None:
    schema_path, framing, *files = sys.argv[1:]
    with open(schema_path, encoding="utf-8") as f:
        schema = avro.schema.parse(f.read())
    fingerprint = crc64_avro(str(schema.canonical_form).encode("utf-8"))
    reader = avro.io.DatumReader(schema)
    for path in files:
        with open(path, "rb") as f:
            data = f.read()
        if framing == "avro-single-object":
            if data[:2] != b"\xc3\x01":
                raise SystemExit(f"{path}: no single-object marker")
            (found,) = struct.unpack("<Q", data[2:10])
            if found != fingerprint:
                raise SystemExit(f"{path}: fingerprint {found:016x} != schema {fingerprint:016x}")
            record = reader.read(avro.io.BinaryDecoder(io.BytesIO(data[10:])))
        elif framing == "avro-raw":
            record = reader.read(avro.io.BinaryDecoder(io.BytesIO(data)))
        elif framing == "avro-container":
            with DataFileReader(io.BytesIO(data), avro.io.DatumReader()) as container:
                record = next(iter(container))
        else:
            raise SystemExit(f"unknown framing {framing}")
        print(record["objectId"], record["candid"])


if __name__ == "__main__":
    main()
