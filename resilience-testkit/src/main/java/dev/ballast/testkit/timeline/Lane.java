package dev.ballast.testkit.timeline;

import dev.ballast.testkit.timeline.TimelineEvent.Kind;
import java.time.Duration;
import java.util.Objects;

/**
 * One lane of a {@link Timeline}: a horizontal strip of the picture that shows one component (or
 * one part of a scenario) over time. A lane made by {@link Timeline#attach(Object)} is fed by the
 * component's listener; any lane can also be fed by hand, so a scenario can mark its phases as
 * states ({@code "healthy"}, {@code "broken"}) or record the outcome its caller saw.
 *
 * <p>Every method records one event at the timeline ticker's current reading. Thread-safe: any
 * thread may record on any lane.
 */
public final class Lane {
  private final Timeline timeline;
  private final String name;

  Lane(Timeline timeline, String name) {
    this.timeline = timeline;
    this.name = name;
  }

  /**
   * The lane's name, as the picture shows it.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Records that the lane entered a state; its band runs until the next state.
   *
   * @param state the state's name, such as {@code "OPEN"}
   * @throws NullPointerException when {@code state} is null
   * @throws IllegalArgumentException when {@code state} is blank
   */
  public void state(String state) {
    record(Kind.STATE, -1, 0, label("state", state));
  }

  /**
   * Records a successful call.
   *
   * @param latency how long the call took
   * @throws NullPointerException when {@code latency} is null
   * @throws IllegalArgumentException when {@code latency} is negative
   */
  public void success(Duration latency) {
    record(Kind.SUCCESS, nanos("latency", latency), 0, "");
  }

  /**
   * Records a failed call.
   *
   * @param latency how long the call took
   * @throws NullPointerException when {@code latency} is null
   * @throws IllegalArgumentException when {@code latency} is negative
   */
  public void failure(Duration latency) {
    record(Kind.FAILURE, nanos("latency", latency), 0, "");
  }

  /**
   * Records a call that a timeout cut short.
   *
   * @param after how long the call had run when it was cut
   * @throws NullPointerException when {@code after} is null
   * @throws IllegalArgumentException when {@code after} is negative
   */
  public void timeout(Duration after) {
    record(Kind.TIMEOUT, nanos("after", after), 0, "");
  }

  /**
   * Records a call refused without running.
   *
   * @param why a short reason, such as {@code "breaker open"}
   * @throws NullPointerException when {@code why} is null
   * @throws IllegalArgumentException when {@code why} is blank
   */
  public void rejection(String why) {
    record(Kind.REJECTION, -1, 0, label("why", why));
  }

  /**
   * Records a retry scheduled after a back-off.
   *
   * @param attempt the number of the attempt that will run, 2 for the first retry
   * @param delay the back-off before it
   * @throws NullPointerException when {@code delay} is null
   * @throws IllegalArgumentException when {@code attempt} is below 2 or {@code delay} is negative
   */
  public void retry(int attempt, Duration delay) {
    if (attempt < 2) {
      throw new IllegalArgumentException("attempt must be at least 2, was " + attempt);
    }
    record(Kind.RETRY, nanos("delay", delay), attempt, "");
  }

  /**
   * Records that a limit (permits, capacity, rate) became {@code limit}.
   *
   * @param limit the new limit, zero or more
   * @throws IllegalArgumentException when {@code limit} is negative
   */
  public void limit(long limit) {
    record(Kind.LIMIT, -1, notNegative("limit", limit), "");
  }

  /**
   * Records a sampled level (calls in flight, queue size); drawn as a step line beside the limit.
   *
   * @param level the level, zero or more
   * @throws IllegalArgumentException when {@code level} is negative
   */
  public void level(long level) {
    record(Kind.LEVEL, -1, notNegative("level", level), "");
  }

  /**
   * Records a labelled moment, drawn as a thin vertical line with its text.
   *
   * @param text what happened, such as {@code "fallback served"}
   * @throws NullPointerException when {@code text} is null
   * @throws IllegalArgumentException when {@code text} is blank
   */
  public void mark(String text) {
    record(Kind.MARK, -1, 0, label("text", text));
  }

  void record(Kind kind, long durationNanos, long value, String label) {
    timeline.record(name, kind, durationNanos, value, label);
  }

  static String label(String parameter, String value) {
    Objects.requireNonNull(value, () -> parameter + " must not be null");
    if (value.isBlank()) {
      throw new IllegalArgumentException(parameter + " must not be blank, was '" + value + "'");
    }
    return value;
  }

  private static long nanos(String parameter, Duration duration) {
    Objects.requireNonNull(duration, () -> parameter + " must not be null");
    if (duration.isNegative()) {
      throw new IllegalArgumentException(parameter + " must not be negative, was " + duration);
    }
    return duration.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0
        ? Long.MAX_VALUE
        : duration.toNanos();
  }

  private static long notNegative(String parameter, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(parameter + " must not be negative, was " + value);
    }
    return value;
  }

  @Override
  public String toString() {
    return "Lane[" + name + "]";
  }
}
