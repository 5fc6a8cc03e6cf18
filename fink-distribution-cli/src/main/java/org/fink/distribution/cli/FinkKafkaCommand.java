package org.fink.distribution.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.config.FinkConfig;
import org.fink.kafka.admin.BrokerStatus;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.fink.kafka.admin.LocalClusterSpec;
import org.fink.kafka.admin.LocalClusterStart;
import org.fink.kafka.admin.LocalKafkaCluster;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code fink_kafka}: the local Kafka cluster ({@code start}, {@code stop}, {@code status}) and the topics of the
 * distribution cluster ({@code DISTRIBUTION_SERVERS}).
 *
 * <pre>
 * bin/fink_kafka start                      # prints 127.0.0.1:9092 (KAFKA_LOCAL_PORT)
 * bin/fink_kafka --create-topic fink_outstream --partitions 4
 * bin/fink_kafka --describe-topic fink_outstream
 * bin/fink_kafka stop
 * </pre>
 *
 * <p>Exit codes: 0 success, 1 failure (one-paragraph message; {@code --verbose} adds the stack trace), 2 usage error
 * or a feature not available yet.
 */
@Command(name = "fink_kafka",
    customSynopsis = {
        "bin/fink_kafka start [--brokers N]            start a local cluster in the background; prints bootstrap"
            + " servers; idempotent",
        "bin/fink_kafka stop                            stop it, nothing left running",
        "bin/fink_kafka status",
        "bin/fink_kafka --create-topic T [--partitions P] [--replication-factor R]   (if it does not already exist)",
        "bin/fink_kafka --delete-topic T | --describe-topic T | --list-topics | --list-acl",
        "bin/fink_kafka --authentication (-a|-d) -u USER [-p PASSWORD]                SCRAM-SHA-512 credentials",
        "bin/fink_kafka --authorization (-a|-d) -u USER -H HOST (-p | -c GROUP) -t TOPIC   producer or consumer ACLs",
        "bin/fink_kafka -h | --help",
        ""},
    description = {
        "Manages the local Kafka cluster (KAFKA_LOCAL_PORT, KAFKA_LOCAL_DATA, KAFKA_LOCAL_BROKERS) and the topics of"
            + " the distribution cluster (DISTRIBUTION_SERVERS).",
        "Every command takes --conf FILE (default $FINK_HOME/conf/fink.conf.distribution); environment variables"
            + " of the same names override the file.",
        "Exit code 0 on success, 1 on failure, 2 on a usage error or a feature not available yet.", ""},
    subcommands = {FinkKafkaCommand.Start.class, FinkKafkaCommand.Stop.class, FinkKafkaCommand.Status.class},
    sortOptions = false,
    synopsisHeading = "Usage:%n",
    usageHelpWidth = 130)
public final class FinkKafkaCommand implements Callable<Integer> {
  static final String NOT_AVAILABLE = "not available yet: comes with SCRAM support";

  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions config;

  @Option(names = "--create-topic", paramLabel = "T", description = "create topic T unless it exists")
  String createTopic;

  @Option(names = "--partitions", paramLabel = "P", description = "partitions of the new topic (default 1)")
  Integer partitions;

  @Option(names = "--replication-factor", paramLabel = "R",
      description = "replicas of each partition of the new topic (default 1)")
  Integer replicationFactor;

  @Option(names = "--delete-topic", paramLabel = "T", description = "delete topic T")
  String deleteTopic;

  @Option(names = "--describe-topic", paramLabel = "T",
      description = "partitions, leaders, replicas, end offsets and main configs of topic T")
  String describeTopic;

  @Option(names = "--list-topics", description = "list the topics (internal ones hidden)")
  boolean listTopics;

  @Option(names = "--list-acl", description = "list ACLs (" + NOT_AVAILABLE + ")")
  boolean listAcl;

  @Option(names = "--authentication", description = "add (-a) or delete (-d) SCRAM-SHA-512 credentials of user -u ("
      + NOT_AVAILABLE + ")")
  boolean authentication;

  @Option(names = "--authorization", description = "add (-a) or delete (-d) producer (-p) or consumer (-c GROUP)"
      + " ACLs of user -u from host -H on topic -t (" + NOT_AVAILABLE + ")")
  boolean authorization;

  @Option(names = "-a", hidden = true)
  boolean add;

  @Option(names = "-d", hidden = true)
  boolean delete;

  @Option(names = "-u", paramLabel = "USER", hidden = true)
  String user;

  @Option(names = "-p", paramLabel = "PASSWORD", arity = "0..1", fallbackValue = "", hidden = true)
  String passwordOrProducer;

  @Option(names = "-H", paramLabel = "HOST", hidden = true)
  String host;

  @Option(names = "-c", paramLabel = "GROUP", hidden = true)
  String group;

  @Option(names = "-t", paramLabel = "TOPIC", hidden = true)
  String topic;

