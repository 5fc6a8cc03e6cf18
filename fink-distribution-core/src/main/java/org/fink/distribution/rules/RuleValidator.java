package org.fink.distribution.rules;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Checks rules against the science-database schema: every field exists, every value has the type of its field, every
 * operation suits its field (a regex needs a string, {@code count} an array, a cone numbers).
 *
 * <pre>{@code
 * RuleValidator.validate(rules, scienceDbSchema);   // throws RuleException listing every problem
 * List<RuleProblem> problems = RuleValidator.problems(rules, scienceDbSchema);   // or: each problem, none if fine
 * // the science database's schema, with fink-distribution-spark: ScienceDb.avroSchema(db.schema())
 * }</pre>
 *
 * <p>Inside {@code count}, {@code any}, {@code all}, {@code min}, {@code max} and {@code span}, paths are relative to
 * an element of the array, and are checked against the element's record.
 */
public final class RuleValidator {
  private final DistributionRules rules;
  private final Schema schema;
  private final List<RuleProblem> problems = new ArrayList<>();
  private final List<RuleProblem> warnings = new ArrayList<>();

  private RuleValidator(DistributionRules rules, Schema schema) {
    this.rules = rules;
    this.schema = SchemaPaths.nonNull(schema);
  }

  /** Throws a {@link RuleException} with every problem found; returns quietly when the rules fit the schema. */
  public static void validate(DistributionRules rules, Schema scienceDbSchema) {
    List<RuleProblem> problems = problems(rules, scienceDbSchema);
    if (!problems.isEmpty()) {
      throw new RuleException(problems);
    }
  }

  /** Every problem of the rules against the schema, in rules order; empty when there is none. */
  public static List<RuleProblem> problems(DistributionRules rules, Schema scienceDbSchema) {
    return run(rules, scienceDbSchema).problems;
  }

  /**
   * What is valid but probably not meant (a fraction compared with an integer field by {@code <}, a bound no value of
   * an int field reaches), in rules order; empty when there is nothing. {@code rules check} prints these as warnings.
   *
   * <pre>{@code
   * RuleValidator.warnings(rules, schema).forEach(w -> System.err.println("warning: " + w));
   * }</pre>
   */
  public static List<RuleProblem> warnings(DistributionRules rules, Schema scienceDbSchema) {
    return run(rules, scienceDbSchema).warnings;
  }

  private static RuleValidator run(DistributionRules rules, Schema scienceDbSchema) {
    RuleValidator validator = new RuleValidator(rules, scienceDbSchema);
    validator.problems.addAll(RuleLimits.problems(rules));
    if (!validator.problems.isEmpty()) {
      return validator;  // beyond the limits: walking deeper could overflow the stack
    }
    Scope root = validator.new Scope(validator.schema, null);
    SharedRules shared = rules.shared();
    validator.check(root, shared.select(), shared.drop(), shared.filter());
    for (DistributionStream stream : rules.declaredStreams()) {
      validator.check(root, stream.select(), stream.drop(), stream.filter());
    }
    validator.selectedAndDropped();
    validator.annotations();
    return validator;
  }

  private void check(Scope root, List<FieldPath> select, List<FieldPath> drop, List<Condition> filter) {
    select.forEach(path -> root.field(path, path));
    drop.forEach(path -> root.field(path, path));
    filter.forEach(c -> c.accept(new Checker(root)));
  }

  /** A field both selected and dropped (or inside a dropped one) would not be distributed: an error. */
  private void selectedAndDropped() {
    Set<FieldPath> reported = Collections.newSetFromMap(new IdentityHashMap<>());
    for (DistributionStream stream : rules.streams()) {
      for (FieldPath dropped : stream.drop()) {
        for (FieldPath selected : stream.select()) {
          if (selected.startsWith(dropped) && reported.add(dropped)) {
            problem(dropped, selected.equals(dropped)
                ? selected + " is both selected and dropped, so it would not be distributed; remove it from <drop>"
                    + " (or from <select>)"
                : "dropping " + dropped + " drops the selected " + selected + ", so it would not be distributed;"
                    + " drop only the fields of " + dropped + " you do not want, or do not select " + selected);
          }
        }
      }
    }
  }

  /** At most one watchlist of a stream adds the match fields, and the science database has no field of their names. */
  private void annotations() {
    Set<Object> reported = Collections.newSetFromMap(new IdentityHashMap<>());
    for (DistributionStream stream : rules.streams()) {
      List<Watchlist> annotating = Watchlist.all(stream.filter()).stream().filter(Watchlist::annotate).toList();
      if (annotating.size() > 1 && reported.add(annotating.get(1))) {
        problem(annotating.get(1), "stream " + stream.name() + " has " + annotating.size() + " watchlists with"
            + " annotate=\"true\"; only one may add " + Watchlist.NAME_FIELD + " and " + Watchlist.SEPARATION_FIELD
            + ": remove annotate from the others");
      }
      for (String name : List.of(Watchlist.NAME_FIELD, Watchlist.SEPARATION_FIELD)) {
        if (!annotating.isEmpty() && schema.getType() == Schema.Type.RECORD && schema.getField(name) != null
            && reported.add(annotating.get(0))) {
          problem(annotating.get(0), "the science database already has a field " + name + ", which annotate=\"true\""
              + " would add to stream " + stream.name() + "; remove annotate");
        }
      }
    }
  }

