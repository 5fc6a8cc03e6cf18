package org.fink.distribution.spark;

import static org.apache.spark.sql.functions.col;
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
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.rules.AngleUnit;
import org.fink.distribution.rules.Condition;
import org.fink.distribution.rules.Literal;
import org.fink.distribution.rules.Operator;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.Rules;
import org.fink.distribution.rules.RuleValidator;
import org.fink.distribution.rules.Watchlist;
import org.fink.distribution.rules.WatchlistMatch;
import org.fink.distribution.rules.avro.AlertPredicate;
import org.fink.distribution.rules.avro.WatchlistMatcher;
import org.fink.distribution.rules.xml.RulesXml;
import org.fink.distribution.testkit.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential test of the two evaluators: on every real ZTF alert of the shared data (schema versions 3.1, 3.3
 * and 4.02 mixed), the Spark columns (over the science database the alerts were ingested into) and the Avro
 * predicate (over the raw alert files) select exactly the same alerts, rule by rule, for rules covering every
 * operator, group, array condition, cone and watchlist, and the null semantics. Every rule is also checked to select some
 * alerts but not all, so that agreement means something; values that would be SQL injections select nothing.
 */
class RuleEvaluatorsAgreeTest {
  /** A rule of the test, and whether it must select some alerts but not all (else: nothing at all). */
  private record Rule(String name, Condition condition, boolean selectsSome) {}

  private static final List<Rule> RULES = new ArrayList<>();
  private static final Path EXAMPLE_CATALOG = Path.of(System.getProperty("fink.home", ".."))
      .resolve("conf/examples/watchlist-known-objects.csv").toAbsolutePath().normalize();

  private static void rule(String name, Condition condition) {
    RULES.add(new Rule(name, condition, true));
  }

  private static void nothing(String name, Condition condition) {
    RULES.add(new Rule(name, condition, false));
  }

