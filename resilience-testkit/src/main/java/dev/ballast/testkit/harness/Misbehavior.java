package dev.ballast.testkit.harness;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One way the remote end of a call can misbehave, with its parameters: an immutable value made by
 * the static factories below and served by a {@link Harness} on a port of its own.
 *
 * <p>TCP misbehaviors ({@code tcp*}) need no protocol; their healthy answer is the three bytes
 * {@code "OK\n"} followed by a clean close. HTTP misbehaviors ({@code http*}) read one HTTP/1.1
 * request per connection and answer with {@code Connection: close}; their healthy answer is {@code
 * 200} with {@code Content-Type: application/json} and the body {@code {"status":"ok"}}.
 *
 * <p>By default a misbehavior applies to every connection (TCP) or request (HTTP). {@link
 * #everyNth(int)} and {@link #withProbability(double, long)} make it apply to some of them only;
 * the others get the healthy answer. The two port-level misbehaviors, {@link #tcpRefuse()} and
 * {@link #tcpNeverAccept()}, act before any connection exists and so always apply while enabled.
 *
 * <p>Each factory keeps its parameters typed, under the names it gives them (a {@code Retry-After}
 * is a {@link Duration} that is there or not, a drip has its bytes per tick and its interval), so a
 * new misbehavior adds its own parameters without reusing another's.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Misbehavior {
  /** What a misbehavior does; its typed parameters are in the {@link Misbehavior} that holds it. */
  public enum Kind {
    /** TCP: nothing listens on the port, so connecting is refused. */
    TCP_REFUSE(true, false),
    /** TCP: the port listens with a full backlog and never accepts, so connecting times out. */
    TCP_NEVER_ACCEPT(true, false),
    /** TCP: accepts, reads and discards what the client sends, never writes or closes. */
    TCP_ACCEPT_THEN_SILENCE(false, false),
    /** TCP: accepts with a small receive buffer and never reads, so the client's writes block. */
    TCP_ACCEPT_NEVER_READ(false, false),
    /** TCP: accepts and resets the connection (RST). */
    TCP_RESET(false, false),
    /** TCP: writes a number of bytes, then closes. */
    TCP_CLOSE_AFTER_BYTES(false, false),
    /** TCP: gives the healthy answer, then waits before closing the connection. */
    TCP_SLOW_CLOSE(false, false),
    /** TCP: writes a few bytes every interval, forever. */
    TCP_DRIP(false, false),
    /** TCP: waits a fixed or seeded-random time, then gives the healthy answer. */
    TCP_LATENCY(false, false),
    /** TCP: writes seeded random bytes, then closes. */
    TCP_GARBAGE(false, false),
    /** HTTP: reads the request and never replies. */
    HTTP_NO_REPLY(false, true),
    /** HTTP: sends the status line and headers with a Content-Length, then no body. */
    HTTP_HEADERS_NO_BODY(false, true),
    /** HTTP: sends a body a few bytes every interval. */
    HTTP_DRIP_BODY(false, true),
    /** HTTP: answers with an error status (500, 503 with Retry-After, 429, 401, ...). */
    HTTP_STATUS(false, true),
    /** HTTP: answers 200 with a JSON body labelled {@code text/plain}. */
    HTTP_WRONG_CONTENT_TYPE(false, true),
    /** HTTP: answers 200 with an HTML error page where JSON was expected. */
    HTTP_HTML(false, true),
    /** HTTP: answers 200 with {@code Content-Type: application/json} and an empty body. */
    HTTP_EMPTY(false, true),
    /** HTTP: answers 200 with a JSON array of a given size in bytes, streamed. */
    HTTP_HUGE_BODY(false, true),
    /** HTTP: answers with valid JSON after a delay. */
    HTTP_SLOW_JSON(false, true);

    private final boolean portLevel;
    private final boolean http;

    Kind(boolean portLevel, boolean http) {
      this.portLevel = portLevel;
      this.http = http;
    }

    /**
     * Whether this misbehavior acts on the listening port itself, before any connection exists.
     *
     * @return true for {@link #TCP_REFUSE} and {@link #TCP_NEVER_ACCEPT}
     */
    public boolean portLevel() {
      return portLevel;
    }

    /**
     * Whether this misbehavior speaks HTTP.
     *
     * @return true for the {@code HTTP_*} kinds
     */
    public boolean http() {
      return http;
    }
  }

  private final Kind kind;
  private final String name;
  private final Parameters parameters;
  private final Selection selection;

  private Misbehavior(Kind kind, String name, Parameters parameters, Selection selection) {
    this.kind = kind;
    this.name = name;
    this.parameters = parameters;
    this.selection = selection;
  }

  private static Misbehavior of(Kind kind, String name, Parameters parameters) {
    return new Misbehavior(kind, name, parameters, Selection.ALWAYS);
  }

  private static Misbehavior of(Kind kind, String name) {
    return of(kind, name, Parameters.None.NONE);
  }

  // ---- TCP ----

  /**
   * A port nothing listens on: the harness reserves an ephemeral port and closes it, so a client
   * sees its connection refused.
   *
   * @return the misbehavior, named {@code "refuse"}
   */
  public static Misbehavior tcpRefuse() {
    return of(Kind.TCP_REFUSE, "refuse");
  }

  /**
   * A port that listens with a backlog of 1, filled by the harness's own connections, and never
   * accepts: on Linux a client's connection attempt is dropped and its connect times out.
   *
   * @return the misbehavior, named {@code "never-accept"}
   */
  public static Misbehavior tcpNeverAccept() {
    return of(Kind.TCP_NEVER_ACCEPT, "never-accept");
  }

  /**
   * Accepts, reads and discards whatever the client sends, and never writes or closes: the client's
   * read waits until its own timeout.
   *
   * @return the misbehavior, named {@code "silence"}
   */
  public static Misbehavior tcpAcceptThenSilence() {
    return of(Kind.TCP_ACCEPT_THEN_SILENCE, "silence");
  }

  /**
   * Accepts with a small receive buffer and never reads: once the buffers fill, the client's writes
   * block (a blocking socket write has no timeout).
   *
   * @return the misbehavior, named {@code "never-read"}
   */
  public static Misbehavior tcpAcceptNeverRead() {
    return of(Kind.TCP_ACCEPT_NEVER_READ, "never-read");
  }

  /**
   * Accepts and closes with {@code SO_LINGER} 0, which sends a reset: the client's read fails with
   * "Connection reset".
   *
   * @return the misbehavior, named {@code "reset"}
   */
  public static Misbehavior tcpReset() {
    return of(Kind.TCP_RESET, "reset");
  }

  /**
   * Writes {@code bytes} bytes of {@code 'x'}, then closes: the client reads them, then end of
   * stream.
   *
   * @param bytes how many bytes to write before closing, at least 0
   * @return the misbehavior, named {@code "close-after-bytes"}
   */
  public static Misbehavior tcpCloseAfterBytes(long bytes) {
    return of(
        Kind.TCP_CLOSE_AFTER_BYTES,
        "close-after-bytes",
        new Parameters.ByteCount(notNegative("bytes", bytes)));
  }

  /**
   * Writes the healthy answer at once, then waits {@code delay} before closing: a client that reads
   * to end of stream waits the whole delay for a response it already has.
   *
   * @param delay the wait before closing, at least zero
   * @return the misbehavior, named {@code "slow-close"}
   */
  public static Misbehavior tcpSlowClose(Duration delay) {
    return of(Kind.TCP_SLOW_CLOSE, "slow-close", new Parameters.Pause(notNegative("delay", delay)));
  }

  /**
   * Writes {@code bytesPerTick} bytes of {@code 'x'} every {@code interval}, forever, until the
   * client closes: a connection that is alive and useless.
   *
   * @param bytesPerTick bytes written each time, at least 1
   * @param interval the pause between writes, positive
   * @return the misbehavior, named {@code "drip"}
   */
  public static Misbehavior tcpDrip(int bytesPerTick, Duration interval) {
    return of(
        Kind.TCP_DRIP,
        "drip",
        new Parameters.Drip(
            positive("bytesPerTick", bytesPerTick), positive("interval", interval)));
  }

  /**
   * Waits {@code delay} after accepting, then gives the healthy answer.
   *
   * @param delay the wait, at least zero
   * @return the misbehavior, named {@code "latency"}
   */
  public static Misbehavior tcpLatency(Duration delay) {
    notNegative("delay", delay);
    return of(Kind.TCP_LATENCY, "latency", new Parameters.Latency(delay, delay, 0L));
  }

  /**
   * Waits a time drawn uniformly from {@code [min, max]} after accepting, then gives the healthy
   * answer. The n-th connection always waits the same time for the same seed.
   *
   * @param min the shortest wait, at least zero
   * @param max the longest wait, at least {@code min}
   * @param seed seeds the choice
   * @return the misbehavior, named {@code "random-latency"}
   */
  public static Misbehavior tcpRandomLatency(Duration min, Duration max, long seed) {
    notNegative("min", min);
    Objects.requireNonNull(max, "max must not be null");
    if (max.compareTo(min) < 0) {
      throw new IllegalArgumentException("max must be >= min (" + min + "), was " + max);
    }
    return of(Kind.TCP_LATENCY, "random-latency", new Parameters.Latency(min, max, seed));
  }

  /**
   * Writes {@code bytes} seeded random bytes, then closes: a client's parser sees garbage.
   *
   * @param bytes how many bytes, at least 1
   * @param seed seeds the bytes; the n-th connection always gets the same bytes for the same seed
   * @return the misbehavior, named {@code "garbage"}
   */
  public static Misbehavior tcpGarbage(long bytes, long seed) {
    if (bytes < 1) {
      throw new IllegalArgumentException("bytes must be >= 1, was " + bytes);
    }
    return of(Kind.TCP_GARBAGE, "garbage", new Parameters.Garbage(bytes, seed));
  }

  // ---- HTTP ----

  /**
   * Reads the HTTP request and never replies: the client waits until its request timeout.
   *
   * @return the misbehavior, named {@code "http-no-reply"}
   */
  public static Misbehavior httpNoReply() {
    return of(Kind.HTTP_NO_REPLY, "http-no-reply");
  }

  /**
   * Sends {@code 200} and headers announcing {@code contentLength} bytes, then no body, and keeps
   * the connection open.
   *
   * @param contentLength the announced length, at least 1
   * @return the misbehavior, named {@code "http-headers-no-body"}
   */
  public static Misbehavior httpHeadersNoBody(long contentLength) {
    if (contentLength < 1) {
      throw new IllegalArgumentException("contentLength must be >= 1, was " + contentLength);
    }
    return of(
        Kind.HTTP_HEADERS_NO_BODY, "http-headers-no-body", new Parameters.ByteCount(contentLength));
  }

  /**
   * Sends {@code 200} with a body of {@code totalBytes} bytes, {@code bytesPerTick} of them every
   * {@code interval}: the headers come at once, the body takes {@code totalBytes / bytesPerTick}
   * intervals.
   *
   * @param totalBytes the body's length, at least 1
   * @param bytesPerTick bytes written each time, at least 1
   * @param interval the pause between writes, positive
   * @return the misbehavior, named {@code "http-drip-body"}
   */
  public static Misbehavior httpDripBody(long totalBytes, int bytesPerTick, Duration interval) {
    if (totalBytes < 1) {
      throw new IllegalArgumentException("totalBytes must be >= 1, was " + totalBytes);
    }
    return of(
        Kind.HTTP_DRIP_BODY,
        "http-drip-body",
        new Parameters.DripBody(
            totalBytes, positive("bytesPerTick", bytesPerTick), positive("interval", interval)));
  }

  /**
   * Answers with {@code status} and a small JSON error body.
   *
   * @param status an HTTP status code in {@code [100, 599]}
   * @return the misbehavior, named {@code "http-<status>"}
   */
  public static Misbehavior httpStatus(int status) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be in [100, 599], was " + status);
    }
    return of(Kind.HTTP_STATUS, "http-" + status, new Parameters.Status(status, null));
  }

  /**
   * Answers {@code 503 Service Unavailable} with a {@code Retry-After} header in whole seconds
   * (rounded up).
   *
   * @param retryAfter the advertised wait, at least zero
   * @return the misbehavior, named {@code "http-503"}
   */
  public static Misbehavior httpServiceUnavailable(Duration retryAfter) {
    return of(
        Kind.HTTP_STATUS,
        "http-503",
        new Parameters.Status(503, notNegative("retryAfter", retryAfter)));
  }

  /**
   * Answers {@code 429 Too Many Requests} with a {@code Retry-After} header in whole seconds
   * (rounded up).
   *
   * @param retryAfter the advertised wait, at least zero
   * @return the misbehavior, named {@code "http-429"}
   */
  public static Misbehavior httpTooManyRequests(Duration retryAfter) {
    return of(
        Kind.HTTP_STATUS,
        "http-429",
        new Parameters.Status(429, notNegative("retryAfter", retryAfter)));
  }

  /**
   * Answers {@code 401 Unauthorized} with {@code WWW-Authenticate: Bearer}.
   *
   * @return the misbehavior, named {@code "http-401"}
   */
  public static Misbehavior httpUnauthorized() {
    return httpStatus(401);
  }

  /**
   * Answers {@code 200} with a valid JSON body labelled {@code Content-Type: text/plain}.
   *
   * @return the misbehavior, named {@code "http-wrong-content-type"}
   */
  public static Misbehavior httpWrongContentType() {
    return of(Kind.HTTP_WRONG_CONTENT_TYPE, "http-wrong-content-type");
  }

  /**
   * Answers {@code 200} with {@code Content-Type: text/html} and an HTML error page, as a proxy or
   * load balancer does in front of a dead service.
   *
   * @return the misbehavior, named {@code "http-html"}
   */
  public static Misbehavior httpHtml() {
    return of(Kind.HTTP_HTML, "http-html");
  }

  /**
   * Answers {@code 200} with {@code Content-Type: application/json} and an empty body.
   *
   * @return the misbehavior, named {@code "http-empty"}
   */
  public static Misbehavior httpEmpty() {
    return of(Kind.HTTP_EMPTY, "http-empty");
  }

  /**
   * Answers {@code 200} with a valid JSON array of exactly {@code bytes} bytes, streamed so the
   * harness never holds it in memory: the book's unbounded result set.
   *
   * @param bytes the body's length, at least 3
   * @return the misbehavior, named {@code "http-huge-body"}
   */
  public static Misbehavior httpHugeBody(long bytes) {
    if (bytes < 3) {
      throw new IllegalArgumentException("bytes must be >= 3, was " + bytes);
    }
    return of(Kind.HTTP_HUGE_BODY, "http-huge-body", new Parameters.ByteCount(bytes));
  }

  /**
   * Answers with the healthy JSON response after {@code delay}.
   *
   * @param delay the wait, at least zero
   * @return the misbehavior, named {@code "http-slow-json"}
   */
  public static Misbehavior httpSlowJson(Duration delay) {
    return of(
        Kind.HTTP_SLOW_JSON, "http-slow-json", new Parameters.Pause(notNegative("delay", delay)));
  }

  // ---- copies ----

  /**
   * A copy with another name, which the harness uses for its port, log and threads.
   *
   * @param name letters, digits, {@code '-'}, {@code '_'} and {@code '.'}, not empty
   * @return the copy
   */
  public Misbehavior named(String name) {
    Objects.requireNonNull(name, "name must not be null");
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "name must be letters, digits, '-', '_' or '.', was '" + name + "'");
    }
    return new Misbehavior(kind, name, parameters, selection);
  }

  /**
   * A copy that misbehaves on connections (TCP) or requests (HTTP) number {@code n}, {@code 2n},
   * ... and answers the others healthily. Replaces an earlier {@code everyNth} or {@link
   * #withProbability(double, long)}.
   *
   * @param n the period, at least 1
   * @return the copy
   * @throws IllegalStateException for a port-level misbehavior
   */
  public Misbehavior everyNth(int n) {
    positive("n", n);
    requireConnectionLevel();
    return new Misbehavior(kind, name, parameters, new Selection(n, 1.0, 0L));
  }

  /**
   * A copy that misbehaves on each connection (TCP) or request (HTTP) with probability {@code p},
   * chosen from {@code seed} and the connection's number, so the same seed picks the same
   * connections every run; the others get the healthy answer.
   *
   * @param p the probability, in {@code [0, 1]}
   * @param choiceSeed seeds the choice
   * @return the copy
   * @throws IllegalStateException for a port-level misbehavior
   */
  public Misbehavior withProbability(double p, long choiceSeed) {
    if (!(p >= 0.0 && p <= 1.0)) {
      throw new IllegalArgumentException("p must be in [0, 1], was " + p);
    }
    requireConnectionLevel();
    return new Misbehavior(kind, name, parameters, new Selection(1, p, choiceSeed));
  }

  private void requireConnectionLevel() {
    if (kind.portLevel()) {
      throw new IllegalStateException(
          kind + " acts on the port before any connection exists, so it always applies");
    }
  }

  // ---- accessors ----

  /**
   * What this misbehavior does.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Its name, unique within a harness.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /** The parameters, typed by the shape of this kind's factory. */
  Parameters parameters() {
    return parameters;
  }

  /**
   * The parameters as the type this kind has; a behavior asks for the type its kind makes.
   *
   * @throws IllegalStateException when this misbehavior's parameters are of another type
   */
  <P extends Parameters> P parameters(Class<P> type) {
    if (!type.isInstance(parameters)) {
      throw new IllegalStateException(
          name
              + " ("
              + kind
              + ") has "
              + parameters.getClass().getSimpleName()
              + " parameters, not "
              + type.getSimpleName());
    }
    return type.cast(parameters);
  }

  /** Whether the {@code number}-th connection or request (from 1) gets the misbehavior. */
  boolean appliesTo(long number) {
    return selection.appliesTo(number);
  }

  /**
   * Describes this misbehavior and its parameters, for a table of ports.
   *
   * @return for example {@code "drip (tcp: drip 1 byte(s) every PT0.1S)"}
   */
  @Override
  public String toString() {
    return name + " (" + describe() + selection.describe() + ")";
  }

  private String describe() {
    return switch (kind) {
      case TCP_REFUSE -> "tcp: connection refused";
      case TCP_NEVER_ACCEPT -> "tcp: backlog full, connect times out";
      case TCP_ACCEPT_THEN_SILENCE -> "tcp: accept, then silence";
      case TCP_ACCEPT_NEVER_READ -> "tcp: accept, never read";
      case TCP_RESET -> "tcp: accept, then reset (RST)";
      case TCP_CLOSE_AFTER_BYTES ->
          "tcp: " + parameters(Parameters.ByteCount.class).bytes() + " byte(s), then close";
      case TCP_SLOW_CLOSE ->
          "tcp: OK, then close after " + parameters(Parameters.Pause.class).delay();
      case TCP_DRIP -> {
        Parameters.Drip drip = parameters(Parameters.Drip.class);
        yield "tcp: drip " + drip.bytesPerTick() + " byte(s) every " + drip.interval();
      }
      case TCP_LATENCY -> {
        Parameters.Latency latency = parameters(Parameters.Latency.class);
        yield latency.fixed()
            ? "tcp: OK after " + latency.min()
            : "tcp: OK after "
                + latency.min()
                + ".."
                + latency.max()
                + " (seed "
                + latency.seed()
                + ")";
      }
      case TCP_GARBAGE -> {
        Parameters.Garbage garbage = parameters(Parameters.Garbage.class);
        yield "tcp: "
            + garbage.bytes()
            + " random byte(s) (seed "
            + garbage.seed()
            + "), then close";
      }
      case HTTP_NO_REPLY -> "http: read the request, never reply";
      case HTTP_HEADERS_NO_BODY ->
          "http: 200 with Content-Length "
              + parameters(Parameters.ByteCount.class).bytes()
              + ", then no body";
      case HTTP_DRIP_BODY -> {
        Parameters.DripBody drip = parameters(Parameters.DripBody.class);
        yield "http: 200, "
            + drip.totalBytes()
            + "-byte body dripped "
            + drip.bytesPerTick()
            + " byte(s) every "
            + drip.interval();
      }
      case HTTP_STATUS -> {
        Parameters.Status status = parameters(Parameters.Status.class);
        Duration retryAfter = status.retryAfter();
        yield "http: " + status.code() + (retryAfter == null ? "" : " Retry-After " + retryAfter);
      }
      case HTTP_WRONG_CONTENT_TYPE -> "http: 200, JSON labelled text/plain";
      case HTTP_HTML -> "http: 200, HTML instead of JSON";
      case HTTP_EMPTY -> "http: 200, empty body";
      case HTTP_HUGE_BODY ->
          "http: 200, " + parameters(Parameters.ByteCount.class).bytes() + "-byte JSON body";
      case HTTP_SLOW_JSON -> "http: 200 JSON after " + parameters(Parameters.Pause.class).delay();
    };
  }

  /**
   * Whether {@code other} is a misbehavior of the same kind, name and parameters, applied to the
   * same connections or requests.
   *
   * @param other the object to compare with
   * @return true if equal
   */
  @Override
  public boolean equals(@Nullable Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof Misbehavior that)) {
      return false;
    }
    return kind == that.kind
        && name.equals(that.name)
        && parameters.equals(that.parameters)
        && selection.equals(that.selection);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, name, parameters, selection);
  }

  /**
   * Which connections or requests get the misbehavior: every {@code everyNth}-th, or each with
   * {@code probability} chosen from {@code seed} and its number, or all of them.
   */
  private record Selection(int everyNth, double probability, long seed) {
    static final Selection ALWAYS = new Selection(1, 1.0, 0L);

    boolean appliesTo(long number) {
      if (everyNth > 1) {
        return number % everyNth == 0;
      }
      if (probability < 1.0) {
        return Parameters.random(seed, number).nextDouble() < probability;
      }
      return true;
    }

    String describe() {
      if (everyNth > 1) {
        return ", every " + everyNth + "th";
      }
      if (probability < 1.0) {
        return String.format(Locale.ROOT, ", p=%.3f (seed %d)", probability, seed);
      }
      return "";
    }
  }

  private static long notNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, was " + value);
    }
    return value;
  }

  private static int positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, was " + value);
    }
    return value;
  }

  private static Duration notNegative(String name, @Nullable Duration value) {
    Objects.requireNonNull(value, () -> name + " must not be null");
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must be >= 0, was " + value);
    }
    return value;
  }

  private static Duration positive(String name, @Nullable Duration value) {
    Objects.requireNonNull(value, () -> name + " must not be null");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
    return value;
  }
}
