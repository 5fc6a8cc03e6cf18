package org.fink.distribution.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.schema.SchemaFolder;
import org.fink.distribution.schema.Survey;
import org.fink.distribution.spark.BadAlertFiles;
import org.fink.distribution.spark.KafkaIngest;
import org.fink.distribution.spark.ScienceDb;
import org.fink.distribution.spark.SurveyIngest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fink start ingest}: survey alert files into the science database ({@code --alerts PATH}), or the survey's
 * Kafka stream, continuously ({@code --from-kafka}: {@code INGEST_KAFKA_SERVERS}, {@code INGEST_KAFKA_TOPICS}...).
 */
@Command(name = "ingest", description = "store survey alerts in the science database: alert files (--alerts), or"
    + " the survey's Kafka stream, continuously (--from-kafka)")
final class IngestCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(names = "--alerts", paramLabel = "PATH",
      description = "an alert file, or a folder searched for *.avro and *.bin files")
  Path alerts;

  @Option(names = "--from-kafka",
      description = "ingest the survey's Kafka stream instead, until stopped (Ctrl-C): servers, topics, start offset,"
          + " consumer settings (SASL/TLS) from INGEST_KAFKA_SERVERS, INGEST_KAFKA_TOPICS, INGEST_STARTING_OFFSET,"
          + " INGEST_KAFKA_PROPERTIES; a bad message is kept in INGEST_QUARANTINE (or --quarantine) and the others"
          + " stored")
  boolean fromKafka;

  @Option(names = "--once",
      description = "with --from-kafka: ingest the messages there now, then stop")
  boolean once;

  @Option(names = "--survey", paramLabel = "SURVEY", defaultValue = "ztf",
      description = "ztf or rubin (default ${DEFAULT-VALUE})")
  String survey;

  @Option(names = "--schemas", paramLabel = "DIR",
      description = "the survey's schemas, one folder per version (7.4/, 9.0/...): needed for wire-format files"
          + " (0x00 + schema id + record), whose schema id names the version (704 = 7.4)")
  Path schemas;

  @Option(names = "--bad-files", paramLabel = "stop|quarantine", defaultValue = "stop",
      description = "a file that is not a readable alert of the survey (truncated, corrupt, of a foreign schema or"
          + " another survey): stop, naming it, before anything is stored (default); or quarantine: move it to the"
          + " --quarantine folder, with its reason in NAME.reason.txt, and ingest the others")
  String badFiles;

  @Option(names = "--quarantine", paramLabel = "DIR",
      description = "where --bad-files quarantine moves bad files (outside the --alerts folder)")
  Path quarantine;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (fromKafka == (alerts != null)) {
      throw new ParameterException(spec.commandLine(), fromKafka ? "--alerts and --from-kafka are exclusive: ingest"
          + " files or the Kafka stream" : "name what to ingest: --alerts PATH (files) or --from-kafka (the survey's"
          + " stream)");
    }
    if (once && !fromKafka) {
      throw new ParameterException(spec.commandLine(), "--once is only used with --from-kafka");
    }
    BadAlertFiles choice = fromKafka ? null : badFilesChoice();
    FinkConfig config = options.load();
    Survey which = survey(survey);
    if (fromKafka) {
      return fromKafka(config, which);
    }
    checkPaths();  // a wrong path is named at once, before Spark starts
    SparkSession spark = SparkSessions.of(config, "fink-ingest");
    ScienceDb db = ScienceDb.of(spark, config);
    SurveyIngest.Report report = new SurveyIngest(spark, which, schemas == null ? null : new SchemaFolder(schemas))
        .withBadFiles(choice).ingestReport(alerts, db);
    System.out.println(report.alertsRead() + " alerts read from " + report.files() + " files; "
        + report.alertsStored() + " new alerts stored in " + db.path());
    if (!report.setAside().isEmpty()) {
      System.out.println(report.setAside().size() + " bad files set aside in " + quarantine
          + " (the reason of each in NAME.reason.txt beside it)");
    }
    return 0;
  }

  static Survey survey(String name) {
    return switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "ztf" -> Survey.ZTF;
      case "rubin", "lsst" -> Survey.RUBIN;
      default -> throw new IllegalArgumentException("unknown survey " + name + "; use ztf or rubin");
    };
  }

  /** The Kafka stream, until stopped (or, with --once, what is there). */
  private int fromKafka(FinkConfig config, Survey which) {
    if (!"stop".equalsIgnoreCase(badFiles)) {
      throw new ParameterException(spec.commandLine(), "--bad-files is for files: from Kafka, a bad message is always"
          + " kept in the quarantine folder (INGEST_QUARANTINE, or --quarantine DIR) and the others stored");
    }
    if (schemas != null && !java.nio.file.Files.isDirectory(schemas)) {
      throw new ParameterException(spec.commandLine(), "--schemas " + schemas + ": no such folder; name the folder"
          + " of the survey's schemas, one subfolder per version (7.4/, 9.0/...)");
    }
    for (ConfigKey key : java.util.List.of(ConfigKey.INGEST_KAFKA_SERVERS, ConfigKey.INGEST_KAFKA_TOPICS)) {
      if (config.get(key) == null || config.get(key).isBlank()) { // named before Spark starts
        throw new IllegalArgumentException(key + " is not set: --from-kafka needs " + key.description()
            + "; set it in the configuration file or the environment");
      }
    }
    SparkSession spark = SparkSessions.of(config, "fink-kafka-ingest");
    KafkaIngest.Builder builder = KafkaIngest.builder().config(spark, config).survey(which, schemas);
    if (quarantine != null) {
      builder.quarantine(quarantine);
    }
    KafkaIngest ingest = builder.build();
    if (once) {
      KafkaIngest.Progress done = ingest.runAvailable();
      System.out.println(done.alerts() + " alerts read from " + config.get(ConfigKey.INGEST_KAFKA_TOPICS)
          + " and stored unless already there; " + done.quarantined() + " bad messages quarantined");
      return 0;
    }
    KafkaIngest.Running running = ingest.start();
    Runtime.getRuntime().addShutdownHook(new Thread(running::close, "fink-ingest-stop"));
    System.out.println("ingesting " + config.get(ConfigKey.INGEST_KAFKA_TOPICS) + " from "
        + config.get(ConfigKey.INGEST_KAFKA_SERVERS) + " into " + config.get(ConfigKey.SCIENCE_DB_PATH)
        + " (Ctrl-C stops)");
    running.awaitTermination();
    return 0;
  }

  /** The alerts exist and hold alert files; the schema folder is a folder; the quarantine is not a file. */
  private void checkPaths() {
    if (!java.nio.file.Files.exists(alerts)) {
      throw new ParameterException(spec.commandLine(), "--alerts " + alerts + ": no such file or folder; name an"
          + " alert file or a folder of *.avro / *.bin alert files");
    }
    if (SurveyIngest.alertFiles(alerts).isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--alerts " + alerts + ": no alert file (*.avro, *.bin) in"
          + " it; name a folder of survey alert files");
    }
    if (schemas != null && !java.nio.file.Files.isDirectory(schemas)) {
      throw new ParameterException(spec.commandLine(), "--schemas " + schemas + ": " + (java.nio.file.Files.exists(
          schemas) ? "not a folder" : "no such folder") + "; name the folder of the survey's schemas, one subfolder"
          + " per version (7.4/, 9.0/...)");
    }
    if (quarantine != null && java.nio.file.Files.exists(quarantine)
        && !java.nio.file.Files.isDirectory(quarantine)) {
      throw new ParameterException(spec.commandLine(), "--quarantine " + quarantine + ": a file, not a folder;"
          + " name a folder (created if missing)");
    }
  }

  private BadAlertFiles badFilesChoice() {
    switch (badFiles.toLowerCase(java.util.Locale.ROOT)) {
      case "stop" -> {
        if (quarantine != null) {
          throw new ParameterException(spec.commandLine(), "--quarantine " + quarantine
              + " is only used with --bad-files quarantine");
        }
        return BadAlertFiles.STOP;
      }
      case "quarantine" -> {
        if (quarantine == null) {
          throw new ParameterException(spec.commandLine(),
              "--bad-files quarantine needs the folder to move bad files to: --quarantine DIR");
        }
        return BadAlertFiles.quarantineIn(quarantine);
      }
      default -> throw new ParameterException(spec.commandLine(), "--bad-files " + badFiles
          + ": use stop or quarantine");
    }
  }
}
