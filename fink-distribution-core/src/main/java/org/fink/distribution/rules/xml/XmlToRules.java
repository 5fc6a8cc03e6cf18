package org.fink.distribution.rules.xml;

import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.xml.namespace.QName;
import org.fink.distribution.rules.And;
import org.fink.distribution.rules.AngleUnit;
import org.fink.distribution.rules.ArrayAggregate;
import org.fink.distribution.rules.ArrayAll;
import org.fink.distribution.rules.ArrayAny;
import org.fink.distribution.rules.ArrayCount;
import org.fink.distribution.rules.Between;
import org.fink.distribution.rules.Comparison;
import org.fink.distribution.rules.Condition;
import org.fink.distribution.rules.Cone;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.FieldPath;
import org.fink.distribution.rules.InList;
import org.fink.distribution.rules.IsNull;
import org.fink.distribution.rules.Literal;
import org.fink.distribution.rules.Matches;
import org.fink.distribution.rules.Not;
import org.fink.distribution.rules.Operator;
import org.fink.distribution.rules.Or;
import org.fink.distribution.rules.RuleProblem;
import org.fink.distribution.rules.SharedRules;
import org.fink.distribution.rules.SourceLocation;
import org.fink.distribution.rules.StartsWith;
import org.fink.distribution.rules.Watchlist;

/**
 * Turns the JAXB tree of a rules file into the rule AST, collecting every problem (with its location and its fix)
 * instead of stopping at the first. With problems, it returns what could be built of the rules (the faulty conditions
 * left out, groups keeping their sound children), so that fields and types of the rest can still be checked in the
 * same run; such partial rules are for checking only ({@link RulesXml#read} never returns them).
 */
final class XmlToRules {
  private final SourcePositions positions;
  private final List<RuleProblem> problems;
  private final Map<Object, SourceLocation> locations = new IdentityHashMap<>();

  /** Where relative watchlist catalogs are; null for the working directory. */
  private final Path folder;

  XmlToRules(SourcePositions positions, List<RuleProblem> problems, Path folder) {
    this.positions = positions;
    this.problems = problems;
    this.folder = folder;
  }

  DistributionRules convert(XmlRules xml) {
    attributes(xml, List.of());
    int before = problems.size();
    if (xml.streams.isEmpty()) {
      if (xml.select == null || xml.select.columns.isEmpty()) {
        problem(xml.select != null ? xml.select : xml,
            "<select> is missing or empty; list the fields to distribute, e.g. <select><column name=\"objectId\"/>"
                + "<column name=\"candidate\"/></select> (to distribute every field, write a <stream> without"
                + " <select>)");
      }
      DistributionStream stream = stream(DistributionRules.DEFAULT_STREAM, null, xml.select, xml.drop, xml.filter,
          xml);
      return stream == null ? null : problems.size() > before
          ? quietly(() -> new DistributionRules(List.of(stream), locations))
          : new DistributionRules(List.of(stream), locations);
    }
    emptySelect(xml.select);
    SharedRules shared = new SharedRules(paths(xml.select, "select"), paths(xml.drop, "drop"), filter(xml.filter));
    List<DistributionStream> streams = new ArrayList<>();
    Map<String, XmlStream> names = new HashMap<>();
    Map<String, XmlStream> topics = new HashMap<>();
    for (XmlStream s : xml.streams) {
      attributes(s, List.of("name", "topic"));
      emptySelect(s.select);
      if (s.name == null || s.name.isBlank()) {
        problem(s, "<stream> needs a name attribute, e.g. <stream name=\"bright\" topic=\"fink_bright_ztf\">");
        continue;
      }
      XmlStream sameName = names.putIfAbsent(s.name, s);
      if (sameName != null) {
        problem(s, "a stream named " + s.name + " is already declared at line " + at(sameName).line()
            + "; give each stream a unique name");
      }
      String topic = s.topic == null ? "the default topic (DISTRIBUTION_TOPIC)" : "topic " + s.topic;
      XmlStream sameTopic = topics.putIfAbsent(topic, s);
      if (sameTopic != null && sameName == null) {
        problem(s, "streams " + sameTopic.name + " (line " + at(sameTopic).line() + ") and " + s.name
            + " both publish to " + topic + "; give each stream its own topic attribute");
      }
      DistributionStream stream = stream(s.name, s.topic, s.select, s.drop, s.filter, s);
      if (stream != null && sameName == null && sameTopic == null) {  // a clash is reported; the rest is checked
        streams.add(stream);
      }
    }
    return problems.size() > before ? quietly(() -> new DistributionRules(shared, streams, locations))
        : new DistributionRules(shared, streams, locations);
  }