  private void problem(Object node, String message) {
    problems.add(new RuleProblem(rules.locationOf(node).orElse(null), message));
  }

  private void warning(Object node, String message) {
    warnings.add(new RuleProblem(rules.locationOf(node).orElse(null), message));
  }

  /** The kind of value a field holds, as far as conditions are concerned. */
  private enum Kind {
    NUMBER, STRING, OTHER;

    static Kind of(Schema type) {
      return switch (type.getType()) {
        case INT, LONG, FLOAT, DOUBLE -> NUMBER;
        case STRING, ENUM -> STRING;
        default -> OTHER;
      };
    }
  }

  /**
   * Where paths are resolved: the alert, or an element of an array of records.
   *
   * @param array the array whose elements this scope is, null for the alert
   */
  private final class Scope {
    private final Schema record;
    private final FieldPath array;

    Scope(Schema record, FieldPath array) {
      this.record = record;
      this.array = array;
    }

    /** The path as the user sees it: {@code magpsf} of {@code prv_candidates}. */
    private String name(FieldPath path) {
      return array == null ? path.toString() : path + " (of each element of " + array + ")";
    }

    /** The schema of a field, reporting (at {@code node}) when it does not exist. */
    Optional<Schema> field(FieldPath path, Object node) {
      Optional<Schema> found = SchemaPaths.find(record, path);
      if (found.isEmpty()) {
        problem(rules.locationOf(path).isPresent() ? path : node, unknownField(path));
      }
      return found;
    }

    /** The non-null type of a field holding one value per alert (or element), reporting when there is none. */
    Optional<Schema> scalar(FieldPath path, Object node) {
      Optional<Schema> found = field(path, node);
      if (found.isEmpty()) {
        return found;
      }
      if (SchemaPaths.crossesArray(record, path)) {
        FieldPath array = firstArray(path);
        problem(node, name(path) + " is a field of each element of the array " + array + ", not one value; test"
            + " the elements with <any array=\"" + array + "\">, <all>, <count>, <min>, <max> or <span>");
        return Optional.empty();
      }
      return Optional.of(SchemaPaths.nonNull(found.get()));
    }

    /** A numeric field holding one value, for {@code what} (e.g. "a cone"); reported otherwise. */
    void number(FieldPath path, Object node, String what) {
      scalar(path, node).ifPresent(type -> {
        if (Kind.of(type) != Kind.NUMBER) {
          problem(node, what + " needs a number field, but " + name(path) + " is " + article(type.getType().getName())
              + "; choose a numeric field");
        }
      });
    }

    /** The scope of the elements of {@code array} (an array of records), reporting when it is not one. */
    Optional<Scope> elements(FieldPath array, Object node, String element, boolean needsRecords) {
      Optional<Schema> type = scalar(array, node);
      if (type.isEmpty()) {
        return Optional.empty();
      }
      if (type.get().getType() != Schema.Type.ARRAY) {
        problem(node, "<" + element + "> needs an array, but " + name(array) + " is "
            + article(type.get().getType().getName()) + "; name an array of records such as prv_candidates");
        return Optional.empty();
      }
      Schema items = SchemaPaths.nonNull(type.get().getElementType());
      if (items.getType() != Schema.Type.RECORD) {
        if (needsRecords) {
          problem(node, "<" + element + "> tests fields of the elements, but " + name(array) + " is an array of "
              + items.getType().getName() + ", not of records");
        }
        return Optional.empty();
      }
      return Optional.of(new Scope(items, this.array == null ? array
          : new FieldPath(concat(this.array.segments(), array.segments()))));
    }

    private FieldPath firstArray(FieldPath path) {
      Schema current = record;
      List<String> prefix = new ArrayList<>();
      for (String segment : path.segments()) {
        Schema.Field f = current.getField(segment);
        prefix.add(segment);
        current = SchemaPaths.nonNull(f.schema());
        if (current.getType() == Schema.Type.ARRAY) {
          return new FieldPath(prefix);
        }
      }
      return path;
    }

