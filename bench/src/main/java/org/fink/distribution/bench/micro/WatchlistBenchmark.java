package org.fink.distribution.bench.micro;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.fink.distribution.rules.AngleUnit;
import org.fink.distribution.rules.Rules;
import org.fink.distribution.rules.Watchlist;
import org.fink.distribution.rules.avro.AlertPredicate;
import org.fink.distribution.rules.avro.WatchlistMatcher;
import org.fink.distribution.sample.SyntheticAlerts;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A watchlist of {@code sources} random sources (2 arcsec) on alerts of the generator (Avro evaluator): the look-up
 * in the sky index, per alert. {@code 0} sources measures the same rule without the watchlist.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WatchlistBenchmark {
  @Param({"0", "1000000"})
  public int sources;

  private AlertPredicate rule;
  private WatchlistMatcher matcher;
  private GenericRecord[] alerts;
  private int next;
  private Path catalog;

  @Setup
  public void setUp() throws IOException {
    SyntheticAlerts generator = SyntheticAlerts.ztf(3);
    alerts = new GenericRecord[64];
    for (int i = 0; i < alerts.length; i++) {
      alerts[i] = generator.next();
    }
    if (sources == 0) {
      rule = AlertPredicate.of(Rules.field("candidate.rb").ge(0.0));
      return;
    }
    catalog = Files.createTempFile("watchlist-bench", ".csv");
    Random random = new Random(1);
    try (BufferedWriter out = Files.newBufferedWriter(catalog)) {
      out.write("name,ra,dec\n");
      for (int i = 0; i < sources; i++) {
        out.write("s" + i + "," + random.nextDouble() * 360 + ","
            + Math.toDegrees(Math.asin(2 * random.nextDouble() - 1)) + "\n");
      }
    }
    Watchlist w = Rules.watchlist("candidate.ra", "candidate.dec").file(catalog).within(2, AngleUnit.ARCSEC);
    rule = AlertPredicate.of(Rules.field("candidate.rb").ge(0.0).and(w));
    matcher = new WatchlistMatcher(w.annotated());
  }

  @TearDown
  public void tearDown() throws IOException {
    if (catalog != null) {
      Files.deleteIfExists(catalog);
    }
  }

  @Benchmark
  public Object evaluateAndMatch() {
    GenericRecord alert = alerts[next++ & 63];
    boolean keep = rule.test(alert);
    return matcher == null ? (Object) keep : matcher.match(alert);
  }
}
