package dev.ballast.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ballast.TestTicker;
import dev.ballast.testlog.LogCapture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

final class StagesTest {
  private static final String LOGGER = "dev.ballast.internal.StagesTest.probe";
  private final ThrottledLog log =
      new ThrottledLog(LoggerFactory.getLogger(LOGGER), "quotes", new TestTicker());

  @BeforeEach
  void clear() {
    LogCapture.clear();
  }

  private static CompletableFuture<String> throwingOnCancel(Throwable t) {
    return new CompletableFuture<>() {
      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        if (t instanceof RuntimeException r) {
          throw r;
        }
        throw (Error) t;
      }
    };
  }

  @Test
  void unwrapsACompletionExceptionToItsCauseAndLeavesAnythingElse() {
    IllegalStateException cause = new IllegalStateException("down");
    assertThat(Stages.unwrap(new CompletionException(cause))).isSameAs(cause);
    CompletionException bare = new CompletionException("no cause", null);
    assertThat(Stages.unwrap(bare)).isSameAs(bare);
    ExecutionException other = new ExecutionException(cause);
    assertThat(Stages.unwrap(other)).isSameAs(other);
  }

  @Test
  void cancelsTheFutureBehindAStage() {
    CompletableFuture<String> f = new CompletableFuture<>();
    assertThat(Stages.cancelQuietly(f, log)).isNull();
    assertThat(f).isCancelled();
  }

  @Test
  void aStageThatCannotBeSeenAsAFutureIsLeftAlone() {
    CompletionStage<String> minimal = new CompletableFuture<String>().minimalCompletionStage();
    assertThat(Stages.cancelQuietly(minimal, log)).isNull();
    assertThat(LogCapture.lines(LOGGER)).isEmpty();
  }

  @Test
  void whatACancelThrowsIsLoggedAndAVirtualMachineErrorReturned() {
    assertThat(Stages.cancelQuietly(throwingOnCancel(new IllegalStateException("stuck")), log))
        .isNull();
    assertThat(LogCapture.lines(LOGGER))
        .singleElement()
        .satisfies(
            l ->
                assertThat(l.message())
                    .isEqualTo("name=quotes the call's stage threw when cancelled; ignored"));
    StackOverflowError soe = new StackOverflowError();
    assertThat(Stages.cancelQuietly(throwingOnCancel(soe), log)).isSameAs(soe);
  }

  @Test
  void afterTheCallersStageIsSettledEvenAVirtualMachineErrorIsOnlyLogged() {
    StackOverflowError soe = new StackOverflowError();
    Stages.cancelAfterSettled(throwingOnCancel(soe), log);
    assertThat(LogCapture.lines(LOGGER))
        .singleElement()
        .satisfies(l -> assertThat(l.error()).isSameAs(soe));
  }
}
