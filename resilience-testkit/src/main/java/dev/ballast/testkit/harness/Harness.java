package dev.ballast.testkit.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A server that stands in for the remote end of a call and misbehaves on purpose: one port per
 * {@link Misbehavior}, each reporting which port does what.
 *
 * <pre>{@code
 * try (Harness harness =
 *     Harness.builder()
 *         .add(Misbehavior.tcpReset(), Misbehavior.httpSlowJson(Duration.ofSeconds(2)))
 *         .build()
 *         .start()) {
 *   int port = harness.port("http-slow-json");
 *   // point the client under test at 127.0.0.1:port
 *   try (var healthy = harness.endpoint("http-slow-json").healthyFor()) {
 *     // ... it answers at once here
 *   }
 * }
 * }</pre>
 *
 * <p>It binds to the loopback address unless told otherwise, and never needs Ballast. It keeps a
 * bounded log of connections and requests and counters per port. {@link #close()} closes every port
 * and socket and stops every thread it started (named {@code ballast-harness-<name>-<n>}, daemon).
 *
 * <p>Instances are thread-safe: endpoints may be switched from any thread while clients call them.
 */
public final class Harness implements AutoCloseable {
  private final InetAddress bindAddress;
  private final Map<String, Endpoint> endpoints;
  private final int logCapacity;
  private final ArrayDeque<LogEntry> log; // guarded by logLock
  private final ReentrantLock lock = new ReentrantLock(); // start, close, started
  private final ReentrantLock logLock = new ReentrantLock(); // log
  private boolean started; // guarded by lock
  private boolean closed; // guarded by lock

  private Harness(Builder builder) {
    this.bindAddress = builder.bindAddress;
    this.logCapacity = builder.logCapacity;
    this.log = new ArrayDeque<>(Math.min(logCapacity, 1024));
    Map<String, Endpoint> map = new LinkedHashMap<>();
    for (Misbehavior m : builder.misbehaviors) {
      map.put(m.name(), new Endpoint(this, m, bindAddress));
    }
    this.endpoints = Collections.unmodifiableMap(map);
  }

  /**
   * A builder with the loopback bind address, no misbehaviors and a log of 1,000 entries.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Opens every port. If one cannot be opened, closes those already open and throws.
   *
   * @return this harness
   * @throws UncheckedIOException if a port cannot be opened
   * @throws IllegalStateException if already started or closed
   */
  public Harness start() {
    lock.lock();
    try {
      if (started || closed) {
        throw new IllegalStateException(closed ? "harness is closed" : "harness already started");
      }
      started = true;
      try {
        for (Endpoint endpoint : endpoints.values()) {
          endpoint.start();
        }
      } catch (IOException e) {
        close();
        throw new UncheckedIOException("could not open the harness's ports", e);
      }
      return this;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The address every port is bound to.
   *
   * @return the bind address
   */
  public InetAddress bindAddress() {
    return bindAddress;
  }

  /**
   * The port of the named endpoint.
   *
   * @param name the misbehavior's name
   * @return the port
   * @throws IllegalArgumentException if no endpoint has that name
   * @throws IllegalStateException if the harness is not started
   */
  public int port(String name) {
    return endpoint(name).port();
  }

  /**
   * The named endpoint, to read its counters or switch its misbehavior.
   *
   * @param name the misbehavior's name
   * @return the endpoint
   * @throws IllegalArgumentException if no endpoint has that name
   * @throws IllegalStateException if the harness is not started
   */
  public Endpoint endpoint(String name) {
    Objects.requireNonNull(name, "name must not be null");
    lock.lock();
    try {
      if (!started) {
        throw new IllegalStateException("harness not started: call start() first");
      }
    } finally {
      lock.unlock();
    }
    Endpoint endpoint = endpoints.get(name);
    if (endpoint == null) {
      throw new IllegalArgumentException(
          "name must be one of " + endpoints.keySet() + ", was '" + name + "'");
    }
    return endpoint;
  }

  /**
   * Every endpoint, in the order the misbehaviors were added; each one's {@code toString()} is a
   * line of a table of ports.
   *
   * @return an unmodifiable list
   */
  public List<Endpoint> endpoints() {
    return List.copyOf(endpoints.values());
  }

  /**
   * The last entries of the request log, oldest first.
   *
   * @return a copy of at most the builder's {@code logCapacity} entries
   */
  public List<LogEntry> log() {
    logLock.lock();
    try {
      return new ArrayList<>(log);
    } finally {
      logLock.unlock();
    }
  }

  void record(String endpoint, String remote, String event) {
    LogEntry entry = new LogEntry(Instant.now(), endpoint, remote, event);
    logLock.lock();
    try {
      if (log.size() == logCapacity) {
        log.removeFirst();
      }
      log.addLast(entry);
    } finally {
      logLock.unlock();
    }
  }

  /** Closes every port and socket and stops every thread the harness started. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (Endpoint endpoint : endpoints.values()) {
        endpoint.close();
      }
    } finally {
      lock.unlock();
    }
  }

  /** A table of the ports and what each does, one line per endpoint. */
  @Override
  public String toString() {
    StringBuilder table = new StringBuilder();
    for (Endpoint endpoint : endpoints.values()) {
      table.append(endpoint).append('\n');
    }
    return table.toString();
  }

  /** Builds a {@link Harness}. Not thread-safe. */
  public static final class Builder {
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private final List<Misbehavior> misbehaviors = new ArrayList<>();
    private int logCapacity = 1000;

    private Builder() {}

    /**
     * The address to bind every port to; the loopback address by default. Choose another interface
     * only on a machine and network you control.
     *
     * @param bindAddress the address
     * @return this builder
     */
    public Builder bindAddress(InetAddress bindAddress) {
      this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress must not be null");
      return this;
    }

    /**
     * Adds misbehaviors, each on a port of its own.
     *
     * @param misbehaviors the misbehaviors; names must be unique (see {@link
     *     Misbehavior#named(String)})
     * @return this builder
     */
    public Builder add(Misbehavior... misbehaviors) {
      Objects.requireNonNull(misbehaviors, "misbehaviors must not be null");
      for (Misbehavior m : misbehaviors) {
        Objects.requireNonNull(m, "misbehaviors must not contain null");
        for (Misbehavior existing : this.misbehaviors) {
          if (existing.name().equals(m.name())) {
            throw new IllegalArgumentException(
                "misbehavior names must be unique, '"
                    + m.name()
                    + "' is taken: rename one with named(...)");
          }
        }
        this.misbehaviors.add(m);
      }
      return this;
    }

    /**
     * How many entries the request log keeps; 1,000 by default.
     *
     * @param logCapacity at least 1
     * @return this builder
     */
    public Builder logCapacity(int logCapacity) {
      if (logCapacity < 1) {
        throw new IllegalArgumentException("logCapacity must be >= 1, was " + logCapacity);
      }
      this.logCapacity = logCapacity;
      return this;
    }

    /**
     * Builds the harness; {@link Harness#start()} opens its ports.
     *
     * @return the harness, not started
     */
    public Harness build() {
      return new Harness(this);
    }
  }
}
