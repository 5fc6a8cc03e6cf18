package org.fink.distribution.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.common.errors.InterruptException;
import org.fink.distribution.FinkException;
import org.fink.distribution.cli.view.AlertViewer;
import org.fink.distribution.cli.view.StaticExport;
import org.fink.distribution.cli.view.Stretch;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.xml.RulesXml;
import org.fink.distribution.spark.ScienceDb;
import org.fink.distribution.spark.ScienceDbFooters;
import org.fink.distribution.spark.ScienceDbMissingException;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.kafka.AlertConsumer;
import org.fink.distribution.kafka.ConsumedAlert;
import org.fink.distribution.kafka.StartPosition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fink view}: a local web page to vet alerts by eye (the viewer of {@code org.fink.distribution.cli.view}),
 * fed by a plain Kafka consumer as {@code fink consume} reads (same configuration, SASL and TLS; every framing); or,
 * with {@code --html}, one self-contained HTML file of up to {@code --max-alerts} alerts.
 *
 * <pre>
 * bin/fink view --topic fink_outstream                      # then open http://127.0.0.1:8080/
 * bin/fink view --topic fink_outstream --html alerts.html --max-alerts 20
 * bin/fink view --rules conf/distribution-rules.xml --stream bright     # what a stream would publish
 * </pre>
 */
@Command(name = "view", description = "look at the alerts of distributed topics in a web browser: a live table and"
    + " rate, and per alert the three cutouts, the light curve and the fields (read-only, local)",
    footer = {"", "TIME: as for fink consume (an ISO instant, a UTC date-time or a night).",
        "The page listens on 127.0.0.1 only unless --bind says otherwise; it has no login: bind to another address"
            + " only on a trusted network.",
        "With --html FILE, the alerts are read (from the beginning unless --latest or --since) until --max-alerts,"
            + " the end of the topics or --exit-after, then written to FILE: images, chart code and downloads are"
            + " inside, the file opens offline."})
