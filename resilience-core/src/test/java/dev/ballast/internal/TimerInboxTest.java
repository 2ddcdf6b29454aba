package dev.ballast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.ballast.Ticker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The timer wheel's striped hand-off: where each thread's nodes land, and in what order. */
final class TimerInboxTest {
  private final TimerWheel wheel = TimerWheel.manual(Ticker.system(), 1_000_000L, 8);

  private TimerNode node() {
    return new TimerNode(wheel, () -> {}, 0L);
  }

  @SuppressWarnings("deprecation") // getId(), as TimerInbox: core targets 17
  private static int stripeOf(Thread thread, TimerInbox inbox) {
    return (int) thread.getId() & (inbox.stripes() - 1);
  }

  @Test
  void hasAtLeastTwiceAsManyStripesAsProcessorsAsAPowerOfTwoUpTo64() {
    assertThat(TimerInbox.stripesFor(1)).isEqualTo(2);
    assertThat(TimerInbox.stripesFor(2)).isEqualTo(4);
    assertThat(TimerInbox.stripesFor(3)).isEqualTo(8);
    assertThat(TimerInbox.stripesFor(4)).isEqualTo(8);
    assertThat(TimerInbox.stripesFor(32)).isEqualTo(64);
    assertThat(TimerInbox.stripesFor(500)).isEqualTo(64);
    assertThat(new TimerInbox().stripes())
        .isGreaterThanOrEqualTo(2 * Runtime.getRuntime().availableProcessors())
        .matches(n -> Integer.bitCount(n) == 1, "a power of two");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new TimerInbox(3))
        .withMessage("stripes must be a power of two, was 3");
  }

  @Test
  void aThreadsSubmissionsLandOnItsOwnStripeNewestFirst() {
    TimerInbox inbox = new TimerInbox(4);
    TimerNode first = node();
    TimerNode second = node();
    inbox.submit(first);
    inbox.submit(second);
    int mine = stripeOf(Thread.currentThread(), inbox);

    for (int s = 0; s < inbox.stripes(); s++) {
      if (s != mine) {
        assertThat(inbox.takeSubmitted(s)).as("stripe %d", s).isNull();
      }
    }
    TimerNode taken = inbox.takeSubmitted(mine);
    assertThat(taken).isSameAs(second);
    assertThat(second.next).isSameAs(first);
    assertThat(first.next).isNull();
    assertThat(inbox.empty()).isTrue();
  }

  @Test
  void aSubmissionDropsTheCancelledNodesOnTopOfItsStripeAndKeepsTheLiveOnes() {
    TimerInbox inbox = new TimerInbox(2);
    TimerNode live = node();
    TimerNode cancelledBelow = node();
    TimerNode cancelledOnTop = node();
    inbox.submit(live);
    inbox.submit(cancelledBelow);
    inbox.submit(cancelledOnTop);
    assertThat(cancelledBelow.cancel()).isTrue();
    assertThat(cancelledOnTop.cancel()).isTrue();
    TimerNode next = node();
    inbox.submit(next);

    TimerNode taken = inbox.takeSubmitted(stripeOf(Thread.currentThread(), inbox));
    assertThat(taken).isSameAs(next);
    assertThat(next.next).as("the cancelled nodes are gone").isSameAs(live);
    assertThat(live.next).isNull();
  }

  @Test
  void aSubmissionDropsAtMostEightCancelledNodesAndLeavesTheRestToTheDriver() {
    TimerInbox inbox = new TimerInbox(2);
    TimerNode live = node();
    inbox.submit(live);
    List<TimerNode> doomed = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      TimerNode n = node();
      inbox.submit(n);
      doomed.add(n);
    }
    doomed.forEach(TimerNode::cancel);
    TimerNode next = node();
    inbox.submit(next);

    int cancelledLeft = 0;
    TimerNode n = next.next;
    while (n != null && n != live) {
      cancelledLeft++;
      n = n.next;
    }
    assertThat(n).as("the live node is still linked").isSameAs(live);
    assertThat(cancelledLeft).as("10 cancelled, 8 dropped").isEqualTo(2);
  }

  @Test
  void twoThreadsOnDifferentStripesNeverShareAHead() throws Exception {
    TimerInbox inbox = new TimerInbox(64);
    TimerNode theirs = node();
    Thread thread = new Thread(() -> inbox.submit(theirs), "inbox-test");
    thread.start();
    thread.join();
    TimerNode mine = node();
    inbox.submit(mine);
    int myStripe = stripeOf(Thread.currentThread(), inbox);
    int theirStripe = stripeOf(thread, inbox);

    if (myStripe != theirStripe) {
      assertThat(inbox.takeSubmitted(myStripe)).isSameAs(mine);
      assertThat(inbox.takeSubmitted(theirStripe)).isSameAs(theirs);
    } else { // ids 64 apart: one stack, both nodes, newest first
      assertThat(inbox.takeSubmitted(myStripe)).isSameAs(mine);
      assertThat(mine.next).isSameAs(theirs);
    }
    assertThat(inbox.empty()).isTrue();
  }

  @Test
  void cancellationsAreLinkedThroughTheirOwnFieldAndTakenApart() {
    TimerInbox inbox = new TimerInbox(2);
    TimerNode submitted = node();
    TimerNode retired = node();
    inbox.submit(submitted);
    inbox.retire(retired);
    int mine = stripeOf(Thread.currentThread(), inbox);

    assertThat(inbox.cancelledOpaque()).isTrue();
    assertThat(inbox.takeCancelled(mine)).isSameAs(retired);
    assertThat(retired.next).as("the submission link is untouched").isNull();
    assertThat(inbox.cancelledOpaque()).isFalse();
    assertThat(inbox.submittedVolatile()).isTrue();
    assertThat(inbox.takeSubmitted(mine)).isSameAs(submitted);
    assertThat(inbox.submittedOpaque()).isFalse();
  }
}
