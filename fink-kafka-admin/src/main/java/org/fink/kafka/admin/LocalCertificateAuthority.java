package org.fink.kafka.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private certificate authority of a local cluster in TLS mode ({@code DISTRIBUTION_SECURITY_PROTOCOL=SASL_SSL}),
 * made at the first start, and the certificate of each broker it signs. Everything lives in {@code dataDir/tls/}, a
 * folder readable by its owner only:
 * <ul>
 *   <li>{@code ca.pem}: the CA certificate for clients (Python ssl, librdkafka's {@code ssl.ca.location}, Kafka's
 *       {@code ssl.truststore.type=PEM});</li>
 *   <li>{@code ca.p12}: the same certificate as a PKCS12 trust store without password, for Java clients;</li>
 *   <li>{@code ca-key.p12}: the CA's private key (signs broker certificates again when they near expiry or when the
 *       names asked for change);</li>
 *   <li>{@code broker-N.p12}: broker N's private key and certificate chain; {@code keystore.properties} the random
 *       password of these key stores (brokers read it from the file, it is never on a command line).</li>
 * </ul>
 * Keys are EC P-256, signatures SHA256withECDSA. A broker certificate names {@code localhost}, {@code 127.0.0.1},
 * this machine's host name and the extra names given ({@code KAFKA_LOCAL_TLS_NAMES}). Nothing here logs a key or a
 * password.
 *
 * <pre>{@code
 * LocalCertificateAuthority ca = LocalCertificateAuthority.loadOrCreate(dataDir, 3, List.of("kafka.example.org"));
 * ca.caPemFile();                 // give it to clients
 * ca.brokerKeystore(1);           // broker 1's key store, password in ca.keystorePassword()
 * ca.certificates().forEach(c -> System.out.println(c.describe()));
 * }</pre>
 */
public final class LocalCertificateAuthority {
  /** Folder of the TLS files in a cluster's data folder. */
  public static final String DIR_NAME = "tls";
  static final String CA_PEM = "ca.pem";
  static final String CA_PKCS12 = "ca.p12";
  static final String CA_KEY = "ca-key.p12";
  static final String PASSWORD_FILE = "keystore.properties";
  static final Duration CA_VALIDITY = Duration.ofDays(3650);
  static final Duration BROKER_VALIDITY = Duration.ofDays(825);
  /** A broker certificate that expires within this is made again at start. */
  static final Duration RENEW_BEFORE = Duration.ofDays(30);
  private static final Logger LOG = LoggerFactory.getLogger(LocalCertificateAuthority.class);
  private static final String ALIAS = "fink";
  /** The bag attribute that makes Java read a PKCS12 certificate as a trusted one (Oracle's trustedKeyUsage). */
  private static final ASN1ObjectIdentifier JAVA_TRUSTED_KEY_USAGE =
      new ASN1ObjectIdentifier("2.16.840.1.113894.746875.1.1");
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

  private final Path dir;
  private final String password;
  private final X509Certificate caCertificate;
  private final PrivateKey caKey;

  private LocalCertificateAuthority(Path dir, String password, X509Certificate caCertificate, PrivateKey caKey) {
    this.dir = dir;
    this.password = password;
    this.caCertificate = caCertificate;
    this.caKey = caKey;
  }

  /** {@code dataDir/tls}. */
  public static Path dir(Path dataDir) {
    return dataDir.resolve(DIR_NAME);
  }

  /**
   * The authority of {@code dataDir} (made on first use) with a valid certificate for each of {@code brokers} brokers
   * naming the default names and {@code extraNames}: a missing certificate, one that expires within 30 days, or one
   * that lacks a name asked for is made again.
   */
  public static LocalCertificateAuthority loadOrCreate(Path dataDir, int brokers, List<String> extraNames) {
    Path dir = dir(dataDir);
    LocalCertificateAuthority ca = Files.isRegularFile(dir.resolve(CA_KEY)) ? loadDir(dir) : create(dir);
    List<String> names = brokerNames(extraNames);
    for (int id = 1; id <= brokers; id++) {
      ca.ensureBroker(id, names);
    }
    return ca;
  }

