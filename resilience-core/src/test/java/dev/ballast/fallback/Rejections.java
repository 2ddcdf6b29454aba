package dev.ballast.fallback;

import dev.ballast.RejectedException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Rejections for the fallback tests, as any gate would throw them. */
final class Rejections {
  private Rejections() {}

  /** A refusal of the given kind, with no stack trace, as Ballast's gates throw them. */
  static final class TestRejection extends RejectedException {
    private static final long serialVersionUID = 1L;

    TestRejection(String component, Reason reason, @Nullable Duration retryAfter) {
      super(component, reason, retryAfter, component + " refused", false);
    }
  }

  static RejectedException overload(String component) {
    return new TestRejection(component, RejectedException.Reason.OVERLOAD, null);
  }

  static RejectedException dependencyFailure(String component, Duration retryAfter) {
    return new TestRejection(component, RejectedException.Reason.DEPENDENCY_FAILURE, retryAfter);
  }
}
