package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.distribution.testkit.SharedData;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import picocli.CommandLine;

/**
 * {@code fink view} in a real headless Chromium (Selenium, the system's chromedriver) against a real broker: the live
 * page gets every alert published while it is open (rows and count), pause holds rows back, an alert page shows its
 * three cutouts and exactly its detections on the light curve, a corrupt cutout gets a placeholder and a message, the
 * server refuses writes, and the {@code --html} export opens offline. Screenshots go to target/screenshots.
 */
class ViewBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final Pattern URL = Pattern.compile("at (http://\\S+/) ");
  private static final Path SCREENSHOTS = Path.of("target/screenshots");

  @TempDir
  static Path dir;
  static String servers;
  static String conf;
  static WebDriver browser;

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "needs headless Chromium: apt-get install -y chromium chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER + ")");
    servers = EmbeddedKafkaBroker.shared().bootstrapServers();
    Path file = dir.resolve("fink.conf");
    Files.write(file, List.of("DISTRIBUTION_SERVERS=" + servers, "DISTRIBUTION_SCHEMA_TOPIC="));
    conf = file.toString();
    Files.createDirectories(SCREENSHOTS);
    // the system's driver and browser: Selenium Manager has nothing to look up or download
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1200,1120",
            "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
  }

  /** {@code fink view ...} running in a thread until interrupted; its output so far. */
  record Running(Thread thread, StringWriter out) {
    URI uri() {
      return URI.create(waitFor("the viewer's address in its output", () -> {
        Matcher m = URL.matcher(out.toString());
        return m.find() ? m.group(1) : null;
      }));
    }

    void stop() throws InterruptedException {
      thread.interrupt();
      thread.join(10_000);
    }
  }

  private static Running view(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of("view", "--conf", conf));
    all.addAll(List.of(args));
    Thread thread = new Thread(() -> {
      CommandLine commandLine = FinkCommand.commandLine();
      commandLine.setOut(new PrintWriter(out, true));
      commandLine.setErr(new PrintWriter(err, true));
      int code = commandLine.execute(all.toArray(String[]::new));
      out.write("\nexit " + code + "\n" + err);
    }, "fink-view-under-test");
    thread.start();
    return new Running(thread, out);
  }

  private static <T> T waitFor(String what, Supplier<T> probe) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      T value = probe.get();
      if (value != null && !Boolean.FALSE.equals(value)) {
        return value;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(50); // polling interval of the deadline loop, not a wait for an event
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static String topic() throws Exception {
    String topic = "view-" + UUID.randomUUID();
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      admin.createTopic(topic, 2, (short) 1);
    }
    return topic;
  }

  private static void publish(String topic, List<GenericRecord> alerts) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      for (GenericRecord alert : alerts) {
        AlertCodec codec = AlertCodec.of(MessageFormat.FINK, alert.getSchema());
        producer.send(new ProducerRecord<>(topic, codec.messageKey(null), codec.encode(alert))).get();
      }
    }
  }

  /** Detections of a ZTF alert counted here: the candidate and every previous candidate with a magnitude. */
  private static long detections(GenericRecord alert) {
    Object history = alert.get("prv_candidates");
    long previous = history instanceof List<?> list
        ? list.stream().filter(p -> ((GenericRecord) p).get("magpsf") != null).count() : 0;
    return 1 + previous;
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  private static void screenshot(String name) throws IOException {
    byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SCREENSHOTS.resolve(name), png);
  }

  private static int rows() {
    return browser.findElements(By.cssSelector("#alerts tbody tr")).size();
  }

  private static String count() {
    return browser.findElement(By.id("count")).getText();
  }

  /** Real ZTF alerts when the shared data is there: the one with the longest history among the first files. */
  private static List<GenericRecord> realAlerts() {
    Path folder = SharedData.location().resolve("ztf/alerts");
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    return SharedData.avroFiles(folder).stream().limit(40)
        .map(f -> SharedData.readContainer(f).records().get(0))
        .sorted(Comparator.comparingLong(ViewBrowserTest::detections).reversed()).limit(2).toList();
  }

  @Test
  void liveAlertsThenAnAlertPageThenTheExport() throws Exception {
    String topic = topic();
    SyntheticAlerts synthetic = SyntheticAlerts.ztf(21);
    List<GenericRecord> first = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      first.add(synthetic.next());
    }
    GenericRecord corrupt = new GenericData.Record((GenericData.Record) synthetic.next(), true);
    GenericRecord stamp = new GenericData.Record((GenericData.Record) corrupt.get("cutoutDifference"), true);
    stamp.put("stampData", ByteBuffer.wrap(new byte[] {0x1f, (byte) 0x8b, 8, 0, 42, 42, 42}));
    corrupt.put("cutoutDifference", stamp);
    List<GenericRecord> real = realAlerts();
    List<GenericRecord> second = new ArrayList<>(real);
    second.add(corrupt);
    second.add(synthetic.next());
    List<GenericRecord> third = List.of(synthetic.next(), synthetic.next(), synthetic.next());

    Running viewer = view("--topic", topic, "--port", "0", "--from-beginning");
    try {
      URI uri = viewer.uri();
      browser.get(uri.toString());
      waitFor("the live page's event stream", () -> "live".equals(browser.findElement(By.id("status")).getText()));

      publish(topic, first);
      waitFor(first.size() + " rows", () -> rows() == first.size());
      publish(topic, second);
      int published = first.size() + second.size();
      waitFor(published + " rows", () -> rows() == published && count().equals(String.valueOf(published)));
      assertEquals(String.valueOf(published), count(), "the count of alerts received");

      browser.findElement(By.id("pause")).click();
      publish(topic, third);
      int all = published + third.size();
      waitFor("the count while paused", () -> count().equals(String.valueOf(all)));
      assertEquals(published, rows(), "paused: no new rows");
      browser.findElement(By.id("pause")).click();
      waitFor(all + " rows after resuming", () -> rows() == all);
      screenshot("view-live.png");

      // every published alert is one row: the rows' alert ids are the published candids
      List<String> ids = browser.findElements(By.cssSelector("#alerts tbody tr td:nth-child(3)")).stream()
          .map(WebElement::getText).sorted().toList();
      List<String> expected = new ArrayList<>();
      for (List<GenericRecord> batch : List.of(first, second, third)) {
        batch.forEach(a -> expected.add(String.valueOf(a.get("candid"))));
      }
      assertEquals(expected.stream().sorted().toList(), ids);

      // the alert pages: numbered in arrival order; check the first and every one of the second batch
      List<GenericRecord> checked = new ArrayList<>(second);
      checked.add(0, first.get(0));
      java.util.Map<GenericRecord, String> seqs = new java.util.IdentityHashMap<>();
      for (GenericRecord alert : checked) {
        seqs.put(alert, (String) js("var c = Array.from(document.querySelectorAll('#alerts tbody tr')).find("
            + "r => r.cells[2].textContent === arguments[0]); return c ? c.dataset.seq : null;",
            String.valueOf(alert.get("candid"))));
      }
      for (GenericRecord alert : checked) {
        String seq = seqs.get(alert);
        browser.get(uri.resolve("alert/" + seq).toString());
        assertEquals(1, browser.findElements(By.cssSelector("canvas.lightcurve")).size(),
            () -> "alert " + seq + ": " + browser.getPageSource());
        WebElement canvas = browser.findElement(By.cssSelector("canvas.lightcurve"));
        waitFor("the light curve of alert " + seq, () -> "true".equals(canvas.getDomAttribute("data-ready")));
        waitFor("the cutouts of alert " + seq, () -> (Boolean) js("return Array.from(document.querySelectorAll("
            + "'img.cutout')).every(i => i.complete && i.naturalWidth > 0)"));
        assertEquals(3L, js("return document.querySelectorAll('img.cutout').length"));
        String expectedDetections = String.valueOf(detections(alert));
        assertEquals(expectedDetections, canvas.getDomAttribute("data-detections"), "detections of " + seq);
        assertEquals(expectedDetections, js("return arguments[0].dataset.plottedDetections", canvas),
            "points drawn on the light curve of " + seq);
        if (alert == corrupt) {
          String problem = browser.findElement(By.cssSelector("figcaption.problem")).getText();
          assertTrue(problem.contains("unreadable cutoutDifference"), problem);
          assertEquals(1L, js("return document.querySelectorAll('img.cutout.broken').length"));
          screenshot("view-corrupt-cutout.png");
        } else if (!real.isEmpty() && alert == real.get(0)) {
          screenshot("view-alert.png"); // the README's docs/images/view-alert.png
        }
      }
      if (real.isEmpty()) {
        browser.get(uri.resolve("alert/1").toString());
        screenshot("view-alert.png");
      }

      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(
          "x")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(405, post.statusCode(), "read-only: " + post.body());
      HttpResponse<byte[]> avro = http.send(HttpRequest.newBuilder(uri.resolve("alert/1.avro")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, avro.statusCode());
      assertEquals("Obj", new String(avro.body(), 0, 3, java.nio.charset.StandardCharsets.US_ASCII),
          "an Avro container file");
    } finally {
      viewer.stop();
    }
    assertTrue(viewer.out().toString().contains("exit 0"), viewer.out().toString());

    // the export: five alerts in one file that opens offline
    Path html = dir.resolve("alerts.html");
    Running export = view("--topic", topic, "--html", html.toString(), "--max-alerts", "5");
    export.thread().join(60_000);
    assertTrue(export.out().toString().contains("5 alerts written to"), export.out().toString());
    browser.get(html.toUri().toString());
    waitFor("the export's light curves", () -> (Boolean) js("return Array.from(document.querySelectorAll("
        + "'canvas.lightcurve')).every(c => c.dataset.ready === 'true')"));
    assertEquals(5L, js("return document.querySelectorAll('section.alert').length"));
    assertEquals(15L, js("return Array.from(document.querySelectorAll('img.cutout')).filter("
        + "i => i.complete && i.naturalWidth > 0).length"));
    screenshot("view-export.png");
  }
}
