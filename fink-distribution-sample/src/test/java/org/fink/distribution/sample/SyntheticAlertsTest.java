package org.fink.distribution.sample;

import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticAlertsTest {

  private static final Pattern OBJECT_ID = Pattern.compile("ZTF\\d{2}[a-z]{7}");

  // ---------------------------------------------------------------- schema vs the real ZTF 3.3 schema

  @Test
  void schemaIsSubsetOfRealZtf33WithSameTypesAndNullability() throws IOException {
    Path dir = sharedData().resolve("ztf/schema/3.3");
    Assumptions.assumeTrue(Files.isDirectory(dir),
        "skipped: ZTF 3.3 schemas not found at " + dir + " (shared data absent; set -Dfink.shared.data)");
    Schema.Parser parser = new Schema.Parser();
    Schema real = null;
    for (String name : List.of("cutout", "candidate", "prv_candidate", "alert")) {
      real = parser.parse(dir.resolve(name + ".avsc").toFile());
    }
    Schema generated = SyntheticAlerts.ztf(1).schema();
    assertEquals("ztf.alert", real.getFullName());
    assertSubset("alert", generated, real);
    // Every top-level field of the real alert is generated.
    assertEquals(real.getFields().size(), generated.getFields().size());
    assertTrue(generated.getField("candidate").schema().getFields().size() >= 35);
  }

  @Test
  void schemaHasTheRequestedFields() {
    Schema alert = SyntheticAlerts.ztf(1).schema();
    assertEquals("ztf.alert", alert.getFullName());
    Schema candidate = alert.getField("candidate").schema();
    assertEquals("ztf.alert.candidate", candidate.getFullName());
    for (String name : ("jd fid pid diffmaglim pdiffimfilename programpi programid candid isdiffpos tblid nid rcid"
        + " field xpos ypos ra dec magpsf sigmapsf chipsf magap sigmagap distnr magnr sigmagnr chinr sharpnr sky"
        + " magdiff fwhm classtar mindtoedge magfromlim seeratio aimage bimage elong nneg nbad rb ssdistnr ssmagnr"
        + " ssnamenr sumrat magapbig sigmagapbig ranr decnr sgscore1 distpsnr1 ndethist ncovhist jdstarthist"
        + " jdendhist scorr tooflag drb drbversion").split(" ")) {
      assertNotNull(candidate.getField(name), "candidate." + name);
    }
    Schema prv = alert.getField("prv_candidates").schema().getTypes().get(0).getElementType();
    assertEquals("ztf.alert.prv_candidate", prv.getFullName());
    for (String name : "jd fid pid diffmaglim pdiffimfilename programpi programid candid isdiffpos ra dec magpsf sigmapsf magap sigmagap rb"
        .split(" ")) {
      assertNotNull(prv.getField(name), "prv_candidate." + name);
    }
    Schema cutout = alert.getField("cutoutScience").schema().getTypes().get(0);
    assertEquals("ztf.alert.cutout", cutout.getFullName());
  }

  /** Every field of {@code generated} exists in {@code real} with the same type, nullability, default and order. */
  private static void assertSubset(String path, Schema generated, Schema real) {
    assertEquals(real.getType(), generated.getType(), path + ": type");
    switch (generated.getType()) {
      case RECORD -> {
        assertEquals(real.getFullName(), generated.getFullName(), path + ": record name");
        int lastPosition = -1;
        for (Schema.Field field : generated.getFields()) {
          Schema.Field realField = real.getField(field.name());
          String fieldPath = path + "." + field.name();
          assertNotNull(realField, fieldPath + " is not in the real schema");
          assertTrue(realField.pos() > lastPosition, fieldPath + ": not in the real schema's field order");
          lastPosition = realField.pos();
          assertEquals(realField.hasDefaultValue(), field.hasDefaultValue(), fieldPath + ": has default");
          if (realField.hasDefaultValue()) {
            assertEquals(realField.defaultVal(), field.defaultVal(), fieldPath + ": default");
          }
          assertSubset(fieldPath, field.schema(), realField.schema());
        }
      }
      case UNION -> {
        assertEquals(real.getTypes().size(), generated.getTypes().size(), path + ": union size");
        for (int i = 0; i < real.getTypes().size(); i++) {
          assertSubset(path + "[branch " + i + "]", generated.getTypes().get(i), real.getTypes().get(i));
        }
      }
      case ARRAY -> assertSubset(path + "[]", generated.getElementType(), real.getElementType());
      default -> {
      }
    }
  }

  // ---------------------------------------------------------------- container files

  @Test
  void writtenFilesReadBackEqualTheRecords(@TempDir Path tmp) throws IOException {
    List<Path> single = SyntheticAlerts.ztf(7).writeContainerFiles(tmp.resolve("single"), 5, 1);
    List<Path> grouped = SyntheticAlerts.ztf(7).writeContainerFiles(tmp.resolve("grouped"), 7, 3);
    SyntheticAlerts expected = SyntheticAlerts.ztf(7);
    List<GenericRecord> records = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      records.add(expected.next());
    }

    assertEquals(5, single.size());
    for (int i = 0; i < single.size(); i++) {
      assertEquals(records.get(i).get("candid") + ".avro", single.get(i).getFileName().toString());
      List<GenericRecord> read = readAll(single.get(i), expected.schema());
      assertEquals(List.of(records.get(i)), read);
    }

    assertEquals(List.of("synthetic-000000.avro", "synthetic-000001.avro", "synthetic-000002.avro"),
        grouped.stream().map(p -> p.getFileName().toString()).toList());
    List<GenericRecord> all = new ArrayList<>();
    for (Path file : grouped) {
      all.addAll(readAll(file, expected.schema()));
    }
    assertEquals(records, all);
  }

  @Test
  void sameSeedGivesSameBytes(@TempDir Path tmp) throws IOException {
    List<Path> a = SyntheticAlerts.ztf(11).writeContainerFiles(tmp.resolve("a"), 6, 2);
    List<Path> b = SyntheticAlerts.ztf(11).writeContainerFiles(tmp.resolve("b"), 6, 2);
    List<Path> c = SyntheticAlerts.ztf(12).writeContainerFiles(tmp.resolve("c"), 6, 2);
    assertEquals(3, a.size());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(Files.readAllBytes(a.get(i)), Files.readAllBytes(b.get(i)), a.get(i).toString());
      assertFalse(java.util.Arrays.equals(Files.readAllBytes(a.get(i)), Files.readAllBytes(c.get(i))));
    }
    assertArrayEquals(encode(SyntheticAlerts.ztf(5).next()), encode(SyntheticAlerts.ztf(5).next()));
  }

  @Test
  void mainWritesTheRequestedFiles(@TempDir Path tmp) throws IOException {
    SyntheticAlerts.main(new String[] {tmp.toString(), "5", "2", "9"});
    try (var listing = Files.list(tmp)) {
      assertEquals(List.of("synthetic-000000.avro", "synthetic-000001.avro", "synthetic-000002.avro"),
          listing.map(p -> p.getFileName().toString()).sorted().toList());
    }
    SyntheticAlerts expected = SyntheticAlerts.ztf(9);
    for (int i = 0; i < 4; i++) {
      expected.next();
    }
    assertEquals(List.of(expected.next()), readAll(tmp.resolve("synthetic-000002.avro"), expected.schema()));
  }

  @Test
  void writeContainerFilesRejectsBadArguments(@TempDir Path tmp) {
    SyntheticAlerts alerts = SyntheticAlerts.ztf(1);
    assertThrows(IllegalArgumentException.class, () -> alerts.writeContainerFiles(tmp, -1, 1));
    assertThrows(IllegalArgumentException.class, () -> alerts.writeContainerFiles(tmp, 1, 0));
  }

  // ---------------------------------------------------------------- content

  @Test
  void cutoutsAreGzippedFitsAndDifferBetweenAlerts() throws IOException {
    SyntheticAlerts alerts = SyntheticAlerts.ztf(3);
    Set<ByteBuffer> stamps = new HashSet<>();
    int n = 20;
    for (int i = 0; i < n; i++) {
      GenericRecord alert = alerts.next();
      long candid = (Long) alert.get("candid");
      for (String name : List.of("cutoutScience", "cutoutTemplate", "cutoutDifference")) {
        GenericRecord cutout = (GenericRecord) alert.get(name);
        assertTrue(cutout.get("fileName").toString().startsWith("candid" + candid));
        assertTrue(cutout.get("fileName").toString().endsWith(".fits.gz"));
        ByteBuffer stamp = (ByteBuffer) cutout.get("stampData");
        assertTrue(stamp.remaining() > 8_000 && stamp.remaining() < 20_000, name + " size " + stamp.remaining());
        stamps.add(stamp);
        if (i == 0) {
          byte[] fits = gunzip(stamp);
          assertEquals(20_160, fits.length);
          String header = new String(fits, 0, 2880, StandardCharsets.US_ASCII);
          assertTrue(header.startsWith("SIMPLE  =                    T"));
          assertTrue(header.contains("BITPIX  =                  -32"));
          assertTrue(header.contains("NAXIS1  =                   63"));
          assertTrue(header.contains("NAXIS2  =                   63"));
        }
      }
    }
    assertEquals(3 * n, stamps.size(), "every cutout of every alert differs");
  }

  @Test
  void cutoutGzipIsWhatGzipOutputStreamWrites() throws IOException {
    FitsCutoutRenderer renderer = new FitsCutoutRenderer();
    byte[] gzip = renderer.render(new java.util.SplittableRandom(1), 300, 17, 5000, 1.2, 0.3, -0.2);
    byte[] fits = gunzip(ByteBuffer.wrap(gzip));
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(expected) {
      {
        def.setLevel(FitsCutoutRenderer.LEVEL);
      }
    }) {
      out.write(fits);
    }
    assertArrayEquals(expected.toByteArray(), gzip);
    // The source is in the middle: the centre pixel is well above the corner.
    ByteBuffer pixels = ByteBuffer.wrap(fits);
    float corner = pixels.getFloat(2880);
    float centre = pixels.getFloat(2880 + (31 * 63 + 31) * 4);
    assertTrue(centre > corner + 200, "centre " + centre + ", corner " + corner);
  }

  @Test
  void meanSerializedSizeIsLikeRealZtfAlerts() {
    SyntheticAlerts alerts = SyntheticAlerts.ztf(2024);
    int n = 200;
    long total = 0;
    for (int i = 0; i < n; i++) {
      total += encode(alerts.next()).length;
    }
    double meanKb = total / (double) n / 1000;
    System.out.printf("SyntheticAlerts: mean serialized alert size %.1f KB over %d alerts%n", meanKb, n);
    assertTrue(meanKb >= 35 && meanKb <= 60, "mean size " + meanKb + " KB");
  }

  @Test
  void objectIdsLookLikeZtfAndRepeat() {
    SyntheticAlerts alerts = SyntheticAlerts.ztf(99);
    Map<String, Integer> counts = new HashMap<>();
    Map<String, double[]> positions = new HashMap<>();
    int n = 300;
    for (int i = 0; i < n; i++) {
      GenericRecord alert = alerts.next();
      String id = alert.get("objectId").toString();
      assertTrue(OBJECT_ID.matcher(id).matches(), id);
      counts.merge(id, 1, Integer::sum);
      GenericRecord c = (GenericRecord) alert.get("candidate");
      double[] pos = {(Double) c.get("ra"), (Double) c.get("dec")};
      double[] first = positions.putIfAbsent(id, pos);
      if (first != null) {
        assertEquals(first[1], pos[1], 1e-3, "same object, same position");
      }
    }
    double alertsPerObject = n / (double) counts.size();
    assertTrue(alertsPerObject > 2 && alertsPerObject < 4.5, "alerts per object " + alertsPerObject);
    assertTrue(counts.values().stream().anyMatch(c -> c >= 3));
  }

  @Test
  void prvCandidatesMixDetectionsAndUpperLimits() {
    SyntheticAlerts alerts = SyntheticAlerts.ztf(5);
    int n = 200;
    int total = 0;
    int upperLimits = 0;
    int nullLists = 0;
    for (int i = 0; i < n; i++) {
      GenericRecord alert = alerts.next();
      double jd = (Double) ((GenericRecord) alert.get("candidate")).get("jd");
      @SuppressWarnings("unchecked")
      List<GenericRecord> prv = (List<GenericRecord>) alert.get("prv_candidates");
      if (prv == null) {
        nullLists++;
        continue;
      }
      assertFalse(prv.isEmpty(), "empty history is null, not an empty list");
      assertTrue(prv.size() <= 30, "at most 30 prv_candidates, got " + prv.size());
      total += prv.size();
      double previousJd = 0;
      for (GenericRecord p : prv) {
        double pjd = (Double) p.get("jd");
        assertTrue(pjd < jd && pjd > jd - 30.001, "prv jd within the 30 days before the alert");
        assertTrue(pjd >= previousJd, "prv_candidates sorted by jd");
        previousJd = pjd;
        assertNotNull(p.get("diffmaglim"));
        if (p.get("candid") == null) {
          upperLimits++;
          assertNull(p.get("magpsf"));
          assertNull(p.get("ra"));
          assertNull(p.get("isdiffpos"));
        } else {
          assertEquals(19, p.get("candid").toString().length());
          assertNotNull(p.get("magpsf"));
          assertNotNull(p.get("ra"));
        }
      }
    }
    double mean = total / (double) n;
    assertTrue(mean > 8 && mean < 18, "mean prv_candidates per alert " + mean);
    assertTrue(upperLimits > 0.2 * total && upperLimits < 0.8 * total, upperLimits + " upper limits of " + total);
    assertTrue(nullLists > 0, "some alerts have no history");
  }

  @Test
  void candidateValuesAreRealistic() {
    SyntheticAlerts alerts = SyntheticAlerts.ztf(8);
    Schema schema = alerts.schema();
    int n = 500;
    long lastCandid = 0;
    double lastJd = 0;
    int bright = 0;
    int negative = 0;
    int nullSsnamenr = 0;
    Set<String> programs = new HashSet<>();
    for (int i = 0; i < n; i++) {
      GenericRecord alert = alerts.next();
      assertTrue(GenericData.get().validate(schema, alert));
      assertEquals("3.3", alert.get("schemavsn"));
      GenericRecord c = (GenericRecord) alert.get("candidate");
      long candid = (Long) alert.get("candid");
      assertEquals(candid, c.get("candid"));
      assertEquals(19, Long.toString(candid).length());
      assertTrue(candid > lastCandid, "candid increasing");
      lastCandid = candid;
      assertEquals(candid / 1_000_000, (long) (Long) c.get("pid"));
      double jd = (Double) c.get("jd");
      assertTrue(jd > lastJd && jd > 2459500 && jd < 2459600, "jd " + jd);
      lastJd = jd;
      double ra = (Double) c.get("ra");
      double dec = (Double) c.get("dec");
      assertTrue(ra >= 0 && ra < 360, "ra " + ra);
      assertTrue(dec >= -30 && dec <= 90, "dec " + dec);
      int fid = (Integer) c.get("fid");
      assertTrue(fid == 1 || fid == 2);
      float mag = (Float) c.get("magpsf");
      assertTrue(mag >= 14 && mag <= 21, "magpsf " + mag);
      if (mag < 18) {
        bright++;
      }
      float rb = (Float) c.get("rb");
      float drb = (Float) c.get("drb");
      assertTrue(rb >= 0 && rb <= 1 && drb >= 0 && drb <= 1);
      String isdiffpos = c.get("isdiffpos").toString();
      assertTrue(isdiffpos.equals("t") || isdiffpos.equals("f"));
      if (isdiffpos.equals("f")) {
        negative++;
      }
      if (c.get("ssnamenr") == null) {
        nullSsnamenr++;
      }
      programs.add(c.get("programpi") + "/" + c.get("programid"));
      assertTrue(c.get("pdiffimfilename").toString().matches("ztf_\\d{14}_\\d{6}_z[gr]_c\\d\\d_o_q\\d_scimrefdiffimg\\.fits"));
      assertTrue((Integer) c.get("ndethist") >= 1);
    }
    assertTrue(bright > 0.2 * n && bright < 0.8 * n, bright + " alerts with magpsf < 18");
    assertTrue(negative > 0 && negative < 0.5 * n);
    assertTrue(nullSsnamenr > 0 && nullSsnamenr < 0.5 * n, nullSsnamenr + " null ssnamenr");
    assertTrue(programs.contains("Kulkarni/1") && programs.size() >= 3, programs.toString());
  }

  // ---------------------------------------------------------------- helpers

  private static List<GenericRecord> readAll(Path file, Schema schema) throws IOException {
    List<GenericRecord> records = new ArrayList<>();
    try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
      assertEquals(schema, reader.getSchema());
      assertEquals("null", reader.getMetaString("avro.codec"));
      for (GenericRecord record : reader) {
        records.add(record);
      }
    }
    return records;
  }

  private static byte[] encode(GenericRecord alert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    try {
      new GenericDatumWriter<GenericRecord>(alert.getSchema()).write(alert, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(ByteBuffer gzip) throws IOException {
    byte[] bytes = new byte[gzip.remaining()];
    gzip.duplicate().get(bytes);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    }
  }

  /** System property {@code fink.shared.data} (set by surefire), else {@code ../shared/data} from the repo root. */
  static Path sharedData() {
    String property = System.getProperty("fink.shared.data");
    if (property != null && !property.isBlank()) {
      return Path.of(property).toAbsolutePath().normalize();
    }
    Path cwd = Path.of("").toAbsolutePath();
    for (Path dir = cwd; dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(".git"))) {
        return dir.resolve("../shared/data").normalize();
      }
    }
    Path root = Files.exists(cwd.resolve("../pom.xml")) ? cwd.getParent() : cwd;
    return root.resolve("../shared/data").normalize();
  }
}