  static {
    // comparisons: every operator, float / double / int / long / string fields
    rule("lt float", field("candidate.magpsf").lt(18));
    rule("le float, non-integral", field("candidate.magpsf").le(18.5));
    rule("eq int", field("candidate.fid").eq(2));
    rule("ne int", field("candidate.fid").ne(1));
    rule("ge double", field("candidate.jd").ge(2458850));
    rule("gt float", field("candidate.rb").gt(0.65));
    rule("gt long", field("candid").gt(1000000000000000000L));
    rule("lt long, non-integral value (compared as doubles)", field("candid").compare(Operator.LT,
        new Literal.Number(new BigDecimal("1079564896215015003.5"))));
    rule("eq string", field("candidate.isdiffpos").eq("t"));
    rule("lt string", field("objectId").lt("ZTF19"));
    rule("ne string", field("candidate.ssnamenr").ne("null"));
    // in, between, null, strings
    rule("in int", field("candidate.fid").in(2, 3));
    rule("in string", field("candidate.rbversion").in("t17_f5_c3", "t0"));
    rule("not in string", field("candidate.isdiffpos").notIn("f"));
    rule("between float", field("candidate.magdiff").between(-0.1, 0.1));
    rule("between string", field("objectId").between("ZTF18a", "ZTF18b"));
    rule("is null (field absent before schema 3.3)", field("candidate.drb").isNull());
    rule("is not null", field("candidate.drb").isNotNull());
    rule("startswith", field("objectId").startsWith("ZTF18"));
    rule("matches, anchored", field("candidate.ssnamenr").matches("^[0-9]+$"));
    rule("matches, anywhere", field("objectId").matches("aa[a-m]"));
    // null semantics
    rule("comparison with null is false", field("candidate.drb").ge(0.5));
    rule("ne with null is false", field("candidate.drb").ne(0.5));
    rule("not in with null is false", field("candidate.drb").notIn(1));
    rule("not of a null comparison is true", not(field("candidate.drb").ge(0.5)));
    rule("not not", not(not(field("candidate.drb").lt(0.5))));
    rule("or with a null side", field("candidate.drb").ge(0.9).or(field("candidate.rb").ge(0.8)));
    // groups
    rule("or", field("candidate.magpsf").lt(16).or(field("candidate.rb").gt(0.8)));
    rule("or of ands", or(field("candidate.fid").eq(1).and(field("candidate.magpsf").lt(18)),
        field("candidate.fid").eq(2).and(field("candidate.magpsf").lt(19))));
    rule("not", not(field("candidate.ssnamenr").eq("null")));
    rule("and, or, not nested", Rules.and(field("candidate.isdiffpos").eq("t"),
        or(not(field("candidate.sgscore1").gt(0.5)), field("candidate.distpsnr1").gt(3))));
    // arrays of records
    rule("count", count("prv_candidates").ge(20));
    rule("count where", count("prv_candidates").where(field("magpsf").lt(19)).ge(3));
    rule("count where is null (upper limits)", count("prv_candidates").where(field("magpsf").isNull()).eq(0));
    rule("count where not, null elements fields", count("prv_candidates").where(not(field("magpsf").lt(19))).ge(5));
    rule("any", any("prv_candidates", field("magpsf").lt(17)));
    rule("any with two conditions", any("prv_candidates", field("fid").eq(2), field("isdiffpos").eq("t")));
    rule("all", all("prv_candidates", field("fid").eq(1)));
    rule("all upper limits", all("prv_candidates", field("magpsf").isNull()));
    rule("all, null string fields", all("prv_candidates", field("isdiffpos").eq("t")));
    rule("any inside not", not(any("prv_candidates", field("magpsf").lt(18))));
    rule("min", min("prv_candidates", "magpsf").lt(17));
    rule("max", max("prv_candidates", "magpsf").gt(20));
    rule("max where", max("prv_candidates", "jd").where(field("magpsf").isNotNull()).gt(2458800));
    rule("min including the current detection", min("prv_candidates", "magpsf").including("candidate.magpsf")
        .lt(16));
    rule("span", span("prv_candidates", "jd").gt(20));
    rule("span of detections with the current one (light curve length)",
        span("prv_candidates", "jd").including("candidate.jd").where(field("magpsf").isNotNull()).gt(10));
    rule("span, int field", span("prv_candidates", "fid").eq(1));
    // cones
    rule("cone, degrees", cone("candidate.ra", "candidate.dec").around(15, -20).within(5, AngleUnit.DEG));
    rule("cone, arcsec around one alert", cone("candidate.ra", "candidate.dec").around(131.9832405, 9.6979856)
        .within(2, AngleUnit.ARCSEC));
    rule("cone across ra = 0", cone("candidate.ra", "candidate.dec").around(358, -15).within(15, AngleUnit.DEG));
    rule("cone, arcmin", cone("candidate.ra", "candidate.dec").around(176.5, 16.88).within(20, AngleUnit.ARCMIN));
    rule("not cone", not(cone("candidate.ra", "candidate.dec").around(15, -20).within(5, AngleUnit.DEG)));
    // watchlists (more in watchlistsOfRealAlertPositionsSelectTheSameAlertsInBothEvaluators)
    rule("watchlist of the example catalog", watchlist("candidate.ra", "candidate.dec").file(EXAMPLE_CATALOG)
        .within(2, AngleUnit.ARCSEC));
    rule("not watchlist, 1 degree", not(watchlist("candidate.ra", "candidate.dec").file(EXAMPLE_CATALOG)
        .within(1, AngleUnit.DEG)));
    // values that would be SQL, were they pasted into SQL: just strings, matching nothing
    nothing("'1 OR 1=1'", field("objectId").eq("1 OR 1=1"));
    nothing("'x') OR ('a'='a'", field("objectId").eq("x') OR ('a'='a"));
    nothing("isdiffpos = 't' OR '1'='1'", field("candidate.isdiffpos").eq("t' OR '1'='1"));
    nothing("in ('x'') OR (''a''=''a')", field("objectId").in("x') OR ('a'='a", "1 OR 1=1"));
    nothing("startswith \"%\"", field("objectId").startsWith("%"));
    nothing("ssnamenr = '1 OR 1=1' -- comment", field("candidate.ssnamenr").eq("1 OR 1=1 --"));
  }

  @TempDir static Path work;
  static boolean ingestedOnce;
  static Dataset<Row> alerts;
  static final Map<Long, GenericRecord> RAW = new LinkedHashMap<>();

