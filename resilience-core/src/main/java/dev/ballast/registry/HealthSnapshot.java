package dev.ballast.registry;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One answer to "is this instance accepting work?": every component's {@link ComponentHealth} and
 * their roll-up, taken at one moment, rendered as JSON ({@link #toJson()}) or as a table ({@link
 * #toTable()}).
 *
 * <pre>{@code
 * HealthSnapshot health = HealthSnapshot.of(List.of(breaker, bulkhead, shedder));
 * int code = health.ready() ? 200 : 503;   // the readiness probe
 * String body = health.toJson();
 * }</pre>
 *
 * <p><b>The roll-up.</b> The instance's {@link #status()} is the most severe of its components'
 * ({@link HealthStatus#OVERLOADED} over {@link HealthStatus#DEGRADED} over {@link HealthStatus#UP};
 * {@code UP} when there are none). It is {@link #ready()} unless a component is {@code OVERLOADED}:
 * this process's own overload is the one condition that less traffic cures, so it is the one that
 * takes the instance out of the load balancer. It is always {@link #live()}: nothing a Ballast
 * component sees is cured by a restart, and a dependency's open breaker above all must never fail a
 * liveness probe (every instance would see the same dependency down, and every one would be
 * restarted for it, healthy as it is).
 *
 * <p><b>Now, not recently.</b> Every status is read from the component's present: a breaker's
 * state, the permits in use and the tasks queued at this instant, a shedder's or a throttle's
 * decision over its own window, a queue's back pressure. Nothing is judged from counts since
 * creation, which never come back down. A probe asked every few seconds therefore sees an overload
 * for as long as it lasts; the probe's own failure threshold (three failures in a row, say) is what
 * keeps one busy instant from taking the instance out of rotation. docs/health.md gives the rules
 * per pattern.
 *
 * <p>Each component's figures are read from one {@code stats()} call; the components are read one
 * after the other, not at one atomic instant. The snapshot lists them sorted by pattern, then name
 * (then as given), so its JSON and table are stable from one probe to the next. Immutable and
 * thread-safe; taking one reads each component's {@code stats()} once and takes no lock of its own.
 */
public final class HealthSnapshot {
  private static final Comparator<ComponentHealth> ORDER =
      Comparator.comparing(ComponentHealth::pattern).thenComparing(ComponentHealth::name);

  private final Instant takenAt;
  private final List<ComponentHealth> components;
  private final HealthStatus status;

  private HealthSnapshot(Instant takenAt, List<ComponentHealth> components) {
    this.takenAt = takenAt;
    this.components = List.copyOf(components);
    HealthStatus worst = HealthStatus.UP;
    for (ComponentHealth c : components) {
      if (c.status().compareTo(worst) > 0) {
        worst = c.status();
      }
    }
    this.status = worst;
  }

  /**
   * Takes a snapshot of the given components now, by the system's UTC clock.
   *
   * @param components any mix of Ballast components: {@code CircuitBreaker}, {@code Bulkhead},
   *     {@code ThreadPoolBulkhead}, {@code Timeout}, {@code Retry}, {@code Fallback}, {@code
   *     RateLimiter}, {@code LoadShedder}, {@code AdaptiveThrottle}, {@code BoundedQueue}, {@code
   *     Governor}
   * @return the snapshot
   * @throws NullPointerException when {@code components} or one of them is null
   * @throws IllegalArgumentException when one of them is no Ballast component (the message names
   *     its position and class)
   */
  public static HealthSnapshot of(Iterable<?> components) {
    return of(components, Clock.systemUTC());
  }

  /**
   * Takes a snapshot of the given components, stamped with {@code clock}'s instant.
   *
   * @param components any mix of Ballast components, as for {@link #of(Iterable)}
   * @param clock where the snapshot's {@link #takenAt()} comes from
   * @return the snapshot
   * @throws NullPointerException when {@code components}, one of them, or {@code clock} is null
   * @throws IllegalArgumentException when one of them is no Ballast component
   */
  public static HealthSnapshot of(Iterable<?> components, Clock clock) {
    Objects.requireNonNull(components, "components must not be null");
    Objects.requireNonNull(clock, "clock must not be null");
    List<ComponentHealth> judged = new ArrayList<>();
    int index = 0;
    for (Object component : components) {
      if (component == null) {
        throw new NullPointerException("components[" + index + "] must not be null");
      }
      judged.add(Inspector.inspect(component, index));
      index++;
    }
    judged.sort(ORDER);
    return new HealthSnapshot(clock.instant(), judged);
  }

  /**
   * When the snapshot was taken.
   *
   * @return the clock's instant when the components had been read
   */
  public Instant takenAt() {
    return takenAt;
  }

  /**
   * Every component's health, sorted by pattern, then name.
   *
   * @return an unmodifiable list
   */
  public List<ComponentHealth> components() {
    return components;
  }

  /**
   * The instance's status: the most severe of its components'.
   *
   * @return {@link HealthStatus#UP} when there are no components
   */
  public HealthStatus status() {
    return status;
  }

  /**
   * Whether the instance should take traffic: no component of this process is overloaded. A
   * degraded component (a dependency's open breaker, a paused governor) leaves it ready: taking the
   * instance out of rotation would not bring the dependency back.
   *
   * @return {@code false} exactly when a component is {@link HealthStatus#OVERLOADED}
   */
  public boolean ready() {
    return status != HealthStatus.OVERLOADED;
  }

  /**
   * Whether the instance should be left running: always {@code true}. A liveness probe that fails
   * gets the process restarted, which cures a deadlock or a corrupted process but nothing a Ballast
   * component reports: an overloaded instance restarted comes back to the same load, cold, and a
   * dependency's trouble is still there after the restart, on every instance at once. That this
   * snapshot could be taken and served is the liveness Ballast can vouch for.
   *
   * @return {@code true}
   */
  public boolean live() {
    return true;
  }

  /**
   * The snapshot as a JSON object: {@code status}, {@code live}, {@code ready}, {@code takenAt}
   * (ISO-8601) and {@code components}, each with {@code pattern}, {@code name}, {@code status},
   * {@code state} and {@code figures}, in that order, indented by two spaces. Strings are escaped
   * per RFC 8259 (and U+2028, U+2029 and lone surrogates as {@code \}{@code uXXXX}); a figure that
   * is not a finite number is {@code null}.
   *
   * @return the JSON text, ending with a line break
   */
  public String toJson() {
    return Json.write(this);
  }

  /**
   * The snapshot as a fixed-width table for people: a line with the roll-up, then one row per
   * component (status, pattern, name, state, figures). Control characters in a name are shown
   * escaped, and a name longer than 32 characters is cut short with {@code ~}, so every component
   * is one row and the columns line up.
   *
   * @return the table, each line ending with a line break
   */
  public String toTable() {
    return Table.write(this);
  }

  @Override
  public String toString() {
    return "HealthSnapshot{status="
        + status
        + ", live="
        + live()
        + ", ready="
        + ready()
        + ", takenAt="
        + takenAt
        + ", components="
        + components.size()
        + '}';
  }
}
