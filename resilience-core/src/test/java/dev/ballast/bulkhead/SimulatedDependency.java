package dev.ballast.bulkhead;

import dev.ballast.Gate;
import dev.ballast.TestTicker;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A deterministic discrete-event simulation in virtual time: callers arrive at random (a seeded
 * Poisson process) and go through a real {@link Bulkhead} to a dependency with {@code capacity}
 * servers. Up to {@code capacity} calls in flight each take the base latency (with a seeded jitter
 * of 10 %); above it, calls queue first-come first-served, so latency rises with the queue. Nothing
 * sleeps: the loop advances a {@link TestTicker} from one event to the next.
 */
final class SimulatedDependency {
  private static final int ARRIVAL = 0;
  private static final int COMPLETION = 1;
  private static final int PROBE = 2;

  private record Event(long at, long seq, int kind, long permit) implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
    }
  }

  /** The limit and the calls in flight, read every probe interval. */
  record Reading(long atNanos, int limit, int inFlight) {}

  final TestTicker ticker = new TestTicker();
  private final SplittableRandom random;
  private final PriorityQueue<Event> events = new PriorityQueue<>();
  private final ArrayDeque<Long> queue = new ArrayDeque<>();
  private final List<Reading> readings = new ArrayList<>();
  private final long origin = ticker.read();
  private Bulkhead bulkhead;
  private long seq;
  private int capacity;
  private int busy;
  private long baseLatencyNanos;
  private double arrivalsPerSecond;
  private long probeNanos = 100_000_000L;
  long admitted;
  long refused;

  SimulatedDependency(long seed, int capacity, long baseLatencyNanos, double arrivalsPerSecond) {
    this.random = new SplittableRandom(seed);
    this.capacity = capacity;
    this.baseLatencyNanos = baseLatencyNanos;
    this.arrivalsPerSecond = arrivalsPerSecond;
    this.bulkhead = Bulkhead.ofDefaults("unused");
  }

  /** The bulkhead under test, built with this simulation's ticker. */
  SimulatedDependency guardedBy(AdaptiveLimit limit) {
    bulkhead =
        Bulkhead.of(
            "simulated", BulkheadConfig.builder().adaptiveLimit(limit).ticker(ticker).build());
    schedule(nextArrival(), ARRIVAL, 0);
    schedule(now() + probeNanos, PROBE, 0);
    return this;
  }

  Bulkhead bulkhead() {
    return bulkhead;
  }

  long now() {
    return ticker.read() - origin;
  }

  /** Changes the dependency's true concurrency from now on; calls being served finish. */
  void capacity(int capacity) {
    this.capacity = capacity;
    startQueued();
  }

  void arrivalsPerSecond(double rate) {
    this.arrivalsPerSecond = rate;
  }

  /** Runs the events until {@code seconds} of virtual time from the start. */
  void runUntilSecond(double seconds) {
    long end = (long) (seconds * 1e9);
    while (!events.isEmpty() && events.peek().at <= end) {
      Event e = events.poll();
      ticker.advanceNanos(e.at - now());
      switch (e.kind) {
        case ARRIVAL -> arrive();
        case COMPLETION -> complete(e.permit);
        default -> {
          readings.add(new Reading(e.at, bulkhead.stats().maxConcurrentCalls(), inFlight()));
          schedule(e.at + probeNanos, PROBE, 0);
        }
      }
    }
  }

  /** The readings taken in {@code [fromSecond, toSecond)}. */
  List<Reading> readings(double fromSecond, double toSecond) {
    return readings.stream()
        .filter(r -> r.atNanos >= fromSecond * 1e9 && r.atNanos < toSecond * 1e9)
        .toList();
  }

  int inFlight() {
    return busy + queue.size();
  }

  private void arrive() {
    schedule(nextArrival(), ARRIVAL, 0);
    long permit = bulkhead.tryAcquire();
    if (permit == Gate.REFUSED) {
      refused++;
      return;
    }
    admitted++;
    queue.add(permit);
    startQueued();
  }

  private void complete(long permit) {
    busy--;
    bulkhead.onResult(permit, null);
    startQueued();
  }

  private void startQueued() {
    while (busy < capacity && !queue.isEmpty()) {
      busy++;
      long service = (long) (baseLatencyNanos * (0.9 + 0.2 * random.nextDouble()));
      schedule(now() + service, COMPLETION, queue.poll());
    }
  }

  private long nextArrival() {
    double gap = -Math.log(1.0 - random.nextDouble()) / arrivalsPerSecond;
    return now() + Math.max(1, (long) (gap * 1e9));
  }

  private void schedule(long at, int kind, long permit) {
    events.add(new Event(at, seq++, kind, permit));
  }
}