  /** The authority recorded in {@code dataDir}, without making anything. */
  public static LocalCertificateAuthority load(Path dataDir) {
    return loadDir(dir(dataDir));
  }

  /** The authority recorded in the TLS folder {@code dir}. */
  static LocalCertificateAuthority loadDir(Path dir) {
    String password = readPassword(dir);
    KeyStore store = readStore(dir.resolve(CA_KEY), password);
    try {
      return new LocalCertificateAuthority(dir, password, (X509Certificate) store.getCertificate(ALIAS),
          (PrivateKey) store.getKey(ALIAS, password.toCharArray()));
    } catch (GeneralSecurityException e) {
      throw damaged(dir, e);
    }
  }

  /** Whether {@code dataDir} holds an authority. */
  public static boolean exists(Path dataDir) {
    return Files.isRegularFile(dir(dataDir).resolve(CA_KEY)) && Files.isRegularFile(dir(dataDir).resolve(CA_PEM));
  }

  /** {@code localhost}, {@code 127.0.0.1}, this machine's host name, then the extra names, without repeats. */
  static List<String> brokerNames(List<String> extraNames) {
    Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
    hostName().ifPresent(names::add);
    for (String name : extraNames) {
      if (name != null && !name.isBlank()) {
        names.add(name.strip().toLowerCase(Locale.ROOT));
      }
    }
    return List.copyOf(names);
  }

