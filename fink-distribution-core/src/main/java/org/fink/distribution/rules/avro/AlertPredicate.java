package org.fink.distribution.rules.avro;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericRecord;
import org.fink.distribution.rules.And;
import org.fink.distribution.rules.ArrayAggregate;
import org.fink.distribution.rules.ArrayAll;
import org.fink.distribution.rules.ArrayAny;
import org.fink.distribution.rules.ArrayCount;
import org.fink.distribution.rules.Between;
import org.fink.distribution.rules.Comparison;
import org.fink.distribution.rules.Condition;
import org.fink.distribution.rules.ConditionText;
import org.fink.distribution.rules.ConditionVisitor;
import org.fink.distribution.rules.Cone;
import org.fink.distribution.rules.ConeGeometry;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.FieldPath;
import org.fink.distribution.rules.InList;
import org.fink.distribution.rules.IsNull;
import org.fink.distribution.rules.Literal;
import org.fink.distribution.rules.Matches;
import org.fink.distribution.rules.Not;
import org.fink.distribution.rules.Or;
import org.fink.distribution.rules.StartsWith;
import org.fink.distribution.rules.ValueOrder;
import org.fink.distribution.rules.Watchlist;

/**
 * Rule conditions as a predicate on Avro alert records: for consumers and tools without Spark. It decides every alert
 * exactly as the distribution's Spark evaluator does.
 *
 * <pre>{@code
 * AlertPredicate keep = AlertPredicate.of(rules.streams().get(0));
 * try (DataFileReader<GenericRecord> alerts = new DataFileReader<>(file, new GenericDatumReader<>())) {
 *   for (GenericRecord alert : alerts) {
 *     if (keep.test(alert)) { ... }
 *   }
 * }
 * }</pre>
 *
 * <p>Semantics (two-valued logic, see {@link Condition}): every condition is true or false; a condition on a null or
 * missing field is false, {@code not} turns it true. A missing array counts as empty: {@code count} 0, {@code any}
 * false, {@code all} true. {@code min}, {@code max}, {@code span} skip null values and are false when no value is left.
 * Numbers and strings compare as in {@link ValueOrder}; {@code matches} finds the expression anywhere in the value.
 * The predicate is immutable and thread-safe; regular expressions and cone constants are prepared once.
 */
public final class AlertPredicate implements Predicate<GenericRecord> {
  private final Predicate<GenericRecord> test;
  private final String text;

  private AlertPredicate(Predicate<GenericRecord> test, String text) {
    this.test = test;
    this.text = text;
  }

  /** The predicate of one condition. */
  public static AlertPredicate of(Condition condition) {
    return new AlertPredicate(condition.accept(Compiler.INSTANCE), ConditionText.of(condition));
  }

  /** The AND of the conditions (a filter); true for every alert when there is none. */
  public static AlertPredicate of(List<Condition> filter) {
    return new AlertPredicate(Compiler.all(filter), ConditionText.of(filter));
  }

  /** The filter of a stream: which alerts it distributes. */
  public static AlertPredicate of(DistributionStream stream) {
    return of(stream.filter());
  }

  @Override
  public boolean test(GenericRecord alert) {
    return test.test(alert);
  }

  @Override
  public String toString() {
    return text;
  }

  /** Turns each condition into a predicate; a null record (an element of an array) has only null fields. */
  private static final class Compiler implements ConditionVisitor<Predicate<GenericRecord>> {
    static final Compiler INSTANCE = new Compiler();

    static Predicate<GenericRecord> all(List<Condition> conditions) {
      List<Predicate<GenericRecord>> tests = conditions.stream().map(c -> c.accept(INSTANCE)).toList();
      return record -> {
        for (Predicate<GenericRecord> t : tests) {
          if (!t.test(record)) {
            return false;
          }
        }
        return true;
      };
    }

    private static Predicate<GenericRecord> compare(FieldPath field, Predicate<Integer> accept, Literal value) {
      return record -> {
        Optional<Integer> order = ValueOrder.compare(RecordPath.value(record, field), value);
        return order.isPresent() && accept.test(order.get());
      };
    }

    @Override
    public Predicate<GenericRecord> visitComparison(Comparison c) {
      return compare(c.field(), c.operator()::test, c.value());
    }

    @Override
    public Predicate<GenericRecord> visitInList(InList in) {
      FieldPath field = in.field();
      List<Literal> values = in.values();
      boolean negated = in.negated();
      return record -> {
        Object value = RecordPath.value(record, field);
        if (value == null) {
          return false;
        }
        for (Literal literal : values) {
          Optional<Integer> order = ValueOrder.compare(value, literal);
          if (order.isEmpty()) {
            return false;
          }
          if (order.get() == 0) {
            return !negated;
          }
        }
        return negated;
      };
    }