    private String unknownField(FieldPath path) {
      FieldPath parent = path.tail() == null ? null
          : new FieldPath(path.segments().subList(0, path.segments().size() - 1));
      if (parent != null) {
        Optional<Schema> parentSchema = SchemaPaths.find(record, parent);
        if (parentSchema.isPresent() && !holdsRecords(SchemaPaths.nonNull(parentSchema.get()))) {
          return "field " + name(parent) + " is "
              + article(SchemaPaths.nonNull(parentSchema.get()).getType().getName())
              + ", not a record: it has no field " + path.segments().get(path.segments().size() - 1)
              + "; remove subcol or the dotted part";
        }
      }
      String closest = SchemaPaths.allPaths(record).stream().map(FieldPath::toString)
          .min(Comparator.comparingInt(p -> EditDistance.between(p, path.toString()))).orElse(null);
      return "unknown field " + name(path)
          + (closest != null && EditDistance.between(closest, path.toString()) <= 3
              ? "; did you mean " + closest + "?"
              : array == null ? "; it is not in the science database schema"
                  : "; the elements of " + array + " have no such field");
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
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

  /** Checks one condition's fields, operations and value types, in one scope. */
  private final class Checker implements ConditionVisitor<Void> {
    private final Scope scope;

    Checker(Scope scope) {
      this.scope = scope;
    }

    /** The field's type when it can be compared (a number or a string), reported otherwise. */
    private Optional<Schema> comparable(FieldPath field, Object node) {
      Optional<Schema> type = scope.scalar(field, node);
      if (type.isPresent() && Kind.of(type.get()) == Kind.OTHER) {
        problem(node, scope.name(field) + " is " + article(type.get().getType().getName())
            + "; only numbers and strings can be compared (is null / is not null work on any field)");
        return Optional.empty();
      }
      return type;
    }

    /**
     * @param equality whether the value is tested for equality ({@code =}, {@code !=}, {@code in}), where a value the
     *     field cannot hold is an error; as a bound ({@code <}, {@code between}) it is a warning
     */
    private void value(FieldPath field, Schema.Type type, Kind kind, Literal value, Object node, boolean equality) {
      if (kind == Kind.NUMBER && value instanceof Literal.Number number) {
        range(field, type, number, node, equality);
      }
      if (kind == Kind.NUMBER && !(value instanceof Literal.Number)) {
        problem(node, scope.name(field) + " is a number (" + type.getName() + ") but is compared to the string "
            + value.toXml() + "; write the value without quotes");
      } else if (kind == Kind.STRING && !(value instanceof Literal.Text)) {
        problem(node, scope.name(field) + " is a string but is compared to the number " + value.toXml()
            + "; write strings in single quotes: value=\"'" + value.toXml() + "'\"");
      }
    }

    /** A number the field's type cannot hold (or not exactly): an error or a warning, with the fix. */
    private void range(FieldPath field, Schema.Type type, Literal.Number number, Object node, boolean equality) {
      String name = scope.name(field);
      BigDecimal value = number.value();
      if (type == Schema.Type.INT || type == Schema.Type.LONG) {
        boolean whole = value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
        if (!whole) {
          String message = name + " holds whole numbers (" + type.getName() + ") but is compared to " + value
              + ", which it never equals; write a whole number";
          if (equality) {
            problem(node, message);
          } else {
            warning(node, name + " holds whole numbers (" + type.getName() + ") but a bound is " + value
                + "; write a whole number if the fraction is a typo");
          }
        } else if (number.exactLong().isEmpty()) {
          problem(node, "the value " + value + " is beyond the range of " + name + " (" + (type == Schema.Type.INT
              ? "int, 32 bits: " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
              : "long, 64 bits: " + Long.MIN_VALUE + " to " + Long.MAX_VALUE) + "), so the test would match every"
              + " alert or none; write a value in that range");
        } else if (type == Schema.Type.INT && (number.exactLong().get() > Integer.MAX_VALUE
            || number.exactLong().get() < Integer.MIN_VALUE)) {
          warning(node, "the value " + value + " is beyond the range of " + name + " (int, 32 bits: "
              + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + "), so the test matches every alert or none");
        }
      } else if (type == Schema.Type.FLOAT || type == Schema.Type.DOUBLE) {
        double d = value.doubleValue();
        if (Double.isInfinite(d)) {
          problem(node, "the value " + value + " is beyond the range of " + name + " (" + type.getName() + ", at"
              + " most " + Double.MAX_VALUE + " in size), so the test would match every alert or none; write a value"
              + " in that range");
        } else if (d == 0 && value.signum() != 0) {
          problem(node, "the value " + value + " is too small for " + name + " (" + type.getName() + "): it rounds"
              + " to 0; write 0, or a value of at least " + Double.MIN_NORMAL + " in size");
        }
        if (type == Schema.Type.FLOAT && equality && !Double.isInfinite(d) && !(d == 0 && value.signum() != 0)) {
          float f = number.floatValue();
          if (Float.isInfinite(f)) {
            warning(node, "the value " + value + " is beyond the range of " + name + " (float, 32 bits, at most "
                + Float.MAX_VALUE + " in size), so it is compared as " + f + " and equals no finite value");
          } else if (!number.exactFloat()) {
            warning(node, name + " is a float (32 bits) and " + value + " is not exactly a float: it is compared as"
                + " the nearest float, " + new BigDecimal(f).round(new java.math.MathContext(9)).stripTrailingZeros()
                    .toPlainString() + ", so = and != hold for alerts storing that float (an alert showing " + f
                + "); if the value is computed, test a range with between");
          }
        }
      }
    }

    private void values(FieldPath field, List<Literal> values, Object node, boolean equality) {
      comparable(field, node).ifPresent(type ->
          values.forEach(v -> value(field, type.getType(), Kind.of(type), v, node, equality)));
    }

    @Override
    public Void visitComparison(Comparison comparison) {
      Operator op = comparison.operator();
      values(comparison.field(), List.of(comparison.value()), comparison, op == Operator.EQ || op == Operator.NE);
      return null;
    }

    @Override
    public Void visitInList(InList in) {
      values(in.field(), in.values(), in, true);
      return null;
    }

    @Override
    public Void visitBetween(Between between) {
      int before = problems.size();
      values(between.field(), List.of(between.low(), between.high()), between, false);
      if (problems.size() == before && ValueOrder.compareLiterals(between.low(), between.high()) > 0) {
        problem(between, scope.name(between.field()) + " between " + between.low().toXml() + " and "
            + between.high().toXml() + " matches nothing: the low bound is above the high one; swap them");
      }
      return null;
    }

    @Override
    public Void visitIsNull(IsNull isNull) {
      scope.scalar(isNull.field(), isNull);
      return null;
    }

    private void string(FieldPath field, Object node, String operation) {
      scope.scalar(field, node).ifPresent(type -> {
        if (Kind.of(type) != Kind.STRING) {
          problem(node, operation + " needs a string field, but " + scope.name(field) + " is "
              + (Kind.of(type) == Kind.NUMBER ? "a number (" + type.getType().getName() + ")"
                  : article(type.getType().getName()))
              + (Kind.of(type) == Kind.NUMBER ? "; compare numbers with < <= = != >= > in or between" : ""));
        }
      });
    }

    @Override
    public Void visitStartsWith(StartsWith startsWith) {
      string(startsWith.field(), startsWith, "startswith");
      return null;
    }

    @Override
    public Void visitMatches(Matches matches) {
      string(matches.field(), matches, "a regular expression (matches)");
      return null;
    }

    @Override
    public Void visitAnd(And and) {
      and.conditions().forEach(c -> c.accept(this));
      return null;
    }

    @Override
    public Void visitOr(Or or) {
      or.conditions().forEach(c -> c.accept(this));
      return null;
    }

    @Override
    public Void visitNot(Not not) {
      not.condition().accept(this);
      return null;
    }

    private void elements(FieldPath array, List<Condition> where, Object node, String element) {
      scope.elements(array, node, element, !where.isEmpty())
          .ifPresent(elements -> where.forEach(c -> c.accept(new Checker(elements))));
    }

    @Override
    public Void visitCount(ArrayCount count) {
      elements(count.array(), count.where(), count, "count");
      return null;
    }

    @Override
    public Void visitAny(ArrayAny any) {
      elements(any.array(), any.where(), any, "any");
      return null;
    }

    @Override
    public Void visitAll(ArrayAll all) {
      elements(all.array(), all.where(), all, "all");
      return null;
    }

    @Override
    public Void visitAggregate(ArrayAggregate aggregate) {
      String element = aggregate.function().xmlName();
      scope.elements(aggregate.array(), aggregate, element, true).ifPresent(elements -> {
        elements.number(aggregate.field(), aggregate, "<" + element + ">");
        aggregate.where().forEach(c -> c.accept(new Checker(elements)));
      });
      if (aggregate.include() != null) {
        scope.number(aggregate.include(), aggregate, "include of <" + element + ">");
      }
      return null;
    }

    @Override
    public Void visitCone(Cone cone) {
      scope.number(cone.ra(), cone, "a cone (ra)");
      scope.number(cone.dec(), cone, "a cone (dec)");
      return null;
    }

    @Override
    public Void visitWatchlist(Watchlist watchlist) {
      if (scope.array != null) {
        problem(watchlist, "<watchlist> tests the alert's position, so it cannot stand inside a condition on the"
            + " elements of " + scope.array + "; move it out to <filter> (or an <and>, <or>, <not> there)");
        return null;
      }
      scope.number(watchlist.ra(), watchlist, "a watchlist (ra)");
      scope.number(watchlist.dec(), watchlist, "a watchlist (dec)");
      watchlist.catalogProblems().forEach(p -> problem(watchlist, p));
      return null;
    }
  }
}
