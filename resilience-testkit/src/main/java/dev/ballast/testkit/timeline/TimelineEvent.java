package dev.ballast.testkit.timeline;

import java.util.Locale;

/**
 * One thing a {@link Timeline} recorded: when it happened (nanoseconds after the timeline started),
 * on which lane, what kind of thing it was, and its figures.
 *
 * <p>Immutable and thread-safe.
 */
public final class TimelineEvent {
  /** What an event records; the SVG draws each kind its own way. */
  public enum Kind {
    /** The lane entered a state (its {@link #label()}); a band runs until the next state. */
    STATE,
    /** A call succeeded; its latency is {@link #durationNanos()}. */
    SUCCESS,
    /** A call failed; its latency is {@link #durationNanos()}. */
    FAILURE,
    /** A call was refused without running; {@link #label()} says why. */
    REJECTION,
    /** A call was cut short by a timeout after {@link #durationNanos()}. */
    TIMEOUT,
    /** A retry was scheduled: attempt {@link #value()} runs after {@link #durationNanos()}. */
    RETRY,
    /** A limit (permits, capacity, rate) became {@link #value()}. */
    LIMIT,
    /** A sampled level (calls in flight, queue size) was {@link #value()}. */
    LEVEL,
    /** A labelled moment, such as a phase of the scenario or a fallback served. */
    MARK
  }

  private final long sequence;
  private final String lane;
  private final Kind kind;
  private final long atNanos;
  private final long durationNanos;
  private final long value;
  private final String label;

  TimelineEvent(
      long sequence,
      String lane,
      Kind kind,
      long atNanos,
      long durationNanos,
      long value,
      String label) {
    this.sequence = sequence;
    this.lane = lane;
    this.kind = kind;
    this.atNanos = atNanos;
    this.durationNanos = durationNanos;
    this.value = value;
    this.label = label;
  }

  /**
   * The order in which the timeline accepted this event; events at the same time keep it.
   *
   * @return 0 for the first event, then 1, 2...
   */
  public long sequence() {
    return sequence;
  }

  /**
   * The lane's name.
   *
   * @return the name of the lane the event belongs to
   */
  public String lane() {
    return lane;
  }

  /**
   * What the event records.
   *
   * @return its kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * When it happened.
   *
   * @return nanoseconds after the timeline's start, by the timeline's ticker
   */
  public long atNanos() {
    return atNanos;
  }

  /**
   * The latency of a call ({@code SUCCESS}, {@code FAILURE}, {@code TIMEOUT}) or the delay before a
   * retry ({@code RETRY}).
   *
   * @return nanoseconds, or -1 when the event has no duration
   */
  public long durationNanos() {
    return durationNanos;
  }

  /**
   * The figure of a {@code LIMIT} or {@code LEVEL} event, or the attempt number of a {@code RETRY}.
   *
   * @return the figure, 0 when the event has none
   */
  public long value() {
    return value;
  }

  /**
   * The state's name ({@code STATE}), why a call was refused ({@code REJECTION}) or the text of a
   * {@code MARK}; empty for the other kinds unless the recorder gave one.
   *
   * @return the label, never null
   */
  public String label() {
    return label;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%d ns %s %s%s%s%s",
        atNanos,
        lane,
        kind,
        durationNanos >= 0 ? " duration=" + durationNanos + "ns" : "",
        value != 0 ? " value=" + value : "",
        label.isEmpty() ? "" : " '" + label + "'");
  }
}
