package dev.ballast.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * The hand-off from the threads that schedule and cancel to a {@link TimerWheel}'s driver: striped
 * Treiber stacks of submitted and of cancelled {@link TimerNode}s. Thread-safe and lock-free: any
 * thread pushes, the driver alone takes.
 */
final class TimerInbox {

  /*
   * Implementation notes.
   *
   * Stripes. One shared stack head would be a cache line that every scheduling thread CASes and
   * the driver swaps at every tick: two threads scheduling timeouts side by side would spend more
   * time passing that line between cores than doing their work. So each stripe has its own pair
   * of heads (submitted, cancelled) on a cache line of its own (SPACING references apart, with a
   * stripe's worth of padding before the first and after the last), and a thread always pushes to
   * the stripe of its id: threads made one after another (a pool's, a benchmark's) land on
   * different stripes, and one thread's submissions stay in its order. There are at least twice as
   * many stripes as processors. Two threads that share a stripe are as correct as before, only
   * slower.
   *
   * Pushing: a CAS loop on the stripe's head (the CAS publishes the node's plain fields). Submitted
   * nodes are linked through `next`, cancelled ones through `link` (a node is pushed there at most
   * once: only one cancel wins).
   *
   * Dropping. A submission links its node above the first node of the stack that is not
   * cancelled, so the cancelled nodes on top (the thread's previous timeout, cancelled when its
   * call returned) leave the stack at once and the driver never walks them: in steady traffic a
   * stripe holds the live timers and little else, whatever the call rate. This is safe because
   * the CAS succeeds only if `head` is still the head, and while it is nothing below it has
   * changed: nodes are pushed once, and only a take (which swaps the head with null) hands them to
   * the driver, who alone rewrites `next`. A cancelled node dropped this way was never in a bucket,
   * so nothing else refers to it. The walk stops after MAX_DROPPED nodes: a pusher that read a
   * head just before the driver took it may be reading nodes the driver is already linking into
   * buckets (whose lists are circular through a cancelled-looking sentinel); its CAS then fails and
   * it starts over, but the walk must end first. Cancelled nodes left below are dropped by the
   * driver, as before. Taking: the driver swaps a head with null (getAndSet acquires the
   * pushers' writes), after an opaque read that skips empty stripes; a stale null only delays a
   * node by a tick.
   *
   * The idle handshake of TimerWheel reads every submitted head with a volatile read after its CAS
   * to IDLE; schedule() reads the state with a volatile read after its CAS here. Per stripe this
   * is the Dekker pair the wheel's notes describe.
   */

  /** References between two heads that must not share a cache line: 128 bytes at 4 each. */
  private static final int SPACING = 32;

  /** The most cancelled nodes one submission drops: bounds its walk (see the notes). */
  private static final int MAX_DROPPED = 8;

  private static final int SUBMITTED = 0;
  private static final int CANCELLED = 1;

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(TimerNode[].class);

  private final TimerNode[] slots;
  private final int mask;

  TimerInbox() {
    this(stripesFor(Runtime.getRuntime().availableProcessors()));
  }

  TimerInbox(int stripes) {
    if (stripes < 1 || Integer.bitCount(stripes) != 1) {
      throw new IllegalArgumentException("stripes must be a power of two, was " + stripes);
    }
    this.mask = stripes - 1;
    this.slots = new TimerNode[(stripes + 2) * SPACING];
  }

  /** At least twice as many stripes as processors, a power of two, at most 64. */
  static int stripesFor(int processors) {
    int wanted = Math.max(2, Math.min(64, processors * 2));
    return Integer.highestOneBit(wanted - 1) << 1;
  }

  /** How many stripes there are. */
  int stripes() {
    return mask + 1;
  }

  /** Hands a new node to the driver, dropping the cancelled nodes on top of its stripe. */
  void submit(TimerNode node) {
    int i = slot(stripeOfThisThread(), SUBMITTED);
    TimerNode head;
    do {
      head = acquire(i); // acquire: the nodes below it are read next; the CAS validates it
      TimerNode below = head;
      for (int hops = 0;
          below != null && hops < MAX_DROPPED && below.taskAcquire() == TimerWheel.CANCELLED;
          hops++) {
        below = below.next; // stable while `head` is still the head; the CAS checks that
      }
      node.next = below; // plain: published by the CAS
    } while (!SLOT.compareAndSet(slots, i, head, node));
  }

  /** Hands a cancelled node that is in a bucket to the driver, for unlinking. */
  void retire(TimerNode node) {
    int i = slot(stripeOfThisThread(), CANCELLED);
    TimerNode head;
    do {
      head = opaque(i); // any value: the CAS below validates it
      node.link = head; // plain: published by the CAS
    } while (!SLOT.compareAndSet(slots, i, head, node));
  }

  /** The driver: takes one stripe's submissions, newest first, or null. */
  @Nullable TimerNode takeSubmitted(int stripe) {
    return take(slot(stripe, SUBMITTED));
  }

  /** The driver: takes one stripe's cancellations, or null. */
  @Nullable TimerNode takeCancelled(int stripe) {
    return take(slot(stripe, CANCELLED));
  }

  /** Whether a submission waits in any stripe; volatile reads, for the idle handshake. */
  boolean submittedVolatile() {
    for (int s = 0; s <= mask; s++) {
      if (SLOT.getVolatile(slots, slot(s, SUBMITTED)) != null) { // the Dekker pair of submit()
        return true;
      }
    }
    return false;
  }

  /** Whether a submission waits in any stripe; opaque reads, a hint that the caller re-checks. */
  boolean submittedOpaque() {
    for (int s = 0; s <= mask; s++) {
      if (opaque(slot(s, SUBMITTED)) != null) {
        return true;
      }
    }
    return false;
  }

  /** Whether a cancellation waits in any stripe; opaque reads, a snapshot for tests. */
  boolean cancelledOpaque() {
    for (int s = 0; s <= mask; s++) {
      if (opaque(slot(s, CANCELLED)) != null) {
        return true;
      }
    }
    return false;
  }

  /** Whether every stripe is empty; opaque reads, a snapshot for tests. */
  boolean empty() {
    for (int s = 0; s <= mask; s++) {
      if (opaque(slot(s, SUBMITTED)) != null || opaque(slot(s, CANCELLED)) != null) {
        return false;
      }
    }
    return true;
  }

  private @Nullable TimerNode take(int i) {
    if (opaque(i) == null) { // opaque: a stale null only delays the nodes by a tick
      return null;
    }
    return (TimerNode) SLOT.getAndSet(slots, i, (TimerNode) null); // acquires the pushers' writes
  }

  private @Nullable TimerNode acquire(int i) {
    return (TimerNode) SLOT.getAcquire(slots, i); // pairs with the pushers' CAS
  }

  private @Nullable TimerNode opaque(int i) {
    return (TimerNode) SLOT.getOpaque(slots, i);
  }

  private int slot(int stripe, int which) {
    return (stripe + 1) * SPACING + which;
  }

  @SuppressWarnings("deprecation") // getId(): threadId() is JDK 19+, and core targets 17
  private int stripeOfThisThread() {
    return (int) Thread.currentThread().getId() & mask;
  }
}
