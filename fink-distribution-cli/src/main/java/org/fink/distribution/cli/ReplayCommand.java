package org.fink.distribution.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.kafka.ReplayPace;
import org.fink.distribution.kafka.SurveyReplayer;
import org.fink.distribution.schema.Survey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fink replay}: publishes survey alert files to a topic as the survey sends them ({@link SurveyReplayer}), to
 * feed {@code fink start ingest --from-kafka} without the survey.
 */
@Command(name = "replay", description = "publish survey alert files to a Kafka topic in the survey's message format"
    + " (ZTF: an Avro container file per message; Rubin: Confluent wire format), paced, each message stamped with its"
    + " send time")
final class ReplayCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(names = "--alerts", paramLabel = "PATH", required = true,
      description = "an alert file, or a folder searched for *.avro and *.bin files")
  Path alerts;

  @Option(names = "--topic", paramLabel = "TOPIC", required = true, description = "the topic to publish to")
  String topic;

  @Option(names = "--survey", paramLabel = "SURVEY", defaultValue = "ztf",
      description = "ztf or rubin: the message format (default ${DEFAULT-VALUE})")
  String survey;

  @Option(names = "--servers", paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers (default: INGEST_KAFKA_SERVERS, else DISTRIBUTION_SERVERS); producer"
          + " settings (SASL/TLS) from INGEST_KAFKA_PROPERTIES")
  String servers;

  @Option(names = "--rate", paramLabel = "N", description = "alerts per second, evenly spaced")
  Double rate;

  @Option(names = "--visit", paramLabel = "N", description = "alerts per visit, sent at once (with --every)")
  Integer visit;

  @Option(names = "--every", paramLabel = "PERIOD", description = "time between two visits: 30s, 500ms, 2m")
  String every;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    ReplayPace pace;
    try {
      pace = ReplayPace.parse(rate, visit, every);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (!Files.exists(alerts)) {
      throw new ParameterException(spec.commandLine(), "--alerts " + alerts + ": no such file or folder; name an"
          + " alert file or a folder of *.avro / *.bin alert files");
    }
    FinkConfig config = options.load();
    Survey which = IngestCommand.survey(survey);
    List<SurveyReplayer.Message> messages = SurveyReplayer.read(alerts, which);
    String target = servers != null ? servers : !config.get(ConfigKey.INGEST_KAFKA_SERVERS).isBlank()
        ? config.get(ConfigKey.INGEST_KAFKA_SERVERS) : config.get(ConfigKey.DISTRIBUTION_SERVERS);
    System.out.println("replaying " + messages.size() + " " + survey + " alerts to " + topic + " on " + target);
    SurveyReplayer.Report report = new SurveyReplayer(target, producerProperties(config))
        .replay(messages, topic, pace);
    System.out.println(report.messages() + " messages sent to " + topic
        + (report.perVisit().size() > 1 ? " in " + report.perVisit().size() + " visits" : ""));
    return 0;
  }

  private static Properties producerProperties(FinkConfig config) throws IOException {
    Properties props = new Properties();
    String file = config.get(ConfigKey.INGEST_KAFKA_PROPERTIES);
    if (file != null && !file.isBlank()) {
      try (InputStream in = Files.newInputStream(config.path(ConfigKey.INGEST_KAFKA_PROPERTIES))) {
        props.load(in);
      }
    }
    return props;
  }
}
