package org.fink.distribution.bench.micro;

import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.sample.SyntheticAlerts;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Encoding and decoding one ZTF-like alert (~45 KB) in each message framing. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AlertCodecBenchmark {
  @Param({"avro-single-object", "avro-raw", "avro-container"})
  public String format;

  private AlertCodec codec;
  private GenericRecord alert;
  private byte[] message;

  @Setup
  public void setUp() {
    SyntheticAlerts alerts = SyntheticAlerts.ztf(1);
    alert = alerts.next();
    codec = AlertCodec.of(MessageFormat.parse(format), alerts.schema());
    message = codec.encode(alert);
  }

  @Benchmark
  public byte[] encode() {
    return codec.encode(alert);
  }

  @Benchmark
  public GenericRecord decode() {
    return codec.decode(message);
  }
}
