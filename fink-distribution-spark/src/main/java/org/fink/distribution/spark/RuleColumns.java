package org.fink.distribution.spark;

import static org.apache.spark.sql.functions.array_max;
import static org.apache.spark.sql.functions.array_min;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.forall;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sin;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BinaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.fink.distribution.rules.And;
import org.fink.distribution.rules.ArrayAggregate;
import org.fink.distribution.rules.ArrayAll;
import org.fink.distribution.rules.ArrayAny;
import org.fink.distribution.rules.ArrayCount;
import org.fink.distribution.rules.Between;
import org.fink.distribution.rules.Comparison;
import org.fink.distribution.rules.Condition;
import org.fink.distribution.rules.ConditionVisitor;
import org.fink.distribution.rules.Cone;
import org.fink.distribution.rules.ConeGeometry;
import org.fink.distribution.rules.FieldPath;
import org.fink.distribution.rules.InList;
import org.fink.distribution.rules.IsNull;
import org.fink.distribution.rules.Literal;
import org.fink.distribution.rules.Matches;
import org.fink.distribution.rules.Not;
import org.fink.distribution.rules.Operator;
import org.fink.distribution.rules.Or;
import org.fink.distribution.rules.StartsWith;
import org.fink.distribution.rules.Watchlist;

/**
 * Turns rule conditions into Spark columns, built with {@link org.apache.spark.sql.functions} only: values become
 * typed literals, never SQL text, so a value can never change the meaning of a rule.
 *
 * <pre>{@code
 * Column keep = new RuleColumns(df.schema()).all(stream.filter());
 * df.filter(keep);
 * }</pre>
 *
 * <p>The columns follow the rules' two-valued logic (see {@link Condition}), exactly as the Avro evaluator
 * ({@code AlertPredicate}) does: every condition column is true or false, never null. A condition on a null field is
 * false ({@code coalesce(..., false)} around every test of a value), {@code not} turns it true; a missing array is
 * empty. Values compare as {@code org.fink.distribution.rules.ValueOrder} says (Spark's own order); min, max and
 * span are computed in double precision; the cone test is {@link ConeGeometry}'s expression, operation by operation.
 * Conditions on the elements of an array are lambda functions ({@code exists}, {@code forall}, {@code filter},
 * {@code transform}) whose paths start at the element.
 */
public final class RuleColumns implements ConditionVisitor<Column> {
  private final StructType schema;
  /** The element an array condition is looking at, or null at the top of the alert. */
  private final Column element;

  public RuleColumns(StructType schema) {
    this(schema, null);
  }

  private RuleColumns(StructType schema, Column element) {
    this.schema = schema;
    this.element = element;
  }

  /** The AND of all conditions; true when there is none. Never null. */
  public Column all(List<Condition> conditions) {
    return conditions.isEmpty() ? lit(true) : balanced(conditions.stream().map(c -> c.accept(this)).toList(),
        Column::and);
  }

  /**
   * The columns joined by {@code join} as a balanced tree: thousands of conditions make a tree a dozen levels deep,
   * where a chain would overflow the stack of Spark's recursive column conversion.
   */
  private static Column balanced(List<Column> columns, BinaryOperator<Column> join) {
    return balanced(columns, 0, columns.size(), join);
  }

  private static Column balanced(List<Column> columns, int from, int to, BinaryOperator<Column> join) {
    if (to - from == 1) {
      return columns.get(from);
    }
    int middle = (from + to) >>> 1;
    return join.apply(balanced(columns, from, middle, join), balanced(columns, middle, to, join));
  }

  /** One condition. Never null. */
  public Column of(Condition condition) {
    return condition.accept(this);
  }

  /** The column at a field path of the alert. */
  public static Column field(FieldPath path) {
    return below(col(quote(path.head())), path.tail());
  }

