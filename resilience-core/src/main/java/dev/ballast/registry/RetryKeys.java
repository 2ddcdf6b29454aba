package dev.ballast.registry;

import static dev.ballast.registry.Values.bool;
import static dev.ballast.registry.Values.decimal;
import static dev.ballast.registry.Values.duration;
import static dev.ballast.registry.Values.integer;
import static dev.ballast.registry.Values.parts;

import dev.ballast.retry.Backoff;
import dev.ballast.retry.RetryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The retry's keys in the {@link KeyTable}: its options take the richest values (a backoff written
 * as words, exception types by class name). Stateless.
 */
final class RetryKeys {
  static final String BACKOFF_FORM =
      "fixed <delay> | exponential <initial> <multiplier> [<cap>] | decorrelated-jitter <base>"
          + " <cap>; then optionally: jitter <fraction> | full-jitter";
  static final String TYPES_FORM = "class name[, class name...]";

  private RetryKeys() {}

  static List<Option> options() {
    Class<RetryConfig.Builder> r = RetryConfig.Builder.class;
    return List.of(
        Option.of(r, "maxAttempts", "attempts", (b, n, v) -> b.maxAttempts(integer(v))),
        Option.of(r, "maxDuration", "duration", (b, n, v) -> b.maxDuration(duration(v))),
        Option.of(r, "backoff", BACKOFF_FORM, (b, n, v) -> b.backoff(backoff(v))),
        Option.of(r, "retryOn", TYPES_FORM, (b, n, v) -> b.retryOn(throwables(v))),
        Option.of(r, "abortOn", TYPES_FORM, (b, n, v) -> b.abortOn(throwables(v))),
        Option.of(r, "retryOnOverload", "true|false", (b, n, v) -> b.retryOnOverload(bool(v))),
        Option.of(
            r, "waitForRetryAfter", "duration", (b, n, v) -> b.waitForRetryAfter(duration(v))),
        Option.of(
            r,
            "budget",
            "ratio, min retries per second, window",
            (b, n, v) -> {
              List<String> p = parts(v, 3, 3, "ratio, min retries per second, window");
              b.budget(decimal(p.get(0)), integer(p.get(1)), duration(p.get(2)));
            }),
        Option.of(r, "countCalls", "true|false", (b, n, v) -> b.countCalls(bool(v))));
  }

  /** A backoff in words, such as {@code exponential 100ms 2 10s jitter 0.5}. */
  static Backoff backoff(String text) {
    List<String> w = new ArrayList<>();
    for (String s : text.strip().split("[\\s,]+", -1)) {
      if (!s.isEmpty()) {
        w.add(s.toLowerCase(Locale.ROOT));
      }
    }
    if (w.isEmpty()) {
      throw new IllegalArgumentException("expected " + BACKOFF_FORM + ", was '" + text + "'");
    }
    Backoff base;
    int used;
    switch (w.get(0)) {
      case "fixed" -> {
        need(w, 2, text);
        base = Backoff.fixed(duration(w.get(1)));
        used = 2;
      }
      case "exponential" -> {
        need(w, 3, text);
        boolean capped = w.size() > 3 && !w.get(3).contains("jitter");
        Duration initial = duration(w.get(1));
        double multiplier = decimal(w.get(2));
        base =
            capped
                ? Backoff.exponential(initial, multiplier, duration(w.get(3)))
                : Backoff.exponential(initial, multiplier);
        used = capped ? 4 : 3;
      }
      case "decorrelated-jitter" -> {
        need(w, 3, text);
        base = Backoff.decorrelatedJitter(duration(w.get(1)), duration(w.get(2)));
        used = 3;
      }
      default ->
          throw new IllegalArgumentException("expected " + BACKOFF_FORM + ", was '" + text + "'");
    }
    List<String> rest = w.subList(used, w.size());
    if (rest.isEmpty()) {
      return base;
    }
    if (rest.size() == 1 && rest.get(0).equals("full-jitter")) {
      return base.withFullJitter();
    }
    if (rest.size() == 2 && rest.get(0).equals("jitter")) {
      return base.withJitter(decimal(rest.get(1)));
    }
    throw new IllegalArgumentException("expected " + BACKOFF_FORM + ", was '" + text + "'");
  }

  private static void need(List<String> words, int count, String text) {
    if (words.size() < count) {
      throw new IllegalArgumentException("expected " + BACKOFF_FORM + ", was '" + text + "'");
    }
  }

  /** Exception types by class name, loaded without initializing them. */
  @SuppressWarnings({"unchecked", "rawtypes"}) // no generic arrays; each class is checked first
  static Class<? extends Throwable>[] throwables(String text) {
    List<String> names = parts(text, 1, Integer.MAX_VALUE, TYPES_FORM);
    Class<? extends Throwable>[] types = new Class[names.size()];
    for (int i = 0; i < types.length; i++) {
      String name = names.get(i);
      Class<?> c;
      try {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        c =
            Class.forName(
                name, false, context != null ? context : RetryKeys.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        throw new IllegalArgumentException("no class named '" + name + "'", e);
      }
      if (!Throwable.class.isAssignableFrom(c)) {
        throw new IllegalArgumentException("'" + name + "' is not a Throwable");
      }
      types[i] = (Class<? extends Throwable>) c;
    }
    return types;
  }
}
