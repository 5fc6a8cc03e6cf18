"""Reads Fink distribution messages the way Fink's clients do, with Python's standard library and avro package only.

usage: read_like_fink_client.py fink KEY_FILE VALUE_FILE [KEY_FILE VALUE_FILE ...]
       read_like_fink_client.py json VALUE_FILE [VALUE_FILE ...]

fink: as fink-client's consumer: json.loads(key) is the Avro schema of the value, and the value is the bare Avro binary
      record, read with a schemaless reader (avro.io.DatumReader + BinaryDecoder here; fastavro.schemaless_reader there).
json: json.loads(value).
Prints one JSON object per message: the alert, bytes as base64, NaN and infinities as "NaN", "Infinity", "-Infinity",
timestamps (timestamp-micros, which the avro package reads as datetime) as microseconds since the epoch, dates (the
science database's night) as days since the epoch.
"""
import base64
import datetime
import io
import json
import math
import sys

import avro.io
import avro.schema


def plain(x):
    """The decoded alert with JSON-able values (the JSON framing's conventions)."""
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    if isinstance(x, list):
        return [plain(v) for v in x]
    if isinstance(x, (bytes, bytearray)):
        return base64.b64encode(bytes(x)).decode("ascii")
    if isinstance(x, datetime.datetime):
        epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
        return (x - epoch) // datetime.timedelta(microseconds=1)
    if isinstance(x, datetime.date):
        return (x - datetime.date(1970, 1, 1)).days
    if isinstance(x, float) and not math.isfinite(x):
        return "NaN" if math.isnan(x) else ("Infinity" if x > 0 else "-Infinity")
    return x


def read_fink(key: bytes, value: bytes):
    schema = avro.schema.parse(json.dumps(json.loads(key)))  # fink-client: parse_schema(json.loads(msg.key()))
    stream = io.BytesIO(value)
    record = avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(stream))
    if stream.tell() != len(value):
        raise SystemExit(f"the record ends at byte {stream.tell()} of {len(value)}")
    return record


def main() -> None:
    mode, *files = sys.argv[1:]
    if mode == "fink":
        for key_path, value_path in zip(files[0::2], files[1::2]):
            with open(key_path, "rb") as k, open(value_path, "rb") as v:
                print(json.dumps(plain(read_fink(k.read(), v.read())), allow_nan=False))
    elif mode == "json":
        for path in files:
            with open(path, "rb") as v:
                print(json.dumps(plain(json.loads(v.read())), allow_nan=False))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
