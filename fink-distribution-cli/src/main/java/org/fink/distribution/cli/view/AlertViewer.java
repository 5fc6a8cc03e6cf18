package org.fink.distribution.cli.view;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fink.distribution.kafka.ConsumedAlert;

/**
 * The viewer's web server (the JDK's {@code com.sun.net.httpserver}), read-only: GET only (405 otherwise), and on a
 * loopback address only requests naming a loopback host (no DNS rebinding). Whoever reads the alerts hands them over
 * with {@link #accept}; they are kept in {@link RecentAlerts} and pushed to every open live page.
 *
 * <ul>
 *   <li>{@code /}: the live page; {@code /events}: server-sent events, one {@code alert} event per alert (its
 *       {@link AlertSummary}), the kept ones after {@code Last-Event-ID} first;
 *   <li>{@code /alert/<n>[?stretch=zscale|asinh]}: the n-th alert's page; {@code /alert/<n>.avro}, {@code .json}:
 *       the alert as a file;
 *   <li>{@code /assets/chart.umd.js}, {@code view.js}, {@code view.css}: from the class path.
 * </ul>
 *
 * <pre>{@code
 * try (AlertViewer viewer = AlertViewer.start(new InetSocketAddress("127.0.0.1", 8080), List.of("fink_outstream"), 500)) {
 *   viewer.accept(consumer.poll(Duration.ofMillis(500)));   // in a loop
 * }
 * }</pre>
 */
public final class AlertViewer implements AutoCloseable {
  private static final Pattern ALERT = Pattern.compile("/alert/(\\d{1,18})(\\.avro|\\.json)?");
  private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
  private static final long KEEP_ALIVE_SECONDS = 15;
  /** Events a live page may lag behind before it is dropped (it reconnects and gets the kept alerts again). */
  private static final int CLIENT_QUEUE = 10_000;

  private final HttpServer server;
  private final ExecutorService threads;
  private final RecentAlerts recent;
  private final List<String> topics;
  private final boolean loopbackOnly;
  private final Set<BlockingQueue<String>> clients = new CopyOnWriteArraySet<>();
  private volatile boolean closed;

  private AlertViewer(HttpServer server, ExecutorService threads, List<String> topics, int keep) {
    this.server = server;
    this.threads = threads;
    this.topics = List.copyOf(topics);
    this.recent = new RecentAlerts(keep);
    this.loopbackOnly = server.getAddress().getAddress().isLoopbackAddress();
  }

