package org.fink.distribution.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.TopicPartition;
import org.fink.distribution.codec.AlertJson;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.kafka.AlertConsumer;
import org.fink.distribution.kafka.AlertDownload;
import org.fink.distribution.kafka.ConsumedAlert;
import org.fink.distribution.kafka.StartPosition;
import org.fink.distribution.kafka.StreamTime;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code fink consume}: reads distributed topics with a plain Kafka consumer ({@link AlertConsumer}), decodes every
 * framing by itself, drops duplicate alert ids and prints the alerts as a table or as JSON lines.
 *
 * <pre>
 * bin/fink consume --topic fink_outstream --since 2026-11-30 --until 2026-12-01 --json
 * bin/fink consume --topic fink_outstream --group my-science --max-alerts 100
 * bin/fink consume --topic-pattern 'fink_.*' --group my-science --json     # every fink_ topic, not their _schema
 * </pre>
 */
@Command(name = "consume", description = "read distributed topics, decode and print their alerts (a table, or JSON"
    + " lines with --json)",
    footer = {"", "TIME: an ISO instant (2026-11-30T21:15:00Z), a date-time in UTC (2026-11-30T21:15) or a night"
        + " (2026-11-30 or 20261130: from 00:00 UTC).",
        "Without --from-beginning, --latest or --since, a --group resumes from its committed offsets (a new group"
            + " from the beginning); without --group, every run reads from the start position and commits nothing.",
        "With --group, the offsets of the printed alerts are committed: the next run goes on after them, exactly"
            + " after the --max-alerts-th alert."})
final class ConsumeCommand implements Callable<Integer> {
  private static final JsonFactory JSON = new JsonFactory();

  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions options;

  @Option(names = "--topic", paramLabel = "T", description = "topic to read, repeatable (default DISTRIBUTION_TOPIC"
      + " unless --topic-pattern is given)")
  List<String> topics = new ArrayList<>();

  /** A separate option rather than a guess from a name's characters: topic names may contain dots. */
  @Option(names = "--topic-pattern", paramLabel = "REGEX", description = "also read every topic whose whole name"
      + " matches REGEX (Java regular expression, e.g. 'fink_.*'; topics created later join within 5 minutes);"
      + " <topic>_schema side topics and the schema topic never match")
  String topicPattern;

  @Option(names = "--group", paramLabel = "G", description = "consumer group: resume where it stopped and commit what"
      + " was printed (default: a new group each run, nothing committed)")
  String group;

  /** Where to start: at most one. */
  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Start start;

  static final class Start {
    @Option(names = "--from-beginning", description = "from the first alert kept in each partition")
    boolean fromBeginning;

    @Option(names = "--latest", description = "only alerts published from now on")
    boolean latest;

    @Option(names = "--since", paramLabel = "TIME", converter = TimeConverter.class,
        description = "from the first alert published at or after TIME")
    Instant since;
  }

  @Option(names = "--until", paramLabel = "TIME", converter = TimeConverter.class,
      description = "stop at alerts published after TIME (once every partition is past it or at its end)")
  Instant until;

  @Option(names = "--max-alerts", paramLabel = "N", defaultValue = "0",
      description = "stop after exactly N alerts (default: no limit)")
  long maxAlerts;

  @Option(names = "--exit-after", paramLabel = "SECONDS", defaultValue = "0",
      description = "stop after this many seconds (default: no limit)")
  double exitAfter;

  @Option(names = "--json", description = "one JSON object per line: topic, partition, offset, timestamp, alertId and"
      + " the alert (docs/message-formats.md: the json framing)")
  boolean json;

