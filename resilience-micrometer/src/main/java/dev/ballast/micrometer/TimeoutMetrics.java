package dev.ballast.micrometer;

import static dev.ballast.micrometer.Preconditions.notNull;

import dev.ballast.RejectedException;
import dev.ballast.Subscription;
import dev.ballast.micrometer.TimeoutBallastMeters.Outcome;
import dev.ballast.timeout.Timeout;
import dev.ballast.timeout.TimeoutListener;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Publishes a {@link Timeout}'s calls, abandoned work and duration as Micrometer meters, under
 * Ballast's names ({@code ballast.timeout.*}, the default) or under Resilience4j's time-limiter
 * names ({@code resilience4j.timelimiter.calls}, see {@link Builder#resilience4jNames()}). Every
 * meter, with its type, unit and tags, is listed in {@code docs/metrics.md}.
 *
 * <pre>{@code
 * TimeoutMetrics metrics = TimeoutMetrics.of(timeout);
 * metrics.bindTo(registry);
 * ...
 * metrics.close(); // removes the meters and stops listening
 * }</pre>
 *
 * <p>Under Ballast's names, {@code ballast.timeout.calls} is a timer by {@code outcome} ({@code
 * success}, {@code failure}, {@code rejected}, {@code timed_out}), fed by one {@link
 * TimeoutListener} added on the first {@link #bindTo} and removed by {@link #close()}, so it counts
 * the calls that end from then on; a timed-out call is recorded with how long its caller waited.
 * {@code ballast.timeout.abandoned.running} (calls abandoned at their deadline whose work still
 * runs, always 0 in {@link Timeout.Mode#INTERRUPT} mode) and {@code ballast.timeout.duration} (the
 * current default duration, which {@link Timeout#changeDuration} moves) are gauges that read the
 * timeout when the registry is scraped and hold it weakly. Under Resilience4j's names the binder
 * adds no listener: its counters read {@link Timeout#stats()} and count since the timeout was
 * created.
 *
 * <p>One binder may be bound to several registries; binding it twice to the same registry does
 * nothing the second time. Bind one binder per timeout, registry and naming style; a binder of each
 * style may share a registry, since their meters have different names.
 *
 * <p>Extra tags may not use the keys the binder sets itself: {@code name}, {@code outcome}, {@code
 * kind}.
 *
 * <p>Thread-safe. {@link #bindTo} and {@link #close()} may be called from any thread (they take a
 * lock; they are not meant for hot paths). Meters are updated without locking; a meter that throws
 * does not stop the others from being updated, and its exception reaches the timeout, which logs it
 * and leaves the caller's outcome untouched.
 */
public final class TimeoutMetrics extends Binder {
  private static final List<String> RESERVED_KEYS = List.of("name", "outcome", "kind");

  private final Timeout timeout;
  private final boolean resilience4jNames;
  private final Tags tags;

  private TimeoutMetrics(Builder builder) {
    this.timeout = builder.timeout;
    this.resilience4jNames = builder.resilience4jNames;
    this.tags = builder.tagsWithName(builder.timeout.name());
  }

  /**
   * A binder for the timeout under Ballast's meter names, with no tags besides {@code name}.
   *
   * @param timeout the timeout to publish
   * @return a new, unbound binder
   */
  public static TimeoutMetrics of(Timeout timeout) {
    return builder(timeout).build();
  }

  /**
   * Starts a binder with extra tags or Resilience4j's meter names.
   *
   * @param timeout the timeout to publish
   * @return a new builder
   */
  public static Builder builder(Timeout timeout) {
    return new Builder(notNull("timeout", timeout));
  }

  @Override
  MeterSet newSet(MeterList meters) {
    return resilience4jNames
        ? new TimeoutResilience4jMeters(timeout, meters, tags)
        : new TimeoutBallastMeters(timeout, meters, tags);
  }

  @Override
  @Nullable Subscription subscribe() {
    // Resilience4j's names are all read from the stats.
    return resilience4jNames ? null : timeout.addListener(new Feed(this));
  }

  @Override
  public String toString() {
    return "TimeoutMetrics["
        + timeout.name()
        + (resilience4jNames ? ", resilience4jNames" : "")
        + "]";
  }

  /** Feeds every bound set; one instance per binder, added to the timeout on the first bind. */
  private static final class Feed implements TimeoutListener {
    private final TimeoutMetrics binder;

    Feed(TimeoutMetrics binder) {
      this.binder = binder;
    }

    @Override
    public void onSuccess(long durationNanos) {
      binder.deliver(TimeoutBallastMeters::onCall, Outcome.SUCCESS, durationNanos);
    }

    @Override
    public void onFailure(long durationNanos, Throwable error) {
      binder.deliver(TimeoutBallastMeters::onCall, Outcome.FAILURE, durationNanos);
    }

    @Override
    public void onRejected(long durationNanos, RejectedException rejection) {
      binder.deliver(TimeoutBallastMeters::onCall, Outcome.REJECTED, durationNanos);
    }

    @Override
    public void onTimeout(long durationNanos) {
      binder.deliver(TimeoutBallastMeters::onCall, Outcome.TIMED_OUT, durationNanos);
    }
  }

  /**
   * Settings of a {@link TimeoutMetrics}: extra tags and the naming style. The keys the binder sets
   * itself ({@code name}, {@code outcome}, {@code kind}) are refused as extra tags. Not
   * thread-safe; confine a builder to one thread.
   */
  public static final class Builder extends StyledBuilder<Builder> {
    private final Timeout timeout;

    private Builder(Timeout timeout) {
      super("TimeoutMetrics", RESERVED_KEYS);
      this.timeout = timeout;
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Builds the binder; it registers nothing until {@link TimeoutMetrics#bindTo}.
     *
     * @return a new, unbound binder
     */
    @Override
    public TimeoutMetrics build() {
      return new TimeoutMetrics(this);
    }
  }
}