    @Override
    public Predicate<GenericRecord> visitBetween(Between b) {
      return compare(b.field(), order -> order >= 0, b.low()).and(compare(b.field(), order -> order <= 0, b.high()));
    }

    @Override
    public Predicate<GenericRecord> visitIsNull(IsNull n) {
      FieldPath field = n.field();
      return n.negated() ? record -> RecordPath.value(record, field) != null
          : record -> RecordPath.value(record, field) == null;
    }

    @Override
    public Predicate<GenericRecord> visitStartsWith(StartsWith s) {
      FieldPath field = s.field();
      String prefix = s.prefix();
      return record -> RecordPath.value(record, field) instanceof String value && value.startsWith(prefix);
    }

    @Override
    public Predicate<GenericRecord> visitMatches(Matches m) {
      FieldPath field = m.field();
      Pattern pattern = Matches.compile(m.regex());
      return record -> RecordPath.value(record, field) instanceof String value && pattern.matcher(value).find();
    }

    @Override
    public Predicate<GenericRecord> visitAnd(And and) {
      return all(and.conditions());
    }

    @Override
    public Predicate<GenericRecord> visitOr(Or or) {
      List<Predicate<GenericRecord>> tests = or.conditions().stream().map(c -> c.accept(this)).toList();
      return record -> {
        for (Predicate<GenericRecord> t : tests) {
          if (t.test(record)) {
            return true;
          }
        }
        return false;
      };
    }

    @Override
    public Predicate<GenericRecord> visitNot(Not not) {
      return not.condition().accept(this).negate();
    }

    /** The elements of the array at {@code path}; empty when it is null or missing. */
    private static Collection<?> elements(GenericRecord record, FieldPath path) {
      return RecordPath.value(record, path) instanceof Collection<?> elements ? elements : List.of();
    }

    private static GenericRecord element(Object element) {
      return element instanceof GenericRecord r ? r : null;
    }

    @Override
    public Predicate<GenericRecord> visitCount(ArrayCount count) {
      FieldPath array = count.array();
      Predicate<GenericRecord> where = all(count.where());
      boolean everyElement = count.where().isEmpty();
      Literal value = count.value();
      Predicate<Integer> accept = count.operator()::test;
      return record -> {
        Collection<?> elements = elements(record, array);
        long n = everyElement ? elements.size() : elements.stream().filter(e -> where.test(element(e))).count();
        return accept.test(ValueOrder.compare(n, value).orElseThrow());
      };
    }

    @Override
    public Predicate<GenericRecord> visitAny(ArrayAny any) {
      FieldPath array = any.array();
      Predicate<GenericRecord> where = all(any.where());
      return record -> elements(record, array).stream().anyMatch(e -> where.test(element(e)));
    }

    @Override
    public Predicate<GenericRecord> visitAll(ArrayAll all) {
      FieldPath array = all.array();
      Predicate<GenericRecord> where = all(all.where());
      return record -> elements(record, array).stream().allMatch(e -> where.test(element(e)));
    }

    @Override
    public Predicate<GenericRecord> visitAggregate(ArrayAggregate aggregate) {
      FieldPath array = aggregate.array();
      FieldPath field = aggregate.field();
      FieldPath include = aggregate.include();
      Predicate<GenericRecord> where = all(aggregate.where());
      ArrayAggregate.Function function = aggregate.function();
      double limit = aggregate.value().doubleValue();
      Predicate<Integer> accept = aggregate.operator()::test;
      return record -> {
        List<Double> values = new ArrayList<>();
        for (Object e : elements(record, array)) {
          GenericRecord element = element(e);
          if (where.test(element) && RecordPath.value(element, field) instanceof Number n) {
            values.add(n.doubleValue());
          }
        }
        if (include != null && RecordPath.value(record, include) instanceof Number n) {
          values.add(n.doubleValue());
        }
        if (values.isEmpty()) {
          return false;
        }
        double min = values.stream().min(ValueOrder::compareDoubles).orElseThrow();
        double max = values.stream().max(ValueOrder::compareDoubles).orElseThrow();
        double result = switch (function) {
          case MIN -> min;
          case MAX -> max;
          case SPAN -> max - min;
        };
        return accept.test(ValueOrder.compareDoubles(result, limit));
      };
    }

    @Override
    public Predicate<GenericRecord> visitCone(Cone cone) {
      FieldPath ra = cone.ra();
      FieldPath dec = cone.dec();
      ConeGeometry geometry = cone.geometry();
      return record -> RecordPath.value(record, ra) instanceof Number r
          && RecordPath.value(record, dec) instanceof Number d
          && geometry.contains(r.doubleValue(), d.doubleValue());
    }

    @Override
    public Predicate<GenericRecord> visitWatchlist(Watchlist watchlist) {
      WatchlistMatcher matcher = new WatchlistMatcher(watchlist);
      return record -> matcher.match(record) != null;
    }
  }
}
