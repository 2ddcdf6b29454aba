package dev.ballast.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ballast.RejectedException;
import dev.ballast.testlog.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

final class ThreadPoolBulkheadTest {
  private final List<ThreadPoolBulkhead> opened = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  private ThreadPoolBulkhead pool(ThreadPoolBulkheadConfig.Builder config) {
    ThreadPoolBulkhead p =
        ThreadPoolBulkhead.of("inventory", config.closeTimeout(Duration.ofSeconds(5)).build());
    opened.add(p);
    return p;
  }

  private ThreadPoolBulkhead pool(int threads, int queue) {
    return pool(ThreadPoolBulkheadConfig.builder().maxThreads(threads).queueCapacity(queue));
  }

  @AfterEach
  void closeEveryPool() {
    release.countDown();
    for (ThreadPoolBulkhead p : opened) {
      p.close();
      assertThat(p.stats().threads()).as("threads left after close").isZero();
    }
  }

  /** A task that holds its thread until the test releases it; counts down {@code started}. */
  private CompletionStage<String> blocker(ThreadPoolBulkhead pool, CountDownLatch started) {
    return pool.submit(
        () -> {
          started.countDown();
          release.await();
          return "released";
        });
  }

  private static @Nullable Throwable failure(CompletionStage<?> stage) {
    AtomicReference<Throwable> error = new AtomicReference<>();
    stage.whenComplete((r, e) -> error.set(e));
    await().until(() -> stage.toCompletableFuture().isDone());
    return error.get() instanceof CompletionException c ? c.getCause() : error.get();
  }

