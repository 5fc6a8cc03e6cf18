package org.fink.distribution.rules.xml;

import java.util.List;
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
import org.fink.distribution.rules.Watchlist;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.FieldPath;
import org.fink.distribution.rules.InList;
import org.fink.distribution.rules.IsNull;
import org.fink.distribution.rules.Literal;
import org.fink.distribution.rules.Matches;
import org.fink.distribution.rules.Not;
import org.fink.distribution.rules.Or;
import org.fink.distribution.rules.SharedRules;
import org.fink.distribution.rules.StartsWith;

/**
 * Turns the rule AST into the JAXB tree of a rules file. One stream named {@code default} without topic nor shared
 * part, selecting some fields, is written in the original format; anything else with {@code <stream>} elements.
 */
final class RulesToXml implements ConditionVisitor<XmlCondition> {
  static XmlRules of(DistributionRules rules) {
    XmlRules xml = new XmlRules();
    SharedRules shared = rules.shared();
    List<DistributionStream> streams = rules.declaredStreams();
    DistributionStream only = streams.size() == 1 ? streams.get(0) : null;
    if (shared.isEmpty() && only != null && only.name().equals(DistributionRules.DEFAULT_STREAM)
        && only.topic() == null && !only.select().isEmpty()) {
      xml.select = columns(only.select());
      xml.drop = columns(only.drop());
      xml.filter = filter(only.filter());
      return xml;
    }
    xml.select = columns(shared.select());
    xml.drop = columns(shared.drop());
    xml.filter = filter(shared.filter());
    for (DistributionStream stream : streams) {
      XmlStream s = new XmlStream();
      s.name = stream.name();
      s.topic = stream.topic();
      s.select = columns(stream.select());
      s.drop = columns(stream.drop());
      s.filter = filter(stream.filter());
      xml.streams.add(s);
    }
    return xml;
  }

  private static final RulesToXml CONDITIONS = new RulesToXml();

  private RulesToXml() {}

  private static XmlColumnList columns(List<FieldPath> paths) {
    if (paths.isEmpty()) {
      return null;
    }
    XmlColumnList list = new XmlColumnList();
    paths.forEach(p -> list.columns.add(new XmlColumn(p.toString(), null, null, null)));
    return list;
  }

  private static XmlGroups.Filter filter(List<Condition> conditions) {
    return conditions.isEmpty() ? null : fill(new XmlGroups.Filter(), conditions);
  }

  private static <G extends XmlGroup> G fill(G group, List<Condition> conditions) {
    conditions.forEach(c -> group.conditions.add(c.accept(CONDITIONS)));
    return group;
  }

  private static XmlColumn column(FieldPath field, String operator, String value) {
    return new XmlColumn(field.toString(), null, operator, value);
  }

  @Override
  public XmlCondition visitComparison(Comparison c) {
    return column(c.field(), c.operator().symbol(), c.value().toXml());
  }

  @Override
  public XmlCondition visitInList(InList in) {
    return column(in.field(), (in.negated() ? ColumnOperator.NOT_IN : ColumnOperator.IN).text(),
        Literal.toXmlList(in.values()));
  }

  @Override
  public XmlCondition visitBetween(Between b) {
    return column(b.field(), ColumnOperator.BETWEEN.text(), Literal.toXmlList(List.of(b.low(), b.high())));
  }

  @Override
  public XmlCondition visitIsNull(IsNull n) {
    return column(n.field(), (n.negated() ? ColumnOperator.IS_NOT_NULL : ColumnOperator.IS_NULL).text(), null);
  }

  @Override
  public XmlCondition visitStartsWith(StartsWith s) {
    return column(s.field(), ColumnOperator.STARTSWITH.text(), Literal.of(s.prefix()).toXml());
  }

  @Override
  public XmlCondition visitMatches(Matches m) {
    return column(m.field(), ColumnOperator.MATCHES.text(), Literal.of(m.regex()).toXml());
  }

  @Override
  public XmlCondition visitAnd(And and) {
    return fill(new XmlGroups.And(), and.conditions());
  }

  @Override
  public XmlCondition visitOr(Or or) {
    return fill(new XmlGroups.Or(), or.conditions());
  }

  @Override
  public XmlCondition visitNot(Not not) {
    return fill(new XmlGroups.Not(), List.of(not.condition()));
  }

  @Override
  public XmlCondition visitCount(ArrayCount count) {
    XmlArrayConditions.Count x = fill(new XmlArrayConditions.Count(), count.where());
    x.array = count.array().toString();
    x.operator = count.operator().symbol();
    x.value = count.value().toXml();
    return x;
  }

  @Override
  public XmlCondition visitAny(ArrayAny any) {
    XmlArrayConditions.Any x = fill(new XmlArrayConditions.Any(), any.where());
    x.array = any.array().toString();
    return x;
  }

  @Override
  public XmlCondition visitAll(ArrayAll all) {
    XmlArrayConditions.All x = fill(new XmlArrayConditions.All(), all.where());
    x.array = all.array().toString();
    return x;
  }

  @Override
  public XmlCondition visitAggregate(ArrayAggregate a) {
    XmlArrayConditions.Aggregate x = switch (a.function()) {
      case MIN -> new XmlArrayConditions.Min();
      case MAX -> new XmlArrayConditions.Max();
      case SPAN -> new XmlArrayConditions.Span();
    };
    fill(x, a.where());
    x.array = a.array().toString();
    x.field = a.field().toString();
    x.include = a.include() == null ? null : a.include().toString();
    x.operator = a.operator().symbol();
    x.value = a.value().toXml();
    return x;
  }

  @Override
  public XmlCondition visitCone(Cone cone) {
    XmlCone x = new XmlCone();
    x.ra = cone.ra().toString();
    x.dec = cone.dec().toString();
    x.center = cone.centerRa().toPlainString() + ", " + cone.centerDec().toPlainString();
    x.radius = cone.radius().toPlainString();
    x.unit = cone.unit().xmlName();
    return x;
  }

  @Override
  public XmlCondition visitWatchlist(Watchlist watchlist) {
    XmlWatchlist x = new XmlWatchlist();
    x.ra = watchlist.ra().toString();
    x.dec = watchlist.dec().toString();
    x.file = watchlist.file().toString();
    x.radius = watchlist.radius().toPlainString();
    x.unit = watchlist.unit().xmlName();
    x.annotate = watchlist.annotate() ? "true" : null;
    return x;
  }
}