  /**
   * Starts serving on {@code address} (port 0: any free port) the alerts of {@code topics}, keeping the last
   * {@code keep}.
   *
   * @throws IOException if the address cannot be bound (e.g. the port is taken)
   */
  public static AlertViewer start(InetSocketAddress address, List<String> topics, int keep) throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    ExecutorService threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fink-view-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(threads);
    AlertViewer viewer = new AlertViewer(server, threads, topics, keep);
    server.createContext("/", viewer::handle);
    server.start();
    return viewer;
  }

  /** The address of the live page, e.g. {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
  }

  /** Keeps {@code alerts} and sends their summaries to the open live pages. */
  public void accept(List<ConsumedAlert> alerts) {
    for (ConsumedAlert a : alerts) {
      long seq = recent.add(a);
      String event = event(seq, a);
      for (BlockingQueue<String> client : clients) {
        if (!client.offer(event)) {
          clients.remove(client); // too far behind: its stream ends, the page reconnects
        }
      }
    }
  }

  /** Alerts received so far. */
  public long received() {
    return recent.received();
  }

  @Override
  public void close() {
    closed = true;
    server.stop(0);
    threads.shutdownNow();
  }

  private static String event(long seq, ConsumedAlert alert) {
    return "id: " + seq + "\nevent: alert\ndata: " + HtmlText.json(AlertSummary.of(seq, alert)) + "\n\n";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET");
        send(exchange, 405, "text/plain; charset=utf-8", "read-only viewer: GET only\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (loopbackOnly && !loopbackHost(exchange.getRequestHeaders().getFirst("Host"))) {
        send(exchange, 403, "text/plain; charset=utf-8", "unexpected Host header\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/") || path.equals("/index.html")) {
        html(exchange, 200, Pages.live(topics, recent.capacity()));
      } else if (path.equals("/events")) {
        events(exchange);
      } else if (path.startsWith("/assets/") && Assets.FILES.containsKey(path.substring(8))) {
        String name = path.substring(8);
        exchange.getResponseHeaders().set("Cache-Control", "max-age=3600");
        send(exchange, 200, Assets.contentType(name), Assets.bytes(name));
      } else {
        Matcher m = ALERT.matcher(path);
        if (m.matches()) {
          alert(exchange, Long.parseLong(m.group(1)), m.group(2));
        } else {
          html(exchange, 404, Pages.message("Not found", "No page at " + path + "."));
        }
      }
    }
  }

  private void alert(HttpExchange exchange, long seq, String suffix) throws IOException {
    ConsumedAlert alert = recent.get(seq);
    if (alert == null) {
      html(exchange, 404, Pages.message("Alert " + seq, seq > recent.received()
          ? "No alert " + seq + " yet: " + recent.received() + " received so far."
          : "Alert " + seq + " is no longer kept: the viewer keeps the last " + recent.capacity()
              + " alerts (--keep)."));
      return;
    }
    if (".avro".equals(suffix)) {
      exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"alert-" + seq + ".avro\"");
      send(exchange, 200, "application/avro", AlertFiles.avro(alert.alert()));
    } else if (".json".equals(suffix)) {
      send(exchange, 200, "application/json", AlertFiles.json(alert.alert()));
    } else {
      Stretch stretch = Stretch.parse(query(exchange.getRequestURI()).get("stretch"));
      Map<String, Object> summary = AlertSummary.of(seq, alert);
      html(exchange, 200, Pages.alert("Alert " + seq + " " + summary.getOrDefault("objectId", ""),
          AlertPage.section(seq, alert, stretch, AlertPage.Links.SERVER)));
    }
  }

  private void events(HttpExchange exchange) throws IOException {
    BlockingQueue<String> queue = new LinkedBlockingQueue<>(CLIENT_QUEUE);
    clients.add(queue);
    try {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      long sent = lastEventId(exchange.getRequestHeaders().getFirst("Last-Event-ID"));
      out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
      for (Map.Entry<Long, ConsumedAlert> e : recent.after(sent)) {
        out.write(event(e.getKey(), e.getValue()).getBytes(StandardCharsets.UTF_8));
        sent = e.getKey();
      }
      out.flush();
      while (!closed && clients.contains(queue)) {
        String event = queue.poll(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
        if (event == null) {
          out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
        } else if (seqOf(event) > sent) { // the kept ones already went out
          out.write(event.getBytes(StandardCharsets.UTF_8));
          sent = seqOf(event);
        }
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the page went away
    } finally {
      clients.remove(queue);
    }
  }

  private static long seqOf(String event) {
    return Long.parseLong(event.substring(4, event.indexOf('\n')));
  }

  private static long lastEventId(String header) {
    try {
      return header == null ? 0 : Long.parseLong(header.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static boolean loopbackHost(String host) {
    if (host == null) {
      return false;
    }
    String name = host.strip().toLowerCase(java.util.Locale.ROOT);
    int colon = name.lastIndexOf(':');
    if (colon > 0 && colon > name.lastIndexOf(']')) {
      name = name.substring(0, colon);
    }
    return LOOPBACK_HOSTS.contains(name);
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> params = new java.util.HashMap<>();
    String raw = uri.getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return params;
  }

  private static void html(HttpExchange exchange, int status, String page) throws IOException {
    exchange.getResponseHeaders().set("Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'");
    send(exchange, status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }
}
