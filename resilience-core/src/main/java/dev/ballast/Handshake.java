package dev.ballast;

import dev.ballast.internal.Preconditions;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Handshaking over HTTP (<em>Release It!</em>: a server that can say "not now, come back in 30 s",
 * and a client that listens), both ends in one place and tied to no server or client library.
 *
 * <p>Server side: a Ballast refusal becomes an answer. {@link #httpStatus} is {@code 429 Too Many
 * Requests} for a {@linkplain RejectedException#rateLimited() rate-style} refusal and {@code 503
 * Service Unavailable} for every other; {@link #retryAfterHeader} is the {@code Retry-After} value
 * in whole seconds, rounded up, when the refusing component knows when to come back.
 *
 * <pre>{@code
 * } catch (RejectedException e) {
 *   Handshake.retryAfterHeader(e).ifPresent(v -> exchange.getResponseHeaders().set("Retry-After", v));
 *   exchange.sendResponseHeaders(Handshake.httpStatus(e), -1);
 * }
 * }</pre>
 *
 * <p>Client side: {@link #parseRetryAfter} reads a {@code Retry-After} value (delta-seconds or an
 * HTTP-date), and {@link #hint} turns a {@code 429} or {@code 503} answer into a {@link
 * BackOffHint}'s answer, which a circuit breaker and a retry honour.
 *
 * <p>Stateless and thread-safe.
 */
public final class Handshake {

  /**
   * The longest wait a parsed {@code Retry-After} may ask for, 365 days: a longer one (a huge
   * number of seconds, a date years ahead) is read as this long.
   */
  public static final Duration MAX_RETRY_AFTER = Duration.ofDays(365);

  private static final int TOO_MANY_REQUESTS = 429;
  private static final int SERVICE_UNAVAILABLE = 503;

  /** RFC 9110's obsolete asctime form, "Sun Nov 6 08:49:37 1994". */
  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC);

  private Handshake() {}

  /**
   * The HTTP status that tells a client about a refusal: {@code 429} when it is {@linkplain
   * RejectedException#rateLimited() rate-style}, {@code 503} otherwise (an {@code OVERLOAD} or a
   * {@code DEPENDENCY_FAILURE}: either way, not now).
   *
   * @param rejection the refusal
   * @return 429 or 503
   * @throws NullPointerException when {@code rejection} is null
   */
  public static int httpStatus(RejectedException rejection) {
    Preconditions.notNull("rejection", rejection);
    return rejection.rateLimited() ? TOO_MANY_REQUESTS : SERVICE_UNAVAILABLE;
  }

  /**
   * The {@code Retry-After} header value for a refusal: its {@link RejectedException#retryAfter()}
   * in whole seconds, rounded up (so that a client never comes back early; 1.2 s is {@code "2"},
   * zero is {@code "0"}). Read when called: a breaker's refusal says the wait left now.
   *
   * @param rejection the refusal
   * @return the header value, or empty when the refusing component does not know when to come back
   * @throws NullPointerException when {@code rejection} is null
   */
  public static Optional<String> retryAfterHeader(RejectedException rejection) {
    Preconditions.notNull("rejection", rejection);
    Optional<Duration> after = rejection.retryAfter();
    if (after.isEmpty()) {
      return Optional.empty();
    }
    Duration d = after.get();
    long seconds = d.toSeconds() + (d.toNanosPart() > 0 ? 1 : 0);
    return Optional.of(Long.toString(seconds));
  }

  /**
   * Reads a {@code Retry-After} value: delta-seconds ({@code "120"}) or an HTTP-date in any of RFC
   * 9110's three forms ({@code "Sun, 06 Nov 1994 08:49:37 GMT"}, and the obsolete RFC 850 and
   * asctime forms), with surrounding whitespace allowed. A date in the past is a wait of zero; a
   * wait over {@link #MAX_RETRY_AFTER} is that bound. Anything else (a sign, a fraction, a date
   * that does not parse, an empty value) is no hint: a bad header never fails the caller.
   *
   * @param value the header's value, or {@code null} when the header is absent
   * @param now the current wall-clock time, which an HTTP-date is measured from ({@code
   *     Instant.now()}, or the response's {@code Date})
   * @return the wait, in {@code [0, MAX_RETRY_AFTER]}, or empty when there is none to read
   * @throws NullPointerException when {@code now} is null
   */
  public static Optional<Duration> parseRetryAfter(@Nullable String value, Instant now) {
    Preconditions.notNull("now", now);
    if (value == null) {
      return Optional.empty();
    }
    String v = value.strip();
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (digitsOnly(v)) {
      // More than 18 digits may not fit a long; any of them is over the bound anyway.
      long seconds = v.length() > 18 ? Long.MAX_VALUE : Long.parseLong(v);
      return Optional.of(
          seconds >= MAX_RETRY_AFTER.toSeconds() ? MAX_RETRY_AFTER : Duration.ofSeconds(seconds));
    }
    Instant at = httpDate(v, now);
    if (at == null) {
      return Optional.empty();
    }
    Duration d = Duration.between(now, at);
    if (d.isNegative()) {
      return Optional.of(Duration.ZERO);
    }
    return Optional.of(d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d);
  }

  /**
   * The back-off an HTTP answer asks for, as a {@link BackOffHint} returns it: for a {@code 429} or
   * a {@code 503}, its {@code Retry-After} ({@link #parseRetryAfter}), or zero when it names no
   * usable wait (back off, for as long as the listener would anyway: a breaker that takes the
   * longer of the hint and its own wait opens for its own); {@code null} for any other status,
   * whatever its headers say.
   *
   * @param status the answer's status code
   * @param retryAfter its {@code Retry-After} header's value, or {@code null} when absent
   * @param now the current wall-clock time, for an HTTP-date
   * @return the back-off, or {@code null} when the answer asks for none
   * @throws NullPointerException when {@code now} is null
   */
  public static @Nullable Duration hint(int status, @Nullable String retryAfter, Instant now) {
    Preconditions.notNull("now", now);
    if (status != TOO_MANY_REQUESTS && status != SERVICE_UNAVAILABLE) {
      return null;
    }
    return parseRetryAfter(retryAfter, now).orElse(Duration.ZERO);
  }

  private static boolean digitsOnly(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** The instant of an HTTP-date in one of its three forms, or null when it is none of them. */
  private static @Nullable Instant httpDate(String v, Instant now) {
    try {
      return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeException e) {
      // not IMF-fixdate: try the obsolete forms
    }
    try {
      return ZonedDateTime.parse(v, rfc850(now)).toInstant();
    } catch (DateTimeException e) {
      // not RFC 850 either
    }
    try {
      return ZonedDateTime.parse(v, ASCTIME).toInstant();
    } catch (DateTimeException e) {
      return null;
    }
  }

  /**
   * RFC 9110's obsolete RFC 850 form, "Sunday, 06-Nov-94 08:49:37 GMT": its two-digit year is the
   * one within 49 years before and 50 after {@code now} (a year more than 50 years ahead is the
   * most recent past one). Built per call: the form is rare, and its century depends on now.
   */
  private static DateTimeFormatter rfc850(Instant now) {
    int year = now.atZone(ZoneOffset.UTC).getYear();
    return new DateTimeFormatterBuilder()
        .appendPattern("EEEE, dd-MMM-")
        .appendValueReduced(ChronoField.YEAR, 2, 2, LocalDate.of(year - 49, 1, 1))
        .appendPattern(" HH:mm:ss 'GMT'")
        .toFormatter(Locale.US)
        .withZone(ZoneOffset.UTC);
  }
}
