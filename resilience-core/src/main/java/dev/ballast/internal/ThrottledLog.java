package dev.ballast.internal;

import dev.ballast.Ticker;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * One WARN line of one component that must not flood the log: the first occurrence is logged, then
 * at most one line per interval, carrying how many were suppressed since the last one. Also the one
 * rule for user callbacks (listeners, predicates, classifiers, delay functions) that throw: see
 * {@link #callbackThrew}. Not API.
 *
 * <p>Thread-safe and lock-free; costs nothing until something is logged.
 */
public final class ThrottledLog {

  /*
   * Implementation notes.
   *
   * `next` is the ticker reading from which the next line may be written (Long.MIN_VALUE before
   * the first). A thread that finds the time reached CASes `next` to now + interval; the winner
   * logs, taking the suppressed count with getAndSet(0); every loser (and every thread that finds
   * the time not reached) adds one to `suppressed`. A count added just after the winner's
   * getAndSet appears in the next line instead: each suppressed occurrence is reported once.
   */

  /** The default interval between two lines of one kind: 60 s. */
  public static final long DEFAULT_INTERVAL_NANOS = 60_000_000_000L;

  private final Logger log;
  private final String component;
  private final Ticker ticker;
  private final long intervalNanos;
  private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  /**
   * Creates a throttled line with the default interval.
   *
   * @param log the component's logger
   * @param component the component's name, written as {@code name=<component>} in every line
   * @param ticker the component's time source
   */
  public ThrottledLog(Logger log, String component, Ticker ticker) {
    this(log, component, ticker, DEFAULT_INTERVAL_NANOS);
  }

  /**
   * Creates a throttled line.
   *
   * @param log the component's logger
   * @param component the component's name
   * @param ticker the component's time source
   * @param intervalNanos the least time between two lines, {@code > 0}
   */
  public ThrottledLog(Logger log, String component, Ticker ticker, long intervalNanos) {
    this.log = Preconditions.notNull("log", log);
    this.component = Preconditions.notNull("component", component);
    this.ticker = Preconditions.notNull("ticker", ticker);
    if (intervalNanos <= 0) {
      throw new IllegalArgumentException("intervalNanos must be > 0, was " + intervalNanos);
    }
    this.intervalNanos = intervalNanos;
  }

  /**
   * The one rule for a user callback that threw: a {@link VirtualMachineError} (out of memory,
   * stack overflow) is rethrown, because the JVM is in trouble and hiding it would be worse;
   * anything else is logged here, rate-limited, and the caller carries on with its default.
   *
   * @param e what the callback threw
   * @param what what threw and what happens instead, such as {@code "listener threw; ignored"}
   */
  public void callbackThrew(Throwable e, String what) {
    VirtualMachineError fatal = callbackThrewDeferred(e, what);
    if (fatal != null) {
      throw fatal;
    }
  }

  /**
   * The same rule for a caller that must finish its own work first (record an outcome, tell the
   * other listeners, complete a stage) before a {@link VirtualMachineError} propagates: anything
   * else is logged here, and the {@link VirtualMachineError} is returned instead of thrown.
   *
   * @param e what the callback threw
   * @param what what threw and what happens instead
   * @return {@code e} when it is a {@link VirtualMachineError}, for the caller to throw or deliver
   *     later; else {@code null}
   */
  public @Nullable VirtualMachineError callbackThrewDeferred(Throwable e, String what) {
    if (e instanceof VirtualMachineError vme) {
      return vme;
    }
    warn(what, e);
    return null;
  }

  /**
   * Logs {@code message} at WARN unless a line of this kind was logged less than an interval ago.
   *
   * @param message the line, after {@code name=<component> }
   * @param error the exception to log with it, or {@code null}
   */
  public void warn(String message, @Nullable Throwable error) {
    if (!log.isWarnEnabled()) {
      return;
    }
    long now = ticker.read();
    long due = next.get();
    if ((due != Long.MIN_VALUE && now - due < 0) || !next.compareAndSet(due, now + intervalNanos)) {
      suppressed.incrementAndGet();
      return;
    }
    long skipped = suppressed.getAndSet(0);
    String line =
        skipped == 0
            ? "name=" + component + " " + message
            : "name="
                + component
                + " "
                + message
                + " ("
                + skipped
                + " more like this suppressed since the last such line)";
    if (error == null) {
      log.warn(line);
    } else {
      log.warn(line, error);
    }
  }

  /**
   * How many occurrences are waiting to be reported in the next line; for tests.
   *
   * @return the suppressed count
   */
  public long suppressed() {
    return suppressed.get();
  }
}