  /** Once for the class, but per test so that each test is reported skipped (with the reason) without the data. */
  @BeforeEach
  void ingestTheRealAlertsOnce() throws IOException {
    Path files = SharedData.ztfAlerts();
    if (ingestedOnce) {
      return;
    }
    SparkSession spark = TestSpark.session();
    ScienceDb db = new ScienceDb(spark, work.resolve("science_db").toString(), "parquet");
    new SurveyIngest(spark).ingest(files, db);
    alerts = db.read().cache();
    for (Path file : SurveyIngest.alertFiles(files)) {
      try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
        reader.forEach(r -> RAW.put((Long) r.get("candid"), r));
      }
    }
    DistributionRules asRules = Rules.of(Rules.stream("all").filter(
        RULES.stream().map(Rule::condition).toArray(Condition[]::new)));
    assertEquals(List.of(), RuleValidator.problems(asRules, ScienceDb.avroSchema(alerts.schema())),
        "the rules of this test fit the science database");
    ingestedOnce = true;
  }

  @AfterAll
  static void release() {
    if (alerts != null) {
      alerts.unpersist();
    }
  }

  /** The alerts each rule selects in Spark: one query, one boolean column per rule. */
  private static List<Set<Long>> sparkSelections() {
    RuleColumns columns = new RuleColumns(alerts.schema());
    List<Column> select = new ArrayList<>();
    select.add(col("candid"));
    for (int i = 0; i < RULES.size(); i++) {
      select.add(columns.of(RULES.get(i).condition()).as("rule_" + i));
    }
    List<Set<Long>> selected = new ArrayList<>();
    RULES.forEach(r -> selected.add(new TreeSet<>()));
    for (Row row : alerts.select(select.toArray(Column[]::new)).collectAsList()) {
      for (int i = 0; i < RULES.size(); i++) {
        if (row.isNullAt(i + 1)) {
          throw new AssertionError("rule " + RULES.get(i).name() + " gave null for alert " + row.getLong(0)
              + ": the Spark columns must be two-valued");
        }
        if (row.getBoolean(i + 1)) {
          selected.get(i).add(row.getLong(0));
        }
      }
    }
    return selected;
  }

  private static Set<Long> avroSelection(Condition condition) {
    AlertPredicate predicate = AlertPredicate.of(condition);
    Set<Long> selected = new TreeSet<>();
    RAW.forEach((candid, alert) -> {
      if (predicate.test(alert)) {
        selected.add(candid);
      }
    });
    return selected;
  }

  @Test
  void bothEvaluatorsSelectTheSameAlertsForEveryRule() {
    assertTrue(RULES.size() >= 30, "at least 30 rules");
    assertEquals(RAW.size(), alerts.count(), "every alert file is in the science database");
    assertTrue(RAW.size() > 300, "the shared ZTF alerts: " + RAW.size());
    List<Set<Long>> spark = sparkSelections();
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < RULES.size(); i++) {
      Rule rule = RULES.get(i);
      Set<Long> avro = avroSelection(rule.condition());
      Set<Long> inSpark = spark.get(i);
      if (!avro.equals(inSpark)) {
        Set<Long> onlySpark = new TreeSet<>(inSpark);
        onlySpark.removeAll(avro);
        Set<Long> onlyAvro = new TreeSet<>(avro);
        onlyAvro.removeAll(inSpark);
        failures.add(rule.name() + " [" + rule.condition() + "]: Spark " + inSpark.size() + ", Avro " + avro.size()
            + "; only Spark " + onlySpark + ", only Avro " + onlyAvro);
      }
      if (rule.selectsSome() && (avro.isEmpty() || avro.size() == RAW.size())) {
        failures.add(rule.name() + " [" + rule.condition() + "] selects " + avro.size() + " of " + RAW.size()
            + " alerts: the rule has no teeth");
      }
      if (!rule.selectsSome() && !(avro.isEmpty() && inSpark.isEmpty())) {
        failures.add(rule.name() + " [" + rule.condition() + "] is a plain string and must match nothing, but"
            + " selects " + avro.size() + " (Avro) / " + inSpark.size() + " (Spark)");
      }
    }
    assertEquals(List.of(), failures, () -> String.join("\n", failures));
  }

  /**
   * Float fields compare in the field's precision: a value read from a real alert and written back as the user sees
   * it ({@code Float.toString}, e.g. 0.59 for a stored 0.58999997f), or as its double print, selects that alert with
   * {@code =}, {@code >=}, {@code <=}, {@code in} and {@code between}, and not with {@code <} or {@code !=}, in both
   * evaluators alike.
   */
  private record FloatCase(String what, Condition condition, long candid, boolean keeps) {}

  @Test
  void floatValuesWrittenAsSeenInTheAlertSelectThatAlertInBothEvaluators() {
    List<FloatCase> cases = new ArrayList<>();
    int inexact = 0;
    int checked = 0;
    for (GenericRecord alert : RAW.values()) {
      long candid = (Long) alert.get("candid");
      GenericRecord candidate = (GenericRecord) alert.get("candidate");
      for (String name : List.of("rb", "magpsf", "sigmapsf", "sgscore1", "distpsnr1", "magdiff")) {
        if (!(candidate.get(name) instanceof Float stored) || stored.isNaN()) {
          continue;
        }
        String field = "candidate." + name;
        for (String written : new java.util.TreeSet<>(List.of(Float.toString(stored), Double.toString(stored)))) {
          Literal.Number value = new Literal.Number(new BigDecimal(written));
          if (!value.exactFloat() && value.doubleValue() != (double) stored) {
            inexact++;  // compared as a double, this literal would have missed its own alert
          }
          checked++;
          Map<String, Condition> rules = new LinkedHashMap<>();
          rules.put("=", field(field).compare(Operator.EQ, value));
          rules.put(">=", field(field).compare(Operator.GE, value));
          rules.put("<=", field(field).compare(Operator.LE, value));
          rules.put("in", field(field).in(List.of(value, Literal.of(-99)), false));
          rules.put("between", Rules.field(field).between(value.value(), value.value()));
          rules.put("<", field(field).compare(Operator.LT, value));
          rules.put("!=", field(field).compare(Operator.NE, value));
          for (Map.Entry<String, Condition> rule : rules.entrySet()) {
            cases.add(new FloatCase(field + " " + rule.getKey() + " " + written + " (alert " + candid + " stores "
                + stored + ")", rule.getValue(), candid, !Set.of("<", "!=").contains(rule.getKey())));
          }
        }
      }
      if (checked >= 40) {
        break;
      }
    }
    assertTrue(inexact > 0, "some literals are not exact floats, so the test has teeth");
    RuleColumns columns = new RuleColumns(alerts.schema());
    List<Column> select = new ArrayList<>(List.of(col("candid")));
    for (int i = 0; i < cases.size(); i++) {
      select.add(columns.of(cases.get(i).condition()).as("case_" + i));
    }
    List<Set<Long>> spark = new ArrayList<>();
    cases.forEach(c -> spark.add(new TreeSet<>()));
    for (Row row : alerts.select(select.toArray(Column[]::new)).collectAsList()) {
      for (int i = 0; i < cases.size(); i++) {
        if (row.getBoolean(i + 1)) {
          spark.get(i).add(row.getLong(0));
        }
      }
    }
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      FloatCase c = cases.get(i);
      Set<Long> avro = avroSelection(c.condition());
      if (!avro.equals(spark.get(i))) {
        failures.add(c.what() + ": Spark " + spark.get(i).size() + ", Avro " + avro.size());
      }
      if (avro.contains(c.candid()) != c.keeps()) {
        failures.add(c.what() + (c.keeps() ? " misses its alert" : " keeps its alert"));
      }
    }
    assertEquals(List.of(), failures, () -> String.join("\n", failures));
  }

  @Test
  void injectionLikeValuesInAnXmlFileAreLiteralsThatMatchNothing() {
    DistributionRules rules = RulesXml.read(new ByteArrayInputStream("""
        <distribution-rules>
          <select><column name="objectId"/></select>
          <filter>
            <column name="candidate.isdiffpos" operator="=" value="'t') OR ('a'='a'"/>
          </filter>
        </distribution-rules>
        """.getBytes(StandardCharsets.UTF_8)), "injection.xml");
    Condition condition = rules.streams().get(0).filter().get(0);
    assertEquals(0, alerts.filter(new RuleColumns(alerts.schema()).all(rules.streams().get(0).filter())).count());
    assertEquals(Set.of(), avroSelection(condition));
    assertTrue(alerts.filter(new RuleColumns(alerts.schema()).of(field("candidate.isdiffpos").eq("t"))).count() > 0,
        "while the plain value does match");
  }

  /**
   * A catalog made of real alerts' positions: sources 0.5 arcsec off every 7th alert, some of them with an own radius
   * too small to reach it, decoys 30 arcsec off others, and random sources all over the sky. Both evaluators select
   * exactly the alerts a scan of every source finds (other alerts of a chosen object too: they share its position),
   * that is every alert near a source, none near only a decoy; they name the same source at the same separation; and
   * Spark looks the sources up row by row (no join).
   */
  @Test
  void watchlistsOfRealAlertPositionsSelectTheSameAlertsInBothEvaluators() throws IOException {
    StringBuilder csv = new StringBuilder("name,ra,dec,radius\n");
    Set<Long> chosen = new TreeSet<>();
    Set<Long> tooSmall = new TreeSet<>();
    Set<Long> decoyed = new TreeSet<>();
    java.util.Random random = new java.util.Random(20);
    List<double[]> sources = new ArrayList<>();
    List<Double> radii = new ArrayList<>();
    int k = 0;
    for (GenericRecord alert : RAW.values()) {
      GenericRecord candidate = (GenericRecord) alert.get("candidate");
      double ra = (Double) candidate.get("ra");
      double dec = (Double) candidate.get("dec");
      long candid = (Long) alert.get("candid");
      int kind = k++ % 7;
      if (kind == 0 || kind == 3 || kind == 5) {
        double sourceDec = dec + (kind == 5 ? 30.0 : 0.5) / 3600;
        String own = kind == 3 ? "0.2" : "";
        csv.append(kind == 5 ? "decoy " : "near ").append(candid).append(',').append(ra).append(',')
            .append(sourceDec).append(',').append(own).append('\n');
        sources.add(new double[] {ra, sourceDec});
        radii.add(kind == 3 ? 0.2 : 2.0);
        (kind == 0 ? chosen : kind == 3 ? tooSmall : decoyed).add(candid);
      }
    }
    for (int i = 0; i < 2000; i++) {
      double ra = random.nextDouble() * 360;
      double dec = Math.toDegrees(Math.asin(2 * random.nextDouble() - 1));
      csv.append("random ").append(i).append(',').append(ra).append(',').append(dec).append(",\n");
      sources.add(new double[] {ra, dec});
      radii.add(2.0);
    }
    Path catalog = Files.writeString(work.resolve("real-positions.csv"), csv.toString());
    Watchlist w = watchlist("candidate.ra", "candidate.dec").file(catalog).within(2, AngleUnit.ARCSEC);
    assertEquals(List.of(), w.catalogProblems());

    Set<Long> expected = new TreeSet<>();
    RAW.forEach((candid, alert) -> {
      GenericRecord candidate = (GenericRecord) alert.get("candidate");
      for (int i = 0; i < sources.size(); i++) {
        if (arcsecBetween((Double) candidate.get("ra"), (Double) candidate.get("dec"), sources.get(i)[0],
            sources.get(i)[1]) <= radii.get(i)) {
          expected.add(candid);
        }
      }
    });
    assertTrue(expected.containsAll(chosen), "every alert 0.5 arcsec from a source");
    Set<Long> decoyOnly = new TreeSet<>(decoyed);
    decoyOnly.removeAll(expected);
    assertTrue(decoyOnly.size() > 10, "alerts near only a decoy: " + decoyOnly.size());
    Set<Long> excluded = new TreeSet<>(tooSmall);
    excluded.removeAll(expected);
    assertTrue(excluded.size() > 10, "alerts outside their source's own radius: " + excluded.size());
    assertTrue(expected.size() < RAW.size(), "some alerts are far from every source");

    RuleColumns columns = new RuleColumns(alerts.schema());
    Column match = columns.match(w.annotated());
    Dataset<Row> result = alerts.select(col("candid"), columns.of(w).as("keep"),
        match.getField("name").as("name"), match.getField("separation_arcsec").as("separation"));
    String plan = result.queryExecution().executedPlan().toString();
    assertTrue(!plan.contains("Join") && !plan.contains("Cartesian"), plan);
    Set<Long> spark = new TreeSet<>();
    WatchlistMatcher matcher = new WatchlistMatcher(w);
    List<String> failures = new ArrayList<>();
    for (Row row : result.collectAsList()) {
      long candid = row.getLong(0);
      if (row.getBoolean(1)) {
        spark.add(candid);
      }
      WatchlistMatch avro = matcher.match(RAW.get(candid));
      WatchlistMatch inSpark = row.isNullAt(2) ? null : new WatchlistMatch(row.getString(2), row.getDouble(3));
      if (!java.util.Objects.equals(avro, inSpark)) {
        failures.add(candid + ": Avro " + avro + ", Spark " + inSpark);
      }
    }
    assertEquals(List.of(), failures);
    assertEquals(expected, avroSelection(w), "Avro selects what a scan of every source finds");
    assertEquals(expected, spark, "Spark selects what a scan of every source finds");
  }

  /** Angular distance by the spherical law of cosines (independent of the haversine the index uses), arcsec. */
  private static double arcsecBetween(double ra1, double dec1, double ra2, double dec2) {
    double a = Math.toRadians(dec1);
    double b = Math.toRadians(dec2);
    double cos = Math.sin(a) * Math.sin(b) + Math.cos(a) * Math.cos(b) * Math.cos(Math.toRadians(ra1 - ra2));
    return Math.toDegrees(Math.acos(Math.min(1, cos))) * 3600;
  }
}