  @Option(names = "--output", paramLabel = "DIR", description = "write the alerts to files under DIR instead of"
      + " printing them, exactly once: DIR/<topic>/night=<UTC date>/<topic>-<partition>-<first>-<last>.<ext>, each"
      + " fsynced and renamed before the group's offsets are committed; a rerun resumes after the last file; on a"
      + " terminal, a progress line (alerts, MB, rate, lag left per partition)")
  Path output;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "avro",
      description = "with --output: avro (container files), json (JSON lines) or parquet (through a local Spark)"
          + " (default ${DEFAULT-VALUE})")
  String format;

  @Override
  public Integer call() {
    if (maxAlerts < 0) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--max-alerts must be 0 or more");
    }
    FinkConfig config = options.load();
    List<String> read = topics.isEmpty() && topicPattern == null
        ? List.of(config.get(ConfigKey.DISTRIBUTION_TOPIC)) : topics;
    PrintWriter out = spec.commandLine().getOut();
    AlertConsumer.Builder builder = ConfiguredConsumer.builder(config, read, startPosition());
    if (topicPattern != null) {
      try {
        builder.topicPattern(topicPattern);
      } catch (PatternSyntaxException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--topic-pattern '" + topicPattern
            + "' is not a regular expression: " + e.getDescription() + " near index " + e.getIndex()
            + " (example: 'fink_.*')");
      }
    }
    if (group != null) {
      builder.groupId(group);
    }
    AlertDownload download = null;
    if (output != null) {
      download = new AlertDownload(output, "parquet".equalsIgnoreCase(format.strip())
          ? new ParquetAlertFiles(
              org.fink.distribution.spark.FinkSparkSession.getOrCreate("local[2]", "fink-consume")) : AlertDownload.Format.parse(format));
      builder.startOffsets(download.resumeOffsets());
    } else if (spec.commandLine().getParseResult().hasMatchedOption("--format")) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--format goes with --output DIR");
    }
    long printed = 0;
    long deadline = exitAfter <= 0 ? Long.MAX_VALUE : System.nanoTime() + (long) (exitAfter * 1e9);
    try (AlertConsumer consumer = builder.build()) {
      Set<TopicPartition> pastUntil = new HashSet<>();
      // on a terminal, a download shows its progress on the error stream once a second
      boolean progress = download != null && System.console() != null;
      long started = System.nanoTime();
      long drawn = 0;
      boolean warnedNoTopic = false;
      while (System.nanoTime() < deadline && (maxAlerts == 0 || printed < maxAlerts)) {
        List<ConsumedAlert> shown = new ArrayList<>();
        for (ConsumedAlert a : consumer.poll(Duration.ofMillis(500))) {
          if (until != null && a.timestamp().isAfter(until)) {
            pastUntil.add(new TopicPartition(a.topic(), a.partition()));
          } else if (maxAlerts == 0 || printed + shown.size() < maxAlerts) {
            shown.add(a);
          }
        }
        if (!shown.isEmpty()) {
          if (download != null) {
            download.write(shown);
          } else {
            print(out, shown);
          }
          printed += shown.size();
          if (group != null) {
            consumer.commit(shown);
          }
        }
        if (!warnedNoTopic && topicPattern != null && System.nanoTime() - started > 10_000_000_000L
            && consumer.topics().isEmpty()) {
          warnedNoTopic = true;
          spec.commandLine().getErr().println("no topic matches --topic-pattern '" + topicPattern + "' yet; waiting"
              + " (Kafka looks for new topics every 5 minutes; bin/fink_kafka --list-topics shows those there are)");
        }
        if (progress && System.nanoTime() - drawn > 1_000_000_000L) {
          drawn = System.nanoTime();
          double seconds = Math.max(1e-3, (drawn - started) / 1e9);
          System.err.printf("\r%d alerts | %.1f MB | %.0f alerts/s | lag left %s   ", printed,
              download.bytes() / 1e6, printed / seconds, consumer.lag().values());
          System.err.flush();
        }
        if (until != null && reachedUntil(consumer.lag(), pastUntil)) {
          break;
        }
      }
      if (progress) {
        System.err.println();
      }
      if (download != null) {
        out.println(printed + " alerts written to " + output + " in " + download.files() + " files; lag left "
            + consumer.lag());
      }
      out.println(printed + " alerts read from " + (consumer.topics().isEmpty()
          ? "no topic (none matches '" + topicPattern + "')" : String.join(", ", consumer.topics()))
          + (consumer.duplicates() + consumer.corrupt() == 0 ? ""
              : " (" + consumer.duplicates() + " duplicates dropped, " + consumer.corrupt() + " undecodable skipped)"));
    }
    out.flush();
    return 0;
  }

  private StartPosition startPosition() {
    if (start == null) {
      return StartPosition.committed();
    }
    if (start.since != null) {
      return StartPosition.since(start.since);
    }
    return start.latest ? StartPosition.latest() : StartPosition.beginning();
  }

  /** Every assigned partition is past {@code --until}, or at its end once {@code --until} has passed. */
  private boolean reachedUntil(Map<TopicPartition, Long> lag, Set<TopicPartition> pastUntil) {
    boolean untilPassed = Instant.now().isAfter(until);
    return !lag.isEmpty() && lag.entrySet().stream()
        .allMatch(e -> pastUntil.contains(e.getKey()) || (untilPassed && e.getValue() == 0));
  }

  private void print(PrintWriter out, List<ConsumedAlert> alerts) {
    if (!json) {
      out.print(AlertTable.of(alerts));
      out.flush();
      return;
    }
    for (ConsumedAlert a : alerts) {
      StringWriter line = new StringWriter();
      try (JsonGenerator g = JSON.createGenerator(line)) {
        g.writeStartObject();
        g.writeStringField("topic", a.topic());
        g.writeNumberField("partition", a.partition());
        g.writeNumberField("offset", a.offset());
        g.writeStringField("timestamp", a.timestamp().toString());
        g.writeStringField("alertId", a.alertId());
        g.writeFieldName("alert");
        g.writeRawValue(new String(AlertJson.write(a.alert()), StandardCharsets.UTF_8));
        g.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out.println(line);
    }
    out.flush();
  }

  /** Reads TIME options with {@link StreamTime}; a bad value is a usage error naming the accepted forms. */
  static final class TimeConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return StreamTime.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
