package dev.ballast;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a body on many threads released at once, for the concurrency tests' invariants: the test
 * checks them once this returns, every thread having ended.
 *
 * <p>Whatever a thread throws (a failed assertion included) fails the run: {@link #run} and {@link
 * #whileRepeating} throw an {@link AssertionError} with the first error as its cause and the others
 * suppressed, as they do when a thread is still running after {@link #PATIENCE_MINUTES} minutes.
 * The threads are named and daemon.
 */
public final class Together {

  /** How long a run waits for each of its threads before it fails. */
  public static final long PATIENCE_MINUTES = 2;

  /** What one thread runs. */
  @FunctionalInterface
  public interface Body {
    /**
     * Runs once on one thread.
     *
     * @param index the thread's index from 0; for an operator, the round from 0
     * @throws Exception any, which fails the run
     */
    void run(int index) throws Exception;
  }

  private Together() {}

  /**
   * Runs {@code body} on {@code threads} threads started together (each given its index), and
   * returns once every one has ended.
   *
   * @param threads how many threads
   * @param body what each thread runs, given its index from 0
   * @throws InterruptedException when the calling thread is interrupted while it waits
   * @throws AssertionError when a thread threw or did not end in time
   */
  public static void run(int threads, Body body) throws InterruptedException {
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> all = start(threads, body, start, errors);
    start.countDown();
    join(all, errors);
    check(errors);
  }

  /**
   * Runs {@code body} on {@code threads} threads started together (each given its index) while one
   * more thread, the operator, runs {@code operator} again and again (given the round from 0) until
   * every one of them has ended, at least once; returns once the operator has stopped too. The
   * shape of a test of calls racing reconfigurations, or any other operator command.
   *
   * @param threads how many calling threads
   * @param body what each calling thread runs, given its index from 0
   * @param operator what the operator runs each round, given the round from 0 (back to 0 after
   *     {@link Integer#MAX_VALUE})
   * @throws InterruptedException when the calling thread is interrupted while it waits
   * @throws AssertionError when a thread or the operator threw, or did not end in time
   */
  public static void whileRepeating(int threads, Body body, Body operator)
      throws InterruptedException {
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean done = new AtomicBoolean();
    List<Thread> all = start(threads, body, start, errors);
    Thread repeating =
        thread(
            "together-operator",
            start,
            errors,
            () -> {
              int round = 0;
              do {
                operator.run(round);
                round = (round + 1) & Integer.MAX_VALUE; // never negative: a modulo stays an index
              } while (!done.get());
            });
    start.countDown();
    try {
      join(all, errors);
    } finally {
      done.set(true);
    }
    join(List.of(repeating), errors);
    check(errors);
  }

  /** What a thread runs once released, or the operator's whole loop. */
  private interface Task {
    void run() throws Exception;
  }

  private static List<Thread> start(
      int threads, Body body, CountDownLatch start, List<Throwable> errors) {
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int index = t;
      all.add(thread("together-" + t, start, errors, () -> body.run(index)));
    }
    return all;
  }

  private static Thread thread(
      String name, CountDownLatch start, List<Throwable> errors, Task task) {
    Thread thread =
        new Thread(
            () -> {
              try {
                start.await();
                task.run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                errors.add(e);
              } catch (Throwable e) {
                errors.add(e);
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void join(List<Thread> threads, List<Throwable> errors)
      throws InterruptedException {
    for (Thread thread : threads) {
      thread.join(TimeUnit.MINUTES.toMillis(PATIENCE_MINUTES));
      if (thread.isAlive()) {
        errors.add(
            new AssertionError(
                thread.getName() + " still running after " + PATIENCE_MINUTES + " minutes"));
        thread.interrupt();
      }
    }
  }

  private static void check(List<Throwable> errors) {
    if (errors.isEmpty()) {
      return;
    }
    AssertionError failed =
        new AssertionError(
            errors.size() + " thread(s) failed; the first: " + errors.get(0), errors.get(0));
    for (Throwable e : errors.subList(1, errors.size())) {
      failed.addSuppressed(e);
    }
    throw failed;
  }
}
