package org.fink.distribution.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.fink.distribution.rules.Comparison;
import org.fink.distribution.rules.Condition;
import org.fink.distribution.rules.ConditionVisitor;
import org.fink.distribution.rules.FieldPath;
import org.fink.distribution.rules.Literal;

/**
 * Turns rule conditions into Spark columns. Values become typed literals (never SQL text); a comparison with a null
 * field is null, which a filter treats as false, as the rule semantics say.
 *
 * <pre>{@code
 * Column keep = new RuleColumns(df.schema()).all(stream.filter());
 * df.filter(keep);
 * }</pre>
 */
public final class RuleColumns implements ConditionVisitor<Column> {
  private final StructType schema;

  public RuleColumns(StructType schema) {
    this.schema = schema;
  }

  /** The AND of all conditions; true when there is none. */
  public Column all(List<Condition> conditions) {
    return conditions.stream().map(c -> c.accept(this)).reduce(Column::and).orElse(lit(true));
  }

  /** The column at a field path. */
  public static Column field(FieldPath path) {
    Column column = col(quote(path.head()));
    FieldPath rest = path.tail();
    while (rest != null) {
      column = column.getField(rest.head());
      rest = rest.tail();
    }
    return column;
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  @Override
  public Column visitComparison(Comparison comparison) {
    Column field = field(comparison.field());
    Column value = literal(comparison.value(), typeOf(comparison.field()));
    return switch (comparison.operator()) {
      case LT -> field.lt(value);
      case LE -> field.leq(value);
      case EQ -> field.equalTo(value);
      case NE -> field.notEqual(value);
      case GE -> field.geq(value);
      case GT -> field.gt(value);
    };
  }

  private static Column literal(Literal literal, DataType fieldType) {
    if (literal instanceof Literal.Text text) {
      return lit(text.value());
    }
    Literal.Number number = (Literal.Number) literal;
    boolean integral = number.value().stripTrailingZeros().scale() <= 0;
    if (integral && (fieldType == DataTypes.IntegerType || fieldType == DataTypes.LongType)) {
      return lit(number.value().longValueExact());
    }
    return lit(number.value().doubleValue());
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