  private void emptySelect(XmlColumnList select) {
    if (select != null && select.columns.isEmpty()) {
      problem(select, "<select> is empty; list fields in it, or remove it to distribute every field");
    }
  }

  private DistributionStream stream(String name, String topic, XmlColumnList select, XmlColumnList drop,
      XmlGroups.Filter filter, XmlNode at) {
    List<FieldPath> selected = paths(select, "select");
    List<FieldPath> dropped = paths(drop, "drop");
    List<Condition> conditions = filter(filter);
    DistributionStream stream = build(at, () -> new DistributionStream(name, topic, selected, dropped, conditions));
    if (stream != null) {
      locations.put(stream, at(at));
    }
    return stream;
  }

  private List<FieldPath> paths(XmlColumnList list, String element) {
    List<FieldPath> paths = new ArrayList<>();
    if (list == null) {
      return paths;
    }
    attributes(list, element, List.of());
    for (XmlColumn column : list.columns) {
      attributes(column, List.of("name", "subcol", "operator", "value"));
      if (column.operator != null || column.value != null) {
        problem(column, "<column> in <" + element + "> takes only name and subcol; put conditions (operator, value)"
            + " in <filter>");
      }
      FieldPath path = columnPath(column);
      if (path != null) {
        paths.add(path);
      }
    }
    return paths;
  }

  private List<Condition> filter(XmlGroups.Filter filter) {
    if (filter == null) {
      return List.of();
    }
    attributes(filter, List.of());
    return conditions(filter);
  }

  private List<Condition> conditions(XmlGroup group) {
    List<Condition> conditions = new ArrayList<>();
    for (XmlCondition x : group.conditions) {
      Condition condition = condition(x);
      if (condition != null) {
        conditions.add(condition);
        locations.put(condition, at(x));
      }
    }
    return conditions;
  }

  private Condition condition(XmlCondition x) {
    if (x instanceof XmlColumn column) {
      return column(column);
    }
    if (x instanceof XmlGroups.And || x instanceof XmlGroups.Or || x instanceof XmlGroups.Not) {
      return group((XmlGroup) x);
    }
    if (x instanceof XmlArrayConditions.Base array) {
      return array(array);
    }
    if (x instanceof XmlWatchlist watchlist) {
      return watchlist(watchlist);
    }
    return cone((XmlCone) x);
  }

  // ---------------------------------------------------------------- <column>

  private FieldPath columnPath(XmlColumn column) {
    if (column.name == null || column.name.isBlank()) {
      problem(column, "<column> needs a name attribute, e.g. name=\"candidate\" subcol=\"magpsf\", or"
          + " name=\"candidate.magpsf\"");
      return null;
    }
    return path(column, () -> FieldPath.of(column.name, column.subcol));
  }

  private FieldPath path(XmlNode at, Supplier<FieldPath> make) {
    FieldPath path = build(at, make);
    if (path != null) {
      locations.put(path, at(at));
    }
    return path;
  }

