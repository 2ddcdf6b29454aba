package dev.ballast.testkit.harness;

import java.time.Instant;

/**
 * One line of a {@link Harness}'s request log: when, which endpoint, which client, and what
 * happened (a connection, an HTTP request line, whether the misbehavior or the healthy answer was
 * served).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class LogEntry {
  private final Instant time;
  private final String endpoint;
  private final String remote;
  private final String event;

  LogEntry(Instant time, String endpoint, String remote, String event) {
    this.time = time;
    this.endpoint = endpoint;
    this.remote = remote;
    this.event = event;
  }

  /**
   * When it happened, on the system clock.
   *
   * @return the time
   */
  public Instant time() {
    return time;
  }

  /**
   * The endpoint's name.
   *
   * @return the name
   */
  public String endpoint() {
    return endpoint;
  }

  /**
   * The client's address and port.
   *
   * @return for example {@code "/127.0.0.1:53122"}
   */
  public String remote() {
    return remote;
  }

  /**
   * What happened.
   *
   * @return for example {@code "connect"}, {@code "GET /orders"}, {@code "fault"} or {@code
   *     "healthy"}
   */
  public String event() {
    return event;
  }

  @Override
  public String toString() {
    return time + " " + endpoint + " " + remote + " " + event;
  }
}
