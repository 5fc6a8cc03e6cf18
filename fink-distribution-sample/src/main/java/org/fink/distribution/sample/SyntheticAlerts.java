package org.fink.distribution.sample;

import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Generator of realistic synthetic ZTF alerts, for demos ({@code bin/fink demo}) and benchmarks.
 *
 * <p>Alerts follow {@link #schema()}, a subset of the ZTF alert schema 3.3 (record {@code ztf.alert}; same
 * field names, types and nullability as the real schema) and look like real ones:
 * <ul>
 *   <li>{@code candid}: 19 digits, strictly increasing, derived from {@code jd} as ZTF does
 *       ({@code pid} = time since 2017-01-01 in units of 10⁻⁵ day, then rcid on 2 digits, then 15;
 *       {@code candid = pid·10⁶ + 15000 + tblid});
 *   <li>{@code jd} starts near 2459500.6 (October 2021) and increases by ~10 s per alert on average;
 *   <li>objects ({@code objectId} like {@code ZTF21abcdefg}, fixed position) are drawn from a pool so that
 *       about one object in three alerts is new; later alerts of an object carry its earlier detections in
 *       {@code prv_candidates} (0 to 30 entries, ~13 on average, about half of them upper limits with a null
 *       {@code candid}, {@code magpsf}, {@code ra}, {@code dec}); {@code prv_candidates} is null when empty;
 *   <li>ra uniform on the sphere with dec in [-30, 90]; magpsf in [14, 21] (about half brighter than 18); fid 1
 *       or 2; rb and drb in [0, 1]; isdiffpos {@code "t"} (80%) or {@code "f"}; programpi mostly
 *       {@code "Kulkarni"} (programid 1), sometimes other programs (programid 1, 2, 3);
 *   <li>{@code candidate.ssnamenr}: as in real ZTF alerts, usually the string {@code "null"} (with ssdistnr =
 *       ssmagnr = -999), about 15% a numbered asteroid, about 10% Avro null;
 *   <li>three cutouts (science, template, difference), each a gzipped FITS file with a 63x63 float32 image
 *       (noise plus a point source), ~13 KB as in real alerts, different in every alert.
 * </ul>
 * A serialized alert (Avro binary, no container) weighs ~40-45 KB on average, like a real ZTF alert.
 *
 * <p>The sequence is a pure function of the seed: two generators with the same seed produce equal alerts
 * and {@link #writeContainerFiles} writes identical bytes. Instances are not thread-safe; use one generator
 * (with its own seed) per thread.
 *
 * <pre>{@code
 * SyntheticAlerts alerts = SyntheticAlerts.ztf(42);
 * Schema schema = alerts.schema();
 * GenericRecord alert = alerts.next();
 * float mag = (Float) ((GenericRecord) alert.get("candidate")).get("magpsf");
 *
 * // 1000 alerts as Avro container files <candid>.avro, one alert per file, like ZTF's archive:
 * List<Path> files = SyntheticAlerts.ztf(42).writeContainerFiles(Path.of("/tmp/alerts"), 1000, 1);
 * }</pre>
 * From the command line: {@code java -cp ... org.fink.distribution.sample.SyntheticAlerts <folder> <count>
 * [alertsPerFile] [seed]}.
 */
public final class SyntheticAlerts {

  /** Value of the {@code schemavsn} field. */
  public static final String SCHEMA_VERSION = "3.3";
  /** Value of the {@code publisher} field. */
  public static final String PUBLISHER = "Fink synthetic ZTF alerts";
  /** Seed used by {@link #main} when none is given. */
  public static final long DEFAULT_SEED = 42L;

  /** Julian date of 2017-01-01T00:00 UT: the origin of ZTF night ids ({@code nid}). */
  private static final double NID_ORIGIN_JD = 2457754.5;
  /** Julian date of 1970-01-01T00:00 UT. */
  private static final double UNIX_EPOCH_JD = 2440587.5;
  private static final double START_JD = 2459500.6;
  /** Smallest jd step between alerts: keeps the 10⁻⁵-day part of pid, hence candid, strictly increasing. */
  private static final double MIN_JD_STEP = 1.5e-5;
  private static final double MEAN_EXTRA_JD_STEP = 1.0e-4;
  private static final double HISTORY_DAYS = 30;
  private static final int MAX_HISTORY = 30;
  private static final int POOL_CAPACITY = 512;
  private static final double NEW_OBJECT_PROBABILITY = 1.0 / 3;
  private static final double ZERO_POINT = 26.2;
  private static final long ID_SPACE = 26L * 26 * 26 * 26 * 26 * 26 * 26;
  private static final String[] PROGRAM_PIS = {"Kulkarni", "TESS", "Prince", "Kulkarni", "Kasliwal"};
  private static final int[] PROGRAM_IDS = {1, 1, 1, 2, 3};
  private static final double[] PROGRAM_CUMULATIVE = {0.85, 0.90, 0.93, 0.98, 1.0};

  private final long seed;
  private final SplittableRandom random;
  private final FitsCutoutRenderer renderer = new FitsCutoutRenderer();
  private final List<SkyObject> pool = new ArrayList<>();
  private double jd;
  private long nextObjectNumber;
  private long lastCandid;

  private SyntheticAlerts(long seed) {
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    this.jd = round7(START_JD + 0.1 * random.nextDouble());
    this.nextObjectNumber = random.nextLong(ID_SPACE / 4);
  }

  /**
   * A generator of ZTF-like alerts.
   *
   * @param seed all alerts derive from it: same seed, same alerts
   */
  public static SyntheticAlerts ztf(long seed) {
    return new SyntheticAlerts(seed);
  }

  /** The schema of the generated alerts: record {@code ztf.alert}, a subset of ZTF alert schema 3.3. */
  public Schema schema() {
    return ZtfSyntheticSchema.ALERT;
  }

  /** The seed this generator was created with. */
  public long seed() {
    return seed;
  }

  /**
   * Generates the next alert: a fresh record (no part of it is shared with other alerts) whose {@code
   * candid} is larger than that of every alert generated before by this generator.
   */
  public GenericRecord next() {
    jd = round7(jd + MIN_JD_STEP - MEAN_EXTRA_JD_STEP * Math.log(1 - random.nextDouble()));
    SkyObject object = pickObject();
    SplittableRandom r = random.split();

    GenericData.Record candidate = newCandidate(object, r);
    long candid = (Long) candidate.get("candid");
    if (candid <= lastCandid) {
      throw new IllegalStateException("candid not increasing: " + candid + " after " + lastCandid);
    }
    lastCandid = candid;

    if (!object.history.isEmpty() && r.nextDouble() < 0.3) {
      double last = object.history.get(object.history.size() - 1).jd;
      object.add(upperLimit(object, r, round7(last + (jd - last) * (0.2 + 0.6 * r.nextDouble()))));
    }
    object.forget(jd);
    List<GenericRecord> previous = null;
    if (!object.history.isEmpty()) {
      previous = new ArrayList<>(object.history.size());
      for (Past past : object.history) {
        previous.add(new GenericData.Record(past.record, true));
      }
    }

    GenericData.Record alert = new GenericData.Record(ZtfSyntheticSchema.ALERT);
    alert.put("schemavsn", SCHEMA_VERSION);
    alert.put("publisher", PUBLISHER);
    alert.put("objectId", object.objectId);
    alert.put("candid", candid);
    alert.put("candidate", candidate);
    alert.put("prv_candidates", previous);
    addCutouts(alert, object, candidate, r);

    object.add(new Past(jd, toPrevious(candidate, r)));
    object.ndethist++;
    object.ncovhist++;
    return alert;
  }

  /**
   * Writes {@code count} alerts (continuing this generator's sequence) as Avro object container files,
   * codec {@code null} as ZTF's own files. With one alert per file, files are named {@code <candid>.avro}
   * like ZTF's archive; otherwise {@code synthetic-000000.avro}, {@code synthetic-000001.avro}, ... The
   * folder is created if needed; existing files of the same names are overwritten. Alerts are streamed to
   * disk (memory use does not grow with {@code alertsPerFile}). Files are byte-for-byte reproducible: a new
   * generator with the same seed writes the same bytes (the container sync markers derive from the seed).
   *
   * @return the files written, in order
   */
  public List<Path> writeContainerFiles(Path folder, int count, int alertsPerFile) throws IOException {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    if (alertsPerFile < 1) {
      throw new IllegalArgumentException("alertsPerFile must be >= 1, got " + alertsPerFile);
    }
    Files.createDirectories(folder);
    List<Path> files = new ArrayList<>();
    GenericDatumWriter<GenericRecord> datumWriter = new GenericDatumWriter<>(schema());
    SplittableRandom syncs = new SplittableRandom(seed ^ 0x5DEECE66DL);
    int written = 0;
    for (int fileIndex = 0; written < count; fileIndex++) {
      int n = Math.min(alertsPerFile, count - written);
      GenericRecord first = next();
      String name = alertsPerFile == 1
          ? first.get("candid") + ".avro"
          : String.format(Locale.ROOT, "synthetic-%06d.avro", fileIndex);
      Path file = folder.resolve(name);
      byte[] sync = new byte[16];
      syncs.nextBytes(sync);
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
           DataFileWriter<GenericRecord> writer = new DataFileWriter<>(datumWriter)) {
        writer.setCodec(CodecFactory.nullCodec());
        writer.create(schema(), out, sync);
        writer.append(first);
        for (int i = 1; i < n; i++) {
          writer.append(next());
        }
      }
      files.add(file);
      written += n;
    }
    return files;
  }

  /**
   * Command line: {@code SyntheticAlerts <folder> <count> [alertsPerFile] [seed]} writes {@code count}
   * alerts into {@code folder} (see {@link #writeContainerFiles}); alertsPerFile defaults to 1, seed to 42.
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 4) {
      System.err.println("usage: SyntheticAlerts <folder> <count> [alertsPerFile] [seed]");
      System.exit(2);
      return;
    }
    Path folder = Path.of(args[0]);
    int count;
    int perFile;
    long seed;
    try {
      count = Integer.parseInt(args[1]);
      perFile = args.length > 2 ? Integer.parseInt(args[2]) : 1;
      seed = args.length > 3 ? Long.parseLong(args[3]) : DEFAULT_SEED;
    } catch (NumberFormatException e) {
      System.err.println("SyntheticAlerts: not a number: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (count < 0 || perFile < 1) {
      System.err.println("SyntheticAlerts: count must be >= 0 and alertsPerFile >= 1");
      System.exit(2);
      return;
    }
    long start = System.nanoTime();
    List<Path> files = ztf(seed).writeContainerFiles(folder, count, perFile);
    double seconds = (System.nanoTime() - start) / 1e9;
    long bytes = 0;
    for (Path file : files) {
      bytes += Files.size(file);
    }
    System.out.printf(Locale.ROOT, "wrote %d synthetic ZTF alerts in %d files (%.1f MB) to %s in %.1f s (seed %d)%n",
        count, files.size(), bytes / 1e6, folder, seconds, seed);
  }

  // ---------------------------------------------------------------- objects and history

  /** An astrophysical source: fixed position and properties, plus its recent photometric history. */
  private static final class SkyObject {
    String objectId;
    double ra;
    double dec;
    double baseMag;
    int field;
    int rcid;
    boolean hasNearSource;
    double magnr;
    double ranr;
    double decnr;
    float sgscore1;
    float distpsnr1;
    int ndethist;
    int ncovhist;
    double jdstarthist;
    final List<Past> history = new ArrayList<>();

    /** Drops history older than the 30-day window before {@code now}, and beyond 30 entries. */
    void forget(double now) {
      int drop = 0;
      while (drop < history.size() && history.get(drop).jd < now - HISTORY_DAYS) {
        drop++;
      }
      drop = Math.max(drop, history.size() - MAX_HISTORY);
      if (drop > 0) {
        history.subList(0, drop).clear();
      }
    }

    void add(Past past) {
      history.add(past);
    }
  }

  /** One prv_candidate entry, kept with its jd for windowing. */
  private record Past(double jd, GenericData.Record record) {
  }

  private SkyObject pickObject() {
    if (pool.isEmpty() || random.nextDouble() < NEW_OBJECT_PROBABILITY) {
      SkyObject object = newObject();
      if (pool.size() < POOL_CAPACITY) {
        pool.add(object);
      } else {
        pool.set(random.nextInt(POOL_CAPACITY), object);
      }
      return object;
    }
    return pool.get(random.nextInt(pool.size()));
  }

  private SkyObject newObject() {
    SplittableRandom r = random.split();
    SkyObject o = new SkyObject();
    o.ra = wrapRa(round7(360 * r.nextDouble()));
    double sinMin = Math.sin(Math.toRadians(-30));
    o.dec = round7(Math.toDegrees(Math.asin(sinMin + (1 - sinMin) * r.nextDouble())));
    o.baseMag = 14.5 + 6.3 * r.nextDouble();
    o.field = 245 + r.nextInt(636);
    o.rcid = r.nextInt(64);
    o.hasNearSource = r.nextDouble() < 0.8;
    o.magnr = 14 + 7 * r.nextDouble();
    double offset = o.hasNearSource ? r.nextDouble() * 3 / 3600 : 0;
    double angle = 2 * Math.PI * r.nextDouble();
    o.ranr = wrapRa(round7(o.ra + offset * Math.cos(angle) / Math.max(0.01, Math.cos(Math.toRadians(o.dec)))));
    o.decnr = round7(clamp(o.dec + offset * Math.sin(angle), -90, 90));
    double u = r.nextDouble();
    o.sgscore1 = (float) (u < 0.45 ? 0.05 * r.nextDouble() : u < 0.9 ? 0.95 + 0.05 * r.nextDouble() : 0.5);
    o.distpsnr1 = (float) (10 * r.nextDouble());

    // History before this first alert: detections and upper limits over up to 30 days.
    int n = r.nextInt(22);
    double[] jds = new double[n];
    for (int i = 0; i < n; i++) {
      jds[i] = round7(jd - 0.02 - (HISTORY_DAYS - 0.03) * r.nextDouble());
    }
    Arrays.sort(jds);
    int detections = 0;
    double first = Double.NaN;
    for (double past : jds) {
      if (r.nextDouble() < 0.5) {
        o.add(upperLimit(o, r, past));
      } else {
        o.add(new Past(past, pastDetection(o, r, past)));
        detections++;
        if (Double.isNaN(first)) {
          first = past;
        }
      }
    }
    o.ndethist = detections + r.nextInt(20);
    o.ncovhist = o.ndethist + (n - detections) + r.nextInt(1500);
    o.jdstarthist = Double.isNaN(first) ? jd : first - (o.ndethist > detections ? 30 * r.nextDouble() : 0);
    o.objectId = "ZTF" + twoDigitYear(o.jdstarthist) + base26(nextObjectNumber);
    nextObjectNumber += 1 + random.nextInt(40);
    return o;
  }

  // ---------------------------------------------------------------- records

  private GenericData.Record newCandidate(SkyObject o, SplittableRandom r) {
    int fid = 1 + r.nextInt(2);
    int tblid = r.nextInt(40);
    long pid = pid(jd, o.rcid);
    long candid = pid * 1_000_000L + 15_000L + tblid;
    int program = program(r);
    float diffmaglim = (float) (19.5 + 1.5 * r.nextDouble());
    float magpsf = (float) clamp(o.baseMag + 0.25 * r.nextGaussian() + (fid == 1 ? 0.1 : -0.1), 14, 21);
    float sigmapsf = sigma(magpsf, diffmaglim);
    float magap = (float) (magpsf + 0.05 * r.nextGaussian());
    float sigmagap = (float) (sigmapsf * (1 + 0.3 * r.nextDouble()));
    float xpos = (float) (10 + 3052 * r.nextDouble());
    float ypos = (float) (10 + 3060 * r.nextDouble());
    float fwhm = (float) (1.5 + 3 * r.nextDouble());
    float aimage = (float) (fwhm * (0.25 + 0.15 * r.nextDouble()));
    float bimage = (float) (aimage / (1 + 0.3 * r.nextDouble()));

    GenericData.Record c = new GenericData.Record(ZtfSyntheticSchema.CANDIDATE);
    c.put("jd", jd);
    c.put("fid", fid);
    c.put("pid", pid);
    c.put("diffmaglim", diffmaglim);
    c.put("pdiffimfilename", diffImageName(jd, o, fid, false));
    c.put("programpi", PROGRAM_PIS[program]);
    c.put("programid", PROGRAM_IDS[program]);
    c.put("candid", candid);
    c.put("isdiffpos", r.nextDouble() < 0.8 ? "t" : "f");
    c.put("tblid", (long) tblid);
    c.put("nid", nid(jd));
    c.put("rcid", o.rcid);
    c.put("field", o.field);
    c.put("xpos", xpos);
    c.put("ypos", ypos);
    c.put("ra", jitter(o.ra, r));
    c.put("dec", round7(clamp(o.dec + 2e-5 * r.nextGaussian(), -30, 90)));
    c.put("magpsf", magpsf);
    c.put("sigmapsf", sigmapsf);
    c.put("chipsf", (float) (0.5 + 10 * r.nextDouble() * r.nextDouble()));
    c.put("magap", magap);
    c.put("sigmagap", sigmagap);
    c.put("distnr", o.hasNearSource ? (float) (3 * r.nextDouble()) : -999f);
    c.put("magnr", o.hasNearSource ? (float) o.magnr : -999f);
    c.put("sigmagnr", o.hasNearSource ? (float) (0.01 + 0.1 * r.nextDouble()) : -999f);
    c.put("chinr", o.hasNearSource ? (float) (0.3 + 5 * r.nextDouble()) : -999f);
    c.put("sharpnr", o.hasNearSource ? (float) (-0.2 + 0.6 * r.nextDouble()) : -999f);
    c.put("sky", (float) r.nextGaussian());
    c.put("magdiff", magap - magpsf);
    c.put("fwhm", fwhm);
    c.put("classtar", (float) (0.3 + 0.7 * r.nextDouble()));
    c.put("mindtoedge", Math.min(Math.min(xpos, 3072 - xpos), Math.min(ypos, 3080 - ypos)));
    c.put("magfromlim", diffmaglim - magap);
    c.put("seeratio", (float) (0.7 + 0.6 * r.nextDouble()));
    c.put("aimage", aimage);
    c.put("bimage", bimage);
    c.put("aimagerat", aimage / fwhm);
    c.put("bimagerat", bimage / fwhm);
    c.put("elong", aimage / bimage);
    c.put("nneg", r.nextInt(8));
    c.put("nbad", r.nextDouble() < 0.9 ? 0 : 1 + r.nextInt(3));
    c.put("rb", (float) Math.sqrt(r.nextDouble()));
    double ss = r.nextDouble();
    if (ss < 0.15) {
      c.put("ssdistnr", (float) (5 * r.nextDouble()));
      c.put("ssmagnr", (float) (17 + 4 * r.nextDouble()));
      c.put("ssnamenr", Integer.toString(1 + r.nextInt(600_000)));
    } else if (ss < 0.25) {
      c.put("ssdistnr", null);
      c.put("ssmagnr", null);
      c.put("ssnamenr", null);
    } else {
      c.put("ssdistnr", -999f);
      c.put("ssmagnr", -999f);
      c.put("ssnamenr", "null");
    }
    c.put("sumrat", (float) (0.85 + 0.15 * r.nextDouble()));
    c.put("magapbig", (float) (magap + 0.05 * r.nextGaussian()));
    c.put("sigmagapbig", (float) (sigmagap * 1.2));
    c.put("ranr", o.ranr);
    c.put("decnr", o.decnr);
    c.put("sgscore1", o.sgscore1);
    c.put("distpsnr1", o.distpsnr1);
    c.put("ndethist", o.ndethist + 1);
    c.put("ncovhist", o.ncovhist + 1);
    c.put("jdstarthist", o.jdstarthist);
    c.put("jdendhist", jd);
    c.put("scorr", 5 + 45 * r.nextDouble());
    c.put("tooflag", r.nextDouble() < 0.98 ? 0 : 1);
    c.put("rbversion", "t17_f5_c3");
    double u = r.nextDouble();
    c.put("drb", (float) (u < 0.7 ? 1 - 0.2 * u * r.nextDouble() : 0.4 * r.nextDouble()));
    c.put("drbversion", "d6_m7");
    return c;
  }

  /** The prv_candidate view of an alert's candidate, kept in the object's history. */
  private static GenericData.Record toPrevious(GenericRecord c, SplittableRandom r) {
    GenericData.Record p = new GenericData.Record(ZtfSyntheticSchema.PRV_CANDIDATE);
    for (Schema.Field field : ZtfSyntheticSchema.PRV_CANDIDATE.getFields()) {
      if (ZtfSyntheticSchema.CANDIDATE.getField(field.name()) != null) {
        p.put(field.pos(), c.get(field.name()));
      }
    }
    p.put("pdiffimfilename", archivePath((String) c.get("pdiffimfilename")));
    p.put("ssnamenr", null);
    p.put("magzpsci", (float) (26 + 0.3 * r.nextDouble()));
    return p;
  }

  private GenericData.Record pastDetection(SkyObject o, SplittableRandom r, double when) {
    int fid = 1 + r.nextInt(2);
    int program = program(r);
    long pid = pid(when, o.rcid);
    float diffmaglim = (float) (19.5 + 1.5 * r.nextDouble());
    float magpsf = (float) clamp(o.baseMag + 0.3 * r.nextGaussian() + 0.3, 14, 21);
    float sigmapsf = sigma(magpsf, diffmaglim);
    GenericData.Record p = new GenericData.Record(ZtfSyntheticSchema.PRV_CANDIDATE);
    p.put("jd", when);
    p.put("fid", fid);
    p.put("pid", pid);
    p.put("diffmaglim", diffmaglim);
    p.put("pdiffimfilename", archivePath(diffImageName(when, o, fid, true)));
    p.put("programpi", PROGRAM_PIS[program]);
    p.put("programid", PROGRAM_IDS[program]);
    p.put("candid", pid * 1_000_000L + 15_000L + r.nextInt(40));
    p.put("isdiffpos", r.nextDouble() < 0.8 ? "t" : "f");
    p.put("nid", nid(when));
    p.put("rcid", o.rcid);
    p.put("field", o.field);
    p.put("ra", jitter(o.ra, r));
    p.put("dec", round7(clamp(o.dec + 2e-5 * r.nextGaussian(), -30, 90)));
    p.put("magpsf", magpsf);
    p.put("sigmapsf", sigmapsf);
    p.put("magap", (float) (magpsf + 0.05 * r.nextGaussian()));
    p.put("sigmagap", (float) (sigmapsf * 1.2));
    p.put("distnr", o.hasNearSource ? (float) (3 * r.nextDouble()) : -999f);
    p.put("magnr", o.hasNearSource ? (float) o.magnr : -999f);
    p.put("sigmagnr", o.hasNearSource ? (float) (0.01 + 0.1 * r.nextDouble()) : -999f);
    p.put("fwhm", (float) (1.5 + 3 * r.nextDouble()));
    p.put("rb", (float) Math.sqrt(r.nextDouble()));
    p.put("ssnamenr", null);
    p.put("ranr", o.ranr);
    p.put("decnr", o.decnr);
    p.put("scorr", 5 + 45 * r.nextDouble());
    p.put("magzpsci", (float) (26 + 0.3 * r.nextDouble()));
    p.put("rbversion", "t17_f5_c3");
    return p;
  }

  /** A non-detection: only the exposure is known (candid, magpsf, ra, dec... are null). */
  private Past upperLimit(SkyObject o, SplittableRandom r, double when) {
    int fid = 1 + r.nextInt(2);
    int program = program(r);
    GenericData.Record p = new GenericData.Record(ZtfSyntheticSchema.PRV_CANDIDATE);
    p.put("jd", when);
    p.put("fid", fid);
    p.put("pid", pid(when, o.rcid));
    p.put("diffmaglim", (float) (17 + 4 * r.nextDouble()));
    p.put("pdiffimfilename", archivePath(diffImageName(when, o, fid, true)));
    p.put("programpi", PROGRAM_PIS[program]);
    p.put("programid", PROGRAM_IDS[program]);
    p.put("nid", nid(when));
    p.put("rcid", o.rcid);
    p.put("field", o.field);
    p.put("magzpsci", (float) (26 + 0.3 * r.nextDouble()));
    p.put("rbversion", "t17_f5_c3");
    return new Past(when, p);
  }

  private void addCutouts(GenericData.Record alert, SkyObject o, GenericRecord c, SplittableRandom r) {
    long candid = (Long) c.get("candid");
    long pid = (Long) c.get("pid");
    double psfSigma = (Float) c.get("fwhm") / 2.3548;
    double flux = Math.pow(10, -0.4 * ((Float) c.get("magpsf") - ZERO_POINT));
    double hostFlux = o.hasNearSource ? Math.pow(10, -0.4 * (o.magnr - ZERO_POINT)) : 0;
    double sky = 80 + 900 * r.nextDouble();
    double noise = Math.sqrt(sky) * (0.8 + 0.4 * r.nextDouble());
    double dx = 0.5 * r.nextGaussian();
    double dy = 0.5 * r.nextGaussian();
    double sign = "t".equals(c.get("isdiffpos")) ? 1 : -1;

    byte[] science = renderer.render(r, sky, noise, flux + hostFlux, psfSigma, dx, dy);
    byte[] template = renderer.render(r, 0.5 * sky, 0.4 * noise, hostFlux, psfSigma * 1.1, dx, dy);
    byte[] difference = renderer.render(r, 0, 1.1 * noise, sign * flux, psfSigma * 1.05, dx, dy);
    alert.put("cutoutScience", cutout("candid" + candid + "_pid" + pid + "_targ_sci.fits.gz", science));
    alert.put("cutoutTemplate", cutout("candid" + candid + "_ref.fits.gz", template));
    alert.put("cutoutDifference", cutout("candid" + candid + "_pid" + pid + "_targ_scimref.fits.gz", difference));
  }

  private static GenericData.Record cutout(String fileName, byte[] gzip) {
    GenericData.Record cutout = new GenericData.Record(ZtfSyntheticSchema.CUTOUT);
    cutout.put("fileName", fileName);
    cutout.put("stampData", ByteBuffer.wrap(gzip));
    return cutout;
  }

  // ---------------------------------------------------------------- ZTF identifiers and helpers

  private static int nid(double jd) {
    return (int) Math.floor(jd - NID_ORIGIN_JD);
  }

  /** ZTF processing id: night id, 10⁻⁵-day fraction of the UT day, readout channel, then 15. */
  private static long pid(double jd, int rcid) {
    long units = (long) Math.floor((jd - NID_ORIGIN_JD) * 1e5);
    return units * 10_000L + rcid * 100L + 15;
  }

  /** Like {@code ztf_20211009123456_000652_zr_c10_o_q2_scimrefdiffimg.fits}. */
  private static String diffImageName(double jd, SkyObject o, int fid, boolean archived) {
    double days = jd - UNIX_EPOCH_JD;
    long epochDay = (long) Math.floor(days);
    LocalDate date = LocalDate.ofEpochDay(epochDay);
    long fraction = (long) Math.floor((days - epochDay) * 1e6);
    return String.format(Locale.ROOT, "ztf_%04d%02d%02d%06d_%06d_%s_c%02d_o_q%d_scimrefdiffimg.fits%s",
        date.getYear(), date.getMonthValue(), date.getDayOfMonth(), fraction, o.field, fid == 1 ? "zg" : "zr",
        o.rcid / 4 + 1, o.rcid % 4 + 1, archived ? ".fz" : "");
  }

  /** prv_candidates name the archived file: {@code /ztf/archive/sci/2021/1009/123456/<name>}. */
  private static String archivePath(String name) {
    if (name.startsWith("/")) {
      return name;
    }
    String stamp = name.substring(4, 18);
    return "/ztf/archive/sci/" + stamp.substring(0, 4) + "/" + stamp.substring(4, 8) + "/" + stamp.substring(8)
        + "/" + (name.endsWith(".fz") ? name : name + ".fz");
  }

  private static String twoDigitYear(double jd) {
    int year = LocalDate.ofEpochDay((long) Math.floor(jd - UNIX_EPOCH_JD)).getYear();
    return String.format(Locale.ROOT, "%02d", year % 100);
  }

  private static String base26(long number) {
    char[] letters = new char[7];
    long n = number % ID_SPACE;
    for (int i = letters.length - 1; i >= 0; i--) {
      letters[i] = (char) ('a' + n % 26);
      n /= 26;
    }
    return new String(letters);
  }

  private static int program(SplittableRandom r) {
    double u = r.nextDouble();
    int i = 0;
    while (u >= PROGRAM_CUMULATIVE[i]) {
      i++;
    }
    return i;
  }

  private static float sigma(float mag, float limit) {
    return (float) Math.min(0.25, 0.015 + 0.2 * Math.pow(10, 0.4 * (mag - limit)));
  }

  private static double jitter(double ra, SplittableRandom r) {
    return wrapRa(round7(ra + 2e-5 * r.nextGaussian()));
  }

  /** ZTF gives jd, ra and dec with 7 decimals. */
  private static double round7(double value) {
    return Math.round(value * 1e7) / 1e7;
  }

  private static double wrapRa(double ra) {
    double wrapped = ra % 360;
    if (wrapped < 0) {
      wrapped += 360;
    }
    return wrapped >= 360 ? 0 : wrapped;
  }

  private static double clamp(double value, double min, double max) {
    return Math.max(min, Math.min(max, value));
  }
}
