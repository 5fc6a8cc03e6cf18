package org.fink.distribution;

import java.io.Serializable;

/**
 * What went wrong with Kafka, in this library's terms: the kind of problem, the message for users (the culprit and the
 * fix), and the facts involved (address, topic, user; null when unknown), from which a front end adds its own hints.
 *
 * <pre>{@code
 * KafkaProblem p = KafkaErrors.explain(error, "listing topics", "127.0.0.1:9092", Duration.ofSeconds(5), "alerce");
 * if (p.kind() == KafkaProblem.Kind.UNREACHABLE) { ... }
 * }</pre>
 *
 * @param kind what kind of problem
 * @param message the whole message, naming the culprit and the fix
 * @param servers the bootstrap servers asked
 * @param topic the topic involved, or null
 * @param user the SASL user, or null
 */
public record KafkaProblem(Kind kind, String message, String servers, String topic, String user)
    implements Serializable {

  /** The kinds of Kafka problems, each with its own fix. */
  public enum Kind {
    /** The cluster did not answer in time: it is down, the address is wrong, or the security settings do not match. */
    UNREACHABLE,
    /**
     * The client's TLS settings do not fit the broker: a certificate of another CA, expired, or for another host
     * name; TLS spoken to a plaintext port, or plaintext to a TLS port.
     */
    TLS_MISMATCH,
    /** The cluster refused the credentials (user name, password, SASL mechanism). */
    AUTHENTICATION_FAILED,
    /** No ACL allows the request to this user. */
    NOT_AUTHORIZED,
    /** The user may not write to (or even see) {@link KafkaProblem#topic()}: an admin must grant it the producer ACL. */
    WRITE_NOT_AUTHORIZED,
    /** The user may not create {@link KafkaProblem#topic()}: an admin must create it. */
    CREATE_NOT_AUTHORIZED,
    /** The cluster has no authorizer, hence no ACLs. */
    NO_AUTHORIZER,
    /** {@link KafkaProblem#topic()} does not exist: create it first. */
    UNKNOWN_TOPIC,
    /** The topic exists already. */
    TOPIC_EXISTS,
    /** The topic name is not valid in Kafka. */
    INVALID_TOPIC,
    /** The cluster's policy refused the request. */
    POLICY_VIOLATION,
    /** A replication factor the cluster cannot have (more than its brokers). */
    INVALID_REPLICATION_FACTOR,
    /** A partition count the cluster refuses. */
    INVALID_PARTITIONS,
    /** The consumer group does not exist. */
    UNKNOWN_GROUP,
    /** The thread was interrupted while waiting for Kafka. */
    INTERRUPTED,
    /** Another error of Kafka; the message carries Kafka's own. */
    OTHER
  }

  /** The same problem with another message. */
  public KafkaProblem withMessage(String newMessage) {
    return new KafkaProblem(kind, newMessage, servers, topic, user);
  }

  /** The same facts as another kind, with its message. */
  public KafkaProblem as(Kind newKind, String newMessage) {
    return new KafkaProblem(newKind, newMessage, servers, topic, user);
  }

  /** The same problem about {@code newTopic}. */
  public KafkaProblem withTopic(String newTopic) {
    return new KafkaProblem(kind, message, servers, newTopic, user);
  }

  @Override
  public String toString() {
    return message;
  }
}
