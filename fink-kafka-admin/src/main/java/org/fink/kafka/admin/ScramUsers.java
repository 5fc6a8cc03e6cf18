package org.fink.kafka.admin;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.fink.distribution.kafka.AdminRequests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SCRAM-SHA-512 users of a cluster ({@code fink_kafka --authentication}). The client salts and hashes the
 * password before sending it: the brokers never see it, and this class never logs it.
 *
 * <pre>{@code
 * try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers, superUserProperties)) {
 *   admin.scramUsers().upsert("alerce", password); // creates the user, or changes its password
 *   admin.scramUsers().list();                     // ["alerce", "fink-admin"]
 *   admin.scramUsers().delete("alerce");
 * }
 * }</pre>
 */
public final class ScramUsers {
  private static final Logger LOG = LoggerFactory.getLogger(ScramUsers.class);
  /** PBKDF2 iterations of new credentials (Kafka requires at least 4096). */
  public static final int ITERATIONS = 8192;

  private final AdminRequests calls;

  ScramUsers(AdminRequests calls) {
    this.calls = calls;
  }

  /**
   * Creates the user's SCRAM-SHA-512 credential, or replaces it (a new password).
   *
   * @throws KafkaAdminException for an empty name or password, or when the cluster refuses (not authorized...)
   */
  public void upsert(String user, char[] password) {
    checkName(user);
    if (password == null || password.length == 0) {
      throw new KafkaAdminException("the password of user " + user + " must not be empty");
    }
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    UserScramCredentialUpsertion upsertion = new UserScramCredentialUpsertion(user,
        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), bytes);
    calls.await(calls.admin().alterUserScramCredentials(List.of(upsertion)).all(),
        "setting the SCRAM-SHA-512 credentials of user " + user);
    LOG.info("SCRAM-SHA-512 credentials of user {} set on {}", user, calls.servers());
  }

  /**
   * Deletes the user's SCRAM-SHA-512 credential: it can no longer log in (its ACLs stay).
   *
   * @throws KafkaAdminException if the user has no such credential
   */
  public void delete(String user) {
    checkName(user);
    String action = "deleting the SCRAM-SHA-512 credentials of user " + user;
    try {
      calls.await(calls.admin().alterUserScramCredentials(List.of(
          new UserScramCredentialDeletion(user, ScramMechanism.SCRAM_SHA_512))).all(), action);
    } catch (KafkaAdminException e) {
      if (e.getCause() instanceof ResourceNotFoundException) {
        throw new KafkaAdminException("user " + user + " has no SCRAM-SHA-512 credentials on "
            + calls.servers() + ": nothing to delete", e.getCause());
      }
      throw e;
    }
    LOG.info("SCRAM-SHA-512 credentials of user {} deleted on {}", user, calls.servers());
  }

  /** Users that have SCRAM credentials, sorted. */
  public List<String> list() {
    Map<String, UserScramCredentialsDescription> users = calls.await(
        calls.admin().describeUserScramCredentials().all(), "listing SCRAM users");
    return users.keySet().stream().sorted().toList();
  }

  private static void checkName(String user) {
    if (user == null || user.isBlank()) {
      throw new KafkaAdminException("a user name must not be empty (-u USER)");
    }
  }
}
