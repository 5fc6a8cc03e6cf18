package org.fink.kafka.admin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.fink.distribution.kafka.AdminRequests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACLs of a cluster ({@code fink_kafka --authorization}, {@code --list-acl}): producer and consumer access of a
 * user, granted and revoked with the same arguments, so a revocation removes exactly what the grant added.
 *
 * <pre>{@code
 * KafkaAcls acls = admin.acls();
 * acls.grant(ClientAccess.producer("fink", "*", "fink_outstream"));
 * acls.list().forEach(acl -> System.out.println(acl.describe()));
 * acls.revoke(ClientAccess.producer("fink", "*", "fink_outstream"));  // 2 ACLs removed
 * }</pre>
 */
public final class KafkaAcls {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaAcls.class);

  private final AdminRequests calls;

  KafkaAcls(AdminRequests calls) {
    this.calls = calls;
  }

  /** Adds the ACLs of {@code access} (adding an ACL that exists changes nothing). */
  public void grant(ClientAccess access) {
    calls.await(calls.admin().createAcls(access.bindings()).all(), "adding " + access.describe());
    LOG.info("added {} on {}", access.describe(), calls.servers());
  }

  /**
   * Removes the ACLs {@link #grant} added for the same {@code access}.
   *
   * @return how many ACLs were removed
   * @throws KafkaAdminException if there was none to remove
   */
  public int revoke(ClientAccess access) {
    List<AclBindingFilter> filters = access.bindings().stream().map(AclBinding::toFilter).toList();
    Collection<AclBinding> removed = calls.await(calls.admin().deleteAcls(filters).all(),
        "removing " + access.describe());
    if (removed.isEmpty()) {
      throw new KafkaAdminException("there are no " + access.describe() + " on " + calls.servers()
          + " to remove (see --list-acl)");
    }
    LOG.info("removed {} ({} ACLs) on {}", access.describe(), removed.size(), calls.servers());
    return removed.size();
  }

  /** Every ACL of the cluster, sorted by principal, resource, operation. */
  public List<AclEntry> list() {
    Collection<AclBinding> bindings = calls.await(calls.admin().describeAcls(AclBindingFilter.ANY).values(),
        "listing ACLs");
    List<AclEntry> entries = new ArrayList<>();
    for (AclBinding binding : bindings) {
      entries.add(new AclEntry(binding.entry().principal(), binding.entry().host(),
          binding.entry().permissionType().name(), binding.entry().operation().name(),
          binding.pattern().resourceType().name(), binding.pattern().name(), binding.pattern().patternType().name()));
    }
    entries.sort(Comparator.comparing(AclEntry::principal).thenComparing(AclEntry::resourceType)
        .thenComparing(AclEntry::resourceName).thenComparing(AclEntry::host).thenComparing(AclEntry::operation));
    return entries;
  }
}
