package org.fink.distribution.bench.micro;

import static org.fink.distribution.rules.Rules.count;
import static org.fink.distribution.rules.Rules.field;
import static org.fink.distribution.rules.Rules.span;

import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.fink.distribution.rules.AngleUnit;
import org.fink.distribution.rules.Condition;
import org.fink.distribution.rules.Rules;
import org.fink.distribution.rules.avro.AlertPredicate;
import org.fink.distribution.sample.SyntheticAlerts;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** A 10-condition rule (comparisons, a list, a range, a string test, history conditions, a cone) on one alert. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RuleEvaluationBenchmark {
  private AlertPredicate rule;
  private GenericRecord alert;

  @Setup
  public void setUp() {
    alert = SyntheticAlerts.ztf(3).next();
    Condition tenConditions = Rules.and(
        field("candidate.rb").ge(0.0),
        field("candidate.nbad").le(100),
        field("candidate.fwhm").lt(100.0),
        field("candidate.elong").le(100.0),
        field("candidate.magdiff").between(-100.0, 100.0),
        field("candidate.fid").in(1, 2, 3),
        field("candidate.isdiffpos").in("t", "f", "1", "0"),
        count("prv_candidates").ge(0),
        span("prv_candidates", "jd").including("candidate.jd").ge(0.0),
        Rules.cone("candidate.ra", "candidate.dec").around(180, 0).within(180, AngleUnit.DEG));
    rule = AlertPredicate.of(tenConditions);
  }

  @Benchmark
  public boolean evaluate() {
    return rule.test(alert);
  }
}
