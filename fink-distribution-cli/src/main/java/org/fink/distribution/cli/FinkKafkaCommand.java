package org.fink.distribution.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.config.KafkaSecurity;
import org.fink.distribution.kafka.TlsFailure;
import org.fink.kafka.admin.AclEntry;
import org.fink.kafka.admin.BrokerStatus;
import org.fink.kafka.admin.ClientAccess;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.fink.kafka.admin.LocalClusterSpec;
import org.fink.kafka.admin.LocalClusterStart;
import org.fink.kafka.admin.LocalKafkaCluster;
import org.fink.kafka.admin.TopicSpec;
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
 * {@code fink_kafka}: the local Kafka cluster ({@code start}, {@code stop}, {@code status}) and the topics, consumer
 * groups, SCRAM users and ACLs of the distribution cluster ({@code DISTRIBUTION_SERVERS}, local or remote).
 *
 * <pre>
 * bin/fink_kafka start --brokers 3           # prints 127.0.0.1:9092,... (KAFKA_LOCAL_PORT upward)
 * bin/fink_kafka --create-topic fink_outstream --partitions 4 --retention 48
 * bin/fink_kafka --authentication -a -u alerce             # password typed twice, or from FINK_KAFKA_USER_PASSWORD
 * bin/fink_kafka --authorization -a -u alerce -H '*' -c spark-kafka- -t fink_outstream
 * bin/fink_kafka --list-acl
 * bin/fink_kafka stop
 * </pre>
 *
 * <p>Cluster commands act on {@code DISTRIBUTION_SERVERS}: as the local cluster's super user when that is the local
 * cluster in security mode, else with the configured security ({@link AdminTarget}). Exit codes: 0 success, 1 failure
 * (one-paragraph message; {@code --verbose} adds the stack trace), 2 usage error.
 */
@Command(name = "fink_kafka",
    customSynopsis = {
        "bin/fink_kafka start [--brokers N]            start a local cluster in the background; prints bootstrap"
            + " servers; idempotent",
        "bin/fink_kafka stop                            stop it, nothing left running",
        "bin/fink_kafka status                          per broker: pid, port, running, answering",
        "bin/fink_kafka --create-topic T [--partitions P] [--replication-factor R] [--retention HOURS] [--compact]",
        "bin/fink_kafka --delete-topic T | --describe-topic T | --list-topics | --describe-group G | --list-acl",
        "bin/fink_kafka --authentication (-a|-d) -u USER [-p PASSWORD]                SCRAM-SHA-512 credentials",
        "bin/fink_kafka --authorization (-a|-d) -u USER -H HOST (-p | -c GROUP) -t TOPIC   producer or consumer ACLs",
        "    (-p --transactional: also the transactional ids fink-* of DISTRIBUTION_DELIVERY=exactly-once)",
        "bin/fink_kafka --quota [-d] -u USER [--consumer-byte-rate N] [--producer-byte-rate N] [--request-percentage P]",
        "    set, describe (no limit given) or remove (-d) a user's quota; -u '*': the default of every user",
        "bin/fink_kafka --list-quotas",
        "bin/fink_kafka -h | --help",
        ""},
    description = {
        "Manages the local Kafka cluster (KAFKA_LOCAL_PORT, KAFKA_LOCAL_DATA, KAFKA_LOCAL_BROKERS; security mode with"
            + " DISTRIBUTION_SECURITY_PROTOCOL=SASL_PLAINTEXT) and the topics, consumer groups, users and ACLs of the"
            + " distribution cluster (DISTRIBUTION_SERVERS, local or remote).",
        "The local brokers are the bundled Kafka, or, when KAFKA_HOME names an Apache Kafka installation (3.3 or"
            + " later), that installation's bin/kafka-storage.sh and bin/kafka-server-start.sh (no security mode).",
        "Every command takes --conf FILE (default $FINK_HOME/conf/fink.conf.distribution); environment variables"
            + " of the same names override the file.",
        "Exit code 0 on success, 1 on failure, 2 on a usage error.", ""},
    footer = {"",
        "Logins: on the local cluster in security mode, fink_kafka acts as its super user (generated at the first"
            + " start, kept owner-only in KAFKA_LOCAL_DATA/super-user.properties); on other servers, as"
            + " DISTRIBUTION_USERNAME with DISTRIBUTION_SASL_MECHANISM, its password from the environment variable"
            + " DISTRIBUTION_PASSWORD or the file DISTRIBUTION_PASSWORD_FILE.",
        "New user passwords: -p PASSWORD shows it to other users of the machine (ps, shell history); without -p,"
            + " fink_kafka takes it from the environment variable " + PasswordInput.VARIABLE + ", else asks twice"
            + " on the terminal without echo, else reads the first line of the standard input. It is never printed"
            + " or logged.",
        "Consumer ACLs allow consumer groups by prefix: Spark's Kafka source names its groups spark-kafka-...,"
            + " so -c spark-kafka- suits distribution_test and Spark clients. ACL hosts are IP addresses, or *."},
    subcommands = {FinkKafkaCommand.Start.class, FinkKafkaCommand.Stop.class, FinkKafkaCommand.Status.class},
    sortOptions = false,
    synopsisHeading = "Usage:%n",
    usageHelpWidth = 130)
