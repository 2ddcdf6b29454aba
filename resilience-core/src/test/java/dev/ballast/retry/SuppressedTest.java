package dev.ballast.retry;

import static dev.ballast.retry.Retries.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.TestScheduler;
import dev.ballast.TestTicker;
import dev.ballast.Together;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The retry never grows an exception it did not create without bound: a shared, preallocated
 * exception thrown by attempt after attempt, call after call, holds at most 8 suppressed.
 */
final class SuppressedTest {
  private static final int CALLS = 100_000;
  private final TestTicker ticker = new TestTicker();
  private final TestScheduler scheduler = new TestScheduler(ticker);

  private Retry retry(int attempts) {
    return Retry.of(
        "suppressed",
        config(scheduler).backoff(Backoff.fixed(Duration.ZERO)).maxAttempts(attempts).build());
  }

  @Test
  void aSharedExceptionThrownByEveryAttemptOfEveryCallGainsNothing() {
    Retry retry = retry(3);
    IOException shared = new IOException("shared");
    for (int i = 0; i < CALLS; i++) {
      assertThatThrownBy(
              () ->
                  retry.call(
                      () -> {
                        throw shared;
                      }))
          .isSameAs(shared);
    }
    assertThat(shared.getSuppressed()).isEmpty();
    assertThat(retry.stats().failuresAfterRetry()).isEqualTo(CALLS);
  }

  @Test
  void aSharedLastExceptionAfterFreshOnesStopsAtEight() {
    Retry retry = retry(3);
    IOException shared = new IOException("shared");
    for (int i = 0; i < CALLS; i++) {
      AtomicInteger n = new AtomicInteger();
      assertThatThrownBy(
              () ->
                  retry.call(
                      () -> {
                        throw n.incrementAndGet() < 3 ? new IOException("fresh") : shared;
                      }))
          .isSameAs(shared);
    }
    assertThat(shared.getSuppressed()).hasSize(Attempts.MAX_SUPPRESSED);
  }

  @Test
  void twoSharedExceptionsTakingTurnsHoldOneEachForever() {
    Retry retry = retry(4);
    IOException a = new IOException("a");
    IOException b = new IOException("b");
    for (int i = 0; i < CALLS; i++) {
      AtomicInteger n = new AtomicInteger(i % 2);
      assertThatThrownBy(
              () ->
                  retry.call(
                      () -> {
                        throw n.incrementAndGet() % 2 == 0 ? a : b;
                      }))
          .isInstanceOf(IOException.class);
    }
    assertThat(a.getSuppressed()).containsExactly(b);
    assertThat(b.getSuppressed()).containsExactly(a);
  }

  /** Throws the given exceptions in turn, one per attempt. */
  private static String throwInTurn(List<IOException> thrown, AtomicInteger n) throws IOException {
    throw thrown.get(n.getAndIncrement());
  }