final class ViewCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions options;

  @Option(names = "--topic", paramLabel = "T", description = "topic to read, repeatable (default DISTRIBUTION_TOPIC)")
  List<String> topics = new ArrayList<>();

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
      description = "port of the web page (0: any free port) (default ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "address to listen on (default ${DEFAULT-VALUE}: this machine only)")
  String bind;

  @Option(names = "--keep", paramLabel = "N", defaultValue = "500",
      description = "alerts kept for their pages (default ${DEFAULT-VALUE})")
  int keep;

  /** Where to start: at most one. */
  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Start start;

  static final class Start {
    @Option(names = "--from-beginning", description = "from the first alert kept in each partition (default with"
        + " --html)")
    boolean fromBeginning;

    @Option(names = "--latest", description = "only alerts published from now on (default of the live page)")
    boolean latest;

    @Option(names = "--since", paramLabel = "TIME", converter = ConsumeCommand.TimeConverter.class,
        description = "from the first alert published at or after TIME")
    Instant since;
  }

  @Option(names = "--rules", paramLabel = "FILE", description = "instead of topics: the alerts of the science database"
      + " (SCIENCE_DB_PATH) that --stream of this rules file would publish (through a local Spark; publishes nothing)")
  Path rules;

  @Option(names = "--stream", paramLabel = "NAME", description = "with --rules: the stream (default: the file's only"
      + " stream)")
  String stream;

  @Option(names = "--html", paramLabel = "FILE", description = "write a self-contained HTML page of the alerts to"
      + " FILE instead of serving them")
  Path html;

  @Option(names = "--max-alerts", paramLabel = "N", defaultValue = "50",
      description = "with --html: at most N alerts (default ${DEFAULT-VALUE})")
  int maxAlerts;

  @Option(names = "--stretch", paramLabel = "zscale|asinh", defaultValue = "zscale",
      description = "with --html: how cutouts are stretched (default ${DEFAULT-VALUE}; the live page has a switch)")
  String stretch;

  @Option(names = "--exit-after", paramLabel = "SECONDS", defaultValue = "0",
      description = "stop after this many seconds (default: the live page runs until interrupted; --html waits"
          + " 30 s at most for the topics' end)")
  double exitAfter;

  @Override
  public Integer call() throws IOException {
    if (html == null) {
      for (String option : List.of("--max-alerts", "--stretch")) {
        if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
          throw new ParameterException(spec.commandLine(), option + " goes with --html FILE");
        }
      }
    } else if (maxAlerts < 1) {
      throw new ParameterException(spec.commandLine(), "--max-alerts must be 1 or more");
    }
    if (!"zscale".equalsIgnoreCase(stretch.strip()) && !"asinh".equalsIgnoreCase(stretch.strip())) {
      throw new ParameterException(spec.commandLine(), "--stretch is zscale or asinh, not '" + stretch + "'");
    }
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port must be between 0 and 65535");
    }
    FinkConfig config = options.load();
    if (rules != null) {
      return scienceDb(config);
    } else if (stream != null) {
      throw new ParameterException(spec.commandLine(), "--stream goes with --rules FILE");
    }
    List<String> read = topics.isEmpty() ? List.of(config.get(ConfigKey.DISTRIBUTION_TOPIC)) : topics;
    AlertConsumer.Builder builder = ConfiguredConsumer.builder(config, read, startPosition());
    return html != null ? export(builder, read) : serve(builder, read);
  }

  /** {@code --rules FILE --stream NAME}: the stream's alerts from the science database, served or exported. */
  private int scienceDb(FinkConfig config) throws IOException {
    if (!topics.isEmpty() || (start != null && !start.fromBeginning && start.since == null)) {
      throw new ParameterException(spec.commandLine(), "--rules reads the science database: no --topic or --latest"
          + " (--since NIGHT keeps the nights from NIGHT on)");
    }
    DistributionRules read = RulesXml.read(rules); // a bad file is named before Spark starts
    String name = stream;
    if (name == null) {
      if (read.streams().size() != 1) {
        throw new ParameterException(spec.commandLine(), rules + " has " + read.streams().size() + " streams: name"
            + " one with --stream (" + String.join(", ", read.streams().stream().map(s -> s.name()).toList()) + ")");
      }
      name = read.streams().get(0).name();
    }
    String chosen = name;
    if (read.streams().stream().noneMatch(s -> s.name().equals(chosen))) { // named before Spark starts
      throw new ParameterException(spec.commandLine(), rules + " has no stream '" + name + "'; its streams: "
          + String.join(", ", read.streams().stream().map(s -> s.name()).toList()));
    }
    String dbPath = config.get(ConfigKey.SCIENCE_DB_PATH);
    if (!ScienceDbFooters.exists(new org.apache.hadoop.conf.Configuration(), dbPath)) {
      throw new ScienceDbMissingException(dbPath); // named at once, before Spark starts
    }
    ScienceDb db = ScienceDb.of(SparkSessions.of(config, "fink-view"), config);
    LocalDate since = start == null || start.since == null ? null : start.since.atZone(ZoneOffset.UTC).toLocalDate();
    List<ConsumedAlert> alerts = ScienceDbAlerts.read(db, read, name, since, html != null ? maxAlerts : keep);
    PrintWriter out = spec.commandLine().getOut();
    String title = "Fink alerts: stream " + name + " of " + rules.getFileName() + " over the science database";
    if (html != null) {
      StaticExport.write(html, title, alerts, Stretch.parse(stretch));
      out.println(alerts.size() + " alerts written to " + html);
      out.flush();
      return 0;
    }
    try (AlertViewer viewer = start(List.of("science database, stream " + name))) {
      viewer.accept(alerts);
      out.println("Viewing " + alerts.size() + " alerts of stream " + name + " at " + viewer.uri()
          + " (Ctrl-C to stop)");
      out.flush();
      try {
        new java.util.concurrent.CountDownLatch(1).await(exitAfter <= 0 ? Long.MAX_VALUE : (long) (exitAfter * 1000),
            java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        // stopped
      }
    }
    return 0;
  }

  private AlertViewer start(List<String> read) throws IOException {
    try {
      return AlertViewer.start(new InetSocketAddress(bind, port), read, keep);
    } catch (BindException e) {
      throw new FinkException("cannot listen on " + bind + " port " + port + " (" + e.getMessage()
          + "): choose another with --port (0: any free port)", e);
    }
  }

  private StartPosition startPosition() {
    if (start == null) {
      return html != null ? StartPosition.beginning() : StartPosition.latest();
    }
    if (start.since != null) {
      return StartPosition.since(start.since);
    }
    return start.latest ? StartPosition.latest() : StartPosition.beginning();
  }

  private int serve(AlertConsumer.Builder builder, List<String> read) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    AlertViewer viewer = start(read);
    long deadline = exitAfter <= 0 ? Long.MAX_VALUE : System.nanoTime() + (long) (exitAfter * 1e9);
    try (viewer; AlertConsumer consumer = builder.build()) {
      out.println("Viewing " + String.join(", ", read) + " at " + viewer.uri() + " (Ctrl-C to stop)");
      out.flush();
      // an interrupt (of a thread running this command) stops it: cleared first, so that the consumer closes cleanly
      while (System.nanoTime() < deadline && !Thread.interrupted()) {
        try {
          viewer.accept(consumer.poll(Duration.ofMillis(500)));
        } catch (InterruptException e) {
          Thread.interrupted();
          break;
        }
      }
    }
    out.println(viewer.received() + " alerts received");
    out.flush();
    return 0;
  }

  private int export(AlertConsumer.Builder builder, List<String> read) throws IOException {
    List<ConsumedAlert> alerts = new ArrayList<>();
    double wait = exitAfter <= 0 ? 30 : exitAfter;
    long deadline = System.nanoTime() + (long) (wait * 1e9);
    try (AlertConsumer consumer = builder.build()) {
      while (alerts.size() < maxAlerts && System.nanoTime() < deadline) {
        for (ConsumedAlert a : consumer.poll(Duration.ofMillis(500))) {
          if (alerts.size() < maxAlerts) {
            alerts.add(a);
          }
        }
        if (!consumer.lag().isEmpty() && consumer.lag().values().stream().allMatch(lag -> lag == 0)) {
          break; // at the end of every partition
        }
      }
    }
    StaticExport.write(html, "Fink alerts: " + String.join(", ", read), alerts, Stretch.parse(stretch));
    PrintWriter out = spec.commandLine().getOut();
    out.println(alerts.size() + " alerts written to " + html);
    out.flush();
    return 0;
  }
}
