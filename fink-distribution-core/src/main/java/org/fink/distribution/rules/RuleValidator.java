package org.fink.distribution.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.fink.distribution.config.EditDistance;
import org.fink.distribution.schema.SchemaPaths;

/**
 * Checks rules against the science-database schema: every field exists, and every value has the type of its field.
 *
 * <pre>{@code
 * RuleValidator.validate(rules, scienceDbSchema);   // throws RuleException listing every problem
 * }</pre>
 */
public final class RuleValidator {
  private final DistributionRules rules;
  private final Schema schema;
  private final List<RuleProblem> problems = new ArrayList<>();

  private RuleValidator(DistributionRules rules, Schema schema) {
    this.rules = rules;
    this.schema = schema;
  }

  /** Throws a {@link RuleException} with every problem found; returns quietly when the rules fit the schema. */
  public static void validate(DistributionRules rules, Schema scienceDbSchema) {
    List<RuleProblem> problems = problems(rules, scienceDbSchema);
    if (!problems.isEmpty()) {
      throw new RuleException(problems);
    }
  }

  /** Every problem of the rules against the schema; empty when there is none. */
  public static List<RuleProblem> problems(DistributionRules rules, Schema scienceDbSchema) {
    RuleValidator validator = new RuleValidator(rules, scienceDbSchema);
    for (DistributionStream stream : rules.streams()) {
      stream.select().forEach(validator::field);
      stream.drop().forEach(validator::field);
      stream.filter().forEach(c -> c.accept(validator.new Checker()));
    }
    return validator.problems;
  }

  private Optional<Schema> field(FieldPath path) {
    Optional<Schema> found = SchemaPaths.find(schema, path);
    if (found.isEmpty()) {
      problems.add(new RuleProblem(rules.locationOf(path).orElse(null), unknownField(path)));
    }
    return found;
  }

  private String unknownField(FieldPath path) {
    FieldPath parent = path.tail() == null ? null
        : new FieldPath(path.segments().subList(0, path.segments().size() - 1));
    if (parent != null) {
      Optional<Schema> parentSchema = SchemaPaths.find(schema, parent);
      if (parentSchema.isPresent() && !holdsRecords(SchemaPaths.nonNull(parentSchema.get()))) {
        return "field " + parent + " is " + article(SchemaPaths.nonNull(parentSchema.get()).getType().getName())
            + ", not a record: it has no field " + path.segments().get(path.segments().size() - 1)
            + "; remove subcol or the dotted part";
      }
    }
    String closest = SchemaPaths.allPaths(schema).stream().map(FieldPath::toString)
        .min(Comparator.comparingInt(p -> EditDistance.between(p, path.toString()))).orElse(null);
    return "unknown field " + path
        + (closest != null && EditDistance.between(closest, path.toString()) <= 3
            ? "; did you mean " + closest + "?" : "; it is not in the science database schema");
  }

  /** A record, or an array (of arrays) of records: a path may go on into its fields. */
  private static boolean holdsRecords(Schema type) {
    Schema current = type;
    while (current.getType() == Schema.Type.ARRAY) {
      current = SchemaPaths.nonNull(current.getElementType());
    }
    return current.getType() == Schema.Type.RECORD;
  }

  private static String article(String noun) {
    return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
  }

  /** Checks one condition's field and value types. */
  private final class Checker implements ConditionVisitor<Void> {
    @Override
    public Void visitComparison(Comparison comparison) {
      Optional<Schema> found = field(comparison.field());
      if (found.isEmpty()) {
        return null;
      }
      SourceLocation at = rules.locationOf(comparison).orElse(null);
      if (SchemaPaths.crossesArray(schema, comparison.field())) {
        problems.add(new RuleProblem(at, comparison.field() + " is a field of each element of an array, not one"
            + " value; compare a field outside arrays"));
        return null;
      }
      Schema.Type type = SchemaPaths.nonNull(found.get()).getType();
      boolean numeric = switch (type) {
        case INT, LONG, FLOAT, DOUBLE -> true;
        default -> false;
      };
      if (numeric && !(comparison.value() instanceof Literal.Number)) {
        problems.add(new RuleProblem(at, comparison.field() + " is a number (" + type.getName()
            + ") but is compared to the string " + comparison.value().toXml() + "; write the value without quotes"));
      } else if (type == Schema.Type.STRING && !(comparison.value() instanceof Literal.Text)) {
        problems.add(new RuleProblem(at, comparison.field() + " is a string but is compared to the number "
            + comparison.value().toXml() + "; write strings in single quotes: value=\"'"
            + comparison.value().toXml() + "'\""));
      } else if (!numeric && type != Schema.Type.STRING) {
        problems.add(new RuleProblem(at, comparison.field() + " is " + article(type.getName())
            + "; only numbers and strings can be compared"));
      }
      return null;
    }
  }
}
