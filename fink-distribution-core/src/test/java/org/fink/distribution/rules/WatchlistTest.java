package org.fink.distribution.rules;

import static org.fink.distribution.rules.Rules.field;
import static org.fink.distribution.rules.Rules.watchlist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.fink.distribution.rules.avro.AlertPredicate;
import org.fink.distribution.rules.avro.WatchlistMatcher;
import org.fink.distribution.schema.DistributionSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watchlist condition: catalog reading and its errors, the sky index, the builder, the Avro evaluator. */
class WatchlistTest {
  @TempDir Path dir;

  private Path csv(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void aCatalogReadsQuotedNamesCommentsOwnRadiiAndExtraColumns() throws IOException {
    Path file = csv("ok.csv", "\uFEFF# my sources\nName, RA ,dec,radius,comment\n\"Crab, M1\",83.633083,22.0145,60,x\n"
        + "\n\"say \"\"hi\"\"\",10,-5,,\nPolaris,37.954542,89.264111\n");
    WatchlistCatalog catalog = WatchlistCatalog.read(file);
    assertEquals(3, catalog.size());
    assertEquals("Crab, M1", catalog.name(0));
    assertEquals("say \"hi\"", catalog.name(1));
    assertEquals(60, catalog.radiusArcsec(0));
    assertTrue(Double.isNaN(catalog.radiusArcsec(1)));
    assertTrue(Double.isNaN(catalog.radiusArcsec(2)), "a missing cell takes the default too");
    assertTrue(WatchlistCatalog.check(file) == WatchlistCatalog.check(file), "read once while unchanged");
  }

  @Test
  void everyProblemOfACatalogIsReportedWithFileLineColumnAndFix() throws IOException {
    Path file = csv("bad.csv", String.join("\n",
        "name,ra,dec,radius",
        "a,360,0,",
        "b,10,-90.5,",
        "c,NaN,1,",
        "d,,1,",
        ",1,1,",
        "a,1,1,",
        "e,1,1,-3",
        "f,abc,1,",
        "g,1,1e400,"));
    List<String> problems = WatchlistCatalog.check(file).problems();
    String all = String.join("\n", problems);
    assertEquals(9, problems.size(), all);
    for (String p : problems) {
      assertTrue(p.startsWith("watchlist catalog " + file + ", line "), p);
    }
    assertContains(problems.get(0), "line 2: column ra is 360, outside [0, 360)", "degrees");
    assertContains(problems.get(1), "line 3: column dec is -90.5, outside [-90, 90]");
    assertContains(problems.get(2), "line 4: column ra is \"NaN\", not a finite number");
    assertContains(problems.get(3), "line 5: column ra is empty");
    assertContains(problems.get(4), "line 6: column name is empty");
    assertContains(problems.get(5), "line 7: column name holds \"a\", already the name of the source on line 2",
        "unique");
    assertContains(problems.get(6), "line 8: column radius is -3", "leave the cell empty");
    assertContains(problems.get(7), "line 9: column ra is \"abc\"");
    assertContains(problems.get(8), "line 10: column dec is \"1e400\", not a finite number");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WatchlistCatalog.read(file));
    assertEquals(all, e.getMessage());
  }

  @Test
  void missingColumnsMissingFileEmptyFileAndParquetAreClearErrors() throws IOException {
    assertContains(only(csv("h.csv", "name,right_ascension,declination\nx,1,2\n")),
        "line 1: the line is the header, and it has no column ra, dec", "name,ra,dec,radius");
    assertContains(only(dir.resolve("none.csv")), "none.csv does not exist", "relative path is read from the"
        + " rules file's folder");
    assertContains(only(csv("empty.csv", "")), "empty.csv: the file is empty", "header line name,ra,dec");
    assertContains(only(csv("header.csv", "name,ra,dec\n")), "has no source");
    assertContains(only(csv("q.csv", "name,ra,dec\n\"open,1,2\n")), "line 2: the line has an unclosed quote");
    assertContains(only(csv("c.parquet", "PAR1")), "is a Parquet file", "convert it");
    assertContains(only(dir), "is not a regular file");
    assertContains(only(csv("secrets.conf", "name,ra,dec\nx,1,1\n")), "is neither a .csv nor a .parquet file");
  }

