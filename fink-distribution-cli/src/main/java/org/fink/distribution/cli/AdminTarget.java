package org.fink.distribution.cli;

import java.util.Properties;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.config.KafkaSecurity;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.fink.kafka.admin.LocalKafkaCluster;

/**
 * The cluster {@code fink_kafka}'s topic, user and ACL commands act on, and how they log in: the brokers of
 * {@code DISTRIBUTION_SERVERS}; as the local cluster's super user when those are the local cluster in security mode,
 * else with the configured security ({@code DISTRIBUTION_SECURITY_PROTOCOL}, {@code DISTRIBUTION_USERNAME}, ...), so
 * the same commands manage a remote cluster.
 *
 * <pre>{@code
 * AdminTarget target = AdminTarget.of(conf, FinkKafkaCommand.localCluster(conf));
 * try (FinkKafkaAdmin admin = target.connect()) { ... }
 * }</pre>
 *
 * @param servers bootstrap servers
 * @param login Kafka client security properties (hold a password: give them to a client only)
 * @param who how the commands log in, for messages: {@code "super user fink-admin of the local cluster"}
 */
record AdminTarget(String servers, Properties login, String who) {
  static AdminTarget of(FinkConfig conf, LocalKafkaCluster local) {
    String servers = conf.get(ConfigKey.DISTRIBUTION_SERVERS);
    if (local.serves(servers) && local.isSecure()) {
      Properties superUser = local.superUserClientProperties();
      if (superUser.isEmpty()) {
        throw new IllegalStateException(servers + " is the local cluster in security mode, but it has no super user"
            + " yet (" + local.superUserFile() + "): start it first with fink_kafka start");
      }
      return new AdminTarget(servers, superUser, "super user " + local.superUserName().orElse("?")
          + " of the local cluster");
    }
    KafkaSecurity security = KafkaSecurity.of(conf);
    Properties login = new Properties();
    login.putAll(security.clientProperties());
    return new AdminTarget(servers, login, security.isSasl() ? "user " + security.username().orElseThrow()
        : "no login (PLAINTEXT)");
  }

  FinkKafkaAdmin connect() {
    return FinkKafkaAdmin.connect(servers, login);
  }

  /** The servers and login, never the password. */
  @Override
  public String toString() {
    return servers + " as " + who;
  }
}