  private Condition column(XmlColumn column) {
    attributes(column, List.of("name", "subcol", "operator", "value"));
    FieldPath path = columnPath(column);
    if (column.operator == null) {
      problem(column, "<column> in a condition needs an operator attribute: one of " + ColumnOperator.ALL
          + " (in XML write &lt; for <)");
      return null;
    }
    ColumnOperator kind = ColumnOperator.parse(column.operator).orElse(null);
    if (kind == null) {
      problem(column, "unknown operator \"" + column.operator + "\"; use one of " + ColumnOperator.ALL);
      return null;
    }
    if (kind == ColumnOperator.IS_NULL || kind == ColumnOperator.IS_NOT_NULL) {
      if (column.value != null) {
        problem(column, "operator \"" + kind.text() + "\" takes no value; remove the value attribute");
        return null;
      }
      return path == null ? null : new IsNull(path, kind == ColumnOperator.IS_NOT_NULL);
    }
    if (column.value == null) {
      problem(column, "<column> with operator \"" + column.operator.strip() + "\" needs a value attribute: "
          + switch (kind) {
            case IN, NOT_IN -> "a list such as value=\"1, 2\" or value=\"'t', '1'\"";
            case BETWEEN -> "the low and high bounds, such as value=\"-0.1, 0.1\"";
            case STARTSWITH -> "a string in single quotes, such as value=\"'ZTF21'\"";
            case MATCHES -> "a regular expression in single quotes, such as value=\"'^[0-9]+$'\"";
            default -> "a number, or a string in single quotes such as value=\"'Star'\"";
          });
      return null;
    }
    return switch (kind) {
      case COMPARISON -> {
        Literal value = build(column, () -> Literal.parse(column.value));
        yield path == null || value == null ? null
            : new Comparison(path, Operator.parse(column.operator).orElseThrow(), value);
      }
      case IN, NOT_IN -> {
        List<Literal> values = build(column, () -> Literal.parseList(column.value));
        if (values != null && values.isEmpty()) {
          problem(column, "the list of \"" + kind.text() + "\" is empty; give at least one value, e.g."
              + " value=\"1, 2\"");
          yield null;
        }
        yield path == null || values == null ? null : new InList(path, values, kind == ColumnOperator.NOT_IN);
      }
      case BETWEEN -> {
        List<Literal> bounds = build(column, () -> Literal.parseList(column.value));
        if (bounds != null && bounds.size() != 2) {
          problem(column, "between needs two values, the low and the high bound (both included), such as"
              + " value=\"-0.1, 0.1\"; found " + bounds.size());
          yield null;
        }
        yield path == null || bounds == null ? null : new Between(path, bounds.get(0), bounds.get(1));
      }
      case STARTSWITH -> {
        String prefix = text(column, "startswith");
        yield path == null || prefix == null ? null : new StartsWith(path, prefix);
      }
      case MATCHES -> {
        String regex = text(column, "matches");
        yield path == null || regex == null ? null : build(column, () -> new Matches(path, regex));
      }
      default -> throw new IllegalStateException(kind.name());
    };
  }

  /** The string value of {@code startswith} / {@code matches}, reported when it is not a quoted string. */
  private String text(XmlColumn column, String operator) {
    Literal value = build(column, () -> Literal.parse(column.value));
    if (value instanceof Literal.Number) {
      problem(column, operator + " takes a string in single quotes: value=\"'" + column.value.strip() + "'\"");
      return null;
    }
    return value == null ? null : ((Literal.Text) value).value();
  }

  // ---------------------------------------------------------------- <and> <or> <not>

  private Condition group(XmlGroup group) {
    attributes(group, List.of());
    int before = problems.size();
    List<Condition> children = conditions(group);
    if (group.conditions.isEmpty()) {
      problem(group, "<" + group.element() + "> holds no condition; put conditions in it, or remove it");
      return null;
    }
    if (group instanceof XmlGroups.Not && group.conditions.size() > 1) {
      problem(group, "<not> holds " + group.conditions.size() + " conditions; it negates exactly one: wrap them in"
          + " <and> or <or> inside <not>");
      return null;
    }
    if (problems.size() > before) {  // for checking the sound children only
      return children.isEmpty() ? null : quietly(() -> group instanceof XmlGroups.Not ? new Not(children.get(0))
          : group instanceof XmlGroups.And ? new And(children) : new Or(children));
    }
    if (group instanceof XmlGroups.Not) {
      return new Not(children.get(0));
    }
    return group instanceof XmlGroups.And ? new And(children) : new Or(children);
  }