  @Test
  void manyProblemsAreCountedBeyondTheFirstTwenty() throws IOException {
    StringBuilder text = new StringBuilder("name,ra,dec\n");
    for (int i = 0; i < 30; i++) {
      text.append("s").append(i).append(",400,0\n");
    }
    List<String> problems = WatchlistCatalog.check(csv("many.csv", text.toString())).problems();
    assertEquals(21, problems.size());
    assertContains(problems.get(20), "10 more problems");
  }

  private static String only(Path file) {
    List<String> problems = WatchlistCatalog.check(file).problems();
    assertEquals(1, problems.size(), problems::toString);
    assertNull(WatchlistCatalog.check(file).catalog());
    return problems.get(0);
  }

  private static void assertContains(String text, String... parts) {
    for (String part : parts) {
      assertTrue(text.contains(part), "\"" + part + "\" not in: " + text);
    }
  }

  /** The index finds exactly what a scan of every source finds, near ra = 0/360, the poles, and everywhere. */
  @Test
  void theIndexAgreesWithABruteForceScan() throws IOException {
    Random random = new Random(20);
    StringBuilder text = new StringBuilder("name,ra,dec,radius\n");
    int n = 3000;
    double[] ra = new double[n];
    double[] dec = new double[n];
    double[] radius = new double[n];
    for (int i = 0; i < n; i++) {
      ra[i] = i % 5 == 0 ? (random.nextBoolean() ? random.nextDouble() * 0.01 : 359.99 + random.nextDouble() * 0.0099)
          : random.nextDouble() * 360;
      dec[i] = i % 7 == 0 ? Math.copySign(89.99 + random.nextDouble() * 0.01, random.nextGaussian())
          : Math.toDegrees(Math.asin(2 * random.nextDouble() - 1));
      radius[i] = i % 3 == 0 ? 1 + random.nextDouble() * 30 : Double.NaN;
      text.append("s").append(i).append(',').append(ra[i]).append(',').append(dec[i]).append(',')
          .append(Double.isNaN(radius[i]) ? "" : Double.toString(radius[i])).append('\n');
    }
    double defaultRadius = 20.0 / 3600;
    WatchlistIndex index = WatchlistCatalog.read(csv("random.csv", text.toString())).index(defaultRadius);
    int matched = 0;
    for (int q = 0; q < 6000; q++) {
      int near = random.nextInt(n);
      double qRa;
      double qDec;
      if (q % 2 == 0) {  // near a source: within about 40 arcsec
        qDec = Math.max(-90, Math.min(90, dec[near] + (random.nextDouble() - 0.5) * 0.02));
        qRa = (ra[near] + (random.nextDouble() - 0.5) * 0.02 / Math.max(0.01, Math.cos(Math.toRadians(qDec)))
            + 360) % 360;
      } else {
        qRa = random.nextDouble() * 360;
        qDec = random.nextDouble() * 180 - 90;
      }
      WatchlistMatch expected = bruteForce(ra, dec, radius, defaultRadius, qRa, qDec);
      WatchlistMatch found = index.nearest(qRa, qDec);
      assertEquals(expected, found, "at " + qRa + ", " + qDec);
      matched += found == null ? 0 : 1;
    }
    assertTrue(matched > 600, "the queries near sources match often: " + matched);
    assertNull(index.nearest(Double.NaN, 0));
    assertNull(index.nearest(10, 91));
  }

  private static WatchlistMatch bruteForce(double[] ra, double[] dec, double[] radius, double defaultRadius,
      double qRa, double qDec) {
    int best = -1;
    double bestHaversine = 0;
    for (int i = 0; i < ra.length; i++) {
      double r = Double.isNaN(radius[i]) ? defaultRadius : radius[i] / 3600;
      double half = Math.sin(r * ConeGeometry.RADIANS_PER_DEGREE * 0.5);
      double sinDec = Math.sin((qDec * ConeGeometry.RADIANS_PER_DEGREE - dec[i] * ConeGeometry.RADIANS_PER_DEGREE)
          * 0.5);
      double sinRa = Math.sin((qRa * ConeGeometry.RADIANS_PER_DEGREE - ra[i] * ConeGeometry.RADIANS_PER_DEGREE)
          * 0.5);
      double haversine = sinDec * sinDec + Math.cos(qDec * ConeGeometry.RADIANS_PER_DEGREE)
          * Math.cos(dec[i] * ConeGeometry.RADIANS_PER_DEGREE) * (sinRa * sinRa);
      if (haversine <= half * half && (best < 0 || haversine < bestHaversine)) {
        best = i;
        bestHaversine = haversine;
      }
    }
    return best < 0 ? null : new WatchlistMatch("s" + best,
        2 * Math.asin(Math.sqrt(bestHaversine)) / ConeGeometry.RADIANS_PER_DEGREE * 3600);
  }

