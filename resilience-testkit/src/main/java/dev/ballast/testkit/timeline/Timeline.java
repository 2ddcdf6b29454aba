package dev.ballast.testkit.timeline;

import dev.ballast.Subscription;
import dev.ballast.Ticker;
import dev.ballast.testkit.timeline.TimelineEvent.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A recorder of what components do over time, drawn as a self-contained SVG picture: one lane per
 * component with its states as coloured bands, a tick per call outcome, the calls' latency as a
 * line, marks where calls were refused, retries with their back-off, limits and levels, over a time
 * axis.
 *
 * <p>Attach it to components (any Ballast pattern: circuit breaker, bulkhead, thread-pool bulkhead,
 * timeout, retry, fallback, load shedder, adaptive throttle, bounded queue, governor, rate limiter)
 * and it listens through each one's public {@code addListener}; or feed a {@link #lane(String)
 * lane} by hand. Run the scenario in virtual time (a {@code ManualTicker}, and the picture is the
 * same on every run) or in real time ({@link Ticker#system()}), then {@link #toSvg(String) render}
 * it:
 *
 * <pre>{@code
 * ManualTicker ticker = new ManualTicker();
 * try (Timeline timeline = Timeline.start(ticker)) {
 *   timeline.attach(breaker);                 // a breaker built on the same ticker
 *   ... run the scenario, advancing the ticker ...
 *   timeline.writeSvg(Path.of("target/breaker.svg"), "inventory's breaker");
 * }
 * }</pre>
 *
 * <p>{@link #attachAll(Iterable)} takes any collection of components, such as every component of a
 * registry. The picture holds no date, random id or host name: the same events give the same bytes.
 *
 * <p>Bounded: it keeps at most {@code maxEvents} events ({@link #DEFAULT_MAX_EVENTS} unless told)
 * and counts the ones it {@linkplain #dropped() dropped} after that; at most {@link #MAX_LANES}
 * lanes. {@link #close()} removes every listener it added; what it recorded can still be read and
 * drawn.
 *
 * <p>Thread-safe: events come from any thread (listeners run on the threads that make the calls);
 * one lock orders them, each stamped with the ticker's reading under that lock.
 */
public final class Timeline implements AutoCloseable {
  /** How many events a timeline keeps unless told otherwise. */
  public static final int DEFAULT_MAX_EVENTS = 100_000;

  /** The most lanes one picture draws. */
  public static final int MAX_LANES = 32;

  private final Ticker ticker;
  private final long origin;
  private final int maxEvents;
  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock.
  private final List<TimelineEvent> events = new ArrayList<>();
  private final Map<String, Lane> lanes = new LinkedHashMap<>();
  private final List<Subscription> subscriptions = new ArrayList<>();
  private final List<Runnable> samplers = new ArrayList<>();
  private long dropped;
  private boolean closed;

  private Timeline(Ticker ticker, int maxEvents) {
    this.ticker = ticker;
    this.maxEvents = maxEvents;
    this.origin = ticker.read();
  }

  /**
   * Starts a timeline that keeps up to {@link #DEFAULT_MAX_EVENTS} events; time zero is now.
   *
   * @param ticker the time source: the components' own ticker in virtual time, or {@link
   *     Ticker#system()}
   * @return a new timeline with no lanes
   * @throws NullPointerException when {@code ticker} is null
   */
  public static Timeline start(Ticker ticker) {
    return start(ticker, DEFAULT_MAX_EVENTS);
  }

  /**
   * Starts a timeline that keeps up to {@code maxEvents} events; time zero is now.
   *
   * @param ticker the time source
   * @param maxEvents how many events to keep; later ones are counted in {@link #dropped()}
   * @return a new timeline with no lanes
   * @throws NullPointerException when {@code ticker} is null
   * @throws IllegalArgumentException when {@code maxEvents} is not positive
   */
  public static Timeline start(Ticker ticker, int maxEvents) {
    Objects.requireNonNull(ticker, "ticker must not be null");
    if (maxEvents <= 0) {
      throw new IllegalArgumentException("maxEvents must be positive, was " + maxEvents);
    }
    return new Timeline(ticker, maxEvents);
  }

  /**
   * Listens to a component and gives it a lane named after it, such as {@code "inventory (circuit
   * breaker)"}. Its current state, limit and level (where it has them) are recorded at once.
   *
   * @param component a Ballast pattern instance
   * @return its lane, where a scenario may add marks of its own
   * @throws NullPointerException when {@code component} is null
   * @throws IllegalArgumentException when {@code component} is not a Ballast pattern (the message
   *     names its class and the types accepted), or a lane of the same name exists already (the
   *     component is attached twice), or the timeline has {@link #MAX_LANES} lanes
   * @throws IllegalStateException when the timeline is closed
   */
  public Lane attach(Object component) {
    Objects.requireNonNull(component, "component must not be null");
    Attachments.Attachment attachment = Attachments.of(component);
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("timeline is closed; cannot attach " + attachment.lane);
      }
      if (lanes.containsKey(attachment.lane)) {
        throw new IllegalArgumentException(
            "component is attached already: a lane named '" + attachment.lane + "' exists");
      }
      Lane lane = newLane(attachment.lane);
      // Under the lock, so the initial state is recorded before any event from the listener.
      attachment.recordInitial(lane);
      subscriptions.add(attachment.listen(lane));
      samplers.add(() -> attachment.sample(lane));
      return lane;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Attaches every component of a collection, in its order: the seam for a registry's list of
   * components ({@code timeline.attachAll(registry.components())}).
   *
   * @param components Ballast pattern instances
   * @return their lanes, in the same order
   * @throws NullPointerException when {@code components} or one of its elements is null
   * @throws IllegalArgumentException as {@link #attach(Object)} does; the components before the bad
   *     one stay attached
   * @throws IllegalStateException when the timeline is closed
   */
  public List<Lane> attachAll(Iterable<?> components) {
    Objects.requireNonNull(components, "components must not be null");
    List<Lane> attached = new ArrayList<>();
    for (Object component : components) {
      attached.add(attach(component));
    }
    return attached;
  }

  /**
   * The lane of that name, made empty the first time it is asked for: a lane for the scenario's
   * phases, or for outcomes the caller saw.
   *
   * @param name the lane's name
   * @return the lane
   * @throws NullPointerException when {@code name} is null
   * @throws IllegalArgumentException when {@code name} is blank, or a new lane would exceed {@link
   *     #MAX_LANES}
   */
  public Lane lane(String name) {
    Lane.label("name", name);
    lock.lock();
    try {
      Lane existing = lanes.get(name);
      return existing != null ? existing : newLane(name);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Records the level of every attached component that has one, and its limit when that changed
   * without an event: calls in flight for a bulkhead, threads busy and tasks queued for a
   * thread-pool bulkhead, the size of a bounded queue, the permits left of a rate limiter. Call it
   * as the scenario goes (after each step in virtual time, from a loop in real time).
   */
  public void sample() {
    List<Runnable> now;
    lock.lock();
    try {
      now = List.copyOf(samplers);
    } finally {
      lock.unlock();
    }
    now.forEach(Runnable::run);
  }

  /**
   * The recorded events, in time order (events at the same time in the order they came).
   *
   * @return an immutable snapshot
   */
  public List<TimelineEvent> events() {
    List<TimelineEvent> copy;
    lock.lock();
    try {
      copy = new ArrayList<>(events);
    } finally {
      lock.unlock();
    }
    copy.sort(
        Comparator.comparingLong(TimelineEvent::atNanos)
            .thenComparingLong(TimelineEvent::sequence));
    return List.copyOf(copy);
  }

  /**
   * The names of the lanes, in the order they were made (the order the picture draws them).
   *
   * @return an immutable snapshot
   */
  public List<String> lanes() {
    lock.lock();
    try {
      return List.copyOf(lanes.keySet());
    } finally {
      lock.unlock();
    }
  }

  /**
   * How many events came after the timeline was full and were not kept.
   *
   * @return the count, 0 when every event was kept
   */
  public long dropped() {
    lock.lock();
    try {
      return dropped;
    } finally {
      lock.unlock();
    }
  }

  /**
   * How long the timeline has run, by its ticker: the right end of the picture's time axis.
   *
   * @return nanoseconds since the timeline started
   */
  public long elapsedNanos() {
    return ticker.read() - origin;
  }

  /**
   * Draws the timeline as a self-contained SVG document, from time zero to now.
   *
   * @param title the heading of the picture, may be empty
   * @return the SVG document
   * @throws NullPointerException when {@code title} is null
   */
  public String toSvg(String title) {
    Objects.requireNonNull(title, "title must not be null");
    List<TimelineEvent> snapshot = events();
    long end = elapsedNanos();
    long droppedNow = dropped();
    return new SvgRenderer(title, lanes(), snapshot, end, droppedNow, maxEvents).render();
  }

  /**
   * Draws the timeline and writes it to a file (UTF-8), making its parent directories.
   *
   * @param file where to write
   * @param title the heading of the picture, may be empty
   * @return {@code file}
   * @throws NullPointerException when {@code file} or {@code title} is null
   * @throws IOException when the file cannot be written
   */
  public Path writeSvg(Path file, String title) throws IOException {
    Objects.requireNonNull(file, "file must not be null");
    String svg = toSvg(title);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, svg, StandardCharsets.UTF_8);
    return file;
  }

  /** Removes every listener this timeline added; closing twice does nothing. */
  @Override
  public void close() {
    List<Subscription> toClose;
    lock.lock();
    try {
      closed = true;
      toClose = List.copyOf(subscriptions);
      subscriptions.clear();
      samplers.clear();
    } finally {
      lock.unlock();
    }
    toClose.forEach(Subscription::close);
  }

  void record(String lane, Kind kind, long durationNanos, long value, String label) {
    lock.lock();
    try {
      if (events.size() >= maxEvents) {
        dropped++;
        return;
      }
      long at = ticker.read() - origin;
      events.add(new TimelineEvent(events.size(), lane, kind, at, durationNanos, value, label));
    } finally {
      lock.unlock();
    }
  }

  private Lane newLane(String name) {
    if (lanes.size() >= MAX_LANES) {
      throw new IllegalArgumentException(
          "timeline has "
              + MAX_LANES
              + " lanes already, the most it draws; cannot add '"
              + name
              + "'");
    }
    Lane lane = new Lane(this, name);
    lanes.put(name, lane);
    return lane;
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "Timeline[lanes="
          + lanes.size()
          + ", events="
          + events.size()
          + ", dropped="
          + dropped
          + "]";
    } finally {
      lock.unlock();
    }
  }
}
