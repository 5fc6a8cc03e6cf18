package org.fink.distribution.rules.xml;

import static org.fink.distribution.rules.Rules.all;
import static org.fink.distribution.rules.Rules.any;
import static org.fink.distribution.rules.Rules.cone;
import static org.fink.distribution.rules.Rules.count;
import static org.fink.distribution.rules.Rules.field;
import static org.fink.distribution.rules.Rules.max;
import static org.fink.distribution.rules.Rules.min;
import static org.fink.distribution.rules.Rules.not;
import static org.fink.distribution.rules.Rules.or;
import static org.fink.distribution.rules.Rules.span;
import static org.fink.distribution.rules.Rules.watchlist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.fink.distribution.rules.And;
import org.fink.distribution.rules.AngleUnit;
import org.fink.distribution.rules.ArrayCount;
import org.fink.distribution.rules.Condition;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.FieldPath;
import org.fink.distribution.rules.Not;
import org.fink.distribution.rules.Or;
import org.fink.distribution.rules.Rules;
import org.fink.distribution.rules.SourceLocation;
import org.junit.jupiter.api.Test;

/** Every construct of the grammar: read from XML, equal to the same rules built in Java, written back losslessly. */
class RuleGrammarTest {
  /** One file with every construct, at known lines. */
  static final String EVERY_CONSTRUCT = """
      <?xml version="1.0" encoding="UTF-8"?>
      <distribution-rules>
        <select>
          <column name="objectId"/>
          <column name="candidate" subcol="magpsf"/>
        </select>
        <drop>
          <column name="candidate.programpi"/>
        </drop>
        <filter>
          <column name="candidate.rb" operator="&gt;=" value="0.55"/>
        </filter>
        <stream name="everything" topic="fink_everything">
          <select>
            <column name="prv_candidates"/>
          </select>
          <drop>
            <column name="prv_candidates.pdiffimfilename"/>
          </drop>
          <filter>
            <column name="candidate.magpsf" operator="lt" value="18"/>
            <column name="candidate.magpsf" operator="&lt;=" value="18.5"/>
            <column name="candidate.fid" operator="eq" value="1"/>
            <column name="candidate.fid" operator="!=" value="3"/>
            <column name="candidate.jd" operator="GE" value="2458800.5"/>
            <column name="candidate.jd" operator="&gt;" value="2.4588e6"/>
            <column name="candidate.fid" operator="in" value="1, 2"/>
            <column name="candidate.isdiffpos" operator="not  in" value="'f', 'it''s, or not'"/>
            <column name="candidate.magdiff" operator="between" value="-0.1, 0.1"/>
            <column name="candidate.ssnamenr" operator="is null"/>
            <column name="candidate.drb" operator="IS NOT NULL"/>
            <column name="objectId" operator="startswith" value="'ZTF18'"/>
            <column name="candidate.ssnamenr" operator="matches" value="'^[0-9]+$'"/>
            <or>
              <column name="candidate.magpsf" operator="&lt;" value="16"/>
              <and>
                <column name="candidate.magpsf" operator="&lt;" value="19"/>
                <not>
                  <column name="candidate.isdiffpos" operator="=" value="'f'"/>
                </not>
              </and>
            </or>
            <count array="prv_candidates" operator="&gt;=" value="3">
              <column name="magpsf" operator="&lt;" value="19"/>
            </count>
            <count array="prv_candidates" operator="=" value="0"/>
            <any array="prv_candidates">
              <column name="magpsf" operator="&lt;" value="17"/>
              <column name="fid" operator="=" value="2"/>
            </any>
            <all array="prv_candidates">
              <or>
                <column name="magpsf" operator="is null"/>
                <any array="extra"><column name="x" operator="=" value="1"/></any>
              </or>
            </all>
            <min array="prv_candidates" field="magpsf" operator="&lt;" value="17"/>
            <max array="prv_candidates" field="jd" operator="&gt;" value="2458800.5">
              <column name="fid" operator="=" value="1"/>
            </max>
            <span array="prv_candidates" field="jd" include="candidate.jd" operator="&gt;" value="10">
              <column name="magpsf" operator="is not null"/>
            </span>
            <cone ra="candidate.ra" dec="candidate.dec" center="83.63308, 22.0145" radius="30" unit="arcsec"/>
            <cone ra="candidate.ra" dec="candidate.dec" center="0, -90" radius="2"/>
            <watchlist ra="candidate.ra" dec="candidate.dec" file="../conf/examples/watchlist-known-objects.csv"
                       radius="2 arcsec" annotate="true"/>
            <not><watchlist ra="candidate.ra" dec="candidate.dec" file="../conf/examples/watchlist-known-objects.csv"
                            radius="1.5" unit="arcmin"/></not>
          </filter>
        </stream>
        <stream name="all_fields"/>
      </distribution-rules>
      """;

