// A rule, tried on the science database: build it, validate it, dry-run it, look at what it selects.
//   bin/fink notebook examples/notebooks/rules.jsh           (then keep working in jshell; /exit to leave)
// The science database is SCIENCE_DB_PATH of conf/fink.conf.distribution (an environment variable overrides it);
// fill it first: bin/fink start ingest --alerts ../shared/data/ztf/alerts
import static org.fink.distribution.rules.Rules.*;
import java.nio.file.*;
import java.util.*;
import org.apache.spark.sql.*;
import org.fink.distribution.config.*;
import org.fink.distribution.rules.*;
import org.fink.distribution.rules.xml.RulesXml;
import org.fink.distribution.spark.*;

// 1. the configuration and the science database
Path finkHome = Path.of(System.getProperty("fink.home", "."));
FinkConfig conf = FinkConfig.load(finkHome.resolve("conf/fink.conf.distribution"), finkHome, System.getenv(), Map.of());
SparkSession spark = FinkSparkSession.getOrCreate(conf.get(ConfigKey.SPARK_MASTER), "fink-notebook");
spark.sparkContext().setLogLevel("WARN");
ScienceDb db = ScienceDb.of(spark, conf);
System.out.println("science database: " + db.path());

// 2. rules, with the builder: two streams
DistributionRules rules = Rules.of(
    Rules.stream("bright").topic("fink_bright_ztf")
        .select("objectId", "candid", "candidate.magpsf", "candidate.rb", "candidate.ra", "candidate.dec")
        .filter(field("candidate.magpsf").lt(18.5), field("candidate.rb").ge(0.55)),
    Rules.stream("history").topic("fink_history_ztf")
        .drop("cutoutScience", "cutoutTemplate", "cutoutDifference")
        .filter(count("prv_candidates").where(field("magpsf").lt(19)).ge(3)));
System.out.println(RulesXml.write(rules));

// 3. validate them against the science-database schema (every field exists, every value has its field's type)
List<RuleProblem> problems = RuleValidator.problems(rules, ScienceDb.avroSchema(db.schema()));
System.out.println(problems.isEmpty() ? "rules: valid" : "rules: " + problems);

// 4. dry run: per stream, how many alerts would be published, and what each condition rejects on its own
DryRun.Result dry = DryRun.of(db, rules);
System.out.println("scanned " + dry.scanned() + " alerts");
for (DryRun.StreamEstimate s : dry.streams()) {
  System.out.println("  " + s.stream() + " -> " + s.topic() + ": " + s.passed() + " alerts, " + s.bytes()
      + " bytes; rejected by " + s.rejectedBy());
}

// 5. a few alerts that a stream selects (its filter as a Spark column)
Dataset<Row> alerts = db.read();
RuleColumns columns = new RuleColumns(alerts.schema());
DistributionStream bright = rules.streams().get(0);
Dataset<Row> selected = alerts.filter(columns.all(bright.filter()));
// (jshell ends a snippet at a line that completes a statement: continue lines after an open parenthesis or a dot)
selected.select("objectId", "candid", "candidate.magpsf", "candidate.rb", "night").
    orderBy("candidate.magpsf").show(5, false);