  // ---------------------------------------------------------------- array conditions

  private Condition array(XmlArrayConditions.Base x) {
    String element = x.element();
    attributes(x, x.allowed());
    Map<String, String> given = new LinkedHashMap<>();
    given.put("array", x.array);
    given.put("field", x.field);
    given.put("include", x.include);
    given.put("operator", x.operator);
    given.put("value", x.value);
    given.forEach((name, value) -> {
      if (value != null && !x.allowed().contains(name)) {
        problem(x, "<" + element + "> has no attribute " + name + "; its attributes are " + names(x.allowed()));
      }
    });
    int before = problems.size();
    FieldPath array = x.array == null ? null : path(x, () -> FieldPath.of(x.array));
    if (x.array == null) {
      problem(x, "<" + element + "> needs an array attribute naming an array of records, e.g."
          + " array=\"prv_candidates\"");
    }
    int beforeWhere = problems.size();
    List<Condition> where = conditions(x);
    int whereProblems = problems.size() - beforeWhere;
    if ((x instanceof XmlArrayConditions.Any || x instanceof XmlArrayConditions.All) && x.conditions.isEmpty()) {
      problem(x, "<" + element + "> needs at least one condition on the elements of the array, e.g. <" + element
          + " array=\"prv_candidates\"><column name=\"magpsf\" operator=\"&lt;\" value=\"19\"/></" + element + ">");
    }
    FieldPath field = null;
    FieldPath include = null;
    Operator operator = null;
    Literal.Number value = null;
    if (x instanceof XmlArrayConditions.Count || x instanceof XmlArrayConditions.Aggregate) {
      if (x instanceof XmlArrayConditions.Aggregate) {
        if (x.field == null) {
          problem(x, "<" + element + "> needs a field attribute: the numeric field of each element, e.g."
              + " field=\"jd\"");
        } else {
          field = path(x, () -> FieldPath.of(x.field));
        }
        include = x.include == null ? null : path(x, () -> FieldPath.of(x.include));
      }
      operator = x.operator == null ? null : Operator.parse(x.operator).orElse(null);
      if (operator == null) {
        problem(x, (x.operator == null ? "<" + element + "> needs an operator attribute"
            : "unknown operator \"" + x.operator + "\" for <" + element + ">")
            + ": one of < <= = != >= > (or lt le eq ne ge gt)");
      }
      if (x.value == null) {
        problem(x, "<" + element + "> needs a value attribute: the number to compare with, e.g. value=\"3\"");
      } else {
        Literal literal = build(x, () -> Literal.parse(x.value));
        if (literal instanceof Literal.Text) {
          problem(x, "<" + element + "> compares a number: write value=\"" + x.value.strip().replace("'", "")
              + "\" without quotes");
        } else {
          value = (Literal.Number) literal;
        }
      }
    }
    if (problems.size() - whereProblems > before) {
      return null;
    }
    FieldPath f = field;
    FieldPath inc = include;
    Operator op = operator;
    Literal.Number v = value;
    Supplier<Condition> make = () -> {
      if (x instanceof XmlArrayConditions.Count) {
        return new ArrayCount(array, where, op, v);
      }
      if (x instanceof XmlArrayConditions.Any) {
        return new ArrayAny(array, where);
      }
      if (x instanceof XmlArrayConditions.All) {
        return new ArrayAll(array, where);
      }
      ArrayAggregate.Function function = x instanceof XmlArrayConditions.Min ? ArrayAggregate.Function.MIN
          : x instanceof XmlArrayConditions.Max ? ArrayAggregate.Function.MAX : ArrayAggregate.Function.SPAN;
      return new ArrayAggregate(function, array, f, inc, where, op, v);
    };
    return whereProblems > 0 ? quietly(make) : build(x, make);  // partial: for checking the sound rest only
  }