  /** The example catalog, as the rules above name it (read from a stream: relative to the working directory). */
  static final Path EXAMPLE_CATALOG = Path.of("../conf/examples/watchlist-known-objects.csv");

  static DistributionRules read(String xml) {
    return RulesXml.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "rules.xml");
  }

  /** The rules of {@link #EVERY_CONSTRUCT}, built in Java. */
  static DistributionRules everyConstructInJava() {
    return Rules.shared().select("objectId", "candidate.magpsf").drop("candidate.programpi")
        .filter(field("candidate.rb").ge(0.55))
        .streams(Rules.stream("everything").topic("fink_everything")
            .select("prv_candidates").drop("prv_candidates.pdiffimfilename")
            .filter(
                field("candidate.magpsf").lt(18),
                field("candidate.magpsf").le(18.5),
                field("candidate.fid").eq(1),
                field("candidate.fid").ne(3),
                field("candidate.jd").ge(2458800.5),
                field("candidate.jd").gt(2458800),
                field("candidate.fid").in(1, 2),
                field("candidate.isdiffpos").notIn("f", "it's, or not"),
                field("candidate.magdiff").between(-0.1, 0.1),
                field("candidate.ssnamenr").isNull(),
                field("candidate.drb").isNotNull(),
                field("objectId").startsWith("ZTF18"),
                field("candidate.ssnamenr").matches("^[0-9]+$"),
                or(field("candidate.magpsf").lt(16),
                    Rules.and(field("candidate.magpsf").lt(19), not(field("candidate.isdiffpos").eq("f")))),
                count("prv_candidates").where(field("magpsf").lt(19)).ge(3),
                count("prv_candidates").eq(0),
                any("prv_candidates", field("magpsf").lt(17), field("fid").eq(2)),
                all("prv_candidates", or(field("magpsf").isNull(), any("extra", field("x").eq(1)))),
                min("prv_candidates", "magpsf").lt(17),
                max("prv_candidates", "jd").where(field("fid").eq(1)).gt(2458800.5),
                span("prv_candidates", "jd").including("candidate.jd").where(field("magpsf").isNotNull()).gt(10),
                cone("candidate.ra", "candidate.dec").around(83.63308, 22.0145).within(30, AngleUnit.ARCSEC),
                cone("candidate.ra", "candidate.dec").around(0, -90).within(2, AngleUnit.DEG),
                watchlist("candidate.ra", "candidate.dec").file(EXAMPLE_CATALOG).within(2, AngleUnit.ARCSEC)
                    .annotated(),
                not(watchlist("candidate.ra", "candidate.dec").file(EXAMPLE_CATALOG).within(1.5, AngleUnit.ARCMIN))),
            Rules.stream("all_fields"));
  }

  @Test
  void everyConstructReadsAsTheJavaBuilderMakesIt() {
    assertEquals(everyConstructInJava(), read(EVERY_CONSTRUCT));
  }

  @Test
  void everyConstructRoundTripsAndTheWrittenXmlFollowsTheXsd() throws Exception {
    DistributionRules rules = read(EVERY_CONSTRUCT);
    String xml = RulesXml.write(rules);
    RulesXsd.validate(EVERY_CONSTRUCT, "every-construct.xml");
    RulesXsd.validate(xml, "written.xml");
    DistributionRules back = read(xml);
    assertEquals(rules, back);
    assertEquals(xml, RulesXml.write(back), "writing is stable");
    assertEquals(everyConstructInJava(), read(RulesXml.write(everyConstructInJava())));
  }

  @Test
  void nestedNodesKnowTheirLine() {
    DistributionRules rules = read(EVERY_CONSTRUCT);
    List<Condition> filter = rules.declaredStreams().get(0).filter();
    assertEquals(new SourceLocation("rules.xml", 21, 7), rules.locationOf(filter.get(0)).orElseThrow());
    Or or = (Or) filter.get(13);
    assertEquals(34, rules.locationOf(or).orElseThrow().line());
    And and = (And) or.conditions().get(1);
    assertEquals(new SourceLocation("rules.xml", 36, 9), rules.locationOf(and).orElseThrow());
    Not not = (Not) and.conditions().get(1);
    assertEquals(new SourceLocation("rules.xml", 39, 13), rules.locationOf(not.condition()).orElseThrow());
    ArrayCount count = (ArrayCount) filter.get(14);
    assertEquals(new SourceLocation("rules.xml", 44, 9), rules.locationOf(count.where().get(0)).orElseThrow());
    assertEquals(new SourceLocation("rules.xml", 13, 3),
        rules.locationOf(rules.declaredStreams().get(0)).orElseThrow());
    assertEquals(new SourceLocation("rules.xml", 13, 3), rules.locationOf(rules.streams().get(0)).orElseThrow(),
        "the stream as distributed points to its declaration");
    assertEquals(new SourceLocation("rules.xml", 11, 5),
        rules.locationOf(rules.shared().filter().get(0)).orElseThrow());
  }

  @Test
  void aStreamWithoutSelectDistributesEveryFieldAndRoundTrips() {
    DistributionRules rules = read("""
        <distribution-rules>
          <stream name="default"/>
        </distribution-rules>
        """);
    DistributionStream only = rules.streams().get(0);
    assertEquals(List.of(), only.select());
    assertEquals(null, only.topic());
    String xml = RulesXml.write(rules);
    assertTrue(xml.contains("<stream name=\"default\"/>"), xml);
    assertEquals(rules, read(xml));
    assertEquals(Rules.of(Rules.stream("default")), rules);
  }

  @Test
  void theOriginalFormatIsWrittenAsSuchAndStreamsOtherwise() {
    DistributionRules original = Rules.of(Rules.stream(DistributionRules.DEFAULT_STREAM).select("objectId")
        .filter(field("candidate.magpsf").lt(18)));
    String xml = RulesXml.write(original);
    assertTrue(!xml.contains("<stream") && xml.contains("<select>"), xml);
    DistributionRules named = Rules.of(Rules.stream("bright").topic("fink_bright").select("objectId"));
    assertTrue(RulesXml.write(named).contains("<stream name=\"bright\" topic=\"fink_bright\">"),
        RulesXml.write(named));
    assertEquals(named, read(RulesXml.write(named)));
  }

  @Test
  void newConstructsParseUnderTheOriginalInternalDtd() {
    DistributionRules rules = read("""
        <?xml version="1.0"?>
        <!DOCTYPE distribution-rules [
          <!ELEMENT distribution-rules (select, drop?, filter?) >
          <!ELEMENT select (column+) >
          <!ELEMENT drop (column*) >
          <!ELEMENT filter (column*) >
          <!ELEMENT column (#PCDATA)>
          <!ATTLIST column name CDATA #REQUIRED subcol CDATA #IMPLIED operator CDATA #IMPLIED
                           value CDATA #IMPLIED >
          <!ENTITY faint "19">
        ]>
        <distribution-rules>
          <select><column name="objectId"/></select>
          <filter>
            <column name="candidate" subcol="magpsf" operator="&lt;" value="&faint;"/>
            <or>
              <column name="candidate.fid" operator="in" value="1, 2"/>
              <count array="prv_candidates" operator="&gt;" value="2"/>
            </or>
          </filter>
        </distribution-rules>
        """);
    assertEquals(Rules.of(Rules.stream("default").select("objectId").filter(field("candidate.magpsf").lt(19),
        or(field("candidate.fid").in(1, 2), count("prv_candidates").gt(2)))), rules);
  }

  @Test
  void operatorWordsAndSpacingAreFree() {
    DistributionRules rules = read("""
        <distribution-rules><stream name="s"><filter>
          <column name="a" operator=" Not In " value="1"/>
          <column name="a" operator="is   null"/>
          <column name="a" operator="BETWEEN" value=" 1 ,2 "/>
          <column name="a" operator="StartsWith" value="'x'"/>
          <count array="b" operator="ge" value="1"/>
        </filter></stream></distribution-rules>
        """);
    assertEquals(List.of(field("a").notIn(1), field("a").isNull(), field("a").between(1, 2),
        field("a").startsWith("x"), count("b").ge(1)), rules.streams().get(0).filter());
  }

  @Test
  void valuesThatLookLikeSqlAreJustStrings() {
    DistributionRules rules = read("""
        <distribution-rules><stream name="s"><filter>
          <column name="objectId" operator="=" value="'1 OR 1=1'"/>
          <column name="objectId" operator="=" value="'x') OR ('a'='a'"/>
          <column name="objectId" operator="in" value="'x'') OR (''a''=''a', '; DROP TABLE alerts; --'"/>
        </filter></stream></distribution-rules>
        """);
    assertEquals(List.of(field("objectId").eq("1 OR 1=1"), field("objectId").eq("x') OR ('a'='a"),
        field("objectId").in("x') OR ('a'='a", "; DROP TABLE alerts; --")), rules.streams().get(0).filter());
    assertEquals(rules, read(RulesXml.write(rules)));
  }

  @Test
  void pathsOfAnyDepth() {
    DistributionRules rules = read("""
        <distribution-rules><stream name="s">
          <select><column name="a.b.c.d"/><column name="a" subcol="b.c"/></select>
          <filter><column name="a.b.c.d" operator="=" value="1"/></filter>
        </stream></distribution-rules>
        """);
    DistributionStream s = rules.streams().get(0);
    assertEquals(List.of(FieldPath.of("a.b.c.d"), FieldPath.of("a.b.c")), s.select());
    assertEquals(List.of("a", "b", "c", "d"), s.select().get(0).segments());
  }
}