  @Test
  void theDefaultsAreTenPlatformThreadsNoQueueAndADrainingClose() {
    ThreadPoolBulkheadConfig d = ThreadPoolBulkheadConfig.defaults();
    assertThat(d.toString())
        .isEqualTo(
            "ThreadPoolBulkheadConfig{maxThreads=10, queueCapacity=0, keepAlive=PT1M,"
                + " virtualThreads=false, interruptOnCancel=true, closeMode=DRAIN,"
                + " closeTimeout=PT30S}");
    ThreadPoolBulkheadConfig set =
        ThreadPoolBulkheadConfig.builder()
            .maxThreads(3)
            .queueCapacity(7)
            .keepAlive(Duration.ofSeconds(2))
            .interruptOnCancel(false)
            .closeMode(ThreadPoolBulkhead.CloseMode.CANCEL)
            .closeTimeout(Duration.ZERO)
            .contextPropagator(r -> r)
            .build();
    assertThat(set.toBuilder().build()).isEqualTo(set).hasSameHashCodeAs(set);
    assertThat(set).isNotEqualTo(d);
    ThreadPoolBulkhead p = ThreadPoolBulkhead.ofDefaults("x");
    opened.add(p);
    assertThat(p.stats().toString())
        .isEqualTo(
            "ThreadPoolBulkheadStats{calls=0, rejections=0, cancellations=0, threads=0,"
                + " activeThreads=0, queued=0, maxThreads=10, queueCapacity=0}");
    assertThat(p).hasToString("threadPoolBulkhead[x]");
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void badSettingsAreRefusedNamingTheOptionAndTheValue() {
    ThreadPoolBulkheadConfig.Builder b = ThreadPoolBulkheadConfig.builder();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.maxThreads(0))
        .withMessage("maxThreads must be >= 1, was 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.maxThreads(ThreadPoolBulkheadConfig.MAX_THREADS + 1))
        .withMessage("maxThreads must be <= 65536, was 65537");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.queueCapacity(-1))
        .withMessage("queueCapacity must be in [0, 1048576], was -1");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.keepAlive(Duration.ZERO))
        .withMessage("keepAlive must be > 0, was PT0S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.closeTimeout(Duration.ofMillis(-1)))
        .withMessage("closeTimeout must be >= 0, was PT-0.001S");
    assertThatNullPointerException()
        .isThrownBy(() -> b.contextPropagator(null))
        .withMessage("contextPropagator must not be null");
    assertThatNullPointerException()
        .isThrownBy(() -> b.closeMode(null))
        .withMessage("closeMode must not be null");
    assertThatNullPointerException()
        .isThrownBy(() -> b.keepAlive(null))
        .withMessage("keepAlive must not be null");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ThreadPoolBulkhead.ofDefaults(" "))
        .withMessage("name must not be blank, was ' '");
    ThreadPoolBulkhead p = pool(1, 0);
    assertThatNullPointerException()
        .isThrownBy(() -> p.submit(null))
        .withMessage("task must not be null");
    assertThat(p.stats().calls() + p.stats().rejections()).isZero();
  }

  @Test
  void virtualThreadsAreRefusedOnAJdkWithoutThem() {
    assumeFalse(WorkerThreads.virtualThreadsAvailable());
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ThreadPoolBulkheadConfig.builder().virtualThreads(true))
        .withMessageStartingWith("virtualThreads must be false on a JDK without virtual threads");
  }

  @Test
  void virtualThreadsAreNamedAfterTheBulkheadWhereTheJdkHasThem() throws Exception {
    assumeTrue(WorkerThreads.virtualThreadsAvailable());
    ThreadPoolBulkhead p = pool(ThreadPoolBulkheadConfig.builder().virtualThreads(true));
    Thread worker = p.submit(Thread::currentThread).toCompletableFuture().get();
    assertThat(Thread.class.getMethod("isVirtual").invoke(worker)).isEqualTo(true);
    assertThat(worker.getName()).isEqualTo("ballast-inventory-1");
  }

  @Test
  void threadsAreNamedDaemonsStartedOnlyWhenWorkArrives() throws Exception {
    ThreadPoolBulkhead p = pool(2, 0);
    assertThat(p.stats().threads()).isZero();
    CountDownLatch started = new CountDownLatch(1);
    blocker(p, started);
    started.await();
    Thread second = p.submit(Thread::currentThread).toCompletableFuture().get();
    assertThat(second.getName()).isEqualTo("ballast-inventory-2");
    assertThat(second.isDaemon()).isTrue();
    assertThat(p.stats().threads()).isEqualTo(2);
  }

  @Test
  void aFullPoolRefusesWithAnOverloadRejectionNamingTheBulkhead() throws Exception {
    ThreadPoolBulkhead p = pool(1, 1);
    AtomicInteger heard = new AtomicInteger();
    p.addListener(
        new ThreadPoolBulkheadListener() {
          @Override
          public void onRejected() {
            heard.incrementAndGet();
          }
        });
    CountDownLatch started = new CountDownLatch(1);
    CompletionStage<String> running = blocker(p, started);
    started.await();
    CompletionStage<String> queued = p.submit(() -> "queued");

    Throwable refused = failure(p.submit(() -> "refused"));

    assertThat(refused)
        .isInstanceOf(ThreadPoolBulkheadRejectedException.class)
        .hasMessage(
            "thread-pool bulkhead 'inventory' is full: all 1 threads are busy and its queue of 1"
                + " is full");
    RejectedException rejection = (RejectedException) Objects.requireNonNull(refused);
    assertThat(rejection.reason()).isEqualTo(RejectedException.Reason.OVERLOAD);
    assertThat(rejection.component()).isEqualTo("inventory");
    assertThat(heard).hasValue(1);
    ThreadPoolBulkheadStats s = p.stats();
    assertThat(s.calls()).isEqualTo(2);
    assertThat(s.rejections()).isEqualTo(1);
    assertThat(s.activeThreads()).isEqualTo(1);
    assertThat(s.queued()).isEqualTo(1);
    assertThatThrownBy(() -> p.call(() -> "sync"))
        .isInstanceOf(ThreadPoolBulkheadRejectedException.class);

    release.countDown();
    assertThat(running.toCompletableFuture().get()).isEqualTo("released");
    assertThat(queued.toCompletableFuture().get()).isEqualTo("queued");
  }

  @Test
  void aPoolWhoseThreadsAreFreeNeverRefusesEvenWhenCallersResubmitAtOnce() throws Exception {
    ThreadPoolBulkhead p = pool(4, 0);
    for (int round = 0; round < 500; round++) {
      List<CompletableFuture<Integer>> all = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        int n = i;
        all.add(p.submit(() -> n).toCompletableFuture());
      }
      for (CompletableFuture<Integer> f : all) {
        f.get(10, TimeUnit.SECONDS); // a refusal would throw here
      }
    }
    assertThat(p.stats().rejections()).isZero();
    assertThat(p.stats().calls()).isEqualTo(2_000);
    assertThat(p.stats().threads()).isLessThanOrEqualTo(4);
  }

  @Test
  void aQueuedTaskWhoseCallerGivesUpIsRemovedAndNeverRuns() throws Exception {
    ThreadPoolBulkhead p = pool(1, 2);
    AtomicInteger heard = new AtomicInteger();
    p.addListener(
        new ThreadPoolBulkheadListener() {
          @Override
          public void onCancelled() {
            heard.incrementAndGet();
          }
        });
    CountDownLatch started = new CountDownLatch(1);
    blocker(p, started);
    started.await();
    AtomicBoolean cancelledRan = new AtomicBoolean();
    AtomicBoolean timedOutRan = new AtomicBoolean();
    CompletionStage<Boolean> cancelled = p.submit(() -> cancelledRan.getAndSet(true));
    CompletionStage<Boolean> timedOut = p.submit(() -> timedOutRan.getAndSet(true));

    assertThat(cancelled.toCompletableFuture().cancel(true)).isTrue();
    timedOut.toCompletableFuture().completeExceptionally(new TimeoutException("gave up"));

    assertThat(p.stats().queued()).as("both removed at once").isZero();
    assertThat(p.stats().cancellations()).isEqualTo(2);
    assertThat(heard).hasValue(2);
    CompletionStage<String> later = p.submit(() -> "later");
    assertThat(p.stats().queued()).isEqualTo(1);
    release.countDown();
    assertThat(later.toCompletableFuture().get()).isEqualTo("later");
    assertThat(cancelledRan).isFalse();
    assertThat(timedOutRan).isFalse();
    assertThat(cancelled.toCompletableFuture().isCancelled()).isTrue();
  }

  @Test
  void cancellingARunningTaskInterruptsItAndTheNextTaskStartsWithAClearFlag() throws Exception {
    ThreadPoolBulkhead p = pool(1, 1);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    CompletionStage<String> running =
        p.submit(
            () -> {
              started.countDown();
              try {
                new CountDownLatch(1).await();
              } catch (InterruptedException e) {
                interrupted.countDown();
              }
              return "ended";
            });
    started.await();

    running.toCompletableFuture().cancel(true);

    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.submit(() -> Thread.currentThread().isInterrupted()).toCompletableFuture().get())
        .isFalse();
    assertThat(p.stats().cancellations()).as("it ran: not a cancellation").isZero();
  }

  @Test
  void withoutInterruptOnCancelARunningTaskRunsToItsEnd() throws Exception {
    ThreadPoolBulkhead p =
        pool(ThreadPoolBulkheadConfig.builder().maxThreads(1).interruptOnCancel(false));
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean wasInterrupted = new AtomicBoolean();
    CompletionStage<String> running =
        p.submit(
            () -> {
              started.countDown();
              release.await();
              wasInterrupted.set(Thread.currentThread().isInterrupted());
              return "ended";
            });
    started.await();
    running.toCompletableFuture().cancel(true);
    release.countDown();
    await().until(() -> p.stats().activeThreads() == 0);
    assertThat(wasInterrupted).isFalse();
  }

  @Test
  void closeInDrainModeRunsTheQueuedTasksWaitsForThemAndRefusesNewOnes() throws Exception {
    ThreadPoolBulkhead p = pool(1, 2);
    CountDownLatch started = new CountDownLatch(1);
    CompletionStage<String> running = blocker(p, started);
    started.await();
    CompletionStage<String> a = p.submit(() -> "a");
    CompletionStage<String> b = p.submit(() -> "b");
    Thread closer = new Thread(p::close, "closer");
    closer.start();
    await().until(() -> closer.getState() != Thread.State.RUNNABLE);
    assertThat(failure(p.submit(() -> "late")))
        .isInstanceOf(ThreadPoolBulkheadRejectedException.class)
        .hasMessage("thread-pool bulkhead 'inventory' is closed: it runs no new task");

    release.countDown();
    closer.join(10_000);

    assertThat(closer.isAlive()).isFalse();
    assertThat(running.toCompletableFuture().getNow("not done")).isEqualTo("released");
    assertThat(a.toCompletableFuture().getNow("not done")).isEqualTo("a");
    assertThat(b.toCompletableFuture().getNow("not done")).isEqualTo("b");
    assertThat(p.stats().threads()).isZero();
    await().until(() -> threadsNamed("ballast-inventory-").isEmpty());
  }

  @Test
  void closeInCancelModeCancelsTheQueuedTasksAndInterruptsTheRunningOne() throws Exception {
    ThreadPoolBulkhead p =
        pool(
            ThreadPoolBulkheadConfig.builder()
                .maxThreads(1)
                .queueCapacity(2)
                .closeMode(ThreadPoolBulkhead.CloseMode.CANCEL));
    CountDownLatch started = new CountDownLatch(1);
    CompletionStage<String> running = blocker(p, started);
    started.await();
    AtomicBoolean queuedRan = new AtomicBoolean();
    CompletionStage<Boolean> queued = p.submit(() -> queuedRan.getAndSet(true));

    p.close();

    assertThat(failure(running)).isInstanceOf(InterruptedException.class);
    assertThat(failure(queued))
        .isInstanceOf(ThreadPoolBulkheadRejectedException.class)
        .hasMessageContaining("was closed before the task ran");
    assertThat(queuedRan).isFalse();
    assertThat(p.stats().cancellations()).isEqualTo(1);
    assertThat(p.stats().threads()).isZero();
    await().until(() -> threadsNamed("ballast-inventory-").isEmpty());
  }

  @Test
  void aDrainThatRunsOutOfTimeCancelsWhatIsLeftAndInterruptsTheRest() {
    ThreadPoolBulkhead p =
        ThreadPoolBulkhead.of(
            "slow",
            ThreadPoolBulkheadConfig.builder()
                .maxThreads(1)
                .queueCapacity(1)
                .closeTimeout(Duration.ofMillis(20))
                .build());
    CountDownLatch started = new CountDownLatch(1);
    CompletionStage<String> running = blocker(p, started);
    CompletionStage<String> queued = p.submit(() -> "queued");

    p.close();

    assertThat(failure(running)).isInstanceOf(InterruptedException.class);
    assertThat(failure(queued)).isInstanceOf(ThreadPoolBulkheadRejectedException.class);
    await().until(() -> p.stats().threads() == 0);
  }

  @Test
  void idleThreadsEndAfterTheirKeepAlive() throws Exception {
    ThreadPoolBulkhead p =
        pool(ThreadPoolBulkheadConfig.builder().maxThreads(3).keepAlive(Duration.ofMillis(10)));
    assertThat(p.submit(() -> "x").toCompletableFuture().get()).isEqualTo("x");
    await().until(() -> p.stats().threads() == 0);
    assertThat(p.submit(() -> "again").toCompletableFuture().get()).isEqualTo("again");
  }

  @Test
  void theSyncCallRunsOnAWorkerAndRethrowsWhatTheCallThrewUnchanged() {
    ThreadPoolBulkhead p = pool(1, 0);
    assertThat(p.call(() -> Thread.currentThread().getName())).isEqualTo("ballast-inventory-1");
    IOException down = new IOException("down");
    assertThatThrownBy(
            () ->
                p.call(
                    () -> {
                      throw down;
                    }))
        .isSameAs(down);
    assertThat(p.get(() -> "got")).isEqualTo("got");
  }

  @Test
  void aSyncCallerInterruptedWhileItsTaskIsQueuedIsRefusedKeepsItsFlagAndTheTaskNeverRuns()
      throws Exception {
    ThreadPoolBulkhead p = pool(1, 1);
    CountDownLatch started = new CountDownLatch(1);
    blocker(p, started);
    started.await();
    AtomicBoolean ran = new AtomicBoolean();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean flag = new AtomicBoolean();
    Thread caller =
        new Thread(
            () -> {
              try {
                p.call(() -> ran.getAndSet(true));
              } catch (Throwable t) {
                thrown.set(t);
                flag.set(Thread.currentThread().isInterrupted());
              }
            });
    caller.start();
    await().until(() -> p.stats().queued() == 1);
    caller.interrupt();
    caller.join(10_000);

    assertThat(thrown.get())
        .isInstanceOf(ThreadPoolBulkheadRejectedException.class)
        .hasMessageContaining("interrupted while its task waited in the queue");
    assertThat(flag).isTrue();
    assertThat(p.stats().queued()).isZero();
    release.countDown();
    assertThat(p.submit(() -> "next").toCompletableFuture().get()).isEqualTo("next");
    assertThat(ran).isFalse();
  }

  @Test
  void callAsyncRelaysTheSuppliersStageAndCancelsItWhenTheCallerGivesUp() throws Exception {
    ThreadPoolBulkhead p = pool(1, 0);
    assertThat(
            p.callAsync(() -> CompletableFuture.completedFuture(Thread.currentThread().getName()))
                .toCompletableFuture()
                .get())
        .isEqualTo("ballast-inventory-1");
    assertThat(failure(p.callAsync(() -> null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("supplier returned a null stage");
    CompletableFuture<String> inner = new CompletableFuture<>();
    CompletionStage<String> outer = p.callAsync(() -> inner);
    await().until(() -> p.stats().activeThreads() == 0);
    outer.toCompletableFuture().cancel(true);
    assertThat(inner).isCancelled();
  }

  @Test
  void theContextHookCarriesAThreadLocalOntoTheWorkerAndClearsItAfter() throws Exception {
    ThreadLocal<String> user = new ThreadLocal<>();
    ThreadPoolBulkhead p =
        pool(
            ThreadPoolBulkheadConfig.builder()
                .maxThreads(1)
                .contextPropagator(
                    task -> {
                      String captured = user.get();
                      return () -> {
                        user.set(captured);
                        try {
                          task.run();
                        } finally {
                          user.remove();
                        }
                      };
                    }));
    user.set("alice");
    assertThat(p.submit(user::get).toCompletableFuture().get()).isEqualTo("alice");
    user.remove();
    assertThat(p.submit(user::get).toCompletableFuture().get()).isNull();
  }

  @Test
  @SuppressWarnings("NullAway") // the hook returns null on purpose
  void aThrowingContextHookNeverLosesTheTasksOutcome() throws Exception {
    AtomicInteger phase = new AtomicInteger();
    ThreadPoolBulkhead p =
        pool(
            ThreadPoolBulkheadConfig.builder()
                .maxThreads(1)
                .contextPropagator(
                    task -> {
                      return switch (phase.get()) {
                        case 0 -> throw new IllegalStateException("capture failed");
                        case 1 -> null;
                        case 2 ->
                            () -> {
                              task.run();
                              throw new IllegalStateException("restore failed");
                            };
                        default ->
                            () -> {
                              throw new IllegalStateException("set up failed");
                            };
                      };
                    }));
    ThreadPoolBulkhead named =
        ThreadPoolBulkhead.of(
            "hooked",
            ThreadPoolBulkheadConfig.builder()
                .contextPropagator(
                    task -> {
                      throw new IllegalStateException("capture failed");
                    })
                .build());
    opened.add(named);
    for (int i = 0; i < 4; i++) {
      phase.set(i);
      AtomicInteger runs = new AtomicInteger();
      assertThat(p.submit(runs::incrementAndGet).toCompletableFuture().get()).isEqualTo(1);
      assertThat(runs).as("phase %s", i).hasValue(1);
    }
    assertThat(named.submit(() -> "ran bare").toCompletableFuture().get()).isEqualTo("ran bare");
    assertThat(LogCapture.lines(ThreadPoolBulkhead.class.getName()))
        .filteredOn(l -> l.level() == Level.WARN && l.message().startsWith("name=hooked"))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.message())
                  .isEqualTo(
                      "name=hooked contextPropagator threw on the submitting thread; the task runs"
                          + " without it");
              assertThat(l.error()).hasMessage("capture failed");
            });
  }

  @Test
  void aTaskOutcomeIsNeverCountedAsARefusalAndACancelledStageStaysCancelled() throws Exception {
    ThreadPoolBulkhead p = pool(1, 0);
    assertThat(failure(p.submit(() -> Integer.parseInt("x"))))
        .isInstanceOf(NumberFormatException.class);
    assertThat(p.stats().rejections()).isZero();
    CountDownLatch started = new CountDownLatch(1);
    CompletionStage<String> running = blocker(p, started);
    started.await();
    running.toCompletableFuture().cancel(false);
    assertThatThrownBy(() -> running.toCompletableFuture().join())
        .isInstanceOf(CancellationException.class);
  }

  static List<String> threadsNamed(String prefix) {
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith(prefix) && t.isAlive()) {
        names.add(t.getName());
      }
    }
    return names;
  }
}
