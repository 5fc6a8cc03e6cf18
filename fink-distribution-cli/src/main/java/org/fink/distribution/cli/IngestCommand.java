package org.fink.distribution.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.schema.SchemaFolder;
import org.fink.distribution.schema.Survey;
import org.fink.distribution.spark.ScienceDb;
import org.fink.distribution.spark.SurveyIngest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fink start ingest}: survey alert files into the science database. */
@Command(name = "ingest", description = "store survey alert files (Avro container files) in the science database")
final class IngestCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(names = "--alerts", paramLabel = "PATH", required = true,
      description = "an alert file, or a folder searched for *.avro files")
  Path alerts;

  @Option(names = "--survey", paramLabel = "SURVEY", defaultValue = "ztf",
      description = "ztf or rubin (default ${DEFAULT-VALUE})")
  String survey;

  @Option(names = "--schemas", paramLabel = "DIR",
      description = "the survey's schemas, one folder per version (7.4/, 9.0/...): needed for wire-format files"
          + " (0x00 + schema id + record), whose schema id names the version (704 = 7.4)")
  Path schemas;

  @Override
  public Integer call() {
    FinkConfig config = options.load();
    Survey which = switch (survey.toLowerCase(java.util.Locale.ROOT)) {
      case "ztf" -> Survey.ZTF;
      case "rubin", "lsst" -> Survey.RUBIN;
      default -> throw new IllegalArgumentException("unknown survey " + survey + "; use ztf or rubin");
    };
    SparkSession spark = SparkSessions.of(config, "fink-ingest");
    ScienceDb db = ScienceDb.of(spark, config);
    SurveyIngest.Report report = new SurveyIngest(spark, which, schemas == null ? null : new SchemaFolder(schemas))
        .ingestReport(alerts, db);
    System.out.println(report.alertsRead() + " alerts read from " + report.files() + " files; "
        + report.alertsStored() + " new alerts stored in " + db.path());
    return 0;
  }
}