  /** A one-source watchlist decides like a cone of the same centre and radius. */
  @Test
  void aOneSourceWatchlistIsACone() throws IOException {
    Path file = csv("one.csv", "name,ra,dec\ncrab,83.63308,22.0145\n");
    Watchlist w = watchlist("candidate.ra", "candidate.dec").file(file).within(30, AngleUnit.ARCSEC);
    ConeGeometry cone = Rules.cone("candidate.ra", "candidate.dec").around(83.63308, 22.0145)
        .within(30, AngleUnit.ARCSEC).geometry();
    Random random = new Random(1);
    for (int i = 0; i < 20000; i++) {
      double ra = 83.63308 + (random.nextDouble() - 0.5) * 0.02;
      double dec = 22.0145 + (random.nextDouble() - 0.5) * 0.02;
      assertEquals(cone.contains(ra, dec), w.index().nearest(ra, dec) != null, ra + ", " + dec);
    }
  }

  @Test
  void loadingAMillionSourcesTakesLessThanTenSeconds() throws IOException {
    Path file = dir.resolve("million.csv");
    Random random = new Random(7);
    try (BufferedWriter out = Files.newBufferedWriter(file)) {
      out.write("name,ra,dec\n");
      for (int i = 0; i < WatchlistCatalog.MAX_SOURCES; i++) {
        out.write("src" + i + "," + (float) (random.nextDouble() * 360) + ","
            + (float) Math.toDegrees(Math.asin(2 * random.nextDouble() - 1)) + "\n");
      }
    }
    long start = System.nanoTime();
    WatchlistIndex index = WatchlistCatalog.read(file).index(2.0 / 3600);
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(WatchlistCatalog.MAX_SOURCES, index.size());
    assertTrue(seconds < 10, "read and indexed in " + seconds + " s");
    long lookups = System.nanoTime();
    for (int i = 0; i < 100_000; i++) {
      index.nearest(random.nextDouble() * 360, random.nextDouble() * 180 - 90);
    }
    double perLookup = (System.nanoTime() - lookups) / 1e5;
    assertTrue(perLookup < 20_000, "a look-up takes " + perLookup + " ns");
    Files.writeString(file, "one more,1,1\n", java.nio.file.StandardOpenOption.APPEND);
    assertContains(WatchlistCatalog.check(file).problems().get(0), "line 1000002", "beyond the limit of 1000000");
  }

  @Test
  void theBuilderMakesTheConditionAndChecksItsParts() throws IOException {
    Path file = csv("w.csv", "name,ra,dec\ncrab,83.63308,22.0145\n");
    Watchlist w = watchlist("candidate.ra", "candidate.dec").file(file).within(2, AngleUnit.ARCSEC);
    assertEquals(new Watchlist(FieldPath.of("candidate.ra"), FieldPath.of("candidate.dec"), file,
        new java.math.BigDecimal("2.0"), AngleUnit.ARCSEC, false), w);
    assertEquals("(candidate.ra, candidate.dec) WITHIN 2 arcsec OF WATCHLIST " + file + " ANNOTATED",
        w.annotated().toString());
    assertThrows(IllegalStateException.class, () -> watchlist("ra", "dec").within(1, AngleUnit.ARCSEC));
    assertThrows(IllegalArgumentException.class, () -> watchlist("ra", "dec").file(file).within(0, AngleUnit.DEG));
    assertThrows(IllegalArgumentException.class, () -> watchlist("ra", "dec").file(file).within(2, AngleUnit.DEG));
  }

  private static final Schema CANDIDATE = SchemaBuilder.record("candidate").fields()
      .optionalDouble("ra").optionalDouble("dec").endRecord();
  private static final Schema ALERT = SchemaBuilder.record("alert").fields()
      .requiredString("objectId").name("candidate").type(CANDIDATE).noDefault().endRecord();

  private static GenericRecord alert(Double ra, Double dec) {
    GenericRecord candidate = new GenericData.Record(CANDIDATE);
    candidate.put("ra", ra);
    candidate.put("dec", dec);
    GenericRecord alert = new GenericData.Record(ALERT);
    alert.put("objectId", "ZTF");
    alert.put("candidate", candidate);
    return alert;
  }