  // ---------------------------------------------------------------- <cone>

  private Condition cone(XmlCone x) {
    attributes(x, List.of("ra", "dec", "center", "radius", "unit"));
    int before = problems.size();
    FieldPath ra = conePath(x, "ra", x.ra, "candidate.ra");
    FieldPath dec = conePath(x, "dec", x.dec, "candidate.dec");
    List<Literal> center = null;
    if (x.center == null) {
      problem(x, "<cone> needs a center attribute: right ascension and declination in degrees, e.g."
          + " center=\"83.63308, 22.01450\"");
    } else {
      center = build(x, () -> Literal.parseList(x.center));
      if (center != null && (center.size() != 2 || !(center.get(0) instanceof Literal.Number)
          || !(center.get(1) instanceof Literal.Number))) {
        problem(x, "<cone> center \"" + x.center + "\" must be two numbers, right ascension and declination in"
            + " degrees, e.g. center=\"83.63308, 22.01450\"");
        center = null;
      }
    }
    BigDecimal radius = null;
    if (x.radius == null) {
      problem(x, "<cone> needs a radius attribute, e.g. radius=\"5\" unit=\"arcsec\"");
    } else {
      try {
        radius = new BigDecimal(x.radius.strip());
      } catch (NumberFormatException e) {
        problem(x, "<cone> radius \"" + x.radius + "\" is not a number; write e.g. radius=\"5\" unit=\"arcsec\"");
      }
    }
    AngleUnit unit = x.unit == null ? AngleUnit.DEG : AngleUnit.parse(x.unit).orElse(null);
    if (unit == null) {
      problem(x, "unknown unit \"" + x.unit + "\" for the cone radius; use deg, arcmin or arcsec");
    }
    if (problems.size() > before) {
      return null;
    }
    BigDecimal r = radius;
    List<Literal> c = center;
    return build(x, () -> new Cone(ra, dec, ((Literal.Number) c.get(0)).value(), ((Literal.Number) c.get(1)).value(),
        r, unit));
  }

  private FieldPath conePath(XmlCone x, String attribute, String value, String example) {
    if (value == null) {
      problem(x, "<cone> needs a " + attribute + " attribute naming the field of the " + attribute
          + " (degrees), e.g. " + attribute + "=\"" + example + "\"");
      return null;
    }
    try {
      new BigDecimal(value.strip());
      problem(x, "<cone> " + attribute + "=\"" + value + "\" must name a field, e.g. " + attribute + "=\""
          + example + "\"; give the centre position in center=\"ra, dec\"");
      return null;
    } catch (NumberFormatException e) {
      return path(x, () -> FieldPath.of(value));
    }
  }

  // ---------------------------------------------------------------- <watchlist>

  private static final Pattern RADIUS = Pattern.compile("\\s*([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
      + "\\s*([A-Za-z]*)\\s*");