  private static java.util.Optional<String> hostName() {
    try {
      String name = InetAddress.getLocalHost().getHostName();
      return name == null || name.isBlank() ? java.util.Optional.empty()
          : java.util.Optional.of(name.toLowerCase(Locale.ROOT));
    } catch (IOException e) {
      return java.util.Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank());
    }
  }

  private static LocalCertificateAuthority create(Path dir) {
    createOwnerOnlyDir(dir);
    byte[] random = new byte[24];
    RANDOM.nextBytes(random);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Properties props = new Properties();
    props.setProperty("password", password);
    writeOwnerOnly(dir.resolve(PASSWORD_FILE), out -> props.store(out,
        "password of the key stores in this folder (brokers read it); keep it private"));
    KeyPair keys = newKeyPair();
    Instant now = Instant.now();
    X500Name subject = new X500Name("CN=fink local Kafka CA " + Long.toHexString(RANDOM.nextLong()) + ",O=fink");
    X509Certificate certificate = sign(subject, keys, subject, keys.getPrivate(), null, now.minus(Duration.ofHours(1)),
        now.plus(CA_VALIDITY), List.of(), true);
    LocalCertificateAuthority ca = new LocalCertificateAuthority(dir, password, certificate, keys.getPrivate());
    ca.writeKeyStore(dir.resolve(CA_KEY), keys.getPrivate(), certificate);
    ca.writeTrustFiles();
    LOG.info("made the local cluster's certificate authority in {} (valid until {})", dir, certificate.getNotAfter()
        .toInstant());
    return ca;
  }

  private void ensureBroker(int nodeId, List<String> names) {
    Path keystore = brokerKeystore(nodeId);
    if (Files.isRegularFile(keystore)) {
      X509Certificate current = (X509Certificate) certificateOf(keystore);
      List<String> missing = names.stream().filter(n -> !subjectAltNames(current).contains(n)).toList();
      boolean expiring = current.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE));
      boolean otherCa = !current.getIssuerX500Principal().equals(caCertificate.getSubjectX500Principal());
      if (missing.isEmpty() && !expiring && !otherCa) {
        return;
      }
      LOG.info("making the certificate of broker {} again ({})", nodeId, expiring ? "it expires on "
          + current.getNotAfter().toInstant() : !missing.isEmpty() ? "names " + missing + " asked for" : "new CA");
    }
    Instant now = Instant.now();
    issueBroker(nodeId, names, now.minus(Duration.ofHours(1)), now.plus(BROKER_VALIDITY));
  }

  /** Makes broker {@code nodeId}'s key store with a certificate for {@code names}, valid between the two instants. */
  Path issueBroker(int nodeId, List<String> names, Instant notBefore, Instant notAfter) {
    Path keystore = brokerKeystore(nodeId);
    issue("broker-" + nodeId, names, notBefore, notAfter, keystore);
    return keystore;
  }

  /** Makes a key store at {@code keystore} holding a new key and a certificate signed by this authority. */
  void issue(String commonName, List<String> names, Instant notBefore, Instant notAfter, Path keystore) {
    KeyPair keys = newKeyPair();
    X509Certificate certificate = sign(new X500Name("CN=" + commonName + ",O=fink"), keys,
        X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded()), caKey, caCertificate, notBefore,
        notAfter,
        names, false);
    writeKeyStore(keystore, keys.getPrivate(), certificate, caCertificate);
  }

  /** The CA certificate in PEM, for clients. */
  public Path caPemFile() {
    return dir.resolve(CA_PEM);
  }

  /** The CA certificate as a PKCS12 trust store without password, for Java clients. */
  public Path caPkcs12File() {
    return dir.resolve(CA_PKCS12);
  }

  /** Broker {@code nodeId}'s PKCS12 key store (key and chain); its password is {@link #keystorePassword()}. */
  public Path brokerKeystore(int nodeId) {
    return dir.resolve("broker-" + nodeId + ".p12");
  }

  /** The password of the brokers' key stores: give it to a broker only. */
  String keystorePassword() {
    return password;
  }

  /** The CA certificate and each broker's: subject, names, expiry. */
  public List<CertificateInfo> certificates() {
    List<CertificateInfo> all = new ArrayList<>();
    all.add(CertificateInfo.of("CA", caCertificate));
    for (int id = 1; Files.isRegularFile(brokerKeystore(id)); id++) {
      all.add(CertificateInfo.of("broker " + id, (X509Certificate) certificateOf(brokerKeystore(id))));
    }
    return all;
  }

  /** Kafka client properties that trust this authority (PEM trust store) and check host names. */
  public Properties clientTrustProperties() {
    Properties props = new Properties();
    props.put("ssl.truststore.type", "PEM");
    props.put("ssl.truststore.location", caPemFile().toString());
    return props;
  }

  /** The folder, never a key. */
  @Override
  public String toString() {
    return "LocalCertificateAuthority[" + dir + "]";
  }

  /**
   * One certificate of the authority.
   *
   * @param role {@code CA} or {@code broker N}
   * @param subject distinguished name
   * @param names subject alternative names (host names and IP addresses)
   * @param notAfter end of validity
   */
  public record CertificateInfo(String role, String subject, List<String> names, Instant notAfter) {
    static CertificateInfo of(String role, X509Certificate certificate) {
      return new CertificateInfo(role, certificate.getSubjectX500Principal().getName(),
          List.copyOf(subjectAltNames(certificate)), certificate.getNotAfter().toInstant());
    }

    /** E.g. {@code broker 1 certificate expires 2027-05-01T10:00:00Z (localhost, 127.0.0.1, host)}. */
    public String describe() {
      return role + " certificate expires " + notAfter + (names.isEmpty() ? "" : " (" + String.join(", ", names)
          + ")");
    }
  }

  static List<String> subjectAltNames(X509Certificate certificate) {
    try {
      Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
      if (entries == null) {
        return List.of();
      }
      return entries.stream().map(e -> e.get(1).toString().toLowerCase(Locale.ROOT)).toList();
    } catch (CertificateParsingException e) {
      throw new IllegalStateException("cannot read the names of certificate " + certificate.getSubjectX500Principal()
          + ": " + e.getMessage(), e);
    }
  }

  private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, PrivateKey issuerKey,
      X509Certificate issuerCertificate, Instant notBefore, Instant notAfter, List<String> names, boolean ca) {
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
          new BigInteger(127, RANDOM).add(BigInteger.ONE), Date.from(notBefore), Date.from(notAfter), subject,
          subjectKeys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      builder.addExtension(Extension.subjectKeyIdentifier, false,
          extensions.createSubjectKeyIdentifier(subjectKeys.getPublic()));
      if (ca) {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        builder.addExtension(Extension.authorityKeyIdentifier, false,
            extensions.createAuthorityKeyIdentifier(issuerCertificate));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
            | KeyUsage.keyAgreement));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
            KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        GeneralName[] altNames = names.stream().map(n -> new GeneralName(isIpAddress(n) ? GeneralName.iPAddress
            : GeneralName.dNSName, n)).toArray(GeneralName[]::new);
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altNames));
      }
      return new JcaX509CertificateConverter().getCertificate(builder.build(
          new JcaContentSignerBuilder(SIGNATURE).build(issuerKey)));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot make a certificate for " + subject + ": " + e.getMessage(), e);
    }
  }

  private static boolean isIpAddress(String name) {
    return name.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (name.contains(":") && name.matches("[0-9a-f:.]+"));
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make EC P-256 keys: " + e.getMessage(), e);
    }
  }

  private void writeKeyStore(Path file, PrivateKey key, X509Certificate... chain) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, key, password.toCharArray(), chain);
      writeOwnerOnly(file, out -> store.store(out, password.toCharArray()));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot write the key store " + file + ": " + e.getMessage(), e);
    }
  }

  /** ca.pem and ca.p12 (a PKCS12 store without password: certificates in clear, no integrity key). */
  private void writeTrustFiles() {
    try {
      String pem = "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
              caCertificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
      writeOwnerOnly(caPemFile(), out -> out.write(pem.getBytes(StandardCharsets.US_ASCII)));
      PKCS12SafeBagBuilder bag = new JcaPKCS12SafeBagBuilder(caCertificate);
      bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString("fink-local-ca"));
      bag.addBagAttribute(JAVA_TRUSTED_KEY_USAGE, KeyPurposeId.anyExtendedKeyUsage);
      PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
      pfx.addData(bag.build());
      byte[] der = pfx.build(null, null).getEncoded();
      writeOwnerOnly(caPkcs12File(), out -> out.write(der));
    } catch (GeneralSecurityException | IOException | PKCSException e) {
      throw new IllegalStateException("cannot write the CA certificate files in " + dir + ": " + e.getMessage(), e);
    }
  }

  private Certificate certificateOf(Path keystore) {
    try {
      Certificate certificate = readStore(keystore, password).getCertificate(ALIAS);
      if (certificate == null) {
        throw new IllegalStateException(keystore + " holds no certificate named " + ALIAS);
      }
      return certificate;
    } catch (GeneralSecurityException e) {
      throw damaged(dir, e);
    }
  }

  private static KeyStore readStore(Path file, String password) {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the key store " + file + " (" + e.getMessage() + "): delete the"
          + " folder " + file.getParent() + " to make new certificates at the next start (clients then need the new"
          + " " + CA_PEM + ")", e);
    }
  }

  private static String readPassword(Path dir) {
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(dir.resolve(PASSWORD_FILE))) {
      props.load(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + dir.resolve(PASSWORD_FILE) + " (" + e.getMessage() + "):"
          + " delete the folder " + dir + " to make new certificates at the next start", e);
    }
    String password = props.getProperty("password");
    if (password == null || password.isBlank()) {
      throw new IllegalStateException(dir.resolve(PASSWORD_FILE) + " holds no password: delete the folder " + dir
          + " to make new certificates at the next start");
    }
    return password;
  }

  private static IllegalStateException damaged(Path dir, Exception e) {
    return new IllegalStateException("the local cluster's TLS files in " + dir + " are damaged (" + e.getMessage()
        + "): delete the folder to make new certificates at the next start", e);
  }

  private static void createOwnerOnlyDir(Path dir) {
    try {
      Files.createDirectories(dir.getParent());
      if (!Files.isDirectory(dir)) {
        try {
          Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
        } catch (UnsupportedOperationException e) {
          Files.createDirectory(dir);
          LOG.warn("cannot make {} readable by its owner only on this file system: protect it by hand", dir);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the TLS folder " + dir, e);
    }
  }

  /** Writes a file readable by its owner only, through a temporary file so a reader never sees half of it. */
  private static void writeOwnerOnly(Path file, Writer writer) {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(temporary);
      try {
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_FILE));
      } catch (UnsupportedOperationException e) {
        Files.createFile(temporary);
      }
      try (OutputStream out = Files.newOutputStream(temporary, StandardOpenOption.TRUNCATE_EXISTING)) {
        writer.write(out);
      }
      Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  private interface Writer {
    void write(OutputStream out) throws IOException, GeneralSecurityException;
  }
}
