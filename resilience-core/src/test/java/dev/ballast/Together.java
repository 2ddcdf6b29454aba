package dev.ballast;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntConsumer;

/** Runs a body on many threads released at once, for the concurrency tests' invariants. */
public final class Together {

  private Together() {}

  /**
   * Runs {@code body} on {@code threads} threads started together (each given its index), and
   * returns once every one has ended.
   *
   * @param threads how many threads
   * @param body what each thread runs, given its index from 0
   * @throws InterruptedException when the calling thread is interrupted while it waits
   */
  public static void run(int threads, IntConsumer body) throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int index = t;
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                body.accept(index);
              },
              "together-" + t);
      thread.start();
      all.add(thread);
    }
    start.countDown();
    for (Thread thread : all) {
      thread.join();
    }
  }
}