  @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "print the stack trace of an error")
  boolean verbose;

  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "show this help")
  boolean help;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with the launchers' error handling: messages without stack traces unless --verbose. */
  public static CommandLine commandLine() {
    return CommandErrors.install(new CommandLine(new FinkKafkaCommand()), "fink_kafka");
  }

  @Override
  public Integer call() {
    if (authentication || authorization || listAcl || add || delete || user != null || passwordOrProducer != null
        || host != null || group != null || topic != null) {
      err().println("fink_kafka: " + (authentication ? "--authentication" : authorization ? "--authorization"
          : listAcl ? "--list-acl" : "security options") + " " + NOT_AVAILABLE);
      err().flush();
      return 2;
    }
    List<String> actions = new ArrayList<>();
    if (createTopic != null) {
      actions.add("--create-topic");
    }
    if (deleteTopic != null) {
      actions.add("--delete-topic");
    }
    if (describeTopic != null) {
      actions.add("--describe-topic");
    }
    if (listTopics) {
      actions.add("--list-topics");
    }
    if (actions.size() > 1) {
      throw new ParameterException(spec.commandLine(), "choose one of " + String.join(", ", actions));
    }
    if (createTopic == null && (partitions != null || replicationFactor != null)) {
      throw new ParameterException(spec.commandLine(),
          "--partitions and --replication-factor go with --create-topic T");
    }
    if (actions.isEmpty()) {
      spec.commandLine().usage(err());
      return 2;
    }
    FinkConfig conf = config.load();
    String servers = conf.get(ConfigKey.DISTRIBUTION_SERVERS);
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      if (createTopic != null) {
        int p = partitions == null ? 1 : partitions;
        int r = replicationFactor == null ? 1 : replicationFactor;
        out().println(admin.createTopic(createTopic, p, r)
            ? "created topic " + createTopic + " (" + p + (p == 1 ? " partition" : " partitions")
                + ", replication factor " + r + ") on " + servers
            : "topic " + createTopic + " already exists on " + servers);
      } else if (deleteTopic != null) {
        admin.deleteTopic(deleteTopic);
        out().println("deleted topic " + deleteTopic + " on " + servers);
      } else if (describeTopic != null) {
        out().println(TopicDetailsText.format(admin.describeTopic(describeTopic)));
      } else {
        admin.listTopics().forEach(out()::println);
      }
    }
    out().flush();
    return 0;
  }

  /** The configuration of a subcommand: its own --conf if given, else the one given before the subcommand. */
  FinkConfig configuration(ConfigOptions own, Map<String, String> overrides) {
    return (own.conf != null ? own : config).load(overrides);
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  private PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** The local cluster the configuration describes. */
  static LocalKafkaCluster localCluster(FinkConfig conf) {
    try {
      return new LocalKafkaCluster(new LocalClusterSpec(conf.integer(ConfigKey.KAFKA_LOCAL_PORT),
          conf.path(ConfigKey.KAFKA_LOCAL_DATA), conf.integer(ConfigKey.KAFKA_LOCAL_BROKERS)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("local Kafka cluster settings (KAFKA_LOCAL_PORT, KAFKA_LOCAL_BROKERS): "
          + e.getMessage(), e);
    }
  }

  @Command(name = "start", usageHelpWidth = 120,
      description = "start a local cluster in the background; prints bootstrap servers; idempotent")
  static final class Start implements Callable<Integer> {
    @ParentCommand
    FinkKafkaCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--brokers", paramLabel = "N", description = "number of brokers (default KAFKA_LOCAL_BROKERS)")
    Integer brokers;

    @Override
    public Integer call() {
      Map<String, String> overrides = brokers == null ? Map.of()
          : Map.of(ConfigKey.KAFKA_LOCAL_BROKERS.name(), Integer.toString(brokers));
      LocalKafkaCluster cluster = localCluster(parent.configuration(config, overrides));
      LocalClusterStart started = cluster.start();
      PrintWriter err = spec.commandLine().getErr();
      err.println(started.alreadyRunning()
          ? "local Kafka cluster already running (data " + cluster.spec().dataDir() + ")"
          : "local Kafka cluster started: " + cluster.spec().brokers() + " broker(s), data and logs in "
              + cluster.spec().dataDir());
      err.flush();
      spec.commandLine().getOut().println(started.bootstrapServers());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "stop", usageHelpWidth = 120, description = "stop it, nothing left running")
  static final class Stop implements Callable<Integer> {
    @ParentCommand
    FinkKafkaCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() {
      LocalKafkaCluster cluster = localCluster(parent.configuration(config, Map.of()));
      boolean stopped = cluster.stop();
      spec.commandLine().getOut().println(stopped
          ? "local Kafka cluster stopped (data kept in " + cluster.spec().dataDir() + ")"
          : "no local Kafka cluster running (data " + cluster.spec().dataDir() + ")");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "status", usageHelpWidth = 120, description = "per broker: pid, port, running, answering")
  static final class Status implements Callable<Integer> {
    @ParentCommand
    FinkKafkaCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() {
      LocalKafkaCluster cluster = localCluster(parent.configuration(config, Map.of()));
      List<BrokerStatus> brokers = cluster.status();
      PrintWriter out = spec.commandLine().getOut();
      if (brokers.isEmpty()) {
        out.println("no local Kafka cluster running (data " + cluster.spec().dataDir() + ")");
      } else {
        out.println("local Kafka cluster (data " + cluster.spec().dataDir() + ")");
        brokers.forEach(broker -> out.println("  " + broker.describe()));
      }
      out.flush();
      return 0;
    }
  }
}
