package dev.ballast.micrometer;

import dev.ballast.Gate;
import dev.ballast.Ticker;
import dev.ballast.shed.AdaptiveThrottle;
import dev.ballast.shed.AdaptiveThrottleConfig;
import dev.ballast.shed.LoadShedder;
import dev.ballast.shed.LoadShedderConfig;
import dev.ballast.testkit.ManualTicker;
import java.time.Duration;
import java.util.Random;

/** Load shedders and adaptive throttles in virtual time, and the traffic that makes them refuse. */
final class Sheds {
  private Sheds() {}

  /** Target 100 ms over 10 s, judging from 5 samples, one probe a bucket. */
  static LoadShedder shedder(String name, Ticker ticker) {
    return LoadShedder.of(
        name,
        LoadShedderConfig.builder()
            .target(Duration.ofMillis(100))
            .window(Duration.ofSeconds(10))
            .minimumSamples(5)
            .probesPerWindow(10)
            .ticker(ticker)
            .build());
  }

  /** Lets old samples leave, then five calls of 150 ms (shedding starts), a probe, two refusals. */
  static void overload(LoadShedder shedder, ManualTicker ticker) {
    ticker.advance(Duration.ofSeconds(20));
    for (int i = 0; i < 6; i++) {
      long permit = shedder.tryAcquire();
      if (permit != Gate.REFUSED) {
        ticker.advance(Duration.ofMillis(150));
        shedder.onResult(permit, "slow");
      }
    }
    shedder.tryAcquire();
    shedder.tryAcquire();
  }

  /** Refuses whenever its rejection probability is above zero, from the first request on. */
  static AdaptiveThrottle throttle(String name, Ticker ticker) {
    return AdaptiveThrottle.of(
        name,
        AdaptiveThrottleConfig.builder()
            .minimumRequests(1)
            .random(new Random(7))
            .ticker(ticker)
            .build());
  }

  /** Two accepted requests, then twenty the backend refuses: some are refused locally. */
  static void refusals(AdaptiveThrottle throttle) {
    for (int i = 0; i < 22; i++) {
      long permit = throttle.tryAcquire();
      if (permit == Gate.REFUSED) {
        continue;
      }
      if (i < 2) {
        throttle.onResult(permit, "ok");
      } else {
        throttle.onError(permit, Fallbacks.rejection("429"));
      }
    }
  }
}
