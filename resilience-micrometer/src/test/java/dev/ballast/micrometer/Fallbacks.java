package dev.ballast.micrometer;

import dev.ballast.RejectedException;
import dev.ballast.fallback.Fallback;
import dev.ballast.fallback.FallbackConfig;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * A fallback with all three triggers, and calls that pass through it, fall back, or make its
 * fallback functions throw.
 */
final class Fallbacks {
  /** A result that the result trigger replaces. */
  static final String BAD = "bad";

  /** A result whose replacement throws. */
  static final String WORSE = "worse";

  private Fallbacks() {}

  /**
   * A fallback on {@link IOException}s, on every rejection and on the results {@link #BAD} and
   * {@link #WORSE}; its functions throw for an exception or rejection whose message is {@code
   * "unfixable"} and for {@link #WORSE}.
   */
  static Fallback<String> everyTrigger(String name) {
    return Fallback.of(
        name,
        FallbackConfig.<String>builder()
            .onException(IOException.class)
            .exceptionFallback(e -> substitute(e.getMessage(), "default"))
            .rejectionFallback(e -> substitute(e.getMessage(), "cached"))
            .onResult(r -> BAD.equals(r) || WORSE.equals(r))
            .resultFallback(r -> substitute(WORSE.equals(r) ? "unfixable" : r, "fixed"))
            .build());
  }

  private static String substitute(@Nullable String message, String value) {
    if ("unfixable".equals(message)) {
      throw new IllegalStateException("the fallback function broke");
    }
    return value;
  }

  /** A rejection with the message given, as a refusing policy would throw. */
  static RejectedException rejection(String message) {
    return new RejectedException(
        "test", RejectedException.Reason.DEPENDENCY_FAILURE, null, message, false) {
      private static final long serialVersionUID = 1L;
    };
  }
}
