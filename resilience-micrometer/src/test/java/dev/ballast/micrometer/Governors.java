package dev.ballast.micrometer;

import dev.ballast.Ticker;
import dev.ballast.governor.ConfirmationToken;
import dev.ballast.governor.Governor;
import dev.ballast.governor.GovernorConfig;
import java.time.Duration;
import java.util.Objects;

/** Governors for the binder tests. */
final class Governors {
  private Governors() {}

  /** A governor that allows one "act" per minute, in the band [10, 20]. */
  static Governor governor(String name, Ticker ticker) {
    return Governor.of(
        name,
        GovernorConfig.builder()
            .action("act", 1, Duration.ofMinutes(1))
            .band(10, 20)
            .ticker(ticker)
            .build());
  }

  /**
   * One of each: allowed, delayed, held for a confirmation (then confirmed, and allowed on it),
   * refused while paused; the governor is left paused with a divergence of 0.5. May run again on
   * the same governor (the first ask is then delayed).
   */
  static void everyVerdict(Governor governor) {
    governor.resume();
    governor.observe(10, 10);
    governor.decide("act", 15);
    governor.decide("act", 15);
    governor.observe(10, 5);
    ConfirmationToken token = Objects.requireNonNull(governor.decide("act", 15).token());
    governor.confirm(token, "alice");
    governor.decide("act", 15, token);
    governor.pause("binder test");
    governor.decide("act", 15);
  }
}