  private Condition watchlist(XmlWatchlist x) {
    attributes(x, List.of("ra", "dec", "file", "radius", "unit", "annotate"));
    int before = problems.size();
    FieldPath ra = positionPath(x, "ra", x.ra, "candidate.ra");
    FieldPath dec = positionPath(x, "dec", x.dec, "candidate.dec");
    Path file = null;
    if (x.file == null || x.file.isBlank()) {
      problem(x, "<watchlist> needs a file attribute naming the catalog (.csv or .parquet, columns name,ra,dec"
          + " and optionally radius in arcsec), relative to the rules file's folder, e.g. file=\"watchlist.csv\"");
    } else {
      try {
        Path given = Path.of(x.file.strip());
        file = folder == null || given.isAbsolute() ? given : folder.resolve(given).normalize();
      } catch (InvalidPathException e) {
        problem(x, "<watchlist> file \"" + x.file + "\" is not a valid path: " + e.getReason());
      }
    }
    BigDecimal radius = null;
    String unitText = x.unit;
    Matcher m = x.radius == null ? null : RADIUS.matcher(x.radius);
    if (x.radius == null) {
      problem(x, "<watchlist> needs a radius attribute for the sources without their own, e.g. radius=\"2\""
          + " unit=\"arcsec\" (or radius=\"2 arcsec\")");
    } else if (!m.matches()) {
      problem(x, "<watchlist> radius \"" + x.radius + "\" is not a number with an optional unit; write e.g."
          + " radius=\"2\" unit=\"arcsec\" or radius=\"2 arcsec\"");
    } else {
      radius = new BigDecimal(m.group(1));
      if (!m.group(2).isEmpty()) {
        if (x.unit != null && !x.unit.strip().equalsIgnoreCase(m.group(2))) {
          problem(x, "<watchlist> radius \"" + x.radius + "\" and unit=\"" + x.unit + "\" disagree; give the unit"
              + " once");
        }
        unitText = m.group(2);
      }
    }
    AngleUnit unit = unitText == null ? AngleUnit.DEG : AngleUnit.parse(unitText).orElse(null);
    if (unit == null) {
      problem(x, "unknown unit \"" + unitText + "\" for the watchlist radius; use deg, arcmin or arcsec");
    }
    boolean annotate = false;
    if (x.annotate != null) {
      String a = x.annotate.strip();
      if (List.of("true", "false", "1", "0").contains(a)) {
        annotate = a.equals("true") || a.equals("1");
      } else {
        problem(x, "<watchlist> annotate=\"" + x.annotate + "\" must be true or false; annotate=\"true\" adds "
            + Watchlist.NAME_FIELD + " and " + Watchlist.SEPARATION_FIELD + " to the stream's alerts");
      }
    }
    if (problems.size() > before) {
      return null;
    }
    Path f = file;
    BigDecimal r = radius;
    boolean a = annotate;
    Watchlist watchlist = build(x, () -> new Watchlist(ra, dec, f, r, unit, a));
    if (watchlist == null) {
      return null;
    }
    List<String> catalog = watchlist.catalogProblems();
    catalog.forEach(p -> problem(x, p));
    return catalog.isEmpty() ? watchlist : null;
  }

  private FieldPath positionPath(XmlWatchlist x, String attribute, String value, String example) {
    if (value == null) {
      problem(x, "<watchlist> needs a " + attribute + " attribute naming the field of the alert's " + attribute
          + " (degrees), e.g. " + attribute + "=\"" + example + "\"");
      return null;
    }
    return path(x, () -> FieldPath.of(value));
  }

  // ---------------------------------------------------------------- common

  /** Reports attributes of {@code node} that its element does not have. */
  private void attributes(XmlNode node, List<String> allowed) {
    attributes(node, node.element(), allowed);
  }

  private void attributes(XmlNode node, String element, List<String> allowed) {
    if (node.otherAttributes == null) {
      return;
    }
    for (QName attribute : node.otherAttributes.keySet()) {
      problem(node, "<" + element + "> has an unknown attribute " + attribute.getLocalPart()
          + (allowed.isEmpty() ? "; it takes no attribute" : "; its attributes are " + names(allowed)));
    }
  }

  private static String names(List<String> names) {
    return names.size() == 1 ? names.get(0)
        : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
  }

  /** The value made by {@code make}, or null with its {@link IllegalArgumentException} reported at {@code at}. */
  private <T> T build(XmlNode at, Supplier<T> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      problem(at, e.getMessage());
      return null;
    }
  }

  /** What {@code make} builds of a part already reported faulty, or null: no second problem for the same fault. */
  private static <T> T quietly(Supplier<T> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      return null;
    }
  }

  private void problem(XmlNode node, String message) {
    problems.add(new RuleProblem(at(node), message));
  }

  private SourceLocation at(XmlNode node) {
    return positions.of(node.locator);
  }
}
