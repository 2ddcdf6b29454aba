package dev.ballast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ballast.TestTicker;
import dev.ballast.Together;
import dev.ballast.testlog.ReconfigurationLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

final class ReconfigurationTest {
  private final TestTicker ticker = new TestTicker();
  private final BoundedQueue<String> queue =
      BoundedQueue.of("jobs", BoundedQueueConfig.builder().capacity(4).ticker(ticker).build());

  @RegisterExtension final ReconfigurationLog log = new ReconfigurationLog(BoundedQueue.class);

  @Test
  void aLowerCapacityKeepsEveryElementAndTurnsProducersAwayUntilConsumersCatchUp() {
    for (int i = 0; i < 4; i++) {
      assertThat(queue.offer("e" + i)).isTrue();
    }
    BoundedQueueConfig next = queue.config().toBuilder().capacity(2).build();
    queue.reconfigure(next);
    assertThat(queue.config()).isSameAs(next);
    assertThat(queue.size()).isEqualTo(4);
    assertThat(queue.offer("late")).isFalse();
    assertThat(queue.poll()).isEqualTo("e0");
    assertThat(queue.poll()).isEqualTo("e1");
    assertThat(queue.offer("late")).isFalse(); // two left: at the new capacity
    assertThat(queue.poll()).isEqualTo("e2");
    assertThat(queue.offer("late")).isTrue();
    assertThat(queue.stats().capacity()).isEqualTo(2);
    assertThat(log.lines("jobs"))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.level()).isEqualTo(Level.INFO);
              assertThat(l.message()).isEqualTo("name=jobs reconfigured capacity=4->2");
            });
  }

  @Test
  void aShorterStallTimeCallsAFullQueueAFailureSooner() {
    for (int i = 0; i < 4; i++) {
      queue.offer("e" + i);
    }
    assertThat(queue.stats().backPressure()).isEqualTo(BackPressure.LOAD);
    ticker.advance(Duration.ofSeconds(2));
    assertThat(queue.stats().backPressure()).isEqualTo(BackPressure.LOAD);
    queue.reconfigure(queue.config().toBuilder().stallTime(Duration.ofSeconds(1)).build());
    assertThat(queue.stats().backPressure()).isEqualTo(BackPressure.FAILURE);
  }

  @Test
  void theOverflowPolicyAndMeasureWaitCannotChangeAndNothingDoes() {
    BoundedQueueConfig before = queue.config();
    assertThatThrownBy(
            () ->
                queue.reconfigure(
                    before.toBuilder().capacity(8).overflow(Overflow.DROP_OLDEST).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "bounded queue 'jobs': overflow cannot change at run time (was REJECT, given"
                + " DROP_OLDEST); nothing was changed");
    assertThatThrownBy(() -> queue.reconfigure(before.toBuilder().measureWait(true).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("measureWait cannot change at run time");
    assertThat(queue.config()).isSameAs(before);
    assertThat(queue.stats().capacity()).isEqualTo(4);
    assertThat(log.lines("jobs")).isEmpty();
  }

  @Test
  @Tag("concurrency")
  void producersAndConsumersRacingReconfigurationsLoseNoElement() throws Exception {
    List<BoundedQueueConfig> configs =
        List.of(queue.config(), queue.config().toBuilder().capacity(1).build());
    LongAdder offered = new LongAdder();
    LongAdder taken = new LongAdder();
    Together.whileRepeating(
        4,
        t -> {
          boolean producer = t % 2 == 0;
          for (int i = 0; i < 20_000; i++) {
            if (producer) {
              if (queue.offer("x")) {
                offered.increment();
              }
            } else if (queue.poll() != null) {
              taken.increment();
            }
            assertThat(configs).contains(queue.config());
          }
        },
        round -> queue.reconfigure(configs.get(round % 2)));
    assertThat(offered.sum()).isEqualTo(taken.sum() + queue.size());
    assertThat(queue.size()).isLessThanOrEqualTo(4);
    BoundedQueueStats s = queue.stats();
    assertThat(s.enqueues()).isEqualTo(offered.sum());
    assertThat(s.dequeues()).isEqualTo(taken.sum());
  }
}
