package dev.ballast.micrometer;

import dev.ballast.queue.BoundedQueue;
import dev.ballast.queue.BoundedQueueConfig;
import dev.ballast.queue.Overflow;
import dev.ballast.testkit.ManualTicker;
import java.time.Duration;

/** Bounded queues in virtual time, and the traffic that fills them. */
final class Queues {
  private Queues() {}

  /** Capacity 2, {@code REJECT}, waits measured, stall time 10 s. */
  static BoundedQueue<String> queue(String name, ManualTicker ticker) {
    return BoundedQueue.of(
        name,
        BoundedQueueConfig.builder()
            .capacity(2)
            .overflow(Overflow.REJECT)
            .measureWait(true)
            .stallTime(Duration.ofSeconds(10))
            .ticker(ticker)
            .build());
  }

  /**
   * Fills the queue, waits 10 s (a refusal under FAILURE), takes one element (waited 10 s), fills
   * it again and refuses one under LOAD: 3 enqueued, 1 dequeued, 2 rejected, 1 of them FAILURE.
   */
  static void fillStallAndRefuse(BoundedQueue<String> queue, ManualTicker ticker) {
    queue.offer("a");
    queue.offer("b");
    ticker.advance(Duration.ofSeconds(10));
    queue.offer("refused under failure");
    queue.poll();
    queue.offer("c");
    queue.offer("refused under load");
  }
}
