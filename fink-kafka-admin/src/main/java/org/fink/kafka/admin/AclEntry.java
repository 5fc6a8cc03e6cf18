package org.fink.kafka.admin;

/**
 * One ACL of a cluster, as {@link KafkaAcls#list()} reports it.
 *
 * <pre>{@code
 * for (AclEntry acl : admin.acls().list()) {
 *   System.out.println(acl.describe()); // User:fink from *: ALLOW WRITE on TOPIC fink_outstream
 * }
 * }</pre>
 *
 * @param principal e.g. {@code User:fink}
 * @param host client IP address, or {@code *}
 * @param permission {@code ALLOW} or {@code DENY}
 * @param operation e.g. {@code WRITE}, {@code READ}, {@code DESCRIBE}
 * @param resourceType {@code TOPIC}, {@code GROUP}, {@code CLUSTER}, ...
 * @param resourceName the resource name, or prefix for a prefixed pattern
 * @param patternType {@code LITERAL} or {@code PREFIXED}
 */
public record AclEntry(String principal, String host, String permission, String operation, String resourceType,
    String resourceName, String patternType) {
  /** One line: {@code User:alerce from *: ALLOW READ on GROUP spark-kafka-* (prefix)}. */
  public String describe() {
    boolean prefixed = "PREFIXED".equals(patternType);
    return principal + " from " + host + ": " + permission + " " + operation + " on " + resourceType + " "
        + resourceName + (prefixed ? "* (prefix)" : "");
  }
}
