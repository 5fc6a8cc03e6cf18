package org.fink.distribution.spark;

import java.util.Arrays;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/** A growable byte buffer with the Avro binary encoding of primitives (zig-zag varints, little-endian floats). */
final class AvroBytes {
  private byte[] buffer;
  private int size;

  AvroBytes(int capacity) {
    buffer = new byte[capacity];
  }

  void reset() {
    size = 0;
  }

  int size() {
    return size;
  }

  /** A copy of the bytes written since the last reset. */
  byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  private void ensure(int more) {
    if (size + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
    }
  }

  void writeRaw(byte[] bytes) {
    writeRaw(bytes, 0, bytes.length);
  }

  void writeRaw(byte[] bytes, int offset, int length) {
    ensure(length);
    System.arraycopy(bytes, offset, buffer, size, length);
    size += length;
  }

  void writeLong(long value) {
    ensure(10);
    long n = (value << 1) ^ (value >> 63);
    while ((n & ~0x7FL) != 0) {
      buffer[size++] = (byte) ((n & 0x7F) | 0x80);
      n >>>= 7;
    }
    buffer[size++] = (byte) n;
  }

  void writeInt(int value) {
    writeLong(value);
  }

  void writeBoolean(boolean value) {
    ensure(1);
    buffer[size++] = (byte) (value ? 1 : 0);
  }

  void writeFloat(float value) {
    ensure(4);
    int bits = Float.floatToRawIntBits(value);
    buffer[size++] = (byte) bits;
    buffer[size++] = (byte) (bits >>> 8);
    buffer[size++] = (byte) (bits >>> 16);
    buffer[size++] = (byte) (bits >>> 24);
  }

  void writeDouble(double value) {
    ensure(8);
    long bits = Double.doubleToRawLongBits(value);
    for (int i = 0; i < 8; i++) {
      buffer[size++] = (byte) (bits >>> (8 * i));
    }
  }

  /** Length-prefixed bytes (Avro {@code bytes} and {@code string}). */
  void writeBytes(byte[] bytes) {
    writeLong(bytes.length);
    writeRaw(bytes);
  }

  /**
   * Length-prefixed bytes read in place from Spark's memory (a string, or a binary value seen as one): one copy,
   * where {@code getBytes()} or {@code getBinary()} would first copy the value into a new array.
   */
  void writeBytes(UTF8String bytes) {
    int length = bytes.numBytes();
    writeLong(length);
    ensure(length);
    bytes.writeToMemory(buffer, Platform.BYTE_ARRAY_OFFSET + size);
    size += length;
  }
}