  private static Column below(Column column, FieldPath rest) {
    Column current = column;
    for (FieldPath p = rest; p != null; p = p.tail()) {
      current = current.getField(p.head());
    }
    return current;
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** The column at a path of this scope: the alert, or the element. */
  private Column path(FieldPath path) {
    return element == null ? field(path) : below(element.getField(path.head()), path.tail());
  }

  /** A test of a value: false where Spark's answer is null (a null field). */
  private static Column known(Column test) {
    return coalesce(test, lit(false));
  }

  private static Column compare(Column value, Operator operator, Column literal) {
    return switch (operator) {
      case LT -> value.lt(literal);
      case LE -> value.leq(literal);
      case EQ -> value.equalTo(literal);
      case NE -> value.notEqual(literal);
      case GE -> value.geq(literal);
      case GT -> value.gt(literal);
    };
  }

  /**
   * A literal typed for a field of type {@code fieldType}: a whole number against an integer field is a long (compared
   * exactly), any number against a float field a float (compared in the field's precision), any other number a
   * double, as {@link org.fink.distribution.rules.ValueOrder} compares.
   */
  private static Column literal(Literal literal, DataType fieldType) {
    if (literal instanceof Literal.Text text) {
      return lit(text.value());
    }
    Literal.Number number = (Literal.Number) literal;
    Optional<Long> whole = number.exactLong();
    if (isInteger(fieldType) && whole.isPresent()) {
      return lit(whole.get());
    }
    if (fieldType == DataTypes.FloatType) {
      return lit(number.floatValue());
    }
    return lit(number.doubleValue());
  }

  private Column compare(FieldPath field, Operator operator, Literal value) {
    return compare(path(field), operator, literal(value, typeOf(field)));
  }

  @Override
  public Column visitComparison(Comparison comparison) {
    return known(compare(comparison.field(), comparison.operator(), comparison.value()));
  }

  /**
   * A set lookup ({@code isin}), one per type of literal (whole numbers against an integer field are longs, numbers
   * against a float field floats, other numbers doubles, strings strings), so that each compares as {@code =} does and a list of thousands of values is
   * one expression, not a chain of thousands.
   */
  @Override
  public Column visitInList(InList in) {
    Column value = path(in.field());
    DataType type = typeOf(in.field());
    Map<Object, List<Object>> byType = new LinkedHashMap<>();
    for (Literal v : in.values()) {
      Object typed = typedValue(v, type);
      byType.computeIfAbsent(typed.getClass(), k -> new ArrayList<>()).add(typed);
    }
    Column any = balanced(byType.values().stream()
        .map(values -> values.size() == 1 ? value.equalTo(lit(values.get(0))) : value.isInCollection(values))
        .toList(), Column::or);
    return known(in.negated() ? not(any) : any);
  }

  /** The Java value of a literal typed as {@link #literal} types it. */
  private static Object typedValue(Literal literal, DataType fieldType) {
    if (literal instanceof Literal.Text text) {
      return text.value();
    }
    Literal.Number number = (Literal.Number) literal;
    Optional<Long> whole = number.exactLong();
    if (isInteger(fieldType) && whole.isPresent()) {
      return whole.get();
    }
    return fieldType == DataTypes.FloatType ? (Object) number.floatValue() : (Object) number.doubleValue();
  }

  private static boolean isInteger(DataType type) {
    return type == DataTypes.IntegerType || type == DataTypes.LongType || type == DataTypes.ShortType
        || type == DataTypes.ByteType;
  }

  @Override
  public Column visitBetween(Between between) {
    return known(compare(between.field(), Operator.GE, between.low())
        .and(compare(between.field(), Operator.LE, between.high())));
  }

  @Override
  public Column visitIsNull(IsNull isNull) {
    Column value = path(isNull.field());
    return isNull.negated() ? value.isNotNull() : value.isNull();
  }

  @Override
  public Column visitStartsWith(StartsWith startsWith) {
    return known(path(startsWith.field()).startsWith(startsWith.prefix()));
  }

  @Override
  public Column visitMatches(Matches matches) {
    return known(path(matches.field()).rlike(matches.regex()));
  }

  @Override
  public Column visitAnd(And and) {
    return all(and.conditions());
  }

  @Override
  public Column visitOr(Or or) {
    return balanced(or.conditions().stream().map(c -> c.accept(this)).toList(), Column::or);
  }

  @Override
  public Column visitNot(Not not) {
    return not(not.condition().accept(this));
  }

  /** The conditions on the elements of {@code array}, as a function of the element. */
  private scala.Function1<Column, Column> onElements(FieldPath array, List<Condition> where) {
    StructType elements = (StructType) ((ArrayType) typeOf(array)).elementType();
    return x -> new RuleColumns(elements, x).all(where);
  }

  @Override
  public Column visitCount(ArrayCount count) {
    Column array = path(count.array());
    Column selected = count.where().isEmpty() ? array : filter(array, onElements(count.array(), count.where()));
    Column n = when(array.isNull(), lit(0)).otherwise(size(selected));
    return known(compare(n, count.operator(), literal(count.value(), DataTypes.IntegerType)));
  }

  @Override
  public Column visitAny(ArrayAny any) {
    return coalesce(exists(path(any.array()), onElements(any.array(), any.where())), lit(false));
  }

  @Override
  public Column visitAll(ArrayAll all) {
    return coalesce(forall(path(all.array()), onElements(all.array(), all.where())), lit(true));
  }

  @Override
  public Column visitAggregate(ArrayAggregate aggregate) {
    Column array = path(aggregate.array());
    Column selected = aggregate.where().isEmpty() ? array
        : filter(array, onElements(aggregate.array(), aggregate.where()));
    FieldPath field = aggregate.field();
    Column values = transform(selected, x -> below(x.getField(field.head()), field.tail()).cast(DataTypes.DoubleType));
    Column min = array_min(values);
    Column max = array_max(values);
    if (aggregate.include() != null) {
      Column included = path(aggregate.include()).cast(DataTypes.DoubleType);
      min = least(min, included);
      max = greatest(max, included);
    }
    Column result = switch (aggregate.function()) {
      case MIN -> min;
      case MAX -> max;
      case SPAN -> max.minus(min);
    };
    return known(compare(result, aggregate.operator(), lit(aggregate.value().doubleValue())));
  }

  @Override
  public Column visitCone(Cone cone) {
    ConeGeometry g = cone.geometry();
    Column degree = lit(ConeGeometry.RADIANS_PER_DEGREE);
    Column ra = path(cone.ra()).cast(DataTypes.DoubleType);
    Column dec = path(cone.dec()).cast(DataTypes.DoubleType);
    Column half = lit(0.5);
    Column sinDec = sin(dec.multiply(degree).minus(lit(g.centerDecRadians())).multiply(half));
    Column sinRa = sin(ra.multiply(degree).minus(lit(g.centerRaRadians())).multiply(half));
    Column haversine = sinDec.multiply(sinDec)
        .plus(cos(dec.multiply(degree)).multiply(lit(g.cosCenterDec())).multiply(sinRa.multiply(sinRa)));
    return known(haversine.leq(lit(g.haversineLimit())));
  }

  /** True where {@link #match} is not null: the alert is within the radius of a source of the watchlist. */
  @Override
  public Column visitWatchlist(Watchlist watchlist) {
    return known(match(watchlist).isNotNull());
  }

  /**
   * The watchlist source nearest to each alert (within its radius): a struct {@code {name, separation_arcsec}}, null
   * when there is none; computed by the same index as the Avro evaluator's.
   */
  public Column match(Watchlist watchlist) {
    return WatchlistColumns.match(watchlist, path(watchlist.ra()), path(watchlist.dec()));
  }

  private DataType typeOf(FieldPath path) {
    DataType type = schema;
    for (String segment : path.segments()) {
      if (!(type instanceof StructType struct) || struct.getFieldIndex(segment).isEmpty()) {
        throw new IllegalArgumentException("unknown field " + path + " in the science database");
      }
      type = struct.apply(segment).dataType();
    }
    return type;
  }
}