  private static List<IOException> fresh(int count) {
    List<IOException> out = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      out.add(new IOException("fresh " + i));
    }
    return out;
  }

  @Test
  void anExceptionRepeatedByEarlyAttemptsDoesNotCrowdOutDistinctLaterOnes() {
    // More early attempts than the retry keeps exceptions for throw one shared exception; then
    // one attempt throws a fresh one, and the last attempt another.
    int repeats = Attempts.MAX_SUPPRESSED + 1;
    IOException repeated = new IOException("repeated");
    List<IOException> thrown = new ArrayList<>(java.util.Collections.nCopies(repeats, repeated));
    IOException later = new IOException("later");
    IOException last = new IOException("last");
    thrown.add(later);
    thrown.add(last);
    AtomicInteger n = new AtomicInteger();
    assertThatThrownBy(() -> retry(repeats + 2).call(() -> throwInTurn(thrown, n))).isSameAs(last);
    assertThat(last.getSuppressed()).containsExactly(repeated, later);
  }

  @Test
  void anExceptionThrownEarlierAndLastStillGetsEightDistinctOthers() {
    // The last attempt's exception was thrown by the second attempt too; nine others are
    // distinct. It is never suppressed into itself, and it still gets eight of the others.
    IOException again = new IOException("again");
    List<IOException> others = fresh(9);
    List<IOException> thrown = new ArrayList<>();
    thrown.add(others.get(0));
    thrown.add(again);
    thrown.addAll(others.subList(1, 9));
    thrown.add(again);
    AtomicInteger n = new AtomicInteger();
    assertThatThrownBy(() -> retry(11).call(() -> throwInTurn(thrown, n))).isSameAs(again);
    assertThat(again.getSuppressed()).containsExactlyElementsOf(others.subList(0, 8));
  }

  @Test
  void asyncCallsObeyTheSameCap() {
    Retry retry = retry(3);
    IOException shared = new IOException("shared");
    for (int i = 0; i < CALLS; i++) {
      AtomicInteger n = new AtomicInteger();
      CompletableFuture<String> out =
          retry
              .<String>callAsync(
                  () ->
                      CompletableFuture.failedFuture(
                          n.incrementAndGet() < 3 ? new IOException("fresh") : shared))
              .toCompletableFuture();
      assertThat(out.handle((r, e) -> e).join()).isSameAs(shared);
    }
    assertThat(shared.getSuppressed()).hasSize(Attempts.MAX_SUPPRESSED);
  }

  @Test
  void anErrorFromACallbackIsNeverGivenSuppressedExceptions() {
    Retry retry = retry(3);
    StackOverflowError overflow = new StackOverflowError("listener");
    retry.addListener(
        new RetryListener() {
          @Override
          public void onGiveUp(int attempts, @Nullable Throwable cause) {
            throw overflow;
          }

          @Override
          public void onRetry(int attempt, long delayNanos, @Nullable Throwable cause) {
            if (attempt == 3) {
              throw overflow;
            }
          }
        });
    for (int i = 0; i < 1000; i++) {
      assertThatThrownBy(
              () ->
                  retry.call(
                      () -> {
                        throw new IOException("fresh");
                      }))
          .isSameAs(overflow);
    }
    assertThat(overflow.getSuppressed()).isEmpty();
  }

  @Test
  void aVirtualMachineErrorTheCallThrowsIsNeverGivenSuppressedExceptions() {
    Retry retry = retry(3);
    StackOverflowError shared = new StackOverflowError("the call's");
    for (int i = 0; i < 100; i++) {
      AtomicInteger n = new AtomicInteger();
      assertThatThrownBy(
              () ->
                  retry.call(
                      () -> {
                        if (n.incrementAndGet() < 3) {
                          throw new IOException("fresh");
                        }
                        throw shared;
                      }))
          .isSameAs(shared);
    }
    assertThat(shared.getSuppressed()).isEmpty();
    assertThat(retry.stats().failuresAfterRetry()).isEqualTo(100);
  }

  @Test
  @Tag("concurrency")
  void threadsEndingCallsOnOneSharedExceptionKeepItBounded() throws Exception {
    int threads = 8;
    Retry retry = retry(3);
    IOException shared = new IOException("shared");
    Together.run(
        threads,
        t -> {
          for (int i = 0; i < CALLS / threads; i++) {
            AtomicInteger n = new AtomicInteger();
            try {
              retry.call(
                  () -> {
                    throw n.incrementAndGet() < 3 ? new IOException("fresh") : shared;
                  });
            } catch (IOException e) {
              if (e != shared) {
                throw e;
              }
            }
          }
        });
    // 8, and at most one more per thread that raced past the check at the same instant.
    assertThat(shared.getSuppressed().length)
        .isBetween(Attempts.MAX_SUPPRESSED, Attempts.MAX_SUPPRESSED + threads);
    assertThat(retry.stats().failuresAfterRetry()).isEqualTo(CALLS);
  }
}
