package org.fink.distribution.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fink.distribution.FinkException;
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
import org.fink.kafka.admin.OffsetReset;
import org.fink.kafka.admin.OffsetResetPlan;
import org.fink.kafka.admin.TopicSpec;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
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
@Command(name = "fink_kafka", versionProvider = VersionInfo.class,
    customSynopsis = {
        "bin/fink_kafka start [--brokers N]            start a local cluster in the background; prints bootstrap"
            + " servers; idempotent",
        "bin/fink_kafka stop                            stop it, nothing left running",
        "bin/fink_kafka status                          per broker: pid, port, running, answering",
        "bin/fink_kafka --create-topic T [--partitions P] [--replication-factor R] [--retention HOURS] [--compact]",
        "bin/fink_kafka --delete-topic T | --describe-topic T | --list-topics | --describe-group G | --list-acl",
        "bin/fink_kafka --reset-group G --topic T (--to-earliest | --to-latest | --to-time TIME | --shift-by N)"
            + " [--dry-run]",
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

  /*
   * The options are picocli argument groups: at most one action; -a or -d; -p or -c. Picocli reports a conflict
   * within a group ("-a, -d are mutually exclusive"). The groups are flat (no group inside an exclusive group): picocli
   * reports conflicts in nested groups as an unreadable "expected only one match". -p is a password with
   * --authentication and "producer" with --authorization, so the rules that depend on the action are in
   * checkSettings(). The order attributes keep the options in the help in the order of the synopsis.
   */

  /** The one action of a run without a subcommand; none is a usage error (the usage is printed). */
  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Action action;

  /** The settings of --create-topic's new topic. */
  @ArgGroup(exclusive = false, multiplicity = "0..1")
  NewTopic newTopic;

  /** -a | -d, with --authentication or --authorization. */
  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Change change;

  /** --to-earliest | --to-latest | --to-time TIME | --shift-by N, with --reset-group. */
  @ArgGroup(exclusive = true, multiplicity = "0..1")
  ResetTo resetTo;

  @Option(names = "--topic", paramLabel = "T", order = 23, description = "with --reset-group: the topic whose offsets"
      + " move")
  String resetTopic;

  @Option(names = "--dry-run", order = 23, description = "with --reset-group: print the plan, change nothing")
  boolean dryRun;

  @Option(names = "-u", paramLabel = "USER", order = 16, description = "user name")
  String user;

  /** -p [PASSWORD] | -c GROUP: -p is a password with --authentication, producer ACLs with --authorization. */
  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Client client;

  @Option(names = "--transactional", order = 18, description = "with --authorization -p: also the transactional ids"
      + " fink-* of a distribution with DISTRIBUTION_DELIVERY=exactly-once")
  boolean transactional;

  @Option(names = "-H", paramLabel = "HOST", order = 19,
      description = "client IP address the ACLs apply to, or * for any host")
  String host;

  @Option(names = "-t", paramLabel = "TOPIC", order = 21, description = "topic of the ACLs")
  String topic;

  @Option(names = "--consumer-byte-rate", paramLabel = "N", order = 26,
      description = "with --quota: bytes/s the user may fetch")
  Double consumerByteRate;

  @Option(names = "--producer-byte-rate", paramLabel = "N", order = 27,
      description = "with --quota: bytes/s the user may produce")
  Double producerByteRate;

  @Option(names = "--request-percentage", paramLabel = "P", order = 28,
      description = "with --quota: percent of a broker request thread the user may use")
  Double requestPercentage;

  @Option(names = "--verbose", order = 29, scope = ScopeType.INHERIT, description = "print the stack trace of an error")
  boolean verbose;

  @Option(names = {"-h", "--help"}, order = 30, usageHelp = true, scope = ScopeType.INHERIT,
      description = "show this help")
  boolean help;

  @Option(names = "--version", order = 31, versionHelp = true,
      description = "print the version, the git commit and the Spark, Kafka and Avro versions")
  boolean version;

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
    Action.Kind kind = action == null ? null : action.kind();
    checkSettings(kind);
    if (kind == null) {
      spec.commandLine().usage(err());
      return 2;
    }
    FinkConfig conf = config.load();
    AdminTarget target = AdminTarget.of(conf, localCluster(conf));
    char[] password = kind == Action.Kind.AUTHENTICATION && change.add ? password() : null;
    try (FinkKafkaAdmin admin = target.connect()) {
      run(kind, admin, target.servers(), password);
    } catch (FinkException e) {
      throw e; // Kafka's failures are explained already, TLS mismatches included
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

  private void run(Action.Kind kind, FinkKafkaAdmin admin, String servers, char[] password) {
    switch (kind) {
      case CREATE_TOPIC -> createTopic(admin, servers, action.createTopic,
          newTopic == null ? new NewTopic() : newTopic);
      case DELETE_TOPIC -> deleteTopic(admin, servers, action.deleteTopic);
      case DESCRIBE_TOPIC -> out().println(TopicDetailsText.format(admin.describeTopic(action.describeTopic)));
      case LIST_TOPICS -> admin.listTopics().forEach(out()::println);
      case DESCRIBE_GROUP -> out().println(GroupDetailsText.format(admin.describeGroup(action.describeGroup)));
      case RESET_GROUP -> resetGroup(admin, servers);
      case LIST_ACL -> listAcls(admin, servers);
      case AUTHENTICATION -> authenticate(admin, servers, password);
      case AUTHORIZATION -> authorize(admin, servers);
      case QUOTA -> quotaAction().run(admin, servers, out());
      case LIST_QUOTAS -> QuotaAction.list(admin, servers, out());
    }
  }

  private QuotaAction quotaAction() {
    return new QuotaAction(user, change != null && change.delete, consumerByteRate, producerByteRate,
        requestPercentage);
  }

  /** Usage errors the argument groups cannot express: which options go with which action (null: none given). */
  private void checkSettings(Action.Kind kind) {
    if (kind != Action.Kind.RESET_GROUP && (resetTo != null || resetTopic != null || dryRun)) {
      throw usage("--topic, --to-earliest, --to-latest, --to-time, --shift-by and --dry-run go with --reset-group G");
    }
    if (kind == Action.Kind.RESET_GROUP && (resetTopic == null || resetTo == null)) {
      throw usage("--reset-group G needs --topic T and one of --to-earliest, --to-latest, --to-time TIME,"
          + " --shift-by N");
    }
    if (newTopic != null && kind != Action.Kind.CREATE_TOPIC) {
      throw usage("--partitions, --replication-factor, --retention and --compact go with --create-topic T");
    }
    if (kind != Action.Kind.QUOTA && (consumerByteRate != null || producerByteRate != null
        || requestPercentage != null)) {
      throw usage("--consumer-byte-rate, --producer-byte-rate and --request-percentage go with --quota");
    }
    if (kind == Action.Kind.QUOTA) {
      if (change != null && change.add || client != null || host != null || topic != null || transactional) {
        throw usage("--quota takes -u USER, rates, and -d to remove; -a, -p, -H, -c, -t go with --authorization");
      }
      quotaAction().problem().ifPresent(problem -> {
        throw usage(problem);
      });
      return;
    }
    if (kind == null || !kind.isAccess()) {
      if (change != null || user != null || client != null || host != null || topic != null) {
        throw usage("-a, -d, -u, -p, -H, -c and -t go with --authentication or --authorization");
      }
      if (transactional) {
        throw usage("--transactional goes with --authorization -p");
      }
      return;
    }
    String which = kind == Action.Kind.AUTHENTICATION ? "--authentication" : "--authorization";
    if (change == null) {
      throw usage(which + " needs -a (add) or -d (delete), one of them");
    }
    if (user == null || user.isBlank()) {
      throw usage(which + " needs -u USER");
    }
    if (kind == Action.Kind.AUTHENTICATION) {
      if (host != null || topic != null || client != null && client.group != null) {
        throw usage("--authentication takes -u USER and, with -a, -p PASSWORD; -H, -c and -t go with"
            + " --authorization");
      }
      if (change.delete && client != null) {
        throw usage("--authentication -d takes no password");
      }
      if (transactional) {
        throw usage("--transactional goes with --authorization -p");
      }
      return;
    }
    if (client == null) {
      throw usage("--authorization needs -p (producer) or -c GROUP (consumer), one of them");
    }
    if (client.producer() && !client.passwordOrProducer.isEmpty()) {
      throw usage("with --authorization, -p (producer) takes no value");
    }
    if (host == null || topic == null) {
      throw usage("--authorization needs -H HOST (an IP address, or * for any) and -t TOPIC");
    }
    if (transactional && !client.producer()) {
      throw usage("--transactional goes with -p (producer ACLs), not with -c");
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private void createTopic(FinkKafkaAdmin admin, String servers, String name, NewTopic settings) {
    TopicSpec topicSpec = TopicSpec.named(name).withPartitions(settings.partitions == null ? 1 : settings.partitions);
    if (settings.replicationFactor != null) {
      topicSpec = topicSpec.withReplicationFactor(settings.replicationFactor);
    }
    Double retentionHours = settings.retentionHours;
    if (retentionHours != null) {
      if (!(retentionHours > 0) || retentionHours.isInfinite()) {
        throw new IllegalArgumentException("--retention " + retentionHours + ": give a number of hours > 0");
      }
      topicSpec = topicSpec.withRetention(Duration.ofMillis(Math.round(retentionHours * 3_600_000)));
    }
    if (settings.compact) {
      topicSpec = topicSpec.compacted();
    }
    if (!admin.createTopic(topicSpec)) {
      out().println("topic " + name + " already exists on " + servers);
      return;
    }
    int p = topicSpec.partitions();
    int r = settings.replicationFactor != null ? settings.replicationFactor
        : admin.describeTopic(name).replicationFactor();
    out().println("created topic " + name + " (" + p + (p == 1 ? " partition" : " partitions")
        + ", replication factor " + r + (retentionHours == null ? "" : ", retention " + hours(retentionHours) + " h")
        + (settings.compact ? ", compacted" : "") + ") on " + servers);
  }

  private void resetGroup(FinkKafkaAdmin admin, String servers) {
    OffsetResetPlan plan = admin.planOffsetReset(action.resetGroup, resetTopic, resetTo.reset());
    out().println("consumer group " + plan.group() + " on topic " + plan.topic()
        + (dryRun ? " (dry run, nothing changed):" : ":"));
    for (OffsetResetPlan.Move m : plan.moves()) {
      out().println("  partition " + m.partition() + ": " + (m.from() < 0 ? "none" : String.valueOf(m.from()))
          + " -> " + m.to());
    }
    if (!dryRun) {
      admin.applyOffsetReset(plan);
      out().println("offsets of consumer group " + plan.group() + " on " + plan.topic() + " reset on " + servers);
    }
  }

  private void deleteTopic(FinkKafkaAdmin admin, String servers, String topic) {
    admin.deleteTopic(topic);
    out().println("deleted topic " + topic + " on " + servers);
  }

  private void listAcls(FinkKafkaAdmin admin, String servers) {
    List<AclEntry> acls = admin.acls().list();
    if (acls.isEmpty()) {
      out().println("no ACLs on " + servers);
    }
    acls.forEach(acl -> out().println(acl.describe()));
  }

  private char[] password() {
    if (client != null && !client.passwordOrProducer.isEmpty()) {
      err().println("fink_kafka: note: a password given with -p can be seen by other users of this machine (ps,"
          + " shell history); leave -p out to type it, or set " + PasswordInput.VARIABLE);
      err().flush();
      return client.passwordOrProducer.toCharArray();
    }
    return passwordInput.read(user);
  }

  private void authenticate(FinkKafkaAdmin admin, String servers, char[] password) {
    if (change.add) {
      admin.scramUsers().upsert(user, password);
      out().println("SCRAM-SHA-512 credentials of user " + user + " set on " + servers);
    } else {
      admin.scramUsers().delete(user);
      out().println("SCRAM-SHA-512 credentials of user " + user + " deleted on " + servers
          + " (its ACLs stay: remove them with --authorization -d)");
    }
  }

  private void authorize(FinkKafkaAdmin admin, String servers) {
    ClientAccess access = !client.producer() ? ClientAccess.consumer(user, host, topic, client.group)
        : transactional ? ClientAccess.transactionalProducer(user, host, topic)
        : ClientAccess.producer(user, host, topic);
    if (change.add) {
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

  /** What a run without a subcommand does: one of these options. */
  static final class Action {
    @Option(names = "--create-topic", paramLabel = "T", required = true, order = 1,
        description = "create topic T unless it exists")
    String createTopic;

    @Option(names = "--delete-topic", paramLabel = "T", required = true, order = 6, description = "delete topic T")
    String deleteTopic;

    @Option(names = "--describe-topic", paramLabel = "T", required = true, order = 7,
        description = "partitions, leaders, replicas, in-sync replicas, end offsets, retention and main configs of T")
    String describeTopic;

    @Option(names = "--list-topics", required = true, order = 8, description = "list the topics (internal ones hidden)")
    boolean listTopics;

    @Option(names = "--describe-group", paramLabel = "G", required = true, order = 9,
        description = "state, members and lag per partition of consumer group G")
    String describeGroup;

    @Option(names = "--reset-group", paramLabel = "G", required = true, order = 22,
        description = "move the committed offsets of consumer group G on --topic T (refused while G has active"
            + " members; --dry-run shows the plan first)")
    String resetGroup;

    @Option(names = "--list-acl", required = true, order = 10, description = "list the ACLs of the cluster")
    boolean listAcl;

    @Option(names = "--authentication", required = true, order = 11, description = "add (-a) or delete (-d) the"
        + " SCRAM-SHA-512 credentials of user -u (adding an existing user changes its password)")
    boolean authentication;

    @Option(names = "--authorization", required = true, order = 12, description = "add (-a) or remove (-d) producer"
        + " (-p) or consumer (-c GROUP) ACLs of user -u from host -H on topic -t and on its schema topic -t_schema"
        + " (fink-client's); removal takes the same arguments as addition")
    boolean authorization;

    @Option(names = "--quota", required = true, order = 24,
        description = "set, describe or remove (-d) the quota of user -u ('*': every user)")
    boolean quota;

    @Option(names = "--list-quotas", required = true, order = 25, description = "list the user quotas of the cluster")
    boolean listQuotas;

    /** Which of the actions was given. */
    Kind kind() {
      if (createTopic != null) {
        return Kind.CREATE_TOPIC;
      } else if (deleteTopic != null) {
        return Kind.DELETE_TOPIC;
      } else if (describeTopic != null) {
        return Kind.DESCRIBE_TOPIC;
      } else if (listTopics) {
        return Kind.LIST_TOPICS;
      } else if (describeGroup != null) {
        return Kind.DESCRIBE_GROUP;
      } else if (resetGroup != null) {
        return Kind.RESET_GROUP;
      } else if (listAcl) {
        return Kind.LIST_ACL;
      } else if (quota) {
        return Kind.QUOTA;
      } else if (listQuotas) {
        return Kind.LIST_QUOTAS;
      }
      return authentication ? Kind.AUTHENTICATION : Kind.AUTHORIZATION;
    }

    /** The actions, one method of the command each. */
    enum Kind {
      CREATE_TOPIC, DELETE_TOPIC, DESCRIBE_TOPIC, LIST_TOPICS, DESCRIBE_GROUP, LIST_ACL, AUTHENTICATION, AUTHORIZATION, QUOTA,
      LIST_QUOTAS, RESET_GROUP;

      boolean isAccess() {
        return this == AUTHENTICATION || this == AUTHORIZATION;
      }
    }
  }

  /** The settings of the new topic of {@code --create-topic T}, which go with it only. */
  static final class NewTopic {
    @Option(names = "--partitions", paramLabel = "P", order = 2,
        description = "partitions of the new topic (default 1)")
    Integer partitions;

    @Option(names = "--replication-factor", paramLabel = "R", order = 3,
        description = "replicas of each partition of the new topic (default: the cluster's; min(3, brokers) locally)")
    Integer replicationFactor;

    @Option(names = "--retention", paramLabel = "HOURS", order = 4,
        description = "how long the new topic keeps messages, in hours (default: the cluster's, 168 locally)")
    Double retentionHours;

    @Option(names = "--compact", order = 5, description = "the new topic keeps the latest message of each key,"
        + " whatever its age (cleanup.policy=compact; for the schema topic, DISTRIBUTION_SCHEMA_TOPIC)")
    boolean compact;
  }

  /** Where {@code --reset-group} moves the offsets: one of these. */
  static final class ResetTo {
    @Option(names = "--to-earliest", required = true, order = 23, description = "with --reset-group: to the first"
        + " message kept")
    boolean earliest;

    @Option(names = "--to-latest", required = true, order = 23, description = "with --reset-group: to the end (skip"
        + " what is there)")
    boolean latest;

    @Option(names = "--to-time", paramLabel = "TIME", required = true, order = 23,
        converter = ConsumeCommand.TimeConverter.class, description = "with --reset-group: to the first message at or"
            + " after TIME (an ISO instant, a UTC date-time, or a night 2026-11-30 from 00:00 UTC)")
    java.time.Instant time;

    @Option(names = "--shift-by", paramLabel = "N", required = true, order = 23, description = "with --reset-group:"
        + " N messages forward from the committed offset (negative: back), kept within the partition")
    Long shift;

    OffsetReset reset() {
      if (time != null) {
        return OffsetReset.toTime(time);
      }
      if (shift != null) {
        return OffsetReset.shiftBy(shift);
      }
      return latest ? OffsetReset.toLatest() : OffsetReset.toEarliest();
    }
  }

  /** {@code -a | -d}. */
  static final class Change {
    @Option(names = "-a", required = true, order = 13, description = "add (with --authentication or --authorization)")
    boolean add;

    @Option(names = "-d", required = true, order = 14,
        description = "delete (with --authentication or --authorization)")
    boolean delete;
  }

  /** {@code -p [PASSWORD] | -c GROUP}: the password of a new user, or the kind of client the ACLs are for. */
  static final class Client {
    @Option(names = "-p", paramLabel = "PASSWORD", arity = "0..1", fallbackValue = "", required = true, order = 17,
        description = "with --authentication -a: the password (better left out, see below);"
            + " with --authorization: producer ACLs (write and describe the topic)")
    String passwordOrProducer;

    @Option(names = "-c", paramLabel = "GROUP", required = true, order = 20, description = "consumer ACLs (read and"
        + " describe the topic) with consumer groups whose names start with GROUP")
    String group;

    boolean producer() {
      return passwordOrProducer != null;
    }
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