public final class FinkKafkaCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions config;

  @Option(names = "--create-topic", paramLabel = "T", description = "create topic T unless it exists")
  String createTopic;

  @Option(names = "--partitions", paramLabel = "P", description = "partitions of the new topic (default 1)")
  Integer partitions;

  @Option(names = "--replication-factor", paramLabel = "R",
      description = "replicas of each partition of the new topic (default: the cluster's; min(3, brokers) locally)")
  Integer replicationFactor;

  @Option(names = "--retention", paramLabel = "HOURS",
      description = "how long the new topic keeps messages, in hours (default: the cluster's, 168 locally)")
  Double retentionHours;

  @Option(names = "--compact", description = "the new topic keeps the latest message of each key, whatever its age"
      + " (cleanup.policy=compact; for the schema topic, DISTRIBUTION_SCHEMA_TOPIC)")
  boolean compact;

  @Option(names = "--delete-topic", paramLabel = "T", description = "delete topic T")
  String deleteTopic;

  @Option(names = "--describe-topic", paramLabel = "T",
      description = "partitions, leaders, replicas, in-sync replicas, end offsets, retention and main configs of T")
  String describeTopic;

  @Option(names = "--list-topics", description = "list the topics (internal ones hidden)")
  boolean listTopics;

  @Option(names = "--describe-group", paramLabel = "G",
      description = "state, members and lag per partition of consumer group G")
  String describeGroup;

  @Option(names = "--list-acl", description = "list the ACLs of the cluster")
  boolean listAcl;

  @Option(names = "--authentication", description = "add (-a) or delete (-d) the SCRAM-SHA-512 credentials of user"
      + " -u (adding an existing user changes its password)")
  boolean authentication;

  @Option(names = "--authorization", description = "add (-a) or remove (-d) producer (-p) or consumer (-c GROUP)"
      + " ACLs of user -u from host -H on topic -t; removal takes the same arguments as addition")
  boolean authorization;

  @Option(names = "-a", description = "add (with --authentication or --authorization)")
  boolean add;

  @Option(names = "-d", description = "delete (with --authentication or --authorization)")
  boolean delete;

  @Option(names = "-u", paramLabel = "USER", description = "user name")
  String user;

  @Option(names = "-p", paramLabel = "PASSWORD", arity = "0..1", fallbackValue = "",
      description = "with --authentication -a: the password (better left out, see below);"
          + " with --authorization: producer ACLs (write and describe the topic)")
  String passwordOrProducer;

  @Option(names = "--transactional", description = "with --authorization -p: also the transactional ids fink-* of a"
      + " distribution with DISTRIBUTION_DELIVERY=exactly-once")
  boolean transactional;

  @Option(names = "-H", paramLabel = "HOST", description = "client IP address the ACLs apply to, or * for any host")
  String host;

  @Option(names = "-c", paramLabel = "GROUP", description = "consumer ACLs (read and describe the topic) with"
      + " consumer groups whose names start with GROUP")
  String group;

  @Option(names = "-t", paramLabel = "TOPIC", description = "topic of the ACLs")
  String topic;

  @Option(names = "--quota", description = "set, describe or remove (-d) the quota of user -u ('*': every user)")
  boolean quota;

  @Option(names = "--list-quotas", description = "list the user quotas of the cluster")
  boolean listQuotas;

  @Option(names = "--consumer-byte-rate", paramLabel = "N", description = "with --quota: bytes/s the user may fetch")
  Double consumerByteRate;

  @Option(names = "--producer-byte-rate", paramLabel = "N", description = "with --quota: bytes/s the user may produce")
  Double producerByteRate;

  @Option(names = "--request-percentage", paramLabel = "P",
      description = "with --quota: percent of a broker request thread the user may use")
  Double requestPercentage;

  @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "print the stack trace of an error")
  boolean verbose;

  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "show this help")
  boolean help;

  /** Where passwords of new users come from when -p is not given; replaced by tests. */
  PasswordInput passwordInput = PasswordInput.system();

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with the launchers' error handling: messages without stack traces unless --verbose. */
  public static CommandLine commandLine() {
    return commandLine(new FinkKafkaCommand());
  }

  static CommandLine commandLine(FinkKafkaCommand command) {
    return CommandErrors.install(new CommandLine(command), "fink_kafka");
  }

  @Override
  public Integer call() {
    String action = checkUsage();
    if (action == null) {
      spec.commandLine().usage(err());
      return 2;
    }
    FinkConfig conf = config.load();
    AdminTarget target = AdminTarget.of(conf, localCluster(conf));
    char[] password = "--authentication".equals(action) && add ? password() : null;
    try (FinkKafkaAdmin admin = target.connect()) {
      run(action, admin, target, password);
    } catch (RuntimeException e) {
      throw TlsFailure.explain(e, target.servers(), target.login().getProperty("security.protocol", "PLAINTEXT"))
          .<RuntimeException>map(message -> new IllegalStateException(message, e)).orElse(e);
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
    out().flush();
    return 0;
  }

  private void run(String action, FinkKafkaAdmin admin, AdminTarget target, char[] password) {
    switch (action) {
        case "--create-topic" -> createTopic(admin, target.servers());
        case "--delete-topic" -> {
          admin.deleteTopic(deleteTopic);
          out().println("deleted topic " + deleteTopic + " on " + target.servers());
        }
        case "--describe-topic" -> out().println(TopicDetailsText.format(admin.describeTopic(describeTopic)));
        case "--list-topics" -> admin.listTopics().forEach(out()::println);
        case "--describe-group" -> out().println(GroupDetailsText.format(admin.describeGroup(describeGroup)));
        case "--list-acl" -> listAcls(admin, target.servers());
        case "--authentication" -> authenticate(admin, target.servers(), password);
        case "--quota" -> quotaAction().run(admin, target.servers(), out());
        case "--list-quotas" -> QuotaAction.list(admin, target.servers(), out());
        default -> authorize(admin, target.servers());
    }
  }

  private QuotaAction quotaAction() {
    return new QuotaAction(user, delete, consumerByteRate, producerByteRate, requestPercentage);
  }

  /** The one action asked for, or null when none; usage errors for anything inconsistent. */
  private String checkUsage() {
    Map<String, Boolean> asked = new LinkedHashMap<>();
    asked.put("--create-topic", createTopic != null);
    asked.put("--delete-topic", deleteTopic != null);
    asked.put("--describe-topic", describeTopic != null);
    asked.put("--list-topics", listTopics);
    asked.put("--describe-group", describeGroup != null);
    asked.put("--list-acl", listAcl);
    asked.put("--authentication", authentication);
    asked.put("--authorization", authorization);
    asked.put("--quota", quota);
    asked.put("--list-quotas", listQuotas);
    List<String> actions = asked.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
    if (actions.size() > 1) {
      throw usage("choose one of " + String.join(", ", actions));
    }
    if (createTopic == null && (partitions != null || replicationFactor != null || retentionHours != null
        || compact)) {
      throw usage("--partitions, --replication-factor, --retention and --compact go with --create-topic T");
    }
    boolean accessOptions = add || delete || user != null || passwordOrProducer != null || host != null
        || group != null || topic != null;
    if (!quota && (consumerByteRate != null || producerByteRate != null || requestPercentage != null)) {
      throw usage("--consumer-byte-rate, --producer-byte-rate and --request-percentage go with --quota");
    }
    if (quota) {
      if (add || passwordOrProducer != null || host != null || group != null || topic != null || transactional) {
        throw usage("--quota takes -u USER, rates, and -d to remove; -a, -p, -H, -c, -t go with --authorization");
      }
      quotaAction().problem().ifPresent(problem -> {
        throw usage(problem);
      });
    } else if (!authentication && !authorization && accessOptions) {
      throw usage("-a, -d, -u, -p, -H, -c and -t go with --authentication or --authorization");
    }
    if (authentication || authorization) {
      String which = authentication ? "--authentication" : "--authorization";
      if (add == delete) {
        throw usage(which + " needs -a (add) or -d (delete), one of them");
      }
      if (user == null || user.isBlank()) {
        throw usage(which + " needs -u USER");
      }
    }
    if (authentication) {
      if (host != null || group != null || topic != null) {
        throw usage("--authentication takes -u USER and, with -a, -p PASSWORD; -H, -c and -t go with"
            + " --authorization");
      }
      if (delete && passwordOrProducer != null) {
        throw usage("--authentication -d takes no password");
      }
    }
    if (authorization) {
      boolean producer = passwordOrProducer != null;
      if (producer && !passwordOrProducer.isEmpty()) {
        throw usage("with --authorization, -p (producer) takes no value");
      }
      if (producer == (group != null)) {
        throw usage("--authorization needs -p (producer) or -c GROUP (consumer), one of them");
      }
      if (host == null || topic == null) {
        throw usage("--authorization needs -H HOST (an IP address, or * for any) and -t TOPIC");
      }
      if (transactional && !producer) {
        throw usage("--transactional goes with -p (producer ACLs), not with -c");
      }
    } else if (transactional) {
      throw usage("--transactional goes with --authorization -p");
    }
    return actions.isEmpty() ? null : actions.get(0);
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private void createTopic(FinkKafkaAdmin admin, String servers) {
    TopicSpec topicSpec = TopicSpec.named(createTopic).withPartitions(partitions == null ? 1 : partitions);
    if (replicationFactor != null) {
      topicSpec = topicSpec.withReplicationFactor(replicationFactor);
    }
    if (retentionHours != null) {
      if (!(retentionHours > 0) || retentionHours.isInfinite()) {
        throw new IllegalArgumentException("--retention " + retentionHours + ": give a number of hours > 0");
      }
      topicSpec = topicSpec.withRetention(Duration.ofMillis(Math.round(retentionHours * 3_600_000)));
    }
    if (compact) {
      topicSpec = topicSpec.compacted();
    }
    if (!admin.createTopic(topicSpec)) {
      out().println("topic " + createTopic + " already exists on " + servers);
      return;
    }
    int p = topicSpec.partitions();
    int r = replicationFactor != null ? replicationFactor : admin.describeTopic(createTopic).replicationFactor();
    out().println("created topic " + createTopic + " (" + p + (p == 1 ? " partition" : " partitions")
        + ", replication factor " + r + (retentionHours == null ? "" : ", retention " + hours(retentionHours) + " h")
        + (compact ? ", compacted" : "") + ") on " + servers);
  }

  private void listAcls(FinkKafkaAdmin admin, String servers) {
    List<AclEntry> acls = admin.acls().list();
    if (acls.isEmpty()) {
      out().println("no ACLs on " + servers);
    }
    acls.forEach(acl -> out().println(acl.describe()));
  }

  private char[] password() {
    if (passwordOrProducer != null && !passwordOrProducer.isEmpty()) {
      err().println("fink_kafka: note: a password given with -p can be seen by other users of this machine (ps,"
          + " shell history); leave -p out to type it, or set " + PasswordInput.VARIABLE);
      err().flush();
      return passwordOrProducer.toCharArray();
    }
    return passwordInput.read(user);
  }

  private void authenticate(FinkKafkaAdmin admin, String servers, char[] password) {
    if (add) {
      admin.scramUsers().upsert(user, password);
      out().println("SCRAM-SHA-512 credentials of user " + user + " set on " + servers);
    } else {
      admin.scramUsers().delete(user);
      out().println("SCRAM-SHA-512 credentials of user " + user + " deleted on " + servers
          + " (its ACLs stay: remove them with --authorization -d)");
    }
  }

  private void authorize(FinkKafkaAdmin admin, String servers) {
    ClientAccess access = group != null ? ClientAccess.consumer(user, host, topic, group)
        : transactional ? ClientAccess.transactionalProducer(user, host, topic)
        : ClientAccess.producer(user, host, topic);
    if (add) {
      admin.acls().grant(access);
      out().println("added " + access.describe() + " on " + servers);
    } else {
      int removed = admin.acls().revoke(access);
      out().println("removed " + access.describe() + " (" + removed + " ACLs) on " + servers);
    }
  }

  private static String hours(double hours) {
    return hours == Math.rint(hours) ? Long.toString((long) hours) : Double.toString(hours);
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

  /**
   * The local cluster the configuration describes; in security mode with DISTRIBUTION_SECURITY_PROTOCOL=SASL_PLAINTEXT;
   * its brokers run with the Kafka installation of KAFKA_HOME when that is set, else the bundled broker.
   */
  static LocalKafkaCluster localCluster(FinkConfig conf) {
    KafkaSecurity.Protocol protocol = KafkaSecurity.Protocol.parse(conf.get(ConfigKey.DISTRIBUTION_SECURITY_PROTOCOL));
    boolean secure = protocol != KafkaSecurity.Protocol.PLAINTEXT;
    try {
      LocalClusterSpec spec = new LocalClusterSpec(conf.integer(ConfigKey.KAFKA_LOCAL_PORT),
          conf.path(ConfigKey.KAFKA_LOCAL_DATA), conf.integer(ConfigKey.KAFKA_LOCAL_BROKERS), secure);
      if (protocol == KafkaSecurity.Protocol.SASL_SSL) {
        String names = conf.get(ConfigKey.KAFKA_LOCAL_TLS_NAMES);
        spec = spec.withTls(names == null || names.isBlank() ? List.of()
            : Arrays.stream(names.split(",")).map(String::strip).filter(n -> !n.isEmpty()).toList());
      }
      return kafkaHomeSet(conf)
          ? LocalKafkaCluster.withKafkaHome(spec, Path.of(conf.get(ConfigKey.KAFKA_HOME).strip()))
          : new LocalKafkaCluster(spec);
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
      FinkConfig conf = parent.configuration(config, overrides);
      LocalKafkaCluster cluster = localCluster(conf);
      if (cluster.spec().secure() && !"SCRAM-SHA-512".equals(KafkaSecurity.parseMechanism(
          conf.get(ConfigKey.DISTRIBUTION_SASL_MECHANISM)))) {
        throw new IllegalArgumentException("the local cluster's users log in with SCRAM-SHA-512, not "
            + conf.get(ConfigKey.DISTRIBUTION_SASL_MECHANISM) + ": set DISTRIBUTION_SASL_MECHANISM=SCRAM-SHA-512");
      }
      LocalClusterStart started = cluster.start();
      PrintWriter err = spec.commandLine().getErr();
      if (started.alreadyRunning()) {
        err.println("local Kafka cluster already running (data " + cluster.spec().dataDir() + ")");
      } else if (started.restartedSome()) {
        err.println("local Kafka cluster running; broker(s) " + started.startedBrokers() + " had stopped and were"
            + " started again (data " + cluster.spec().dataDir() + ")");
      } else {
        err.println("local Kafka cluster started: " + started.brokers() + " broker(s), replication factor "
            + cluster.spec().replicationFactor() + ", min.insync.replicas " + cluster.spec().minInsyncReplicas()
            + ", data and logs in " + cluster.spec().dataDir());
      }
      if (!started.alreadyRunning() && kafkaHomeSet(conf)) {
        err.println("brokers: " + cluster.brokerSource() + " (its bin/kafka-server-start.sh with "
            + cluster.spec().dataDir().resolve("config").resolve("broker-N.properties") + "; Kafka's logs in "
            + cluster.spec().dataDir().resolve("logs").resolve("broker-N") + ")");
      }
      if (cluster.isSecure()) {
        err.println("security mode: " + (cluster.isTls() ? "SASL_SSL (TLS 1.2/1.3)" : "SASL_PLAINTEXT")
            + " with SCRAM-SHA-512 and ACLs; fink_kafka logs in as super user "
            + cluster.superUserName().orElse("?") + " (" + cluster.superUserFile() + ", readable by you only)");
      }
      cluster.certificateAuthority().ifPresent(ca -> err.println("CA certificate for clients: " + ca.caPemFile()
          + " (PEM: Python, librdkafka, Kafka's ssl.truststore.type=PEM; DISTRIBUTION_SSL_CA_FILE) and "
          + ca.caPkcs12File() + " (PKCS12 trust store without password, for Java)"));
      err.flush();
      spec.commandLine().getOut().println(started.bootstrapServers());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  private static boolean kafkaHomeSet(FinkConfig conf) {
    String kafkaHome = conf.get(ConfigKey.KAFKA_HOME);
    return kafkaHome != null && !kafkaHome.isBlank();
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
        out.println("local Kafka cluster (data " + cluster.spec().dataDir() + (cluster.isSecure()
            ? "; security mode, super user " + cluster.superUserName().orElse("?") : "") + ")");
        brokers.forEach(broker -> out.println("  " + broker.describe()));
        cluster.certificateAuthority().ifPresent(ca -> {
          out.println("TLS: CA certificate for clients " + ca.caPemFile() + " (PKCS12: " + ca.caPkcs12File() + ")");
          ca.certificates().forEach(certificate -> out.println("  " + certificate.describe()));
        });
      }
      out.flush();
      return 0;
    }
  }
}
