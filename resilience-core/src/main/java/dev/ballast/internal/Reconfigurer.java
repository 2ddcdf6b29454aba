package dev.ballast.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * What every pattern's {@code reconfigure(config)} shares: reconfigurations of one component run
 * one at a time, settings that cannot change at run time are refused before anything changes, and
 * one INFO line names the changed settings only, old and new ({@code name=inventory reconfigured
 * failureRateThreshold=0.5->0.3 waitInOpen=PT30S->PT10S}). Not API.
 *
 * <p>Thread-safe. The lock it holds serializes reconfigurations among themselves only: a pattern's
 * calls never take it.
 */
public final class Reconfigurer {

  /*
   * Implementation notes.
   *
   * The settings compared are the config class's public, non-static, zero-argument accessors
   * (equals, hashCode, toString and toBuilder aside), in name order, compared with
   * Objects.equals. So a setting added to a config is logged without touching this class or the
   * pattern. Settings without a public accessor (a config's package-private scheduler) are
   * checked by the pattern with fixed(...) inside its change, before it changes anything.
   */

  private static final Set<String> NOT_SETTINGS =
      Set.of("equals", "hashCode", "toString", "toBuilder", "getClass");

  private final String what;
  private final String name;
  private final Logger log;
  private final Set<String> fixed;
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * @param kind the pattern as messages name it, such as {@code circuit breaker}
   * @param name the component's name
   * @param log the pattern's logger
   * @param fixed the public settings that cannot change at run time, such as {@code ticker}
   */
  public Reconfigurer(String kind, String name, Logger log, String... fixed) {
    this.what = kind + " '" + name + "'";
    this.name = name;
    this.log = log;
    this.fixed = Set.of(fixed);
  }

  /**
   * Applies {@code next}: under this component's reconfiguration lock, compares it with {@code
   * current}, refuses a change to a fixed setting (nothing changes), runs {@code change}, then logs
   * the changed settings at INFO, once. When {@code change} throws, nothing is logged.
   *
   * @param current the config in force, read under the lock
   * @param next the new config
   * @param change applies {@code next}; checks what only the pattern knows before changing anything
   * @param <C> the config type
   * @return the changes applied, empty when {@code next} equals the current config setting by
   *     setting
   * @throws IllegalArgumentException when a fixed setting differs, naming it and both values
   */
  public <C> List<Change> apply(Supplier<C> current, C next, Consumer<? super C> change) {
    Preconditions.notNull("config", next);
    lock.lock();
    try {
      C old = current.get();
      List<Change> changes = diff(old, next);
      for (Change c : changes) {
        if (fixed.contains(c.setting())) {
          throw refusal(c.setting(), c.was(), c.now());
        }
      }
      change.accept(next);
      if (!changes.isEmpty() && log.isInfoEnabled()) {
        log.info(line(name, changes));
      }
      return changes;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Refuses a setting without a public accessor that cannot change at run time; call it inside
   * {@link #apply}'s change, before changing anything.
   *
   * @param setting the setting's name, as its builder method
   * @param was its value in force
   * @param given its value in the new config
   * @throws IllegalArgumentException when the two differ
   */
  public void fixed(String setting, @Nullable Object was, @Nullable Object given) {
    if (!Objects.equals(was, given)) {
      throw refusal(setting, was, given);
    }
  }

  private IllegalArgumentException refusal(
      String setting, @Nullable Object was, @Nullable Object given) {
    return new IllegalArgumentException(
        what
            + ": "
            + setting
            + " cannot change at run time (was "
            + was
            + ", given "
            + given
            + "); nothing was changed");
  }

  /**
   * One changed setting.
   *
   * @param setting its name
   * @param was its old value
   * @param now its new value
   */
  public record Change(String setting, @Nullable Object was, @Nullable Object now) {
    @Override
    public String toString() {
      return setting + "=" + was + "->" + now;
    }
  }

  /**
   * The settings whose values differ between two configs of one class, in name order.
   *
   * @param old the config in force
   * @param next the new config
   * @return the changes
   */
  public static List<Change> diff(Object old, Object next) {
    if (old.getClass() != next.getClass()) {
      throw new IllegalArgumentException(
          "config must be a " + old.getClass().getName() + ", was " + next.getClass().getName());
    }
    Method[] methods = old.getClass().getMethods();
    Arrays.sort(methods, Comparator.comparing(Method::getName));
    List<Change> changes = new ArrayList<>();
    for (Method m : methods) {
      if (m.getParameterCount() != 0
          || Modifier.isStatic(m.getModifiers())
          || m.getReturnType() == void.class
          || m.getDeclaringClass() != old.getClass()
          || NOT_SETTINGS.contains(m.getName())) {
        continue;
      }
      Object was = read(m, old);
      Object now = read(m, next);
      if (!Objects.equals(was, now)) {
        changes.add(new Change(m.getName(), was, now));
      }
    }
    return changes;
  }

  /** The log line: {@code name=N reconfigured a=1->2 b=x->y}. */
  static String line(String name, List<Change> changes) {
    StringBuilder b = new StringBuilder("name=").append(name).append(" reconfigured");
    for (Change c : changes) {
      b.append(' ').append(c);
    }
    return b.toString();
  }

  private static @Nullable Object read(Method m, Object config) {
    try {
      return m.invoke(config);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read " + m, e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + m, e.getCause());
    }
  }
}