  @Test
  void theAvroEvaluatorMatchesTheNearestSourceWithinItsRadius() throws IOException {
    Path file = csv("two.csv", "name,ra,dec,radius\nnear,10,10,\nfar,10.001,10,10\n");
    Watchlist w = watchlist("candidate.ra", "candidate.dec").file(file).within(2, AngleUnit.ARCSEC).annotated();
    AlertPredicate keep = AlertPredicate.of(w);
    WatchlistMatcher matcher = new WatchlistMatcher(w);
    assertTrue(keep.test(alert(10.0, 10.0)));
    assertEquals("near", matcher.match(alert(10.0, 10.0)).name());
    assertEquals(0, matcher.match(alert(10.0, 10.0)).separationArcsec(), 1e-9);
    WatchlistMatch far = matcher.match(alert(10.001 + 5.0 / 3600, 10.0));   // 3.6 arcsec + from "far", 12 from "near"
    assertNotNull(far);
    assertEquals("far", far.name());
    assertEquals(5 * Math.cos(Math.toRadians(10)), far.separationArcsec(), 1e-3);
    assertTrue(!keep.test(alert(10.0, 10.01)));
    assertTrue(!keep.test(alert(null, 10.0)), "null position: false");
    assertTrue(AlertPredicate.of(Rules.not(w)).test(alert(null, 10.0)), "and not turns it true");
  }

  @Test
  void theValidatorChecksFieldsPlacementAnnotationsAndTheCatalog() throws IOException {
    Path good = csv("good.csv", "name,ra,dec\na,1,1\n");
    Path bad = csv("bad.csv", "name,ra,dec\na,1,100\n");
    Schema db = SchemaBuilder.record("alert").fields().requiredString("objectId").name("candidate").type(CANDIDATE)
        .noDefault().name("prv_candidates").type().array().items(CANDIDATE).noDefault().endRecord();
    DistributionRules rules = Rules.of(Rules.stream("w").filter(
        watchlist("candidate.ra", "candidate.dec").file(good).within(2, AngleUnit.ARCSEC).annotated(),
        watchlist("candidate.ra", "objectId").file(bad).within(2, AngleUnit.ARCSEC).annotated(),
        Rules.any("prv_candidates", watchlist("ra", "dec").file(good).within(2, AngleUnit.ARCSEC))));
    List<String> problems = RuleValidator.problems(rules, db).stream().map(RuleProblem::message).toList();
    assertEquals(4, problems.size(), problems::toString);
    assertContains(problems.get(0), "a watchlist (dec) needs a number field, but objectId is a string");
    assertContains(problems.get(1), "bad.csv, line 2: column dec is 100");
    assertContains(problems.get(2), "cannot stand inside a condition on the elements of prv_candidates");
    assertContains(problems.get(3), "has 2 watchlists with annotate=\"true\"; only one may add watchlist_name");
    assertEquals(List.of(), RuleValidator.problems(Rules.of(Rules.stream("ok").filter(field("objectId").eq("x"),
        watchlist("candidate.ra", "candidate.dec").file(good).within(2, AngleUnit.ARCSEC))), db));
  }

  @Test
  void anAnnotatingWatchlistAddsTwoNullableFieldsToTheStreamSchema() throws IOException {
    Path file = csv("s.csv", "name,ra,dec\na,1,1\n");
    Watchlist w = watchlist("candidate.ra", "candidate.dec").file(file).within(2, AngleUnit.ARCSEC);
    Schema plain = DistributionSchema.derive(ALERT, Rules.stream("s").select("objectId").filter(w).build());
    assertEquals(List.of("objectId"), plain.getFields().stream().map(Schema.Field::name).toList());
    Schema annotated = DistributionSchema.derive(ALERT, Rules.stream("s").select("objectId")
        .filter(Rules.or(field("objectId").eq("x"), w.annotated())).build());
    assertEquals(List.of("objectId", Watchlist.NAME_FIELD, Watchlist.SEPARATION_FIELD),
        annotated.getFields().stream().map(Schema.Field::name).toList());
    assertEquals("[\"null\",\"string\"]", annotated.getField(Watchlist.NAME_FIELD).schema().toString());
    assertEquals("[\"null\",\"double\"]", annotated.getField(Watchlist.SEPARATION_FIELD).schema().toString());
    assertTrue(annotated.getField(Watchlist.NAME_FIELD).hasDefaultValue());
  }
}
